"""`make bench`: build a realistic dataset on PostgreSQL, serve it with gunicorn under
production settings with a Redis of the harness's own, and hold every important page, the
search, the consultation's busiest minute, the export and the reminders to their targets;
then break Redis four ways and check that every page still answers within its budget.

Results: a table on stdout and bench/results/latest.json (docs/performance.md).
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench import reminders
from bench.pages import FLOOR, Page, measured_pages
from bench.redis_server import FAULTS, MAXMEMORY, POLICY, BenchRedis
from bench.report import markdown

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DB", "policyhub_bench")
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
LATENCY_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
SUBMIT_CLIENTS = int(os.environ.get("BENCH_SUBMIT_CLIENTS", "50"))
SUBMIT_SECONDS = float(os.environ.get("BENCH_SUBMIT_SECONDS", "60"))
FAULT_REQUESTS = int(os.environ.get("BENCH_FAULT_REQUESTS", "30"))
# Every request to a new address, so no whole-page cache can answer (pages.busted).
CACHE_BUST = os.environ.get("BENCH_CACHE_BUST") == "1"
KEEP_DB = os.environ.get("BENCH_KEEP_DB") == "1"
CONCURRENCY = 8

# --- Targets (docs/performance.md, "Targets") ---------------------------------------------
PAGE_P50_MS = 25.0
PAGE_P95_MS = 60.0
SEARCH_P95_MS = 50.0
SUBMIT_P95_MS = 300.0
EXPORT_SECONDS = 30.0
EXPORT_RSS_MB = 200.0
REMINDER_SECONDS = 60.0
CHATHAM_WORDS = 5_000
CHATHAM_P95_MS = 100.0
# With Redis broken a page may take this much longer than its budget, and must not fail.
FAULT_EXTRA_MS = 250.0
# A request unanswered after this long has missed its budget many times over; after
# FAULT_GIVE_UP of them a page's fault pass stops, and the requests not sent count as failed.
FAULT_TIMEOUT_S = 2.0
FAULT_GIVE_UP = 3

# The per-address ceiling on consultation submissions (30 an hour by default) would refuse
# the benchmark's respondents, who all come from 127.0.0.1; it is raised for the bench only.
SUBMISSIONS_PER_IP_FOR_BENCH = "1000000"
BASE_HEADERS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Connection": "keep-alive"}


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:5.0f}s] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> dict:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory_gib = round(kib / 1024 / 1024, 1)
    return {
        "cpu_model": model,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
    }


def commit() -> str:
    """The code measured: its commit, marked when the tree had changes beside it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    return f"{head}{' (with uncommitted changes)' if dirty else ''}" or "unknown"


def ensure_postgres() -> None:
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        log("starting PostgreSQL")
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
        )
        for _ in range(30):
            if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0:
                break
            time.sleep(1)


