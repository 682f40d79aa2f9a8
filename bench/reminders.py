"""Reminders to many recipients: meetings' own `manage.py bench_reminders`, watched from
outside so its memory can be judged, not only its time.

The command builds every reminder email (body, headers, .ics) for one meeting, then rolls
back. It prints when its recipients are ready and, at the end, how long queueing and sending
took. While it runs, its resident memory (VmRSS) is sampled from /proc; the sending phase is
placed on that timeline from the command's own figures. Memory is *flat* when the resident
set at the end of sending is no more than FLAT_GROWTH above where it stood half way through
sending: a fan-out that held each email, or each recipient's row, would grow by as much in
the second half as in the first.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAT_GROWTH = 0.10  # of the resident set half way through sending
SAMPLE_EVERY_S = 0.02


def _status_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of a process, in MB; empty once it has gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    fields = dict(line.split(":", 1) for line in lines if ":" in line)
    return {k: int(fields[k].split()[0]) / 1024 for k in ("VmRSS", "VmHWM") if k in fields}


def run(env: dict, recipients: int) -> dict:
    """Runs the command for `recipients` and returns seconds, peak RSS and the flat check."""
    process = subprocess.Popen(
        [sys.executable, "manage.py", "bench_reminders", "--recipients", str(recipients)],
        cwd=ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    started = time.perf_counter()
    lines: list[tuple[float, str]] = []

    def read() -> None:
        for line in process.stdout:
            lines.append((time.perf_counter() - started, line.strip()))

    reader = threading.Thread(target=read)
    reader.start()
    samples: list[tuple[float, float]] = []  # (seconds since start, VmRSS MB)
    peak = 0.0
    while process.poll() is None:
        status = _status_mb(process.pid)
        if "VmRSS" in status:
            samples.append((time.perf_counter() - started, status["VmRSS"]))
            peak = max(peak, status.get("VmHWM", 0.0))
        time.sleep(SAMPLE_EVERY_S)
    reader.join()
    stderr = process.stderr.read()
    if process.returncode != 0:
        raise SystemExit(f"bench_reminders failed:\n{stderr[-3000:]}")
    result: dict = {"recipients": recipients, "peak_rss_mb": peak, "flat": None}
    ready = next((t for t, line in lines if "recipients ready" in line), None)
    figures = re.search(r"queued \d+ in ([\d.]+)s.* in ([\d.]+)s in total", lines[-1][1])
    if ready is None or figures is None:
        # The command's output changed: time the whole process and leave memory unjudged.
        result["seconds"] = time.perf_counter() - started
        result["note"] = "bench_reminders' output not understood: seconds are the whole process"
        return result
    queued, total = float(figures[1]), float(figures[2])
    result["seconds"] = total
    sending = [(t, rss) for t, rss in samples if ready + queued <= t <= ready + total]
    if len(sending) >= 4:
        half_way = ready + (queued + total) / 2
        at_half = min(sending, key=lambda sample: abs(sample[0] - half_way))[1]
        at_end = sending[-1][1]
        result.update(
            rss_half_way_mb=at_half,
            rss_end_mb=at_end,
            flat=at_end - at_half <= FLAT_GROWTH * at_half,
        )
    else:
        result["note"] = "sending was too short to sample (a small scale): memory unjudged"
    return result
