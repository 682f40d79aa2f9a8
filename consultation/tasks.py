"""Background work for consultations: the emails to respondents, and the daily retention rule.
Thin: each task takes ids and calls one service (policyhub/emails.py says how email is sent)."""

from __future__ import annotations

from celery import shared_task

from policyhub.emails import EMAIL_TASK

from . import services


@shared_task(**EMAIL_TASK)
def send_receipt(response_id: int) -> None:
    """The copy of a sent response, queued when it is sent."""
    services.send_receipt(response_id)


@shared_task(**EMAIL_TASK)
def send_resume_link(response_id: int, link: str) -> None:
    """A save-and-return link. The link holds the raw token, which no row stores: it is
    given here as an argument, and the broker keeps it only until the email is sent."""
    services.send_resume_link(response_id, link)


@shared_task
def remove_expired_personal_data() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): forget emails and tokens past the retention period."""
    return services.remove_expired_personal_data()
