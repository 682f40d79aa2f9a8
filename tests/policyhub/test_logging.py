"""Log lines say when, how severe, where and for which request; errors reach Sentry (when
configured) and the admins; X-Request-ID ties a response to its lines."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, HttpResponseBadRequest
from django.test import Client
from django.urls import path

from policyhub.celery import app as celery_app
from policyhub.logging import (
    JsonFormatter,
    RequestIdFilter,
    add_request_id_tag,
    current_request_id,
    init_error_tracking,
    parse_admins,
)

ROOT = Path(__file__).resolve().parents[2]
NEW_ID = re.compile(r"[0-9a-f]{32}")
logger = logging.getLogger("policyhub.tests.logging")


# --- A page that logs, and one that fails, served by this module as the URLconf ------------
_both_inside = threading.Barrier(2, timeout=10)


def _page_that_logs(request):
    logger.info("handling the page")
    return HttpResponse("ok")


def _page_that_logs_with_another_request(request):
    # Both threads are inside their request before either logs, and neither leaves until
    # both have: a variable shared by the threads would show the same id on both lines.
    _both_inside.wait()
    logger.info("handling %s", request.GET["who"])
    _both_inside.wait()
    return HttpResponse("ok")


def _page_refusing_the_request(request):
    return HttpResponseBadRequest("no")


def _page_that_fails(request):
    raise RuntimeError("the page failed")


urlpatterns = [
    path("logs/", _page_that_logs),
    path("logs/concurrent/", _page_that_logs_with_another_request),
    path("logs/refused/", _page_refusing_the_request),
    path("logs/fails/", _page_that_fails),
]


@pytest.fixture
def pages(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def log_output():
    """What the configured console handler writes, as the terminal or collector sees it."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    # A Celery worker started by another test sets the root logger to its own level.
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    yield stream
    root.setLevel(level)
    handler.setStream(previous)


def lines_with(output: io.StringIO, text: str) -> list[str]:
    return [line for line in output.getvalue().splitlines() if text in line]


# --- Request ids ---------------------------------------------------------------------------


def test_a_plain_request_id_from_the_proxy_is_echoed_and_on_the_requests_log_lines(
    client, pages, log_output
):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="lb-7f3a.9_Z-1")

    assert response.headers["X-Request-ID"] == "lb-7f3a.9_Z-1"
    (line,) = lines_with(log_output, "handling the page")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO policyhub\.tests\.logging "
        r"\[lb-7f3a\.9_Z-1\] handling the page",
        line,
    )


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "two words",
        "x" * 201,
        "id\nforged line",
        'id"},{"level":"ERROR',
        "id;rm -rf",
    ],
)
def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, pages, log_output, incoming):
    response = client.get("/logs/", HTTP_X_REQUEST_ID=incoming)

    request_id = response.headers["X-Request-ID"]
    assert NEW_ID.fullmatch(request_id)
    (line,) = lines_with(log_output, "handling the page")
    assert f"[{request_id}]" in line


def test_a_request_id_of_two_hundred_characters_is_kept(client, pages):
    response = client.get("/logs/", HTTP_X_REQUEST_ID="a" * 200)
    assert response.headers["X-Request-ID"] == "a" * 200


def test_each_request_without_an_id_gets_its_own(client, pages):
    first = client.get("/logs/").headers["X-Request-ID"]
    second = client.get("/logs/").headers["X-Request-ID"]
    assert NEW_ID.fullmatch(first)
    assert NEW_ID.fullmatch(second)
    assert first != second


def test_every_page_of_the_site_carries_a_request_id(client, db):
    assert NEW_ID.fullmatch(client.get("/").headers["X-Request-ID"])


def test_lines_logged_outside_a_request_carry_a_dash(client, pages, log_output):
    client.get("/logs/", HTTP_X_REQUEST_ID="finished-request")
    logger.info("after the request")

    (line,) = lines_with(log_output, "after the request")
    assert "[-] after the request" in line


