"""Background work for consultations: the emails to respondents, and the daily retention rule.
Thin: each task takes ids and calls one service (policyhub/emails.py says how email is sent)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from policyhub.emails import EMAIL_TASK

from . import services


@shared_task(**EMAIL_TASK)
def send_receipt(response_id: int, language: str = settings.LANGUAGE_CODE) -> None:
    """The copy of a sent response, queued when it is sent, in the respondent's language."""
    services.send_receipt(response_id, language)


@shared_task(**EMAIL_TASK)
def send_resume_link(response_id: int, link: str, language: str = settings.LANGUAGE_CODE) -> None:
    """A save-and-return link. The link holds the raw token, which no row stores: it is
    given here as an argument, and the broker keeps it only until the email is sent."""
    services.send_resume_link(response_id, link, language)


@shared_task
def remove_expired_personal_data() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): forget emails and tokens past the retention period."""
    return services.remove_expired_personal_data()
