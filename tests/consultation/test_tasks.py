"""Periodic work: the retention rule runs from beat through a thin task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from consultation import tasks
from tests import factories
from tests.consultation.factories import ResponseFactory

pytestmark = pytest.mark.django_db


def test_retention_task_forgets_emails_of_long_closed_consultations():
    long_ago = timezone.now() - timedelta(days=settings.CONSULTATION_RETENTION_DAYS + 10)
    closed = factories.ConsultationFactory(
        opens_at=long_ago - timedelta(days=50), closes_at=long_ago
    )
    old = ResponseFactory(consultation=closed, email="old@example.org")
    recent = ResponseFactory(email="recent@example.org")
    assert tasks.remove_expired_personal_data.delay().get() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.email == "" and recent.email == "recent@example.org"


def test_retention_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["consultation-remove-expired-personal-data"]
    assert entry["task"] == "consultation.tasks.remove_expired_personal_data"
