"""Counts the SQL queries each measured page makes, in-process, on the bench database, and
EXPLAINs the search pages' queries (the search target forbids a sequential scan).

Run by bench.run as `python -m bench.querycount FACTS.json`; prints
{"counts": {page name: count}, "explain": {page name: [plan text, ...]}}.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.pages import FLOOR, measured_pages  # noqa: E402


def main() -> None:
    facts = json.loads(Path(sys.argv[1]).read_text())
    counts, explain = {}, {}
    for page in [FLOOR, *measured_pages(facts)]:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if page.session:
            client.cookies["sessionid"] = facts[page.session]

        def send(page=page, client=client):
            return client.generic(
                page.method,
                page.path,
                data=page.body or "",
                content_type="application/x-www-form-urlencoded",
            )

        send()  # warm caches the way the server's warm-up does
        with CaptureQueriesContext(connection) as queries:
            response = send()
        assert response.status_code < 400, (page.path, response.status_code)
        counts[page.name] = len(queries)
        if page.search:
            plans = []
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    if "search_vector" not in query["sql"]:
                        continue
                    cursor.execute("EXPLAIN ANALYZE " + query["sql"])
                    plans.append("\n".join(row[0] for row in cursor.fetchall()))
            explain[page.name] = plans
    json.dump({"counts": counts, "explain": explain}, sys.stdout)


if __name__ == "__main__":
    main()
