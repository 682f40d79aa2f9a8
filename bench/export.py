"""Times the analyst's CSV export of every response, in a process of its own, through the
real view (permission check, streaming, spreadsheet-safe cells), and reports its peak RSS.

Run by bench.run as `python -m bench.export FACTS.json`; prints {"seconds", "rows",
"bytes", "peak_rss_mb", "baseline_rss_mb"}. A fresh process, so the peak is the export's.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")
django.setup()

from django.test import Client  # noqa: E402

from policyhub.models import User  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    facts = json.loads(Path(sys.argv[1]).read_text())
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(pk=facts["analyst_id"]))
    path = f"/consultations/{facts['consultation_slug']}/analysis/export.csv"
    client.get(f"/consultations/{facts['consultation_slug']}/analysis/")  # imports, warm-up
    baseline = peak_rss_mb()
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    rows, size = 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    json.dump(
        {
            "seconds": seconds,
            "rows": rows - 1,  # the header
            "bytes": size,
            "peak_rss_mb": peak_rss_mb(),
            "baseline_rss_mb": baseline,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
