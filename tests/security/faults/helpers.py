"""Running the project's own processes against the throwaway servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent


def environment(postgres, redis, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.security.faults.fault_settings",
        DATABASE_URL=postgres.url(),
        REDIS_URL=redis.url(),
        CELERY_BROKER_URL=redis.url(1),
        CONN_MAX_AGE="0",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def run(env: dict[str, str], *args: str, timeout: int = 300) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def prepare_database(postgres, env: dict[str, str]) -> None:
    postgres.create_database()
    run(env, "manage.py", "migrate", "--noinput", "-v0")


def scenario(env: dict[str, str], *args: str) -> str:
    return run(env, "-m", "tests.security.faults.scenario", *args)


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "celery"),
            "-A",
            "policyhub",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "faults@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def start_gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 4):
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "policyhub.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    from .servers import wait_for

    def answers() -> bool:
        try:
            return Browser(port).request("GET", "/healthz")[0] in {200, 503}
        except OSError:
            return False

    wait_for(answers, timeout=60, what="gunicorn to answer")
    return process


class Browser:
    """Just enough of a browser: cookies, CSRF token, form posts, and giving up on a request
    after sending it (a timeout: the server carries on, the client never hears back)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, fields: dict | None = None, abandon: bool = False
    ) -> tuple[int, str, bytes]:
        import http.client
        from urllib.parse import urlencode

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            if abandon:
                return 0, "", b""
            response = connection.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, response.getheader("Location") or "", data
        finally:
            connection.close()
