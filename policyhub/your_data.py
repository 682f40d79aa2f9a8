"""A person's own data: everything PolicyHub holds about them, as one JSON document, and the
deletion of their account.

`policyhub` is the core every app builds on, so it may not import them (the import contract
in pyproject.toml). Each app that holds something about people therefore registers a source
here from its AppConfig.ready(): a function that lists what it holds about one person, and
one that makes its rows forget that person before the account goes. The account, the
secretariat role and the audit log are this app's own, so they are handled here. A new app
that keeps personal data registers its own source; nothing here changes.

Deleting an account keeps the process's record honest: what happened stays, who did it goes.
Attendance records say "A former participant", documents and proposals keep their
organisation, the audit log keeps each action without the person. Consultation responses
were given to a consultation, not to the account, so they stay with it under its retention
(see `consultation.services.your_data`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from . import audit
from .models import AuditEntry, SecretariatMember, User

FORMER_PARTICIPANT = "A former participant"


@dataclass(frozen=True)
class Source:
    """What one app holds about a person (`export`, JSON-ready) and how it forgets them
    (`forget`, called inside the deletion's transaction, before the account row goes)."""

    title: str
    export: Callable[[User], dict[str, Any]]
    forget: Callable[[User], None] | None


_sources: dict[str, Source] = {}


def register_source(
    key: str,
    *,
    title: str,
    export: Callable[[User], dict[str, Any]],
    forget: Callable[[User], None] | None = None,
) -> None:
    """Add an app's source under a key that names it ("meetings"). `forget` is only needed
    where a row keeps a copy of the person's name: rows that belong to the person go with
    the account (on_delete=CASCADE) and rows that only point at them forget who
    (on_delete=SET_NULL). Registering a key again replaces it, so ready() may run twice."""
    _sources[key] = Source(title=title, export=export, forget=forget)


def email_addresses(user: User) -> list[str]:
    """Every address the person has given their account, the main one first."""
    addresses = [user.email]
    for address in user.emailaddress_set.order_by("-primary", "email"):
        if address.email.lower() not in {a.lower() for a in addresses}:
            addresses.append(address.email)
    return addresses


def when(moment: datetime | None) -> str | None:
    """Dates and times in the download: ISO 8601, with the time zone."""
    return moment.isoformat() if moment is not None else None


def export_your_data(user: User) -> dict[str, Any]:
    """Everything PolicyHub holds about `user`, and nobody else's personal data: where a row
    also involves another person (who decided a join request, who else attended), only the
    thing itself is named, never the other person."""
    data: dict[str, Any] = {
        "service": settings.SITE_NAME,
        "generated_at": when(timezone.now()),
        "privacy_notice": "/privacy/",
        "account": {
            "name": user.display_name,
            "email_addresses": email_addresses(user),
            "organisation": user.organisation,
            "sector": user.get_sector_display(),
            "date_joined": when(user.date_joined),
            "last_login": when(user.last_login),
            "has_password": user.has_usable_password(),
        },
        "roles": {
            "secretariat_since": when(
                SecretariatMember.objects.filter(user=user)
                .values_list("added_at", flat=True)
                .first()
            ),
            "superuser": user.is_superuser,
        },
        "audit_log": [
            {
                "action": entry.action,
                "at": when(entry.created_at),
                "about": entry.target_type.name if entry.target_type else "",
            }
            for entry in AuditEntry.objects.filter(actor=user).select_related("target_type")
        ],
    }
    for key, source in sorted(_sources.items()):
        data[key] = {"title": source.title, **source.export(user)}
    return data


def deletion_problem(user: User) -> str:
    """Why this account may not be deleted now, or "". The process needs someone to run it:
    the last member of the secretariat, or the last superuser, must hand over first."""
    secretariat = SecretariatMember.objects.all()
    if secretariat.filter(user=user).exists() and not secretariat.exclude(user=user).exists():
        return (
            "You are the only member of the secretariat. Add someone else to the "
            "secretariat before you delete your account."
        )
    if (
        user.is_superuser
        and not User.objects.filter(is_superuser=True).exclude(pk=user.pk).exists()
    ):
        return (
            "You are the only administrator. Make someone else an administrator before you "
            "delete your account."
        )
    return ""


def _scrub(text: str, identities: list[str]) -> str:
    for identity in identities:
        if identity:
            text = _replace_insensitive(text, identity, FORMER_PARTICIPANT)
    return text


def _replace_insensitive(text: str, old: str, new: str) -> str:
    lowered, needle = text.lower(), old.lower()
    out, start = [], 0
    while (found := lowered.find(needle, start)) != -1:
        out += [text[start:found], new]
        start = found + len(old)
    return "".join(out) + text[start:]


def _scrub_json(value: Any, identities: list[str]) -> Any:
    if isinstance(value, str):
        return _scrub(value, identities)
    if isinstance(value, list):
        return [_scrub_json(item, identities) for item in value]
    if isinstance(value, dict):
        return {key: _scrub_json(item, identities) for key, item in value.items()}
    return value


def identities(user: User) -> list[str]:
    """The strings that name this person: their name and every email address."""
    return [name for name in [user.display_name, *email_addresses(user)] if name.strip()]


def _forget_in_logs(user: User) -> None:
    """The audit log and the admin's history keep each action but not who the person was:
    their name or address in an entry's description becomes "A former participant"."""
    names = identities(user)
    people = ContentType.objects.get_for_model(User)
    about_them = Q(target_type=people, target_id=str(user.pk))
    mentions = Q(actor=user) | about_them
    for name in names:
        mentions |= Q(target_repr__icontains=name) | Q(payload_text__icontains=name)
    entries = AuditEntry.objects.annotate(payload_text=Cast("payload", TextField()))
    for entry in entries.filter(mentions):
        entry.target_repr = _scrub(entry.target_repr, names)[:255]
        entry.payload = _scrub_json(entry.payload, names)
        if entry.target_type_id == people.pk and entry.target_id == str(user.pk):
            entry.target_repr, entry.target_id = FORMER_PARTICIPANT, ""
        entry.save(update_fields=["target_repr", "payload", "target_id"])
    LogEntry.objects.filter(content_type=people, object_id=str(user.pk)).update(
        object_repr=FORMER_PARTICIPANT, object_id=""
    )
    for name in names:
        for entry in LogEntry.objects.filter(object_repr__icontains=name):
            entry.object_repr = _scrub(entry.object_repr, names)
            entry.save(update_fields=["object_repr"])


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the person's account and everything that names them, in one transaction, so a
    failure leaves the account whole. Each app forgets them first (attendance says "A former
    participant", authorship keeps the organisation), then the account and its roles,
    memberships and registrations go with it. The audit log records that an account was
    deleted, not whose."""
    problem = deletion_problem(user)
    if problem:
        raise ValidationError(problem)
    for source in _sources.values():
        if source.forget is not None:
            source.forget(user)
    _forget_in_logs(user)
    user.delete()
    audit.record("policyhub.account_deleted", actor=None)
