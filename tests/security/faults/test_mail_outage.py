"""The mail server refusing connections, then hung (it accepts them and never answers), then
back: a respondent meets the confirmation page all along, each response is stored once, and
each receipt arrives once when mail comes back. The web request only queues the receipt;
the worker meets the outage, and its retries (policyhub/emails.py) deliver it. Django's own
SMTP backend talks to a local server this test starts, hangs and stops (smtp_sink)."""

from __future__ import annotations

import json
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from .helpers import (
    Browser,
    environment,
    prepare_database,
    scenario,
    start_gunicorn,
    start_worker,
)
from .servers import free_port, wait_for
from .smtp_sink import SmtpSink

pytestmark = pytest.mark.faults

# Seconds the worker waits on a hung mail server. A sending request would wait this long, so
# a submission that takes less proves the request did not talk to the mail server.
EMAIL_TIMEOUT = 4


def respond(port: int, slug: str, email: str) -> tuple[float, float]:
    """Walk the journey with an address for the receipt, to the confirmation page: the
    seconds the submission took and the seconds the whole journey took."""
    base = f"/consultations/{slug}"
    browser = Browser(port)
    started = time.monotonic()
    statuses = [browser.request("GET", f"{base}/")[0]]
    statuses.append(browser.request("POST", f"{base}/respond/start/", {})[0])
    statuses.append(
        browser.request(
            "POST",
            f"{base}/respond/about-you/",
            {"respondent_type": "individual", "publication": "anonymous", "email": email},
        )[0]
    )
    submitting = time.monotonic()
    status, location, _ = browser.request("POST", f"{base}/respond/check/", {"website": ""})
    submitted = time.monotonic()
    statuses.append(status)
    assert location.endswith(f"{base}/respond/sent/"), location
    statuses.append(browser.request("GET", location)[0])
    took, whole = submitted - submitting, time.monotonic() - started
    # The confirmation page, without waiting on the mail server (the first journey also
    # warms the web server up, hence the generous bound on the whole).
    assert statuses == [200, 302, 302, 302, 200], (email, statuses)
    assert took < EMAIL_TIMEOUT, (email, took)
    assert whole < 10, (email, whole)
    return took, whole


def worker_retried(log: Path, error: str) -> bool:
    return any(
        "send_receipt" in line and "retry" in line.lower() and error in line
        for line in log.read_text(errors="replace").splitlines()
    )


def test_respondents_are_answered_and_receipted_once_while_mail_is_refused_or_hung(
    postgres, redis, tmp_path
):
    sink = SmtpSink(free_port())
    env = environment(
        postgres,
        redis,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
        EMAIL_TIMEOUT=str(EMAIL_TIMEOUT),
        # Retries pause up to 1, 2, 4, 8 then 16 seconds (jittered), and a task waiting for
        # its retry is not handed out again meanwhile.
        EMAIL_RETRY_BACKOFF="1",
        EMAIL_RETRY_BACKOFF_MAX="16",
        FAULTS_VISIBILITY_TIMEOUT="60",
    )
    prepare_database(postgres, env)
    slug = json.loads(scenario(env, "outage_world", "0"))["slug"]
    port = free_port()
    worker_log = tmp_path / "worker.log"
    server = start_gunicorn(env, port, tmp_path / "gunicorn.log", workers=2)
    worker = start_worker(env, worker_log)
    journeys: dict[str, tuple[float, float]] = {}
    try:
        # Refused: nothing listens on the mail server's port.
        journeys["refused"] = respond(port, slug, "refused@example.org")
        wait_for(
            lambda: worker_retried(worker_log, "ConnectionRefusedError"),
            timeout=60,
            what="the worker to meet the refusal and retry",
        )

        # Hung: every connection accepted, no greeting ever sent.
        sink.hang()
        journeys["hung"] = respond(port, slug, "hung@example.org")
        wait_for(
            lambda: worker_retried(worker_log, "timed out"),
            timeout=60,
            what="the worker to give up on the hung server and retry",
        )
        assert sink.hung_connections >= 1

        # Back: both receipts arrive within the retries' pauses, once each.
        sink.answer()
        back = time.monotonic()
        wait_for(lambda: len(sink.received()) >= 2, timeout=90, what="both receipts")
        to_receipt = time.monotonic() - back
        time.sleep(5)  # room for any second copy to arrive
    finally:
        for process in (worker, server):
            process.send_signal(signal.SIGTERM)
        for process in (worker, server):
            process.wait(timeout=30)
        sink.stop()

    print(
        {state: (round(took, 3), round(whole, 3)) for state, (took, whole) in journeys.items()},
        f"receipts {to_receipt:.1f}s after mail came back",
    )
    stored = json.loads(scenario(env, "responses", slug))
    assert stored == {"refused@example.org": ["submitted"], "hung@example.org": ["submitted"]}
    receipts = sink.received()
    assert Counter(to for to, _ in receipts) == {"refused@example.org": 1, "hung@example.org": 1}
    assert all(subject.startswith("Your response to") for _, subject in receipts), receipts
