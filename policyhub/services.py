"""Writes that change who runs the process. Each is audited."""

from __future__ import annotations

from django.db import transaction

from . import audit
from .models import SecretariatMember, User


@transaction.atomic
def add_to_secretariat(user: User, *, note: str = "", by: User | None) -> SecretariatMember:
    """Give someone the secretariat role: they can then see and manage restricted documents,
    so the grant is recorded. Adding someone twice changes nothing."""
    member, created = SecretariatMember.objects.get_or_create(user=user, defaults={"note": note})
    if created:
        audit.record("policyhub.secretariat_added", actor=by, target=user, note=note)
    return member


@transaction.atomic
def remove_from_secretariat(user: User, *, by: User | None) -> None:
    """Take the secretariat role away; recorded like the grant."""
    deleted, _ = SecretariatMember.objects.filter(user=user).delete()
    if deleted:
        audit.record("policyhub.secretariat_removed", actor=by, target=user)
