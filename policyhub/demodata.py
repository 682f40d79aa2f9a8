"""Helpers for the `load_demo` loaders in each app's demo.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def on(day: date, hour: int = 10) -> datetime:
    """A demo row's historical timestamp: that day, at 10 a.m. UK time unless told."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))


def days_from_today(days: int) -> datetime:
    """For the practice process, whose dates follow today's: derived from the date, not the
    second, so loading the demo twice on one day changes nothing."""
    return on(timezone.localdate() + timedelta(days=days))


def upsert(
    model: type[M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    *,
    dated: datetime | None = None,
    updated: datetime | None = None,
) -> M:
    """Create the row, or update only the fields that differ.

    Unlike update_or_create this writes nothing when the row is already as described, so
    loading the demo twice leaves every row, timestamps included, exactly as it was.
    `dated` (and `updated`, when it was last changed later) is when the row was written in
    the real process, so pages say "Last updated" with the process's dates, not the day the
    demo was loaded.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values)
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
    if dated is not None:
        date_row(obj, dated, updated)
    return obj


def date_row(obj: models.Model, created: datetime, updated: datetime | None = None) -> None:
    """Give a demo row its historical timestamps. `updated_at` is set with a queryset
    update because `auto_now` would overwrite it on save; nothing is written when the row
    already carries these dates, so reloading the demo changes nothing."""
    stamps = {"created_at": created, "updated_at": updated or created}
    fields = {field.name for field in obj._meta.concrete_fields}
    wanted = {name: value for name, value in stamps.items() if name in fields}
    if any(getattr(obj, name) != value for name, value in wanted.items()):
        type(obj)._default_manager.filter(pk=obj.pk).update(**wanted)
        for name, value in wanted.items():
            setattr(obj, name, value)


def give_authenticator_app(user: models.Model, secret: str) -> None:
    """An authenticator app with a known secret, so a developer can sign in as this demo
    account by generating its codes (README.md, "Demo accounts"). Demo data only: a real
    secret is made by allauth when a person scans the code on "Set up two-factor
    authentication", and never written down."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(secret)}}
    )
