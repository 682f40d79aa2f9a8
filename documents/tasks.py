"""Background work for documents: thin, each task calls one service (policyhub/emails.py
says how email is sent)."""

from __future__ import annotations

from celery import shared_task

from policyhub.emails import EMAIL_TASK

from . import services


@shared_task
def send_restriction_review_reminders() -> int:
    """Daily: queue an email to the secretariat about each restriction whose review date has
    come (once per review date)."""
    return services.remind_secretariat_of_due_reviews()


@shared_task(**EMAIL_TASK)
def send_review_reminder(restriction_id: int) -> None:
    services.send_review_reminder(restriction_id)
