"""Background work for consultations: thin wrappers that call one service."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task
def remove_expired_personal_data() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): forget emails and tokens past the retention period."""
    return services.remove_expired_personal_data()
