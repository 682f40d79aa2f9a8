"""The one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def record(
    action: str, *, actor: Any | None, target: models.Model | None = None, **payload: Any
) -> AuditEntry:
    """Append an entry. `action` is `<app>.<past-tense verb>`, e.g. `documents.restricted`.

    Call it inside the service's transaction so the entry exists exactly when the change does.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEntry.objects.create(
        action=action,
        actor=actor,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        payload=payload,
    )
