"""The beat task is a thin interface over the reminder service."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from documents.tasks import send_restriction_review_reminders
from tests.documents.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def test_task_emails_the_secretariat_about_due_reviews(secretariat):
    with time_machine.travel(date(2026, 3, 1)):
        RestrictionFactory(review_on=date(2026, 4, 1))
    with time_machine.travel(date(2026, 4, 2)):
        assert send_restriction_review_reminders.delay().get() == 1
    assert secretariat.email in mail.outbox[0].to


def test_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["documents-restriction-review-reminders"]
    assert entry["task"] == "documents.tasks.send_restriction_review_reminders"
    assert entry["schedule"] == 24 * 60 * 60
