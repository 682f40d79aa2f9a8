"""Celery tasks: thin interfaces that take ids and call one service (policyhub/emails.py says
how email is sent).

The beat task sweeps for reminders due now and fans them out in small batches; each batch
task claims every reminder before sending it and marks it sent right after, so duplicates,
retries and a worker killed mid-batch leave each person with exactly one reminder.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from policyhub.emails import EMAIL_TASK
from policyhub.health import REMINDER_SWEEP, record_heartbeat

from . import services

# A batch of reminders is an email task like any other (the same failures retried, and
# acknowledged only once it has run), but it gives up sooner: a failed batch releases its
# unsent reminders, and the next sweep, a few minutes later, queues them again.
REMINDER_BATCH_TASK: dict[str, Any] = {
    **EMAIL_TASK,
    "retry_backoff": True,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(acks_late=True, ignore_result=True)
def send_due_meeting_reminders() -> int:
    """Beat: every few minutes. Safe to run twice at once (see services.queue_due_reminders)."""
    ids = services.queue_due_reminders()
    for start in range(0, len(ids), services.REMINDER_BATCH):
        deliver_meeting_reminders.delay(ids[start : start + services.REMINDER_BATCH])
    record_heartbeat(REMINDER_SWEEP)  # /readyz: beat and a worker ran the sweep just now
    return len(ids)


@shared_task(**REMINDER_BATCH_TASK)
def deliver_meeting_reminders(ids: list[int]) -> int:
    """Send a batch of queued reminders, each exactly once (claim, send, mark; see 0200)."""
    return services.deliver_reminders(ids)
