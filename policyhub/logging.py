"""Where errors and events go: log lines, error tracking (Sentry) and the admins' inbox.

Every log line says when, how severe, which logger, what, and which request it belongs to,
so one request's lines can be picked out of a busy gthread worker's output and matched with
the `X-Request-ID` the browser or proxy saw. Plain text for people reading a terminal; one
JSON object per line (`LOG_FORMAT=json`) for a log collector. Settings import this module,
so it imports nothing from Django that needs the settings configured.
"""

from __future__ import annotations

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime
from email.utils import parseaddr
from typing import Any

from celery import current_task
from django.core.exceptions import ImproperlyConfigured

#: Shown where a record was emitted outside any request or task (startup, commands, beat).
NO_REQUEST = "-"

# A context variable, not a thread-local: each gthread worker thread (and each asyncio task)
# sees only the id of the request it is handling.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default=NO_REQUEST)


def _current_task_id() -> str | None:
    """The id of the Celery task this thread is running, if any: in a worker, the task's id
    ties its lines together as a request id does a page's."""
    return current_task.request.id if current_task else None


class RequestIdFilter(logging.Filter):
    """Stamps every record with `request_id`: the request being handled; else the request a
    record names (Django logs a 4xx or 5xx response after the middleware has returned, with
    the request attached); else the Celery task being run; else "-". Attached to handlers
    (not loggers) so records that propagate up from any library's logger are stamped too."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = current_request_id.get()
        if request_id == NO_REQUEST:
            request_id = (
                getattr(getattr(record, "request", None), "request_id", None)
                or _current_task_id()
                or NO_REQUEST
            )
        record.request_id = request_id
        return True


class RefusalsWithoutTraceback(logging.Filter):
    """Django logs a 403 or 404 with the PermissionDenied or Http404 that caused it, and so a
    traceback per refusal. A refusal is the site working as meant, not a fault: its one
    warning line (path, status, request id) is kept and the traceback dropped, so a real
    error's traceback stands out. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True


def _timestamp(record: logging.LogRecord) -> str:
    """ISO 8601 in UTC with milliseconds: sortable, and the same on every server."""
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class TextFormatter(logging.Formatter):
    """`2026-03-01T09:30:00.123Z INFO policyhub.emails [3f2a…] message`, then any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = record.getMessage()
        line = (
            f"{_timestamp(record)} {record.levelname} {record.name} "
            f"[{getattr(record, 'request_id', NO_REQUEST)}] {record.message}"
        )
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line = f"{line}\n{record.exc_text}"
        if record.stack_info:
            line = f"{line}\n{self.formatStack(record.stack_info)}"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per line. A message or traceback with line breaks stays on one line
    (JSON escapes them), so a collector never splits a record or takes a forged line in a
    message for a record of its own."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", NO_REQUEST),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


LOG_FORMATS = ("text", "json")


def log_formatter(name: str) -> str:
    """The formatter key for LOG_FORMAT; a typo fails at start-up rather than silently
    producing lines the log collector cannot read."""
    if name not in LOG_FORMATS:
        raise ImproperlyConfigured(
            f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}; it is {name!r}."
        )
    return name


def parse_admins(value: str) -> list[tuple[str, str]]:
    """ADMINS from one environment variable: `Name <email>, Other <email2>` or plain
    addresses separated by commas (a name with a comma must be quoted, as in an email
    header). Django emails server errors to these people when DEBUG is off. An entry that is
    not an address stops the start, because a typo would otherwise lose every error email."""
    admins = []
    for entry in _split_addresses(value):
        name, address = parseaddr(entry)
        if not _ADDRESS.fullmatch(address):
            raise ImproperlyConfigured(
                "ADMINS must be email addresses such as 'Name <name@example.org>', "
                f"separated by commas; {entry.strip()!r} is not one."
            )
        admins.append((name or address, address))
    return admins


_ADDRESS = re.compile(r"[^@\s<>,\"]+@[^@\s<>,\"]+")


def _split_addresses(value: str) -> list[str]:
    """The entries of an address list: split at commas (or the semicolons some mail programs
    use) outside quotes and angle brackets; blanks dropped, so a trailing comma is harmless."""
    entries, current, quoted, bracketed = [], "", False, False
    for char in value:
        if char == '"':
            quoted = not quoted
        elif char == "<":
            bracketed = True
        elif char == ">":
            bracketed = False
        if char in ",;" and not quoted and not bracketed:
            entries.append(current)
            current = ""
        else:
            current += char
    entries.append(current)
    return [entry for entry in entries if entry.strip()]


def add_request_id_tag(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Sentry's before_send: the request id on each error, to find its log lines."""
    request_id = current_request_id.get()
    if request_id != NO_REQUEST:
        event.setdefault("tags", {})["request_id"] = request_id
    return event


def init_error_tracking(dsn: str, *, environment: str = "") -> bool:
    """Start Sentry when a DSN is configured; without one, nothing is imported or sent.

    Personal data stays out: no user identity, IP address, cookies, query strings, request
    bodies (consultation answers, email addresses) or local variables. sentry-sdk 3 replaced
    `send_default_pii=False` with these `data_collection` switches.
    https://docs.sentry.io/platforms/python/configuration/options/#data_collection
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        data_collection={
            "user_info": False,
            "cookies": {"mode": "off"},
            "url_query_params": {"mode": "off"},  # searches may name people
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
        },
        before_send=add_request_id_tag,
    )
    return True
