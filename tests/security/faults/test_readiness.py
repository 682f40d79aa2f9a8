"""/readyz against real servers: PostgreSQL, one Redis holding both the cache and the broker,
a Celery worker and gunicorn. It passes once the worker has run the reminder sweep, answers
within its bound with Redis frozen (naming the cache, broker and worker), passes again once
Redis thaws, and names the worker when the worker stops. /healthz stays 200 throughout."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from .helpers import Browser, environment, prepare_database, scenario, start_gunicorn, start_worker
from .servers import free_port, wait_for

pytestmark = pytest.mark.faults


def readyz(port: int) -> tuple[int, dict, float]:
    started = time.monotonic()
    status, _, body = Browser(port).request("GET", "/readyz")
    return status, json.loads(body), time.monotonic() - started


def test_readyz_follows_redis_and_the_worker(postgres, redis, tmp_path):
    env = environment(postgres, redis, CACHE_BREAKER_SECONDS="1")
    prepare_database(postgres, env)
    worker = start_worker(env, tmp_path / "worker.log")
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log", workers=1)
    try:
        scenario(env, "sweep")  # as beat would: the worker runs it and records the heartbeat
        wait_for(lambda: readyz(port)[0] == 200, timeout=60, what="/readyz to pass")

        os.kill(redis.process.pid, signal.SIGSTOP)
        try:
            status, body, took = readyz(port)
            health = Browser(port).request("GET", "/healthz")[0]
        finally:
            os.kill(redis.process.pid, signal.SIGCONT)
        assert status == 503
        checks = body["checks"]
        assert checks["database"] == "ok" and checks["beat"] == "ok"
        assert all(checks[name] != "ok" for name in ("cache", "broker", "worker")), checks
        assert took < 2.5, took
        assert health == 200

        wait_for(lambda: readyz(port)[0] == 200, timeout=30, what="/readyz to pass again")

        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
        status, body, took = readyz(port)
        assert status == 503
        assert body["checks"]["worker"] == "no worker answered"
        assert took < 2.5, took
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
