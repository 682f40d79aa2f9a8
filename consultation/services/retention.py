"""Retention: respondents' contact details are kept only as long as they are needed."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consultation.models import Response
from policyhub import audit


@transaction.atomic
def remove_expired_personal_data(*, now: datetime | None = None) -> int:
    """Forget respondents' email addresses and save-and-return tokens a set number of days
    (CONSULTATION_RETENTION_DAYS) after a consultation closes; answers stay, anonymised of
    contact details. Returns how many responses were changed. Safe to run repeatedly."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONSULTATION_RETENTION_DAYS)
    stale = Response.objects.filter(consultation__closes_at__lte=cutoff).exclude(
        email="", resume_token_hash=""
    )
    changed = stale.update(email="", resume_token_hash="", resume_token_expires_at=None)
    if changed:
        audit.record("consultation.personal_data_removed", actor=None, responses=changed)
    return changed
