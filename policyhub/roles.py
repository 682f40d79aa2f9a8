"""Who someone is in the process: the one place roles are defined and answered.

Roles are data, not flags scattered through views:
- anonymous public: anyone, signed in or not;
- participant: a signed-in, active account (anyone may register);
- member / convenor: a `workinggroups.Membership` row for that group;
- analyst: a `consultation.Analyst` row for that consultation;
- secretariat: a `policyhub.SecretariatMember` row (runs the process, manages restrictions);
- superuser: Django's flag, for the people who run the service itself.

Each app's `permissions.py` combines these answers with its own rules (time, status);
views and templates ask `permissions.py`, never this module's models directly.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from policyhub.pagecache import cached_answer

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


def is_superuser(user: User | AnonymousUser) -> bool:
    return bool(is_participant(user) and user.is_superuser)


def is_secretariat(user: User | AnonymousUser) -> bool:
    """Secretariat or superuser. Cached on the user object for the length of a request."""
    if not is_participant(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_secretariat", None)
    if cached is None:
        secretariat = apps.get_model("policyhub", "SecretariatMember")
        cached = secretariat.objects.filter(user_id=user.pk).exists()
        user._is_secretariat = cached
    return cached


def convenes_any_group(user: User | AnonymousUser) -> bool:
    """Convenes at least one working group. Most participants convene nothing, and for them
    pages leave out every convenor-only clause and button; cached on the user object for
    the length of a request, as `is_secretariat` is."""
    if not is_participant(user):
        return False
    cached = getattr(user, "_convenes_any_group", None)
    if cached is None:
        membership = apps.get_model("workinggroups", "Membership")
        cached = membership.objects.filter(user_id=user.pk, role=membership.Role.CONVENOR).exists()
        user._convenes_any_group = cached
    return cached


def load_with_standing(user_id: Any) -> User | None:
    """The person with the answers to `is_secretariat` and `convenes_any_group` read in the
    same query, or None. The authentication backends (policyhub/auth.py) load the signed-in
    person this way, so nearly every signed-in page asks neither question again.

    Written as SQL because it runs on every signed-in request: the same query built with
    `Exists()` annotations costs more to compile (0.7 ms here) than the two queries it saves.
    """
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    membership = apps.get_model("workinggroups", "Membership")
    found = user_model._default_manager.raw(
        _standing_sql(connection.vendor), [membership.Role.CONVENOR, user_id]
    )
    user = next(iter(found), None)
    if user is not None:
        user._is_secretariat = bool(user._is_secretariat)  # SQLite answers 0 or 1
        user._convenes_any_group = bool(user._convenes_any_group)
    return user


@functools.cache
def _standing_sql(vendor: str) -> str:
    """The query of `load_with_standing`, written once per process and database vendor."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    secretariat = apps.get_model("policyhub", "SecretariatMember")
    membership = apps.get_model("workinggroups", "Membership")
    quote = connection.ops.quote_name
    users = quote(user_model._meta.db_table)
    pk = f"{users}.{quote(user_model._meta.pk.column)}"
    columns = ", ".join(f"{users}.{quote(f.column)}" for f in user_model._meta.concrete_fields)
    secretariat_user = quote(secretariat._meta.get_field("user").column)
    member_user = quote(membership._meta.get_field("user").column)
    member_role = quote(membership._meta.get_field("role").column)
    return (
        f"SELECT {columns}, "  # nosec B608 - names from the models; values are parameters
        f"EXISTS (SELECT 1 FROM {quote(secretariat._meta.db_table)} s "
        f"WHERE s.{secretariat_user} = {pk}) AS _is_secretariat, "
        f"EXISTS (SELECT 1 FROM {quote(membership._meta.db_table)} m "
        f"WHERE m.{member_user} = {pk} AND m.{member_role} = %s) AS _convenes_any_group "
        f"FROM {users} WHERE {pk} = %s"
    )


def _membership_role(user: User | AnonymousUser, group: Any) -> str | None:
    if not is_participant(user) or group is None:
        return None
    membership = apps.get_model("workinggroups", "Membership")
    return (
        membership.objects.filter(user_id=user.pk, group_id=group.pk)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: User | AnonymousUser, group: Any) -> bool:
    """A member of the working group (convenors are members too)."""
    return _membership_role(user, group) is not None


def is_convenor(user: User | AnonymousUser, group: Any) -> bool:
    """Convenes this working group. Convening one group gives no power over another."""
    return _membership_role(user, group) == "convenor"


def is_analyst(user: User | AnonymousUser, consultation: Any) -> bool:
    """Assigned to analyse this consultation's responses (and no other's)."""
    if not is_participant(user) or consultation is None:
        return False
    answers = user.__dict__.setdefault("_analyst_of", {})  # asked often by one page
    if consultation.pk not in answers:
        analyst = apps.get_model("consultation", "Analyst")
        # Kept with the page cache's generation too: assigning an analyst retires it.
        answers[consultation.pk] = cached_answer(
            "analyst",
            (consultation.pk, user.pk),
            lambda: analyst.objects.filter(
                user_id=user.pk, consultation_id=consultation.pk
            ).exists(),
        )
    return answers[consultation.pk]


def roles_for(user: User | AnonymousUser, obj: Any | None = None) -> set[Role]:
    """Every role this person holds, in general and for `obj` (a working group or a
    consultation). Used for display ("You are a convenor of this group") and in tests."""
    roles = {Role.PUBLIC}
    if not is_participant(user):
        return roles
    roles.add(Role.PARTICIPANT)
    if user.is_superuser:
        roles.add(Role.SUPERUSER)
    if is_secretariat(user):
        roles.add(Role.SECRETARIAT)
    if obj is not None:
        label = obj._meta.label_lower
        if label == "workinggroups.workinggroup":
            role = _membership_role(user, obj)
            if role is not None:
                roles.add(Role.MEMBER)
            if role == "convenor":
                roles.add(Role.CONVENOR)
        elif label == "consultation.consultation" and is_analyst(user, obj):
            roles.add(Role.ANALYST)
    return roles
