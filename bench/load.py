"""The load generator: runs in its own process, apart from the server it measures.

An honest, plain client: http.client over persistent keep-alive connections, timing each
request from send to the last byte of the body. Concurrency uses one OS process per client,
so the generator's own GIL never throttles the measurement.

Usage (from bench.run): python -m bench.load SPEC.json  -> prints a JSON result on stdout.
SPEC: {"host", "port", "requests": [{"name", "path", "method", "headers", "body"}],
       "mode": "latency", "count": N}  or  {"mode": "throughput", "clients": C, "seconds": S}
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import sys
import time
from pathlib import Path


def _request(conn: http.client.HTTPConnection, spec: dict) -> tuple[int, float]:
    body = spec.get("body")
    started = time.perf_counter()
    conn.request(spec.get("method", "GET"), spec["path"], body=body, headers=spec["headers"])
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def latency(host: str, port: int, spec: dict, count: int) -> dict:
    """`count` sequential requests on one connection (concurrency 1)."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    samples, statuses = [], {}
    for _ in range(count):
        status, seconds = _request(conn, spec)
        statuses[status] = statuses.get(status, 0) + 1
        samples.append(seconds * 1000)
    conn.close()
    return {"samples_ms": samples, "statuses": statuses}


def _client(args: tuple) -> dict:
    host, port, spec, seconds = args
    conn = http.client.HTTPConnection(host, port, timeout=60)
    deadline = time.perf_counter() + seconds
    done, errors, samples = 0, 0, []
    while time.perf_counter() < deadline:
        try:
            status, elapsed = _request(conn, spec)
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
            continue
        samples.append(elapsed * 1000)
        if status < 400:
            done += 1
        else:
            errors += 1
    conn.close()
    return {"done": done, "errors": errors, "samples_ms": samples}


def throughput(host: str, port: int, spec: dict, clients: int, seconds: float) -> dict:
    """`clients` processes hammering one page for `seconds`; requests per second overall."""
    with multiprocessing.Pool(clients) as pool:
        started = time.perf_counter()
        results = pool.map(_client, [(host, port, spec, seconds)] * clients)
        elapsed = time.perf_counter() - started
    done = sum(r["done"] for r in results)
    return {
        "requests_per_second": done / elapsed,
        "done": done,
        "errors": sum(r["errors"] for r in results),
        "samples_ms": [s for r in results for s in r["samples_ms"]],
    }


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    request = spec["request"]
    if spec["mode"] == "latency":
        result = latency(spec["host"], spec["port"], request, spec["count"])
    else:
        result = throughput(spec["host"], spec["port"], request, spec["clients"], spec["seconds"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
