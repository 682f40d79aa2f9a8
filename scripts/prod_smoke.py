"""`make prod-smoke`: the deploy kit, run for real on this machine, end to end.

Starts deploy/Procfile's processes (release, then web, worker and beat) under production
settings against the local PostgreSQL (databases of its own) and Redis (db 13), with emails
going to a local SMTP server this script runs. Requests carry the headers the nginx site
(deploy/nginx/policyhub.conf) adds: Host, X-Forwarded-Proto and X-Forwarded-For. Then:

- a respondent's whole journey through a consultation, to the confirmation page;
- an access-checked download answered with X-Accel-Redirect for nginx's internal location;
- the worker delivers the respondent's receipt, and a due meeting reminder once the
  reminder sweep is queued (as beat queues it every 5 minutes; its first tick would come
  5 minutes after start);
- /readyz answers 200 with every check ok;
- `manage.py backup`, then `manage.py restore` into a fresh database and media folder, and
  an independent comparison of row counts and file checksums.

It prints what it measured, stops every process it started (failure or not), drops its
databases and empties its Redis database; any failure exits non-zero with the end of each
process's log. Options: --postgres URL (a server where it may create databases) and --redis
URL (a database number nothing else uses).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess  # nosec B404 - the Procfile's processes and manage.py, never user input
import sys
import tarfile
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policyhub.backup import MANIFEST, Manifest, compare, file_checksums  # noqa: E402
from tests.security.faults.smtp_sink import SmtpSink  # noqa: E402

BIN = Path(sys.executable).parent
PROCFILE = ROOT / "deploy" / "Procfile"
HOST = "smoke.policyhub.test"
CLIENT_ADDRESS = "203.0.113.7"  # documentation range: what nginx would append
DATABASE = "policyhub_smoke"
RESTORED_DATABASE = "policyhub_smoke_restored"
RESPONDENT = "respondent@smoke.policyhub.test"
FILES = 5  # uploaded files to back up and restore


class SmokeFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> float:
    """Seconds until condition() was true; fails after timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise SmokeFailed(f"Gave up after {timeout:.0f} s waiting for {what}.")


# --- The Procfile's processes ---------------------------------------------------------------------
def read_procfile(path: Path) -> dict[str, str]:
    """name -> command, as honcho and Heroku read it."""
    commands = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            commands[match.group(1)] = match.group(2)
    return commands


