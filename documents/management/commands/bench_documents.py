"""`python manage.py bench_documents [--count 10000]`: time the list and search pages.

Creates the documents inside a transaction that is rolled back, so it leaves the database as
it was. Prints time and SQL query count for the list, a filtered list and a search.
"""

from __future__ import annotations

import time

from django.contrib.postgres.search import SearchVector
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from documents.models import Document
from documents.querysets import SEARCH_CONFIG
from process.models import Process

SAMPLE_TEXT = (
    "data sharing safeguards research statistics fraud error debt tailored public services "
    "consent trusted third party accredited researchers de-identified linkage evidence"
)
WORDS = SAMPLE_TEXT.split(" ")


class Command(BaseCommand):
    help = "Benchmark the document list and search at a given number of documents."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=10_000)

    def handle(self, *args, count: int, **options) -> None:
        with transaction.atomic():
            self._run(count)
            transaction.set_rollback(True)

    def _run(self, count: int) -> None:
        process = Process.objects.first()
        if process is None:
            self.stderr.write("Load the demo first: python manage.py load_demo")
            return
        started = time.perf_counter()
        Document.objects.bulk_create(
            [
                Document(
                    process=process,
                    title=f"Bench paper {n}",
                    slug=f"bench-paper-{n}",
                    summary=" ".join(WORDS[(n + i) % len(WORDS)] for i in range(12)),
                    body=" ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(300)),
                    status="published",
                    published_on="2015-02-16",
                    kind="working_paper",
                )
                for n in range(count)
            ],
            batch_size=1000,
        )
        if connection.vendor == "postgresql":
            Document.objects.filter(slug__startswith="bench-paper-").update(
                search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
                + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
                + SearchVector("body", weight="C", config=SEARCH_CONFIG)
            )
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE documents_document")
        self.stdout.write(
            f"{count} documents created in {time.perf_counter() - started:.1f}s "
            f"({connection.vendor})"
        )
        client = Client()
        for label, params in [
            ("list", {}),
            ("list, page 50", {"page": 50}),
            ("filtered by kind", {"kind": "working_paper"}),
            ("search 'trusted researchers'", {"q": "trusted researchers"}),
            ("search 'linkage safeguards' page 3", {"q": "linkage safeguards", "page": 3}),
        ]:
            client.get("/documents/", params)  # warm up
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get("/documents/", params)
                elapsed = (time.perf_counter() - started) * 1000
            self.stdout.write(
                f"{label:40} {response.status_code} {elapsed:7.1f} ms "
                f"{len(queries.captured_queries)} queries"
            )
