"""/readyz tells the truth about each dependency and the background work, within its time
bound and without revealing where anything lives; /healthz stays the database-only check."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.utils import timezone
from kombu import Connection

from meetings.tasks import send_due_meeting_reminders
from policyhub import cache as policyhub_cache
from policyhub.health import REMINDER_SWEEP, record_heartbeat
from policyhub.models import Heartbeat
from tests.security.test_redis_down import FakeRedis

pytestmark = pytest.mark.django_db

PONG = [{"celery@worker": {"ok": "pong"}}]
PASSWORD = "s3cret-readyz"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


def use_redis_cache(settings, port: int) -> None:
    policyhub_cache._breakers.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "policyhub.cache.RedisCache",
            "LOCATION": f"redis://:{PASSWORD}@127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "policyhub.cache.BreakerClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }


def redis_broker(port: int):
    """What `connection_for_write` would give with a Redis broker at `port`."""
    return lambda: Connection(
        f"redis://:{PASSWORD}@127.0.0.1:{port}/0",
        transport_options={"socket_timeout": 0.2, "socket_connect_timeout": 0.2},
    )


@pytest.fixture
def ready(settings) -> Iterator[mock.Mock]:
    """Everything answers: a worker pongs, and the sweep has just run."""
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: a worker runs the tasks
    record_heartbeat(REMINDER_SWEEP)
    with mock.patch("policyhub.celery.app.control.ping", return_value=PONG) as ping:
        yield ping
    policyhub_cache._breakers.clear()


def checks(response) -> dict[str, str]:
    return response.json()["checks"]


def test_readyz_answers_200_when_every_check_passes(client, ready):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok", "worker": "ok", "beat": "ok"},
    }
    assert response.headers["Cache-Control"].startswith("max-age=0")
    ready.assert_called_once()


def test_readyz_reports_an_unavailable_database(client, ready):
    with mock.patch("policyhub.health.connection.cursor", side_effect=Exception("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert checks(response)["database"] == "unavailable"


def test_readyz_reports_a_cache_redis_that_refuses(client, ready, settings):
    use_redis_cache(settings, closed_port())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert checks(response)["cache"] == "write then read failed"
    assert checks(response)["database"] == "ok"


def test_readyz_reports_the_cache_failing_while_its_breaker_is_open(client, ready, settings):
    server = FakeRedis(reply=b"+OK\r\n")
    try:
        use_redis_cache(settings, server.port)
        policyhub_cache.cache_breaker(settings.CACHES["default"]["LOCATION"]).trip(OSError())
        response = client.get("/readyz")
    finally:
        server.close()
    assert response.status_code == 503
    assert checks(response)["cache"] == "not in use after a recent failure"
    assert server.received == 0  # answered from the breaker, not the network


def test_readyz_reports_a_broker_that_refuses(client, ready):
    with mock.patch("policyhub.celery.app.connection_for_write", redis_broker(closed_port())):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert checks(response)["broker"] == "unavailable"


def test_readyz_reports_when_no_worker_answers(client, ready):
    ready.return_value = []
    response = client.get("/readyz")
    assert response.status_code == 503
    assert checks(response) == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "no worker answered",
        "beat": "ok",
    }


def test_readyz_asks_no_worker_when_tasks_run_inline(client, ready, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ready.return_value = []
    response = client.get("/readyz")
    assert response.status_code == 200
    ready.assert_not_called()


def test_readyz_reports_a_sweep_that_never_ran(client, ready):
    Heartbeat.objects.all().delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert checks(response)["beat"] == "reminder sweep has not run"


def test_readyz_reports_a_sweep_overdue_past_twice_its_interval(client, ready, settings):
    interval = settings.CELERY_BEAT_SCHEDULE[REMINDER_SWEEP]["schedule"]
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * interval - 5)):
        assert client.get("/readyz").status_code == 200  # late, but within twice the interval
    with time_machine.travel(timezone.now() + timedelta(seconds=2 * interval + 5)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert checks(response)["beat"] == "reminder sweep overdue"


def test_the_reminder_sweep_records_its_heartbeat(client, ready):
    Heartbeat.objects.all().delete()
    with time_machine.travel(timezone.now() - timedelta(hours=1)):
        send_due_meeting_reminders()
    assert client.get("/readyz").status_code == 503  # an hour ago is overdue
    send_due_meeting_reminders()
    assert client.get("/readyz").status_code == 200


def test_readyz_answers_promptly_with_redis_frozen(client, ready, settings):
    cache_server, broker_server = FakeRedis(reply=None), FakeRedis(reply=None)
    try:
        use_redis_cache(settings, cache_server.port)
        with mock.patch(
            "policyhub.celery.app.connection_for_write", redis_broker(broker_server.port)
        ):
            started = time.monotonic()
            response = client.get("/readyz")
            elapsed = time.monotonic() - started
    finally:
        cache_server.close()
        broker_server.close()
    assert response.status_code == 503
    assert checks(response)["cache"] != "ok"
    assert checks(response)["broker"] != "ok"
    assert elapsed < 2.0


def test_readyz_bounds_a_check_that_hangs(client, ready, settings):
    settings.READYZ_TIMEOUT = 0.3
    ready.side_effect = lambda **kwargs: time.sleep(2) or PONG
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 1.0
    assert response.status_code == 503
    assert checks(response)["worker"] == "timed out"


def test_readyz_reveals_no_addresses_or_passwords(client, ready, settings):
    use_redis_cache(settings, closed_port())
    with mock.patch("policyhub.celery.app.connection_for_write", redis_broker(closed_port())):
        body = client.get("/readyz").content.decode()
    for secret in (PASSWORD, "127.0.0.1", "redis://", "Error", "refused"):
        assert secret not in body


def test_healthz_is_unaffected_by_what_readyz_watches(client, ready, settings):
    use_redis_cache(settings, closed_port())
    ready.return_value = []
    Heartbeat.objects.all().delete()
    with mock.patch("policyhub.celery.app.connection_for_write", redis_broker(closed_port())):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    ready.assert_not_called()


def test_readyz_takes_no_post(client, ready):
    assert client.post("/readyz").status_code == 405