class Stack:
    """Each Procfile process through sh, in a session of its own so that stopping it stops
    its children too (gunicorn's and Celery's workers)."""

    def __init__(self, commands: dict[str, str], env: dict[str, str], logs: Path) -> None:
        self.commands = commands
        self.env = env
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"

    def run_once(self, name: str, timeout: float = 120) -> float:
        started = time.monotonic()
        with self.log(name).open("ab") as log:
            result = subprocess.run(  # nosec B603 B607 - the Procfile's own line
                ["sh", "-c", self.commands[name]],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if result.returncode != 0:
            raise SmokeFailed(f"Procfile's {name} exited with {result.returncode}.")
        return time.monotonic() - started

    def start(self, *names: str) -> None:
        for name in names:
            with self.log(name).open("ab") as log:
                self.running[name] = subprocess.Popen(  # nosec B603 B607
                    ["sh", "-c", self.commands[name]],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )

    def check_alive(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                raise SmokeFailed(f"Procfile's {name} stopped with {process.returncode}.")

    def stop(self) -> None:
        for process in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in self.running.values():
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            # Whatever is left in the session (a worker's child), and a stuck leader.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# --- A browser behind the proxy --------------------------------------------------------------
class Browser:
    """Cookies, the CSRF token, and the headers nginx adds in front of gunicorn."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.requests = 0

    def request(
        self, method: str, path: str, fields: dict | None = None, *, proxied: bool = True
    ) -> tuple[int, dict[str, str], bytes]:
        headers = {"Host": HOST}
        if proxied:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT_ADDRESS}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        self.requests += 1
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def expect(self, method: str, path: str, status: int, fields: dict | None = None) -> str:
        """The request's Location (a path) after checking its status."""
        answered, headers, body = self.request(method, path, fields)
        if answered != status:
            raise SmokeFailed(f"{method} {path} answered {answered}, expected {status}.")
        return headers.get("location", "").removeprefix(f"https://{HOST}")


def respondent_journey(port: int, seed: dict) -> tuple[float, int, float]:
    """Start to confirmation page: (seconds, requests, monotonic time of the submission)."""
    browser = Browser(port)
    base = f"/consultations/{seed['slug']}"
    started = time.monotonic()
    browser.expect("GET", f"{base}/", 200)
    about = browser.expect("POST", f"{base}/respond/start/", 302, {})
    browser.expect("GET", about, 200)
    section = browser.expect(
        "POST",
        about,
        302,
        {"respondent_type": "individual", "publication": "anonymous", "email": RESPONDENT},
    )
    browser.expect("GET", section, 200)
    check = browser.expect(
        "POST", section, 302, {seed["field"]: "Publish the register of data sharing."}
    )
    browser.expect("GET", check, 200)
    submitted = time.monotonic()
    sent = browser.expect("POST", check, 302, {"website": ""})
    if not sent.endswith("/respond/sent/"):
        raise SmokeFailed(f"Sending the response led to {sent}, not the confirmation page.")
    browser.expect("GET", sent, 200)
    return time.monotonic() - started, browser.requests, submitted


# --- PostgreSQL and Redis -----------------------------------------------------------------------
def recreate_databases(postgres: str, *names: str, create: bool = True) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if create:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def row_counts(database_url: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(database_url) as connection:
        found = connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        counts = {}
        for (table,) in found:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = connection.execute(query).fetchone()[0]
    return counts


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_timeout=5).flushdb()


# --- Data the journey needs, made in a process with the production settings ---------------------
def seed() -> None:
    """Print JSON: an open consultation with one question, published documents with a CSV each,
    and a meeting whose 7-day reminder is due now for one registered person."""
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from consultation.forms import SectionForm
    from documents.services import attach_file
    from meetings.models import Registration
    from tests.consultation.factories import QuestionFactory
    from tests.documents.factories import DocumentFactory
    from tests.factories import ConsultationFactory, UserFactory
    from tests.security.faults.scenario import _reminders

    consultation = ConsultationFactory(slug="smoke-consultation")
    question = QuestionFactory(section__consultation=consultation, is_required=False)
    editor = UserFactory()
    attached = [
        attach_file(
            DocumentFactory(),
            by=editor,
            upload=SimpleUploadedFile(
                "register.csv", f"organisation,datasets\nBody {n},{n}\n".encode(), "text/csv"
            ),
        )
        for n in range(FILES)
    ][0]
    meeting = _reminders(1)
    registrant = Registration.objects.get(meeting_id=meeting).user.email
    print(
        json.dumps(
            {
                "slug": consultation.slug,
                "field": SectionForm.field_name(question),
                "download": attached.get_absolute_url(),
                "stored_as": attached.file.name,
                "registrant": registrant,
            }
        )
    )


# --- The run ------------------------------------------------------------------------------------
def production_environment(args, work: Path, sink_port: int, web_port: int) -> dict[str, str]:
    dropped = ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_", "MEDIA_", "SENTRY_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(
        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        DJANGO_SETTINGS_MODULE="policyhub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SITE_URL=f"https://{HOST}",
        CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
        DATABASE_URL=f"{args.postgres}/{DATABASE}",
        REDIS_URL=args.redis,
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        EMAIL_TIMEOUT="5",
        MEDIA_ROOT=str(work / "media"),
        TRUSTED_PROXY_COUNT="1",
        DOCUMENTS_FILE_SERVING="x-accel-redirect",
        PORT=str(web_port),
        WEB_CONCURRENCY="2",
        CELERY_BEAT_SCHEDULE_FILE=str(work / "celerybeat-schedule"),
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict[str, str], *args: str, log: Path, timeout: float = 120) -> tuple[str, float]:
    started = time.monotonic()
    result = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    took = time.monotonic() - started
    with log.open("a") as out:
        out.write(result.stdout + result.stderr)
    if result.returncode != 0:
        raise SmokeFailed(f"manage.py {args[0]} failed: {result.stderr.strip()[-1500:]}")
    return result.stdout, took


def smoke(args, work: Path, figures: dict[str, str]) -> None:
    logs = work / "logs"
    logs.mkdir()
    sink = SmtpSink(free_port())
    web_port = free_port()
    env = production_environment(args, work, sink.port, web_port)
    stack = Stack(read_procfile(PROCFILE), env, logs)
    missing = {"release", "web", "worker", "beat"} - stack.commands.keys()
    if missing:
        raise SmokeFailed(f"deploy/Procfile has no {', '.join(sorted(missing))}.")
    try:
        recreate_databases(args.postgres, DATABASE, RESTORED_DATABASE)
        flush_redis(args.redis)
        sink.answer()
        figures["release (migrate)"] = f"{stack.run_once('release'):.1f} s"
        _, took = manage(env, "collectstatic", "--noinput", "-v0", log=logs / "build.log")
        figures["collectstatic"] = f"{took:.1f} s"
        seeded = subprocess.run(  # nosec B603
            [sys.executable, __file__, "seed"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if seeded.returncode != 0:
            raise SmokeFailed(f"Seeding failed: {seeded.stderr.strip()[-1500:]}")
        data = json.loads(seeded.stdout.strip().splitlines()[-1])

        started = time.monotonic()
        stack.start("web", "worker", "beat")

        def healthy() -> bool:
            stack.check_alive()
            try:
                return Browser(web_port).request("GET", "/healthz")[0] == 200
            except OSError:
                return False

        wait_for(healthy, timeout=60, what="/healthz through the proxy headers")
        figures["stack up (/healthz 200)"] = f"{time.monotonic() - started:.1f} s"

        # Without the proxy's X-Forwarded-Proto the request counts as plain HTTP.
        status, headers, _ = Browser(web_port).request("GET", "/", proxied=False)
        if status != 301 or not headers.get("location", "").startswith(f"https://{HOST}/"):
            raise SmokeFailed(f"Plain HTTP answered {status}, not a redirect to HTTPS.")
        status, _, page = Browser(web_port).request("GET", "/")
        asset = re.search(rb'href="(/static/[^"]+\.css)"', page)
        if status != 200 or asset is None:
            raise SmokeFailed(f"The home page answered {status} or links no stylesheet.")
        status, headers, _ = Browser(web_port).request("GET", asset.group(1).decode())
        if status != 200 or "max-age" not in headers.get("cache-control", ""):
            raise SmokeFailed(f"{asset.group(1).decode()} answered {status} without caching.")

        took, requests, submitted = respondent_journey(web_port, data)
        figures["respondent journey"] = f"{took:.2f} s ({requests} requests)"

        status, headers, body = Browser(web_port).request("GET", data["download"])
        expected = f"/protected-files/{data['stored_as']}"
        if status != 200 or headers.get("x-accel-redirect") != expected or body:
            raise SmokeFailed(
                f"The download answered {status} with X-Accel-Redirect "
                f"{headers.get('x-accel-redirect')!r}, expected {expected!r} and no body."
            )

        queued = time.monotonic()
        subprocess.run(  # nosec B603 - what beat does every 5 minutes
            [str(BIN / "celery"), "-A", "policyhub", "call",
             "meetings.tasks.send_due_meeting_reminders"],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=60,
        )  # fmt: skip

        def delivered(to: str, subject: str) -> Callable[[], bool]:
            def check() -> bool:
                stack.check_alive()
                return any(r == to and s.startswith(subject) for r, s in sink.received())

            return check

        wait_for(delivered(RESPONDENT, "Your response to"), timeout=60, what="the receipt")
        figures["receipt delivered"] = f"{time.monotonic() - submitted:.2f} s after sending"
        wait_for(delivered(data["registrant"], "Reminder:"), timeout=60, what="the reminder")
        figures["reminder delivered"] = f"{time.monotonic() - queued:.2f} s after the sweep"

        readiness: dict = {}

        def ready() -> bool:
            status, _, body = Browser(web_port).request("GET", "/readyz")
            readiness.update(json.loads(body))
            return status == 200

        try:
            wait_for(ready, timeout=30, what="/readyz to pass")
        except SmokeFailed:
            raise SmokeFailed(f"/readyz did not pass: {readiness}") from None
        figures["/readyz"] = "200, " + ", ".join(f"{k} {v}" for k, v in readiness["checks"].items())
        beat_log = stack.log("beat").read_text(errors="replace")
        if "beat: Starting" not in beat_log and "celery beat v" not in beat_log:
            raise SmokeFailed("beat did not start.")
        stack.check_alive()

        backups = work / "backups"
        _, took = manage(env, "backup", str(backups), log=logs / "backup.log")
        (archive,) = backups.glob("policyhub-backup-*.tar")
        with tarfile.open(archive) as opened:
            manifest = Manifest.from_json(opened.extractfile(MANIFEST).read().decode())
        figures["backup"] = (
            f"{took:.2f} s, {archive.stat().st_size:,} bytes ({len(manifest.tables)} tables, "
            f"{manifest.total_rows} rows, {plural(len(manifest.files), 'file')})"
        )

        restored = dict(
            env,
            DATABASE_URL=f"{args.postgres}/{RESTORED_DATABASE}",
            MEDIA_ROOT=str(work / "restored-media"),
        )
        _, took = manage(restored, "restore", str(archive), log=logs / "restore.log")
        figures["restore"] = f"{took:.2f} s"

        # Checked again here, independently of the command's own comparison.
        source_files = file_checksums(work / "media")
        problems = compare(
            manifest,
            tables=row_counts(restored["DATABASE_URL"]),
            files=file_checksums(work / "restored-media"),
        )
        if data["stored_as"] not in source_files or source_files != manifest.files:
            problems.append("The backup's files are not those of the media folder.")
        if problems:
            raise SmokeFailed("Restore differs: " + " ".join(problems))
        figures["restore matches"] = (
            f"{len(manifest.tables)} tables' row counts, "
            f"{plural(len(manifest.files), 'file checksum')}"
        )
    except Exception:
        for log in sorted(logs.glob("*.log")):
            lines = log.read_text(errors="replace").splitlines()[-25:]
            print(f"--- {log.name} (last {len(lines)} lines)", *lines, sep="\n", file=sys.stderr)
        raise
    finally:
        stack.stop()
        sink.stop()
        with contextlib.suppress(Exception):
            recreate_databases(args.postgres, DATABASE, RESTORED_DATABASE, create=False)
        with contextlib.suppress(Exception):
            flush_redis(args.redis)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", nargs="?", choices=["seed"], help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    args = parser.parse_args()
    if args.step == "seed":
        seed()
        return 0

    def stop(signum, frame):  # so `finally` stops the stack on SIGTERM too
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    figures: dict[str, str] = {}
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="policyhub-smoke-"))
    failure = None
    try:
        smoke(args, work, figures)
    except SmokeFailed as error:
        failure = error
    except Exception as error:
        traceback.print_exc()
        failure = error
    finally:
        shutil.rmtree(work, ignore_errors=True)
    figures["total"] = f"{time.monotonic() - started:.1f} s"
    print("prod-smoke:", "FAILED: " + str(failure) if failure else "passed")
    width = max(len(name) for name in figures)
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value}")
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
