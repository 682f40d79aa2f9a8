"""Helpers for the `load_demo` loaders in each app's demo.py."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Create the row, or update only the fields that differ.

    Unlike update_or_create this writes nothing when the row is already as described, so
    loading the demo twice leaves every row, timestamps included, exactly as it was.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
    return obj


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
