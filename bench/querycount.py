"""Counts the SQL queries each measured page makes, in-process, on the bench database.

Run by bench.run as `python -m bench.querycount FACTS.json`; prints {page name: count}.
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
    counts = {}
    for page in [FLOOR, *measured_pages(facts)]:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        if page.signed_in:
            client.cookies["sessionid"] = facts["member_session"]
        client.get(page.path)  # warm caches the way the server's warm-up does
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(page.method, page.path, data=page.body or "")
        assert response.status_code < 400, (page.path, response.status_code)
        counts[page.name] = len(queries)
    json.dump(counts, sys.stdout)


if __name__ == "__main__":
    main()
