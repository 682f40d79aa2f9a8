"""Counts the SQL queries each measured page makes, in-process, on the bench database, and
EXPLAINs the search page's queries (the search target forbids a sequential scan).

Each page is counted twice: built from an empty cache (what a page costs when Redis has
nothing for it, after a change of content or a restart; the test suite holds these counts
constant as data grows), then warm, as the server answers it most of the time. With
BENCH_CACHE_BUST=1 each request goes to a new address, as bench.load sends it.

Run by bench.run as `python -m bench.querycount FACTS.json`; prints
{"counts": {page: warm count}, "built": {page: count from an empty cache},
 "explain": {page name: [plan text, ...]}}.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import FLOOR, busted, measured_pages  # noqa: E402

FORM_TYPE = "application/x-www-form-urlencoded"


def main() -> None:
    facts = json.loads(Path(sys.argv[1]).read_text())
    bust = os.environ.get("BENCH_CACHE_BUST") == "1"
    counts, built_counts, explain = {}, {}, {}
    for page in [FLOOR, *measured_pages(facts)]:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if page.session:
            client.cookies["sessionid"] = facts[page.session]

        def send(page=page, client=client):
            path = busted(page.path) if bust and page is not FLOOR else page.path
            return client.generic(page.method, path, data=page.body or "", content_type=FORM_TYPE)

        cache.clear()  # the page built from nothing
        with CaptureQueriesContext(connection) as built:
            send()
        built_counts[page.name] = len(built)
        with CaptureQueriesContext(connection) as queries:
            response = send()
        # The page itself, not a redirect to sign in: bench.run requires the same of GETs.
        status = response.status_code
        assert (status == 200) if page.method == "GET" else (status < 400), (page.path, status)
        counts[page.name] = len(queries)
        if page.is_search:
            plans = []
            with connection.cursor() as cursor:
                # The page built from nothing, so its search ran whatever the cache holds.
                for query in built.captured_queries:
                    if "search_vector" not in query["sql"]:
                        continue
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
            explain[page.name] = plans
    json.dump({"counts": counts, "built": built_counts, "explain": explain}, sys.stdout)


if __name__ == "__main__":
    main()
