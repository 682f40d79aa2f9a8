"""1,000 consultation submissions from 50 concurrent clients against gunicorn and a real
PostgreSQL, a fifth of them abandoned right after sending (a forced client timeout) and
retried: the stored count equals the number of distinct accepted submissions."""

from __future__ import annotations

import re
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

from .helpers import Browser, environment, prepare_database, scenario, start_gunicorn
from .servers import free_port

pytestmark = pytest.mark.faults

CLIENTS = 50
EACH = 20  # 1,000 in all
REFERENCE = re.compile(rb"Your reference number<br><strong>([^<]+)</strong>")


def submit_one(port: int, slug: str, n: int) -> str:
    """One respondent from start to confirmation; returns the reference they were shown."""
    browser = Browser(port)
    base = f"/consultations/{slug}"
    assert browser.request("GET", f"{base}/")[0] == 200
    assert browser.request("POST", f"{base}/respond/start/", {})[0] == 302
    status, _, _ = browser.request(
        "POST",
        f"{base}/respond/about-you/",
        {"respondent_type": "individual", "publication": "anonymous", "name": f"R{n}"},
    )
    assert status == 302, status
    for attempt in range(5):
        # Every fifth respondent's first attempt times out: sent, but never heard back.
        abandon = attempt == 0 and n % 5 == 0
        browser.request("POST", f"{base}/respond/check/", {"website": ""}, abandon=abandon)
        status, _, page = browser.request("GET", f"{base}/respond/sent/")
        if status == 200:
            return REFERENCE.search(page).group(1).decode()
    raise AssertionError(f"respondent {n} was never accepted")


def test_concurrent_submissions_with_retries_store_each_accepted_one_once(
    postgres, redis, tmp_path
):
    env = environment(postgres, redis)
    prepare_database(postgres, env)
    slug = scenario(env, "open_consultation").strip()
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log")
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            references = list(pool.map(lambda n: submit_one(port, slug, n), range(CLIENTS * EACH)))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    submitted, all_rows = map(int, scenario(env, "submitted").split())
    assert len(references) == CLIENTS * EACH
    assert len(set(references)) == CLIENTS * EACH  # nobody was shown another's reference
    assert submitted == len(set(references))  # none lost, none twice
    assert all_rows == submitted  # no stray drafts from the retries
