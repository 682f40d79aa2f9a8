"""The load generator: runs in its own process, apart from the server it measures.

An honest, plain client: http.client over persistent keep-alive connections, timing each
request from send to the last byte of the body. Concurrency uses one OS process per client,
so the generator's own GIL never throttles the measurement.

Usage (from bench.run): python -m bench.load SPEC.json  -> prints a JSON result on stdout.
SPEC: {"host", "port", "request": {"path", "method", "headers", "body", "cache_bust"},
       "mode": "latency", "count": N, "floor": REQUEST or absent (alternated with the page),
       "timeout": seconds to wait for an answer, "give_up_after": unanswered requests}
   or {"mode": "throughput", "clients": C, "seconds": S}
   or {"mode": "journey", "consultation": PATH, "answers": {...}, "sections": [1, 2],
       "processes": P, "clients": C, "seconds": S, "cache_bust": bool}: C respondents
       (threads spread over P processes) each walk the whole response journey again and
       again, as a browser would (GET every page, POST every form with the CSRF token,
       follow every redirect).
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import secrets
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

from bench.pages import busted


def _request(conn: http.client.HTTPConnection, spec: dict) -> tuple[int, float]:
    body = spec.get("body")
    path = busted(spec["path"]) if spec.get("cache_bust") else spec["path"]
    started = time.perf_counter()
    conn.request(spec.get("method", "GET"), path, body=body, headers=spec["headers"])
    response = conn.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def latency(
    host: str,
    port: int,
    spec: dict,
    count: int,
    floor: dict | None = None,
    timeout: float = 60,
    give_up_after: int | None = None,
) -> dict:
    """`count` sequential requests on one connection (concurrency 1). With `floor`, each is
    preceded by a request to the floor on the same connection, so page and floor are
    timed in the same moments and a drift of a shared machine hits both alike.

    A request with no answer within `timeout` (a fault pass) is timed at `timeout` and
    counted under the status "none"; after `give_up_after` of them the page is left, and
    the requests not sent are counted as "not sent", so a page that hangs cannot hold the
    run for its whole count."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    samples, floor_samples, statuses = [], [], {}
    unanswered = 0
    for number in range(count):
        if floor is not None:
            status, seconds = _request(conn, floor)
            if status != 200:
                raise RuntimeError(f"the floor answered {status}")
            floor_samples.append(seconds * 1000)
        started = time.perf_counter()
        try:
            status, seconds = _request(conn, spec)
        except (OSError, http.client.HTTPException):
            status, seconds = "none", time.perf_counter() - started
            unanswered += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        statuses[status] = statuses.get(status, 0) + 1
        samples.append(seconds * 1000)
        if give_up_after is not None and unanswered >= give_up_after:
            statuses["not sent"] = count - number - 1
            break
    conn.close()
    return {"samples_ms": samples, "floor_samples_ms": floor_samples, "statuses": statuses}


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


class Respondent:
    """One browser: its own connection and cookies."""

    def __init__(self, host: str, port: int, base_headers: dict) -> None:
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.base_headers = base_headers
        self.cookies: dict[str, str] = {}
        self.samples: list[tuple[str, float]] = []

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = dict(self.base_headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
            headers["Origin"] = "https://127.0.0.1"
            headers["Referer"] = f"https://127.0.0.1{path}"
        started = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        response.read()
        self.samples.append((f"{method} {path}", (time.perf_counter() - started) * 1000))
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", "")

    def visit(self, method: str, path: str, body: str | None = None) -> str:
        """A request and the redirects after it, as a browser follows them."""
        status, location = self.request(method, path, body)
        while status in (301, 302, 303):
            path = location.removeprefix("https://127.0.0.1")
            status, location = self.request("GET", path)
        if status >= 400:
            raise RuntimeError(f"{method} {path} answered {status}")
        return path

    def respond(self, spec: dict) -> str | None:
        """The whole journey. Returns where it ended (the confirmation page if accepted)."""
        from urllib.parse import urlencode

        base = spec["consultation"]
        self.cookies = {}
        self.visit("GET", busted(base) if spec.get("cache_bust") else base)
        # The page above sets the CSRF cookie as a browser would receive it; if it did not
        # (cached page), the browser would have one already from earlier pages.
        self.cookies.setdefault("csrftoken", secrets.token_hex(16))
        self.visit("POST", f"{base}respond/start/", "")
        self.visit(
            "POST",
            f"{base}respond/about-you/",
            urlencode({"respondent_type": "individual", "name": "Bench respondent",
                       "publication": "anonymous"}),
        )  # fmt: skip
        for number in spec["sections"]:
            fields = {k: v for k, v in spec["answers"].items() if v[0] == number}
            self.visit(
                "POST",
                f"{base}respond/section/{number}/",
                urlencode({k: v[1] for k, v in fields.items()}),
            )
        return self.visit("POST", f"{base}respond/check/", "")


def _journeys(args: tuple) -> dict:
    host, port, spec, clients, seconds = args
    results: list[dict] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def run() -> None:
        respondent = Respondent(host, port, spec["headers"])
        accepted, refused, errors = 0, 0, []
        while time.perf_counter() < deadline:
            try:
                ended = respondent.respond(spec)
            except (OSError, http.client.HTTPException, RuntimeError, KeyError) as error:
                errors.append(repr(error)[:200])
                respondent.conn.close()
                respondent = Respondent(host, port, spec["headers"])
                continue
            if ended.endswith("/respond/sent/"):
                accepted += 1
            else:
                refused += 1
        with lock:
            results.append(
                {"accepted": accepted, "refused": refused, "errors": errors,
                 "samples": respondent.samples}
            )  # fmt: skip

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "accepted": sum(r["accepted"] for r in results),
        "refused": sum(r["refused"] for r in results),
        "errors": [e for r in results for e in r["errors"]],
        "samples": [s for r in results for s in r["samples"]],
    }


def journeys(host: str, port: int, spec: dict) -> dict:
    """`clients` respondents over `processes` processes, for `seconds`."""
    processes = spec["processes"]
    per_process = [spec["clients"] // processes] * processes
    for i in range(spec["clients"] % processes):
        per_process[i] += 1
    with multiprocessing.Pool(processes) as pool:
        started = time.perf_counter()
        parts = pool.map(_journeys, [(host, port, spec, n, spec["seconds"]) for n in per_process])
        elapsed = time.perf_counter() - started
    samples = [s for p in parts for s in p["samples"]]
    return {
        "accepted": sum(p["accepted"] for p in parts),
        "refused": sum(p["refused"] for p in parts),
        "errors": [e for p in parts for e in p["errors"]],
        "elapsed_s": elapsed,
        "all_ms": [ms for _, ms in samples],
        "submit_ms": [ms for name, ms in samples if name.endswith("/respond/check/")
                      and name.startswith("POST")],
        "post_ms": [ms for name, ms in samples if name.startswith("POST")],
    }  # fmt: skip


def main() -> None:
    spec = json.loads(Path(sys.argv[1]).read_text())
    if spec["mode"] == "journey":
        json.dump(journeys(spec["host"], spec["port"], spec), sys.stdout)
        return
    request = spec["request"]
    if spec["mode"] == "latency":
        result = latency(
            spec["host"],
            spec["port"],
            request,
            spec["count"],
            spec.get("floor"),
            spec.get("timeout", 60),
            spec.get("give_up_after"),
        )
    else:
        result = throughput(spec["host"], spec["port"], request, spec["clients"], spec["seconds"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
