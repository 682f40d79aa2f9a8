"""Who someone is in the process: the one place roles are defined and answered.

Roles are data, not flags scattered through views:
- anonymous public: anyone, signed in or not;
- participant: a signed-in, active account (anyone may register);
- member / convenor: a `workinggroups.Membership` row for that group
  (`workinggroups.permissions.is_member`, `is_convenor`);
- analyst: a `consultation.Analyst` row for that consultation
  (`consultation.permissions.is_analyst`);
- secretariat: a `policyhub.SecretariatMember` row (runs the process, manages restrictions);
- superuser: Django's flag, for the people who run the service itself.

This module answers the roles held across the whole service; a role held in one group or
consultation is answered by the app that owns its rows, so the core knows no domain app.
Each app's `permissions.py` combines these answers with its own rules (time, status);
views and templates ask `permissions.py`, never this module's models directly.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User


class Role(StrEnum):
    PUBLIC = "public"
    PARTICIPANT = "participant"
    MEMBER = "member"
    CONVENOR = "convenor"
    ANALYST = "analyst"
    SECRETARIAT = "secretariat"
    SUPERUSER = "superuser"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PUBLIC: "Member of the public",
    Role.PARTICIPANT: "Participant",
    Role.MEMBER: "Working group member",
    Role.CONVENOR: "Convenor",
    Role.ANALYST: "Consultation analyst",
    Role.SECRETARIAT: "Secretariat",
    Role.SUPERUSER: "Service administrator",
}


def is_participant(user: User | AnonymousUser) -> bool:
    """Signed in with an active account: enough to join groups and register for meetings."""
    return bool(user.is_authenticated and user.is_active)


def is_secretariat(user: User | AnonymousUser) -> bool:
    """Secretariat or superuser. Cached on the user object for the length of a request."""
    if not is_participant(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        # Django reads a model's name in any case: a mutant changing its case is equivalent.
        secretariat = apps.get_model("policyhub", "SecretariatMember")  # pragma: no mutate
        cached = secretariat.objects.filter(user_id=user.pk).exists()
        user._is_secretariat = cached
    return cached


def roles_for(user: User | AnonymousUser) -> set[Role]:
    """The roles this person holds across the whole service. Roles held in one working
    group or consultation are answered by that app's permissions.py (`is_member`,
    `is_convenor`, `is_analyst`), which knows its own rows."""
    held = {Role.PUBLIC}
    if not is_participant(user):
        return held
    held.add(Role.PARTICIPANT)
    if user.is_superuser:
        held.add(Role.SUPERUSER)
    if is_secretariat(user):
        held.add(Role.SECRETARIAT)
    return held