def test_requests_handled_at_once_in_two_threads_keep_their_own_ids(pages, log_output):
    responses = {}

    def browse(who: str) -> None:
        responses[who] = Client().get(
            f"/logs/concurrent/?who={who}", HTTP_X_REQUEST_ID=f"id-of-{who}"
        )

    threads = [threading.Thread(target=browse, args=(who,)) for who in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert {who: r.status_code for who, r in responses.items()} == {"ann": 200, "bob": 200}
    for who in ("ann", "bob"):
        (line,) = lines_with(log_output, f"handling {who}")
        assert f"[id-of-{who}]" in line


def test_a_refusal_django_logs_after_the_middleware_still_names_the_request(
    client, pages, log_output
):
    client.get("/logs/refused/", HTTP_X_REQUEST_ID="refused-1")

    (line,) = lines_with(log_output, "Bad Request: /logs/refused/")
    assert "WARNING django.request [refused-1]" in line


def test_a_refusal_is_one_warning_line_without_a_traceback(client, participant, log_output):
    client.force_login(participant)  # signed in, but not the secretariat: a 403
    assert client.get("/documents/access-log/", HTTP_X_REQUEST_ID="denied-1").status_code == 403

    (line,) = lines_with(log_output, "Forbidden (Permission denied): /documents/access-log/")
    assert "WARNING django.request [denied-1]" in line
    assert "Traceback" not in log_output.getvalue()
    assert "PermissionDenied" not in log_output.getvalue()


def test_a_server_error_keeps_its_traceback(pages, log_output):
    Client(raise_request_exception=False).get("/logs/fails/")

    assert "Traceback" in log_output.getvalue()
    assert "RuntimeError: the page failed" in log_output.getvalue()


def test_a_task_logs_its_own_id_in_place_of_a_request_id(log_output):
    @celery_app.task(name="tests.policyhub.test_logging.log_in_a_task")
    def log_in_a_task() -> None:
        logger.info("inside the task")

    result = log_in_a_task.apply()

    (line,) = lines_with(log_output, "inside the task")
    assert f"[{result.id}]" in line


# --- Formats -------------------------------------------------------------------------------


def test_json_lines_hold_time_level_logger_message_request_id_and_traceback():
    formatter = JsonFormatter()
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logger.makeRecord(
            logger.name, logging.ERROR, __file__, 1, "line one\nline %s", ("two",), sys.exc_info()
        )
    token = current_request_id.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        current_request_id.reset(token)

    output = formatter.format(record)

    assert "\n" not in output
    entry = json.loads(output)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["time"])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "policyhub.tests.logging"
    assert entry["message"] == "line one\nline two"
    assert entry["request_id"] == "req-42"
    assert "ValueError: bad value" in entry["exception"]


