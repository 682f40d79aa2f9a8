"""Redis failing without going away: frozen (SIGSTOP: connections accepted, nothing
answered), full (maxmemory reached with noeviction: every write refused with OOM) and
read-only (a replica after a failover: every write refused with READONLY). In each state
every page answers, sign-in works, and a consultation response is stored once with its
receipt sent, although both the cache and the Celery broker live on that Redis. How long
the pages take in each state is held to its budget by `make bench` (its fault passes)."""

from __future__ import annotations

import json
import os
import signal
import time
from collections import Counter

import pytest
import redis as redis_client

from .helpers import Browser, environment, prepare_database, scenario, start_gunicorn
from .mailbox import delivered
from .servers import free_port

pytestmark = pytest.mark.faults

PAGES = ["/", "/documents/", "/meetings/", "/working-groups/", "/consultations/"]


def freeze(redis, client) -> None:
    os.kill(redis.process.pid, signal.SIGSTOP)


def thaw(redis, client) -> None:
    os.kill(redis.process.pid, signal.SIGCONT)


def fill(redis, client) -> None:
    client.config_set("maxmemory-policy", "noeviction")
    client.config_set("maxmemory", 1)  # below what is in use: every write refused


def empty(redis, client) -> None:
    client.config_set("maxmemory", 0)


def make_read_only(redis, client) -> None:
    client.replicaof("127.0.0.1", free_port())  # a primary that never answers


def make_primary(redis, client) -> None:
    client.replicaof("NO", "ONE")


STATES = {
    "frozen": (freeze, thaw),
    "full": (fill, empty),
    "read-only": (make_read_only, make_primary),
}


def test_pages_sign_in_and_responses_work_while_redis_is_frozen_full_or_read_only(
    postgres, redis, tmp_path
):
    mailbox = tmp_path / "mailbox"
    # Breakers cool off after a second, so each state meets Redis itself, not the breaker
    # the previous state opened.
    env = environment(postgres, redis, FAULTS_MAILBOX=str(mailbox), CACHE_BREAKER_SECONDS="1")
    prepare_database(postgres, env)
    world = json.loads(scenario(env, "outage_world", "1"))
    control = redis_client.Redis(host="127.0.0.1", port=redis.port, socket_timeout=5)
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log", workers=2)
    base = f"/consultations/{world['slug']}"
    answers: dict[str, dict[str, int]] = {}
    took: dict[str, float] = {}
    try:
        for page in PAGES:  # every page once with Redis healthy
            assert Browser(port).request("GET", page)[0] == 200
        for state, (break_redis, mend_redis) in STATES.items():
            break_redis(redis, control)
            browser = Browser(port)
            started = time.monotonic()
            try:
                answered = {page: browser.request("GET", page)[0] for page in PAGES}
                browser.request("GET", "/accounts/login/")
                answered["sign in"] = browser.request(
                    "POST",
                    "/accounts/login/",
                    {"login": "outage@example.org", "password": "a-long-enough-password-2014"},
                )[0]
                answered["account page"] = browser.request("GET", "/accounts/profile/")[0]
                respondent = Browser(port)
                respondent.request("GET", f"{base}/")
                respondent.request("POST", f"{base}/respond/start/", {})
                respondent.request(
                    "POST",
                    f"{base}/respond/about-you/",
                    {
                        "respondent_type": "individual",
                        "publication": "anonymous",
                        "email": f"{state}@example.org",
                    },
                )
                answered["submit"] = respondent.request(
                    "POST", f"{base}/respond/check/", {"website": ""}
                )[0]
            finally:
                took[state] = time.monotonic() - started
                mend_redis(redis, control)
            answers[state] = answered
            time.sleep(1.5)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    expected = dict.fromkeys(PAGES, 200) | {"sign in": 302, "account page": 200, "submit": 302}
    assert answers == dict.fromkeys(STATES, expected)
    # Each state's dozen requests took seconds at most, never a hung worker's minute.
    assert all(seconds < 15 for seconds in took.values()), took
    results = json.loads(scenario(env, "outage_results"))
    assert results["submitted"] == len(STATES)
    receipts = Counter(to for to, _ in delivered(mailbox))
    assert receipts == Counter({f"{state}@example.org": 1 for state in STATES})