def postgres(sql: str, database: str = "postgres", params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        cursor = conn.execute(sql, params or None)
        return cursor.fetchall() if cursor.description else []


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_load(spec: dict) -> dict:
    """bench.load in a process of its own, so the client never shares a GIL with us."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        output = subprocess.run(
            [PYTHON, "-m", "bench.load", handle.name],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(handle.name)
    return json.loads(output)


def run_json(args: list[str], env: dict) -> dict:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def request_spec(page: Page, facts: dict) -> dict:
    headers = dict(BASE_HEADERS)
    cookies = {}
    if page.session:
        cookies["sessionid"] = facts[page.session]
    if page.method == "POST":
        # What a browser sends with a form: the CSRF cookie, the same token in the form
        # (here the header), and its origin (HTTPS, so the Origin check applies).
        cookies["csrftoken"] = facts["csrf_token"]
        headers["X-CSRFToken"] = facts["csrf_token"]
        headers["Origin"] = "https://127.0.0.1"
        headers["Referer"] = f"https://127.0.0.1{page.path}"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    return {
        "path": page.path,
        "method": page.method,
        "headers": headers,
        "body": page.body,
        "cache_bust": CACHE_BUST and page is not FLOOR,
    }


def item(name: str, metric: str, value: float, unit: str, target=None, met=None) -> dict:
    return {
        "name": name,
        "metric": metric,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "met": met,
    }


def at_most(name: str, metric: str, value: float, unit: str, target: float) -> dict:
    return item(name, metric, value, unit, target, value <= target)


def start_server(env: dict) -> tuple[subprocess.Popen, int, int]:
    """gunicorn as production runs it: sync workers, two a core, on a free port."""
    port = free_port()
    workers = 2 * (os.cpu_count() or 1)
    log(f"starting gunicorn: {workers} workers on port {port}")
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "policyhub.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    wait_for_site(port)
    return server, port, workers


def answers_within(port: int, path: str, seconds: float) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=seconds)
    try:
        conn.request("GET", path, headers=BASE_HEADERS)
        return conn.getresponse().status == 200
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def wait_for_site(port: int, timeout: float = 120) -> None:
    """Until the floor and the home page answer promptly: the server is up, or has got
    over a fault (workers held by a frozen Redis free again)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers_within(port, FLOOR.path, 1) and answers_within(port, "/", 1):
            return
        time.sleep(0.5)
    raise SystemExit(f"the site did not answer within {timeout:.0f}s")


def worker_peak_rss_mb(master_pid: int) -> list[float]:
    """VmHWM (peak resident set) of each gunicorn worker (children of the master), from /proc."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            lines = status.read_text().splitlines()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmHWM" in fields:
            peaks.append(int(fields["VmHWM"].split()[0]) / 1024)
    return peaks


def submitted_count(slug: str) -> tuple[int, int]:
    """(submitted responses, distinct references) of the bench consultation."""
    ((count, distinct),) = postgres(
        "SELECT count(*), count(DISTINCT reference) FROM consultation_response r "
        "JOIN consultation_consultation c ON c.id = r.consultation_id "
        "WHERE c.slug = %s AND r.status = 'submitted'",
        DB_NAME,
        (slug,),
    )
    return count, distinct


def chatham_check(env: dict) -> dict | None:
    """meetings' `manage.py bench_chatham` (JSON on its last line); None where the command
    is not in the code measured."""
    done = subprocess.run(
        [PYTHON, "manage.py", "bench_chatham"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        if "Unknown command" in done.stderr:
            return None
        raise SystemExit(f"bench_chatham failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def answered(page: Page, status: str) -> bool:
    """A GET must be the page itself (a redirect to sign in would time the wrong thing);
    a POST answers with the next page or a redirect to it."""
    if page.method == "GET":
        return status == "200"
    return status.isdigit() and int(status) < 400


def measure_pages(base: dict, pages: list[Page], facts: dict) -> tuple[list[dict], dict]:
    """Latency at concurrency 1 (each request after one to the floor on the same
    connection, so the floor beside it is timed in the same moments) and throughput at
    concurrency 8. Returns the items and each page's usual status, which the fault passes
    expect to see again."""
    items, expected, floor_samples = [], {}, []
    for page in pages:
        log(f"measuring {page.name}")
        spec = request_spec(page, facts)
        sequential = run_load(
            {**base, "mode": "latency", "count": LATENCY_REQUESTS, "request": spec,
             "floor": request_spec(FLOOR, facts)}
        )  # fmt: skip
        bad = {s: n for s, n in sequential["statuses"].items() if not answered(page, s)}
        if bad:
            raise SystemExit(f"{page.name} answered errors: {bad}")
        expected[page.name] = Counter(sequential["statuses"]).most_common(1)[0][0]
        loaded = run_load(
            {**base, "mode": "throughput", "clients": CONCURRENCY,
             "seconds": THROUGHPUT_SECONDS, "request": spec}
        )  # fmt: skip
        samples, beside = sequential["samples_ms"], sequential["floor_samples_ms"]
        floor_samples += beside
        items += [
            at_most(page.name, "p50", statistics.median(samples), "ms", PAGE_P50_MS),
            at_most(page.name, "p95", percentile(samples, 95), "ms", PAGE_P95_MS),
            item(page.name, "p99", percentile(samples, 99), "ms"),
            item(page.name, "floor_p50_beside", statistics.median(beside), "ms"),
            item(page.name, "throughput_c8", loaded["requests_per_second"], "req/s"),
        ]
        if page.is_search:
            items.append(at_most(page.name, "search_p95", percentile(samples, 95), "ms",
                                 SEARCH_P95_MS))  # fmt: skip
    floor_loaded = run_load(
        {**base, "mode": "throughput", "clients": CONCURRENCY, "seconds": THROUGHPUT_SECONDS,
         "request": request_spec(FLOOR, facts)}
    )  # fmt: skip
    items = [
        item(FLOOR.name, "p50", statistics.median(floor_samples), "ms"),
        item(FLOOR.name, "p95", percentile(floor_samples, 95), "ms"),
        item(FLOOR.name, "p99", percentile(floor_samples, 99), "ms"),
        item(FLOOR.name, "throughput_c8", floor_loaded["requests_per_second"], "req/s"),
        *items,
    ]
    return items, expected


def fault_passes(
    base: dict, pages: list[Page], facts: dict, redis: BenchRedis, expected: dict
) -> tuple[list[dict], dict]:
    """Every page again, a few requests each, with Redis stopped, frozen, full and read-only.
    A request fails when it gets an answer other than the page's usual one (a 5xx, or a
    sign-in redirect because a session was lost) or none within FAULT_TIMEOUT_S."""
    items, failures = [], {}
    for state in FAULTS:
        log(f"Redis {state}: every page again")
        with redis.fault(state):
            for page in [FLOOR, *pages]:
                result = run_load(
                    {**base, "mode": "latency", "count": FAULT_REQUESTS,
                     "request": request_spec(page, facts), "timeout": FAULT_TIMEOUT_S,
                     "give_up_after": FAULT_GIVE_UP}
                )  # fmt: skip
                usual = expected.get(page.name, "200")
                unusual = {s: n for s, n in result["statuses"].items() if s != usual}
                if unusual:  # what went wrong, for whoever reads the results
                    failures.setdefault(state, {})[page.name] = unusual
                failed = sum(unusual.values())
                samples, metric = result["samples_ms"], f"redis_{state}"
                p50, p95 = statistics.median(samples), percentile(samples, 95)
                if page is FLOOR:  # context, not a target
                    items += [item(page.name, f"{metric}_p50", p50, "ms"),
                              item(page.name, f"{metric}_p95", p95, "ms"),
                              item(page.name, f"{metric}_errors", failed, "requests")]  # fmt: skip
                    continue
                items += [
                    at_most(page.name, f"{metric}_p50", p50, "ms", PAGE_P50_MS + FAULT_EXTRA_MS),
                    at_most(page.name, f"{metric}_p95", p95, "ms", PAGE_P95_MS + FAULT_EXTRA_MS),
                    at_most(page.name, f"{metric}_errors", failed, "requests", 0),
                ]
        wait_for_site(base["port"])
    return items, failures


def submission_test(base: dict, facts: dict) -> tuple[list[dict], dict]:
    """SUBMIT_CLIENTS respondents walking the whole journey for SUBMIT_SECONDS; then the
    database is counted, so a response accepted but not stored, or stored twice, shows."""
    slug = facts["consultation_slug"]
    before, _ = submitted_count(slug)
    log(f"{SUBMIT_CLIENTS} respondents submitting for {SUBMIT_SECONDS:.0f}s")
    answers = {
        q["field"]: [
            q["section"],
            "Agree" if q["kind"] == "agreement_scale" else "Independent oversight.",
        ]
        for q in facts["questions"]
    }
    journey = run_load(
        {**base, "mode": "journey", "consultation": f"/consultations/{slug}/",
         "answers": answers, "sections": sorted({q["section"] for q in facts["questions"]}),
         "clients": SUBMIT_CLIENTS, "processes": min(SUBMIT_CLIENTS, 5),
         "seconds": SUBMIT_SECONDS, "headers": BASE_HEADERS, "cache_bust": CACHE_BUST}
    )  # fmt: skip
    after, distinct_after = submitted_count(slug)
    stored = after - before
    submit_p95 = percentile(journey["submit_ms"], 95) if journey["submit_ms"] else 0.0
    all_p95 = percentile(journey["all_ms"], 95) if journey["all_ms"] else 0.0
    lost = journey["accepted"] - stored
    duplicated = after - distinct_after
    name = f"submission, {SUBMIT_CLIENTS} clients {SUBMIT_SECONDS:.0f}s"
    items = [
        item(name, "accepted", journey["accepted"], "responses"),
        item(name, "stored", stored, "responses"),
        item(name, "lost", lost, "responses", 0, lost == 0 and not journey["errors"]),
        item(name, "duplicated", duplicated, "responses", 0, duplicated == 0),
        item(name, "errors", len(journey["errors"]), "journeys"),
        at_most(name, "submit_post_p95", submit_p95, "ms", SUBMIT_P95_MS),
        item(name, "every_request_p95", all_p95, "ms"),
        item(name, "submissions_per_second", journey["accepted"] / journey["elapsed_s"],
             "responses/s"),
    ]  # fmt: skip
    settings = {
        "clients": SUBMIT_CLIENTS,
        "seconds": SUBMIT_SECONDS,
        "think_time_s": 0,
        "journey": "GET consultation, POST start, about you, each section, check answers "
        "(send), following every redirect with a GET",
        "consultation_submissions_per_ip": int(SUBMISSIONS_PER_IP_FOR_BENCH),
        "consultation_starts_per_ip": int(SUBMISSIONS_PER_IP_FOR_BENCH),
        "first_errors": journey["errors"][:5],
    }
    return items, settings


def main() -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_postgres()
    redis = BenchRedis()
    redis.start()
    log(f"Redis of our own on port {redis.port}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "policyhub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": redis.url,
        "LOG_LEVEL": "WARNING",
        "CONSULTATION_SUBMISSIONS_PER_IP": SUBMISSIONS_PER_IP_FOR_BENCH,
        "CONSULTATION_STARTS_PER_IP": SUBMISSIONS_PER_IP_FOR_BENCH,
    }
    server = None
    try:
        log(f"creating database {DB_NAME}")
        postgres(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        postgres(f'CREATE DATABASE "{DB_NAME}"')
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        log(f"building the dataset at scale {SCALE}")
        started = time.perf_counter()
        facts = run_json([PYTHON, "-m", "bench.dataset", str(SCALE)], env)
        log(f"dataset built in {time.perf_counter() - started:.0f}s")
        postgres("VACUUM ANALYZE", DB_NAME)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(facts, handle)
        facts_file = handle.name
        if KEEP_DB:  # for profiling pages afterwards
            (ROOT / "var").mkdir(exist_ok=True)
            shutil.copy(facts_file, ROOT / "var" / "bench-facts.json")
        pages = measured_pages(facts)

        log("counting each page's queries")
        counted = run_json([PYTHON, "-m", "bench.querycount", facts_file], env)
        explain = counted["explain"]
        items = [
            item(name, metric, count, "queries")
            for metric, counts in (("queries", counted["counts"]), ("queries_built",
                                                                   counted["built"]))
            for name, count in counts.items()
        ]  # fmt: skip
        for page in pages:
            if page.is_search:
                plans = explain.get(page.name, [])
                seq = sum("Seq Scan on documents_document" in plan for plan in plans)
                # No plan at all would prove nothing: the search's queries were not seen.
                items.append(item(page.name, "sequential_scans_of_documents", seq, "plans", 0,
                                  bool(plans) and seq == 0))  # fmt: skip

        log("exporting every response as CSV")
        export = run_json([PYTHON, "-m", "bench.export", facts_file], env)
        name = f"CSV export, {export['rows']} responses"
        items += [
            at_most(name, "seconds", export["seconds"], "s", EXPORT_SECONDS),
            at_most(name, "peak_rss", export["peak_rss_mb"], "MB", EXPORT_RSS_MB),
        ]

        recipients = max(100, round(10_000 * SCALE))
        log(f"sending reminders to {recipients} recipients")
        reminded = reminders.run(env, recipients)
        name = f"reminders, {recipients} recipients"
        items += [
            at_most(name, "seconds", reminded["seconds"], "s", REMINDER_SECONDS),
            item(name, "peak_rss", reminded["peak_rss_mb"], "MB"),
        ]
        if reminded["flat"] is not None:
            growth = reminded["rss_end_mb"] - reminded["rss_half_way_mb"]
            items.append(item(name, "rss_growth_second_half", 100 * growth /
                              reminded["rss_half_way_mb"], "%", 100 * reminders.FLAT_GROWTH,
                              reminded["flat"]))  # fmt: skip

        log("checking notes against the Chatham House Rule")
        chatham = chatham_check(env)
        if chatham is not None:
            name = f"Chatham House check, {chatham['words']} words"
            items += [
                item(name, "p50", chatham["p50_ms"], "ms"),
                item(name, "p95", chatham["p95_ms"], "ms", CHATHAM_P95_MS,
                     chatham["p95_ms"] <= CHATHAM_P95_MS and chatham["words"] >= CHATHAM_WORDS),
                item(name, "max", chatham["max_ms"], "ms"),
                item(name, "runs", chatham["runs"], "runs"),
            ]  # fmt: skip

        server, port, workers = start_server(env)
        base = {"host": "127.0.0.1", "port": port}
        log("warming up")
        for page in [FLOOR, *pages]:
            run_load({**base, "mode": "latency", "count": 20, "request": request_spec(page, facts)})
        measured, expected = measure_pages(base, pages, facts)
        submitted, submission_settings = submission_test(base, facts)
        worker_peaks = worker_peak_rss_mb(server.pid)
        faults, failures = fault_passes(base, pages, facts, redis, expected)
        items = [
            *measured,
            *items,
            *submitted,
            item("gunicorn worker", "peak_rss_max", max(worker_peaks, default=0), "MB"),
            *faults,
        ]
        with_targets = [i for i in items if i["met"] is not None]
        (pg_version,) = postgres("SHOW server_version")[0]
        report = {
            "machine": machine(),
            "commit": commit(),
            "scale": SCALE,
            "cache_bust": CACHE_BUST,
            "load_generator": "bench/load.py: http.client keep-alive, one process per client "
            "(submission test: threads over 5 processes)",
            "server": f"gunicorn, {workers} sync workers, production settings, PostgreSQL "
            f"{pg_version.split()[0]}, Redis {redis.version()} (its own, maxmemory "
            f"{MAXMEMORY}, {POLICY})",
            "requests_per_page": LATENCY_REQUESTS,
            "fault_passes": {
                "requests_per_page": FAULT_REQUESTS,
                "timeout_s": FAULT_TIMEOUT_S,
                "give_up_after_unanswered": FAULT_GIVE_UP,
                "states": FAULTS,
                "usual_status": expected,
                "failures": failures,
            },
            "submission_test": submission_settings,
            "reminders": {**reminded, "flat_rule": "VmRSS at the end of sending at most "
                          f"{reminders.FLAT_GROWTH:.0%} above VmRSS half way through sending"},
            "chatham": chatham or {"skipped": "manage.py bench_chatham is not in this code"},
            "search_explain": explain,
            "items": items,
            "targets_met": sum(1 for i in with_targets if i["met"]),
            "targets_total": len(with_targets),
        }  # fmt: skip
        (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
        print(markdown(report))
        for page, plans in explain.items():
            print(f"\nEXPLAIN ANALYZE of the search queries behind '{page}':")
            for plan in plans:
                print("  " + plan.replace("\n", "\n  ") + "\n")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        redis.stop()
        shutil.rmtree(redis.folder, ignore_errors=True)
        if not KEEP_DB:
            postgres(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
