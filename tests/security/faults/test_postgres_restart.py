"""PostgreSQL restarted while gunicorn is under load: while it is down every request that
needs the database gets a whole, friendly 503; once it is back the same gunicorn workers
serve pages again (their persistent connections are health-checked and replaced), with no
restart of gunicorn."""

from __future__ import annotations

import signal
import threading
import time
from collections import Counter

import pytest

from .helpers import Browser, environment, prepare_database, run, start_gunicorn
from .servers import free_port, wait_for

pytestmark = pytest.mark.faults

PATHS = ["/", "/documents/", "/meetings/", "/working-groups/", "/consultations/"]


def test_postgres_restart_under_load_gives_clean_503s_and_recovers(postgres, redis, tmp_path):
    env = environment(postgres, redis, CONN_MAX_AGE="60")  # persistent, as in production
    prepare_database(postgres, env)
    run(env, "manage.py", "load_demo", "-v0")
    port = free_port()
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log", workers=2)
    outcomes: Counter = Counter()
    problems: list[str] = []
    stop = threading.Event()
    phase = {"now": "before"}

    def load() -> None:
        browser = Browser(port)
        n = 0
        while not stop.is_set():
            path = PATHS[n % len(PATHS)]
            n += 1
            when = phase["now"]  # the phase the request started in
            try:
                status, _, body = browser.request("GET", path)
            except OSError as error:  # a connection gunicorn dropped: not allowed
                problems.append(f"{when} {path}: {error!r}")
                continue
            outcomes[(when, status)] += 1
            if status == 503 and b"Sorry, the service is unavailable" not in body:
                problems.append(f"{path}: a 503 without the friendly page")
            if status == 200 and not body.rstrip().endswith(b"</html>"):
                problems.append(f"{path}: a half-written page")
            if status not in (200, 503):
                problems.append(f"{when} {path}: {status}")

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        phase["now"] = "stopping"  # requests already past the database may still succeed
        postgres.stop("fast")
        phase["now"] = "down"
        time.sleep(3)
        phase["now"] = "restarting"
        postgres.start()
        # Back once a page that needs the database is served again; from then on, nothing
        # may fail (the workers' old connections are replaced, not reused broken).
        wait_for(
            lambda: Browser(port).request("GET", "/documents/")[0] == 200,
            timeout=30,
            what="pages to work again",
        )
        phase["now"] = "after"
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        still_running = server.poll() is None
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert still_running, "gunicorn died"
    assert problems == [], problems[:10]
    assert outcomes[("before", 200)] > 0
    # Down: every page needs the database, and gets the friendly 503 (every 503 was checked
    # above to be that page, and every 200 a whole page).
    assert outcomes[("down", 503)] > 0, outcomes
    assert outcomes[("after", 200)] > 0, outcomes
    assert outcomes[("after", 503)] == 0, outcomes
