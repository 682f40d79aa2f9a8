"""The tasks are thin interfaces over the reminder services."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from documents.tasks import send_restriction_review_reminders, send_review_reminder
from policyhub.emails import EMAIL_TASK
from tests.documents.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def test_task_emails_the_secretariat_about_due_reviews(
    secretariat, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 3, 1)):
        RestrictionFactory(review_on=date(2026, 4, 1))
    with time_machine.travel(date(2026, 4, 2)), django_capture_on_commit_callbacks(execute=True):
        assert send_restriction_review_reminders.delay().get() == 1
    assert len(mail.outbox) == 1
    assert secretariat.email in mail.outbox[0].to


def test_each_reminder_is_an_email_task_retried_like_every_other():
    assert {option: getattr(send_review_reminder, option) for option in EMAIL_TASK} == EMAIL_TASK


def test_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["documents-restriction-review-reminders"]
    assert entry["task"] == "documents.tasks.send_restriction_review_reminders"
    assert entry["schedule"] == 24 * 60 * 60