def run_django(code: str, **environment: str) -> subprocess.CompletedProcess:
    """A fresh process under the base settings, so settings read the environment given."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"LOG_FORMAT", "LOG_LEVEL", "SENTRY_DSN", "ADMINS", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="policyhub.settings.base",
        DATABASE_URL="sqlite:////tmp/policyhub-logging-test.sqlite3",
        **environment,
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_log_format_json_writes_one_json_object_per_line():
    result = run_django(
        "import django, logging; django.setup(); "
        "logging.getLogger('policyhub.check').warning('ready')",
        LOG_FORMAT="json",
    )
    assert result.returncode == 0, result.stderr
    entry = json.loads(result.stderr.strip().splitlines()[-1])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "policyhub.check"
    assert entry["message"] == "ready"
    assert entry["request_id"] == "-"
    assert set(entry) == {"time", "level", "logger", "message", "request_id"}


def test_an_unknown_log_format_stops_the_start():
    result = run_django("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of text, json" in result.stderr


def test_log_level_still_sets_the_root_level():
    result = run_django(
        "import django, logging; django.setup(); "
        "logging.getLogger('policyhub.check').info('hidden'); "
        "logging.getLogger('policyhub.check').error('shown')",
        LOG_LEVEL="ERROR",
    )
    assert result.returncode == 0, result.stderr
    assert "hidden" not in result.stderr
    assert "ERROR policyhub.check [-] shown" in result.stderr


# --- Error tracking ------------------------------------------------------------------------


def test_sentry_is_not_started_without_a_dsn():
    with mock.patch("sentry_sdk.init") as init:
        assert init_error_tracking("") is False
    init.assert_not_called()


def test_sentry_starts_with_a_dsn_with_django_and_celery_and_no_personal_data():
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    with mock.patch("sentry_sdk.init") as init:
        assert init_error_tracking("https://key@sentry.example.org/1", environment="staging")

    init.assert_called_once()
    options = init.call_args.kwargs
    assert options["dsn"] == "https://key@sentry.example.org/1"
    assert options["environment"] == "staging"
    assert {type(i) for i in options["integrations"]} == {DjangoIntegration, CeleryIntegration}
    collection = options["data_collection"]
    assert collection["user_info"] is False
    assert collection["cookies"] == {"mode": "off"}
    assert collection["url_query_params"] == {"mode": "off"}
    assert collection["http_bodies"] == []
    assert collection["stack_frame_variables"] is False


def test_the_settings_start_sentry_only_when_sentry_dsn_is_set():
    code = (
        "from unittest import mock; import django\n"
        "with mock.patch('sentry_sdk.init') as init:\n"
        "    django.setup()\n"
        "print(init.call_count, init.call_args.kwargs['dsn'] if init.call_args else '')"
    )
    without = run_django(code)
    with_dsn = run_django(code, SENTRY_DSN="https://key@sentry.example.org/1")

    assert without.returncode == 0, without.stderr
    assert without.stdout.split() == ["0"]
    assert with_dsn.returncode == 0, with_dsn.stderr
    assert with_dsn.stdout.split() == ["1", "https://key@sentry.example.org/1"]


def test_the_installed_sentry_sdk_accepts_the_options():
    # Nothing is captured, so nothing is sent to the (unreachable) address.
    result = run_django(
        "import django, sentry_sdk; django.setup(); client = sentry_sdk.get_client(); "
        "print(client.is_active(), client.options['data_collection']['user_info'])",
        SENTRY_DSN="https://key@127.0.0.1:9/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_sentry_events_carry_the_request_id():
    token = current_request_id.set("req-7")
    try:
        event = add_request_id_tag({"message": "failed"}, {})
    finally:
        current_request_id.reset(token)
    assert event["tags"] == {"request_id": "req-7"}


# --- Admins --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "admins"),
    [
        ("", []),
        ("  ,  ", []),
        (
            "Ann Smith <ann@example.org>,Bob <bob@example.org>",
            [("Ann Smith", "ann@example.org"), ("Bob", "bob@example.org")],
        ),
        (
            "ann@example.org, bob@example.org,",
            [("ann@example.org", "ann@example.org"), ("bob@example.org", "bob@example.org")],
        ),
        (
            '"Smith, Jane" <jane@example.org>; ops@example.org',
            [("Smith, Jane", "jane@example.org"), ("ops@example.org", "ops@example.org")],
        ),
    ],
)
def test_admins_are_read_from_names_and_addresses_separated_by_commas(value, admins):
    assert parse_admins(value) == admins


@pytest.mark.parametrize("value", ["ann", "Ann <ann>", "ann@example.org bob@example.org", "@x"])
def test_admins_that_are_not_addresses_stop_the_start(value):
    with pytest.raises(ImproperlyConfigured, match="ADMINS must be email addresses"):
        parse_admins(value)


def test_the_settings_read_admins_from_the_environment():
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMINS)"
    assert run_django(code).stdout.strip() == "[]"
    result = run_django(code, ADMINS="Ann <ann@example.org>, ops@example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        [("Ann", "ann@example.org"), ("ops@example.org", "ops@example.org")]
    )


def test_a_server_error_is_emailed_to_the_admins(pages, settings, log_output):
    settings.ADMINS = [("Ops", "ops@example.org")]
    client = Client(raise_request_exception=False)

    response = client.get("/logs/fails/", HTTP_X_REQUEST_ID="failing-1")

    assert response.status_code == 500
    assert [m.to for m in mail.outbox] == [["ops@example.org"]]
    assert "RuntimeError" in mail.outbox[0].body
    (line,) = lines_with(log_output, "Internal Server Error: /logs/fails/")
    assert "ERROR django.request [failing-1]" in line
