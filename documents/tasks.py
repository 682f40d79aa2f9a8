"""Background jobs for documents: thin, each calls one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def send_restriction_review_reminders() -> int:
    """Daily: email the secretariat about restrictions whose review date has come."""
    return services.remind_secretariat_of_due_reviews()
