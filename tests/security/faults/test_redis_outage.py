"""Redis stopped while the site is in use: pages, sign-in, meeting registration, joining a
group and consultation submissions keep working; reminders that fell due meanwhile go out
once Redis is back, exactly once each."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter

import pytest

from .helpers import (
    Browser,
    environment,
    prepare_database,
    scenario,
    start_gunicorn,
    start_worker,
)
from .mailbox import delivered
from .servers import free_port, wait_for

pytestmark = pytest.mark.faults

RECIPIENTS = 40


def test_site_works_without_redis_and_reminders_go_once_when_it_is_back(postgres, redis, tmp_path):
    mailbox = tmp_path / "mailbox"
    env = environment(postgres, redis, FAULTS_MAILBOX=str(mailbox))
    prepare_database(postgres, env)
    world = json.loads(scenario(env, "outage_world", str(RECIPIENTS)))
    expected = set(scenario(env, "emails", str(world["due"])).split())
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log", workers=2)
    try:
        redis.stop()  # Redis goes away while the site is in use
        browser = Browser(port)
        answers = {}
        for path in ["/", "/documents/", "/meetings/", "/working-groups/", "/consultations/"]:
            answers[path] = browser.request("GET", path)[0]
        browser.request("GET", "/accounts/login/")
        started = time.monotonic()
        answers["sign in"] = browser.request(
            "POST",
            "/accounts/login/",
            {"login": "outage@example.org", "password": "a-long-enough-password-2014"},
        )[0]
        answers["register"] = browser.request(
            "POST", f"/meetings/{world['meeting']}/register/", {"mode": "in_person"}
        )[0]
        answers["join"] = browser.request(
            "POST",
            f"/working-groups/{world['group']}/join/",
            {"statement": "I work on data sharing."},
        )[0]
        base = f"/consultations/{world['slug']}"
        browser.request("POST", f"{base}/respond/start/", {})
        browser.request(
            "POST",
            f"{base}/respond/about-you/",
            {"respondent_type": "individual", "publication": "anonymous"},
        )
        answers["submit"] = browser.request("POST", f"{base}/respond/check/", {"website": ""})[0]
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert {path: answers[path] for path in answers if path.startswith("/")} == {
        path: 200 for path in answers if path.startswith("/")
    }
    assert (answers["sign in"], answers["register"], answers["join"], answers["submit"]) == (
        302,
        302,
        302,
        302,
    ), answers
    assert elapsed < 30, f"the actions took {elapsed:.0f}s without Redis"
    results = json.loads(scenario(env, "outage_results"))
    assert results == {"registrations": 1, "join_requests": 1, "submitted": 1}
    assert delivered(mailbox) == [] or all(to not in expected for to, _ in delivered(mailbox))

    # Redis is back: the worker starts, beat's next sweep runs, reminders go out once.
    redis.start()
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        scenario(env, "sweep")
        scenario(env, "sweep")  # beat may fire twice: nothing twice
        wait_for(
            lambda: {to for to, _ in delivered(mailbox)} >= expected,
            timeout=60,
            what="the reminders that fell due during the outage",
        )
        time.sleep(5)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    reminders = Counter(to for to, _ in delivered(mailbox) if to in expected)
    assert set(reminders) == expected
    assert set(reminders.values()) == {1}
