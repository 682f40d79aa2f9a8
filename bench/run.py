"""`make bench`: build a realistic dataset on PostgreSQL, serve it with gunicorn under
production settings with Redis, and measure every important page against the floor.

Absolute times drift on shared machines, so every page is reported as a ratio to the
floor (/healthz: one trivial query, nothing rendered), measured side by side in the same
run. Results: a table on stdout and bench/results/latest.json.
"""

from __future__ import annotations

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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"
DB_NAME = os.environ.get("BENCH_DB", "policyhub_bench")
SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
LATENCY_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
FLOOR_REQUESTS = 50
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONCURRENCY = 8
RATIO_TARGET = 4.0


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


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


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


def start_redis() -> tuple[str, subprocess.Popen | None]:
    """Use the machine's Redis if it answers; otherwise start a throwaway one."""
    ping = subprocess.run(["redis-cli", "-h", "127.0.0.1", "ping"], capture_output=True, text=True)
    if ping.stdout.strip() == "PONG":
        return "redis://127.0.0.1:6379/9", None
    port = free_port()
    log(f"starting a throwaway Redis on port {port}")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
         "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    return f"redis://127.0.0.1:{port}/0", process


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def run_load(spec: dict) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        output = subprocess.run(
            [PYTHON, "-m", "bench.load", handle.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(handle.name)
    return json.loads(output)


def request_spec(page, facts: dict) -> dict:
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Connection": "keep-alive"}
    if page.signed_in:
        headers["Cookie"] = f"sessionid={facts['member_session']}"
    return {"path": page.path, "method": page.method, "headers": headers, "body": page.body}


def item(name: str, metric: str, value: float, unit: str, target=None, met=None) -> dict:
    return {
        "name": name,
        "metric": metric,
        "value": round(value, 3),
        "unit": unit,
        "target": target,
        "met": met,
    }


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench.pages import FLOOR, measured_pages

    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_postgres()
    redis_url, redis_process = start_redis()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "policyhub.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1,testserver",
        "SITE_URL": "https://127.0.0.1",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "WARNING",
    }
    server = None
    try:
        log(f"creating database {DB_NAME}")
        recreate_database()
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        log(f"building the dataset at scale {SCALE}")
        started = time.perf_counter()
        facts = json.loads(
            subprocess.run(
                [PYTHON, "-m", "bench.dataset", str(SCALE)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip
        log(f"dataset built in {time.perf_counter() - started:.0f}s")
        subprocess.run(["psql", f"{PG}/{DB_NAME}", "-qc", "VACUUM ANALYZE"], check=True, env=env)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(facts, handle)
        queries = json.loads(
            subprocess.run(
                [PYTHON, "-m", "bench.querycount", handle.name],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            ).stdout
        )  # fmt: skip

        port = free_port()
        workers = 2 * (os.cpu_count() or 1)
        log(f"starting gunicorn: {workers} workers on port {port}")
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "policyhub.wsgi", "--workers", str(workers),
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )  # fmt: skip
        for _ in range(60):
            try:
                urllib.request.urlopen(
                    urllib.request.Request(
                        f"http://127.0.0.1:{port}/healthz",
                        headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"},
                    ),
                    timeout=2,
                )
                break
            except OSError:
                time.sleep(0.5)

        pages = measured_pages(facts)
        base = {"host": "127.0.0.1", "port": port}
        log("warming up")
        for page in [FLOOR, *pages]:
            run_load({**base, "mode": "latency", "count": 20, "request": request_spec(page, facts)})

        floor_samples: list[float] = []
        results = []
        for page in pages:
            # The floor is measured right beside each page, so drift hits both alike.
            floor = run_load(
                {**base, "mode": "latency", "count": FLOOR_REQUESTS,
                 "request": request_spec(FLOOR, facts)}
            )  # fmt: skip
            floor_samples += floor["samples_ms"]
            log(f"measuring {page.name}")
            sequential = run_load(
                {**base, "mode": "latency", "count": LATENCY_REQUESTS,
                 "request": request_spec(page, facts)}
            )  # fmt: skip
            bad = {s: n for s, n in sequential["statuses"].items() if int(s) >= 400}
            if bad:
                raise SystemExit(f"{page.name} answered errors: {bad}")
            loaded = run_load(
                {**base, "mode": "throughput", "clients": CONCURRENCY,
                 "seconds": THROUGHPUT_SECONDS, "request": request_spec(page, facts)}
            )  # fmt: skip
            results.append((page, sequential["samples_ms"], loaded))
        floor_throughput = run_load(
            {**base, "mode": "throughput", "clients": CONCURRENCY,
             "seconds": THROUGHPUT_SECONDS, "request": request_spec(FLOOR, facts)}
        )  # fmt: skip

        floor_p50 = statistics.median(floor_samples)
        items = [
            item(FLOOR.name, "p50", floor_p50, "ms"),
            item(FLOOR.name, "p95", percentile(floor_samples, 95), "ms"),
            item(FLOOR.name, "p99", percentile(floor_samples, 99), "ms"),
            item(FLOOR.name, "throughput_c8", floor_throughput["requests_per_second"], "req/s"),
            item(FLOOR.name, "queries", queries[FLOOR.name], "queries"),
        ]
        for page, samples, loaded in results:
            p50 = statistics.median(samples)
            ratio = p50 / floor_p50
            items += [
                item(page.name, "p50", p50, "ms"),
                item(page.name, "p95", percentile(samples, 95), "ms"),
                item(page.name, "p99", percentile(samples, 99), "ms"),
                item(page.name, "p50_ratio_to_floor", ratio, "x", RATIO_TARGET,
                     ratio <= RATIO_TARGET),
                item(page.name, "throughput_c8", loaded["requests_per_second"], "req/s"),
                item(page.name, "queries", queries[page.name], "queries"),
            ]  # fmt: skip
        with_targets = [i for i in items if i["met"] is not None]
        report = {
            "machine": machine(),
            "scale": SCALE,
            "load_generator": "bench/load.py: http.client keep-alive, one process per client",
            "server": f"gunicorn, {workers} sync workers, production settings, PostgreSQL, Redis",
            "requests_per_page": LATENCY_REQUESTS,
            "items": items,
            "targets_met": sum(1 for i in with_targets if i["met"]),
            "targets_total": len(with_targets),
        }
        (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
        print_table(report)
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if redis_process is not None:
            redis_process.terminate()
        if os.environ.get("BENCH_KEEP_DB") != "1":
            drop_database()
        shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)


def print_table(report: dict) -> None:
    rows: dict[str, dict] = {}
    for entry in report["items"]:
        rows.setdefault(entry["name"], {})[entry["metric"]] = entry
    print(f"\nPolicyHub benchmark — scale {report['scale']} — {report['machine']['cpu_model']}, "
          f"{report['machine']['cores']} cores")  # fmt: skip
    header = f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x floor':>8} " \
             f"{'req/s c8':>9} {'queries':>7}  target"  # fmt: skip
    print(header)
    print("-" * len(header))
    for name, metrics in rows.items():
        ratio = metrics.get("p50_ratio_to_floor")
        verdict = "" if ratio is None else ("met" if ratio["met"] else "MISSED")
        print(
            f"{name:32} {metrics['p50']['value']:8.1f} {metrics['p95']['value']:8.1f} "
            f"{metrics['p99']['value']:8.1f} "
            f"{'' if ratio is None else format(ratio['value'], '.2f'):>8} "
            f"{metrics['throughput_c8']['value']:9.0f} {metrics['queries']['value']:7.0f}"
            f"  {verdict}"
        )
    print(f"\ntargets met: {report['targets_met']} of {report['targets_total']}")


if __name__ == "__main__":
    sys.exit(main())
