"""How much one client can make the site store through "Start now" and the question pages,
and how many drafts presses sent together leave: the figures behind the start limit, the
answer length check and one draft per session.

    .venv/bin/python scripts/measure_draft_flooding.py [seconds]

Runs the site in this process (a threaded WSGI server on a fresh SQLite file in /tmp) and
talks to it over HTTP, as a browser or a script would:
- flood: for `seconds` (5 by default), start a response with no cookie and send a 2.5 MB
  answer, again and again; then the same with answers exactly as long as allowed;
- presses: 20 threads press "Start now" at once with the same session cookie, each held
  a moment before its draft is made, as on a loaded server.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB = Path(tempfile.mkdtemp()) / "measure.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "policyhub.settings.test"
os.environ["DATABASE_URL"] = f"sqlite:///{DB}"

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.db.models.functions import Length  # noqa: E402
from django.urls import reverse  # noqa: E402

HUGE = 2_600_000  # just under Django's 2.5 MB request body ceiling
LATENCY = 0.3  # seconds each press of the 20 is held, as on a loaded server


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 64  # every press is let in at once


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve() -> str:
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), ThreadingServer, handler_class=QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def stored() -> tuple[int, int]:
    from consultation.models import Answer, Response

    text = Answer.objects.aggregate(n=Sum(Length("text")))["n"] or 0
    return Response.objects.drafts().count(), text


def flood(base: str, consultation, question, seconds: float, length: int) -> dict:
    """Start a response and send one long answer, from a new browser each time."""
    statuses: dict[int, int] = {}
    start_url = base + reverse("consultation:start", kwargs={"slug": consultation.slug})
    section_url = base + reverse(
        "consultation:section", kwargs={"slug": consultation.slug, "number": 1}
    )
    before = stored()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        browser = requests.Session()
        browser.get(f"{base}{consultation.get_absolute_url()}")
        token = browser.cookies.get("csrftoken", "")
        page = browser.post(start_url, data={"csrfmiddlewaretoken": token}, allow_redirects=False)
        statuses[page.status_code] = statuses.get(page.status_code, 0) + 1
        if page.status_code != 302:
            continue
        answer = browser.post(
            section_url,
            data={"csrfmiddlewaretoken": token, f"q{question.pk}": "x" * length},
            allow_redirects=False,
        )
        key = f"answer {answer.status_code}"
        statuses[key] = statuses.get(key, 0) + 1
    after = stored()
    return {
        "drafts": after[0] - before[0],
        "bytes": after[1] - before[1],
        "statuses": statuses,
    }


def presses(base: str, consultation, count: int = 20) -> dict:
    """`count` presses of "Start now" sent together from one browser (one session). On one
    machine each request would finish before the next began, so every press is held for
    `LATENCY` seconds just before its draft is made, as a loaded server holds them: all of
    them have then read the session before any has stored its draft."""
    from django.contrib.sessions.backends.db import SessionStore

    from consultation import services

    start_response = services.start_response

    def slow_start_response(*args, **kwargs):
        time.sleep(LATENCY)
        return start_response(*args, **kwargs)

    services.start_response = slow_start_response

    session = SessionStore()
    session["seen"] = True
    session.create()
    browser = requests.Session()
    browser.get(f"{base}{consultation.get_absolute_url()}")
    token = browser.cookies.get("csrftoken", "")
    cookies = {"sessionid": session.session_key, "csrftoken": token}
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def press() -> None:
        barrier.wait()
        page = requests.post(
            base + reverse("consultation:start", kwargs={"slug": consultation.slug}),
            data={"csrfmiddlewaretoken": token},
            cookies=cookies,
            allow_redirects=False,
            timeout=30,
        )
        statuses.append(page.status_code)

    before = stored()[0]
    threads = [threading.Thread(target=press) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    services.start_response = start_response
    return {"drafts": stored()[0] - before, "statuses": sorted(statuses)}


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
    call_command("migrate", verbosity=0)
    from tests.consultation.factories import QuestionFactory, SectionFactory
    from tests.factories import ConsultationFactory

    consultation = ConsultationFactory()
    section = SectionFactory(consultation=consultation, number=1)
    question = QuestionFactory(section=section, number=1, max_length=2000)
    base = serve()
    cache.clear()
    print(
        f"flood, {HUGE:,}-character answers, {seconds:g} s:",
        flood(base, consultation, question, seconds, HUGE),
    )
    cache.clear()
    print(
        f"flood, {question.max_length:,}-character answers, {seconds:g} s:",
        flood(base, consultation, question, seconds, question.max_length),
    )
    cache.clear()
    print("20 presses at once, one session:", presses(base, consultation))


if __name__ == "__main__":
    main()
