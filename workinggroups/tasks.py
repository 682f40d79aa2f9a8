"""Background work for working groups: emails about join requests. Thin: each task takes
an id and calls one service (policyhub/emails.py says how email is sent)."""

from __future__ import annotations

from celery import shared_task

from policyhub.emails import EMAIL_TASK

from . import services


@shared_task(**EMAIL_TASK)
def send_join_decision_email(join_request_id: int) -> None:
    services.send_join_decision_email(join_request_id)


@shared_task(**EMAIL_TASK)
def send_join_request_email(join_request_id: int) -> None:
    services.send_join_request_email(join_request_id)
