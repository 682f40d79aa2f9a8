"""`python manage.py bench_consultation`: the consultation's speed checks.

- `submit --url http://127.0.0.1:8000 --clients 50 --seconds 60`: concurrent respondents
  walk the whole journey against a running server (gunicorn + PostgreSQL) and send their
  responses; every accepted response must be stored exactly once (counted in the database).
  Run the server with CONSULTATION_SUBMISSIONS_PER_IP raised, or the rate limit refuses most.
- `export --responses 100000`: generates responses (once), streams the CSV export to nowhere,
  and reports the time and peak RSS.
- `list --responses 100000`: the analysts' list page at that size, the third page and the
  last: query count and median time of five requests.

Uses a separate consultation ("bench-consultation") so demo data is untouched.
"""

from __future__ import annotations

import csv
import http.cookiejar
import random
import resource
import statistics
import threading
import time
import urllib.parse
import urllib.request
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultation import services
from consultation.models import Analyst, Answer, Consultation, Question, Response, Section
from policyhub.models import User
from process.models import Process

SLUG = "bench-consultation"


def bench_consultation() -> Consultation:
    process = Process.objects.order_by("pk").first()
    if process is None:
        raise CommandError("Load the demo first: python manage.py load_demo")
    now = timezone.now()
    consultation, _ = Consultation.objects.get_or_create(
        slug=SLUG,
        defaults={
            "process": process,
            "title": "Benchmark consultation",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=30),
        },
    )
    if consultation.closes_at <= now:
        consultation.closes_at = now + timedelta(days=30)
        consultation.save()
    for number in (1, 2):
        section, _ = Section.objects.get_or_create(
            consultation=consultation, number=number, defaults={"title": f"Proposal {number}"}
        )
        Question.objects.get_or_create(
            section=section,
            number=1,
            defaults={"text": "Do you agree?", "kind": "agreement_scale", "is_required": True},
        )
        Question.objects.get_or_create(
            section=section,
            number=2,
            defaults={"text": "Which safeguards?", "kind": "free_text", "max_length": 2000},
        )
    return consultation


