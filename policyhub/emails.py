"""How the site sends email, the same way in every app.

A service that needs an email sent calls `send_after_commit` with the name of a Celery task
(in its app's `tasks.py`); the task takes ids and calls the service that builds and sends
the message. So the web request only queues, a rolled-back change sends nothing, and a slow
or failing mail server costs a worker a retry, never a person their page.
"""

from __future__ import annotations

import logging
from smtplib import SMTPException
from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from policyhub.cache import breaker_for

logger = logging.getLogger(__name__)
# The circuit breaker (policyhub.cache) of the Celery broker, as seen from this process.
BROKER_BREAKER = "celery-broker"

# Every email task is declared with these (`@shared_task(**EMAIL_TASK)`): a refused, hung or
# failing mail server is tried again with growing pauses (about an hour in all), and a task
# is acknowledged only once it has run, so a worker that dies mid-send hands it on.
# The pauses are settings so that the fault tests can live through an outage in seconds; the
# longest must stay below the broker's visibility timeout (an hour on Redis), or a task
# waiting for its retry is delivered a second time.
EMAIL_TASK: dict[str, Any] = {
    "autoretry_for": (SMTPException, OSError),
    "retry_backoff": getattr(settings, "EMAIL_RETRY_BACKOFF", 30),
    "retry_backoff_max": getattr(settings, "EMAIL_RETRY_BACKOFF_MAX", 900),
    "max_retries": 8,
    "acks_late": True,
}


def subject_line(text: str) -> str:
    """A subject is one line of plain text. Titles and names people type can hold line
    breaks, which a mail header cannot (Django refuses to send the message at all), so every
    run of whitespace becomes one space."""
    return " ".join(text.split())


def send_after_commit(task_path: str, *args: Any) -> None:
    """Queue the email task at `task_path` (its dotted path, "app.tasks.name") with `args`
    once the current transaction commits. If it cannot be queued, the email is sent here
    instead, once and within EMAIL_TIMEOUT, so an outage of the queue alone loses no email
    and never fails the request (with the mail server failing too, it is logged).
    Tasks are named rather than imported: each app's tasks call its services, so its
    services cannot import its tasks."""

    def queue() -> None:
        task = import_string(task_path)
        if _queued(task, args):
            return
        logger.warning("Broker unavailable: sending %s now", task_path)
        try:
            task.run(*args)
        except (SMTPException, OSError):
            logger.exception("%s could not be queued or sent", task_path)

    transaction.on_commit(queue)


def _queued(task: Task, args: tuple[Any, ...]) -> bool:
    """Publish `task` once, without kombu's retries: sending the email here is the fallback,
    so a broker that refuses, does not answer (frozen: the publish gives up after the
    broker's socket timeout), is full or read-only costs one attempt, and then none while
    the breaker is open, instead of every request waiting on it."""
    breaker = breaker_for(BROKER_BREAKER)
    if breaker.is_open:
        return False
    try:
        task.apply_async(args, retry=False)
    except Exception as error:  # whatever stops the queue, the email must still go
        breaker.trip(error)
        return False
    return True
