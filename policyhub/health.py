"""Readiness: whether this server, and the background work behind it, can do what the
service promises, for `/readyz`.

`/healthz` stays the cheap liveness check (the database only), so a load balancer does not
take every server out because one shared dependency failed. `/readyz` asks more: the cache
Redis, the Celery broker, a worker that answers, and a beat that ran the reminder sweep
recently, since reminders are sent only by that path.

Each check is bounded in time: the ones that talk to Redis or the broker run side by side
and whatever has not answered by `READYZ_TIMEOUT` counts as "timed out", so a frozen Redis
costs the probe a second or two, never a hung request. Results name the check and a short
reason only: no hostnames, URLs or exception texts leave this module.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .cache import cache_breaker
from .models import Heartbeat

logger = logging.getLogger(__name__)

OK = "ok"

# The beat entry whose task records a heartbeat when it has run (meetings.tasks).
REMINDER_SWEEP = "meetings-send-due-reminders"


class CheckFailed(Exception):
    """A check's short, public reason for failing ("timed out", "no worker answered")."""


def record_heartbeat(name: str) -> None:
    """Note that the periodic job `name` (its CELERY_BEAT_SCHEDULE key) has just run.

    In the database, not the cache: the cache may be the thing that is down, and a beat that
    stopped must not look alive because Redis forgot, or look dead because Redis did."""
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    """A write then a read of a fresh value. django-redis ignores Redis errors (an empty
    cache), so only the round trip tells a working Redis from a failing one. While the
    circuit breaker is open the site is not using Redis, so that is a failure too."""
    location = settings.CACHES["default"].get("LOCATION", "")
    is_redis = isinstance(location, str) and location.startswith(("redis://", "rediss://"))
    if is_redis and cache_breaker(location).is_open:
        raise CheckFailed("not in use after a recent failure")
    key = "readyz:cache"
    value = secrets.token_hex(8)
    cache.set(key, value, 30)
    if cache.get(key) != value:
        raise CheckFailed("write then read failed")


def check_broker() -> None:
    """A connection to the broker, with the transport's own short timeouts (settings:
    CELERY_BROKER_TRANSPORT_OPTIONS). The development filesystem broker always connects."""
    from .celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0)  # one attempt: no sleeping between retries


def check_worker() -> None:
    """At least one Celery worker answers a ping over the broker (the first answer is
    enough, so a healthy probe does not wait out the timeout). With tasks run inline
    (CELERY_TASK_ALWAYS_EAGER) no worker is needed, so there is nothing to ask."""
    from .celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    if not app.control.ping(timeout=settings.READYZ_WORKER_PING_TIMEOUT, limit=1):
        raise CheckFailed("no worker answered")


def check_beat() -> None:
    """The reminder sweep ran within twice its beat interval: a stopped beat, or a worker
    that no longer runs the sweep, leaves its heartbeat behind."""
    interval = float(settings.CELERY_BEAT_SCHEDULE[REMINDER_SWEEP]["schedule"])
    beat = Heartbeat.objects.filter(name=REMINDER_SWEEP).values_list("beat_at", flat=True).first()
    if beat is None:
        raise CheckFailed("reminder sweep has not run")
    if timezone.now() - beat > timedelta(seconds=2 * interval):
        raise CheckFailed("reminder sweep overdue")


# Checks that may wait on the network, run side by side under one deadline.
NETWORK_CHECKS: dict[str, Callable[[], None]] = {
    "cache": check_cache,
    "broker": check_broker,
    "worker": check_worker,
}
# Checks answered by the database, run in the request's own thread and connection.
DATABASE_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "beat": check_beat,
}


def _outcome(name: str, check: Callable[[], None]) -> str:
    try:
        check()
    except CheckFailed as failure:
        return str(failure)
    except Exception:  # the details may hold hostnames: they go to the log only
        logger.warning("Readiness check %s failed.", name, exc_info=True)
        return "unavailable"
    return OK


def readiness() -> dict[str, str]:
    """Each check's name with "ok" or a short reason, in a fixed order."""
    deadline = time.monotonic() + settings.READYZ_TIMEOUT
    pool = ThreadPoolExecutor(max_workers=len(NETWORK_CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(_outcome, name, check) for name, check in NETWORK_CHECKS.items()}
    # Never wait for a stuck thread: it ends on its own socket timeout.
    pool.shutdown(wait=False)
    results = {name: _outcome(name, check) for name, check in DATABASE_CHECKS.items()}
    for name, future in futures.items():
        remaining = max(deadline - time.monotonic(), 0.0)
        try:
            results[name] = future.result(timeout=remaining)
        except FutureTimeout:
            results[name] = "timed out"
    order = ("database", "cache", "broker", "worker", "beat")
    return {name: results[name] for name in order}