class Command(BaseCommand):
    help = "Benchmarks for consultations: concurrent submissions, export, analyst list."

    def add_arguments(self, parser):
        parser.add_argument("mode", choices=["submit", "export", "list"])
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument("--responses", type=int, default=100_000)

    def handle(self, *args, mode: str, **options) -> None:
        consultation = bench_consultation()
        getattr(self, f"bench_{mode}")(consultation, **options)

    # --- Concurrent submissions ---------------------------------------------------------------

    def bench_submit(self, consultation: Consultation, *, url, clients, seconds, **_) -> None:
        before = Response.objects.filter(consultation=consultation).submitted().count()
        questions = list(
            Question.objects.filter(section__consultation=consultation).select_related("section")
        )
        deadline = time.monotonic() + seconds
        lock = threading.Lock()
        accepted: list[float] = []
        errors: list[str] = []

        def respondent() -> None:
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    submit_one(url, consultation, questions)
                except Exception as error:  # noqa: BLE001 - reported, not hidden
                    with lock:
                        errors.append(repr(error)[:200])
                    continue
                with lock:
                    accepted.append(time.monotonic() - started)

        threads = [threading.Thread(target=respondent) for _ in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = Response.objects.filter(consultation=consultation).submitted().count() - before
        p95 = statistics.quantiles(accepted, n=20)[-1] if len(accepted) > 1 else 0
        self.stdout.write(
            f"accepted={len(accepted)} stored={stored} errors={len(errors)} "
            f"throughput={len(accepted) / seconds:.1f}/s p95_journey={p95:.3f}s"
        )
        if errors:
            self.stdout.write(f"first error: {errors[0]}")
        if stored != len(accepted):
            raise CommandError("Accepted and stored responses differ.")

    # --- Export -------------------------------------------------------------------------------

    def bench_export(self, consultation: Consultation, *, responses, **_) -> None:
        self.fill(consultation, responses)
        by = User.objects.filter(is_superuser=True).first()
        started = time.monotonic()
        writer = csv.writer(_Null())
        rows = 0
        for row in services.export_rows(consultation, by=by, fmt="csv"):
            writer.writerow([services.spreadsheet_safe(cell) for cell in row])
            rows += 1
        elapsed = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"export rows={rows - 1} seconds={elapsed:.1f} peak_rss={peak_mb:.0f}MB")

    # --- Analyst list -------------------------------------------------------------------------

    def bench_list(self, consultation: Consultation, *, responses, **_) -> None:
        self.fill(consultation, responses)
        user, _ = User.objects.get_or_create(
            email="bench.analyst@policyhub.test", defaults={"display_name": "Bench analyst"}
        )
        Analyst.objects.get_or_create(consultation=consultation, user=user)
        client = Client()
        client.force_login(user)
        path = f"/consultations/{SLUG}/analysis/"
        client.get(path)  # the first request of a process also loads templates
        for page in ("3", "last"):
            times = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    started = time.monotonic()
                    status = client.get(path, {"page": page}).status_code
                    times.append(time.monotonic() - started)
            self.stdout.write(
                f"list responses={responses} page={page} status={status} "
                f"queries={len(queries)} median_seconds={statistics.median(times):.3f}"
            )

    def fill(self, consultation: Consultation, count: int) -> None:
        """Generate submitted responses up to `count`, in bulk."""
        have = Response.objects.filter(consultation=consultation).submitted().count()
        questions = list(Question.objects.filter(section__consultation=consultation))
        rng = random.Random(1)
        now = timezone.now()
        batch = 5000
        while have < count:
            size = min(batch, count - have)
            rows = Response.objects.bulk_create(
                [
                    Response(
                        consultation=consultation,
                        reference=f"BENCH-{have + i:07d}",
                        status="submitted",
                        respondent_type="individual",
                        publication="anonymous",
                        submitted_at=now,
                    )
                    for i in range(size)
                ]
            )
            if rows[0].pk is None:
                rows = list(
                    Response.objects.filter(reference__in=[r.reference for r in rows]).only("pk")
                )
            Answer.objects.bulk_create(
                [
                    Answer(
                        response=r,
                        question=q,
                        selected=["Agree"] if q.kind == "agreement_scale" else [],
                        text=""
                        if q.kind == "agreement_scale"
                        else "=cmd|' /C calc'!A0 " + "safeguards " * rng.randint(5, 40),
                    )
                    for r in rows
                    for q in questions
                ],
                batch_size=5000,
            )
            have += size
            self.stdout.write(f"generated {have} responses", ending="\r")
        self.stdout.write("")


class _Null:
    def write(self, value: str) -> int:
        return len(value)


def submit_one(base: str, consultation: Consultation, questions: list[Question]) -> None:
    """One respondent's whole journey through the public pages, in its own session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    prefix = f"{base}/consultations/{consultation.slug}"
    opener.open(f"{prefix}/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")

    def post(path: str, data: dict) -> str:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(
            f"{prefix}{path}", data=body, headers={"X-CSRFToken": token, "Referer": prefix}
        )
        with opener.open(request) as result:
            result.read()
            return result.geturl()

    post("/respond/start/", {})
    post(
        "/respond/about-you/",
        {"respondent_type": "individual", "name": "Bench", "publication": "anonymous"},
    )
    for number in sorted({q.section.number for q in questions}):
        answers = {
            f"q{q.pk}": "Agree" if q.kind == "agreement_scale" else "Independent oversight."
            for q in questions
            if q.section.number == number
        }
        post(f"/respond/section/{number}/", answers)
    final = post("/respond/check/", {})
    if not final.endswith("/respond/sent/"):
        raise RuntimeError(f"not accepted, ended at {final}")
