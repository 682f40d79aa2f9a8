"""Production settings refuse an insecure start and satisfy `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-production-secret-key-for-tests-0123456789"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "policyhub.settings.production",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "policyhub.example.org",
    "SITE_URL": "https://policyhub.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": "sqlite:////tmp/policyhub-check-deploy.sqlite3",
}


def run_django(code: str, **overrides: str | None) -> subprocess.CompletedProcess:
    # Only what production would have: no test-only switches such as DJANGO_ALLOW_ASYNC_UNSAFE.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION_ENV)
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("REDIS_URL", "REDIS_URL must be set"),
        ("SITE_URL", "SITE_URL must be set"),
    ],
)
def test_production_refuses_to_start_without_required_setting(missing, message):
    result = run_django("print('started')", **{missing: None})
    assert result.returncode != 0
    assert message in result.stderr
    assert "started" not in result.stdout


def test_production_refuses_the_development_secret_key():
    result = run_django(
        "print('started')", SECRET_KEY="django-insecure-development-only-key-not-for-production"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_a_plain_http_site_url():
    result = run_django("print('started')", SITE_URL="http://policyhub.example.org")
    assert result.returncode != 0
    assert "SITE_URL must be the site's https:// address" in result.stderr


def test_production_settings_start_with_everything_set():
    result = run_django(
        "from django.conf import settings; print(settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_check_deploy_reports_no_issue_under_production_settings():
    result = run_django(
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_use_sqlite_and_the_filesystem_broker():
    result = run_django(
        "from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL)",
        DJANGO_SETTINGS_MODULE="policyhub.settings.base",
        DATABASE_URL=None,
        REDIS_URL=None,
        CELERY_BROKER_URL=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_redis_url_configures_cache_and_broker():
    result = run_django(
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.CELERY_BROKER_URL)",
        DJANGO_SETTINGS_MODULE="policyhub.settings.base",
        CELERY_BROKER_URL=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "policyhub.cache.RedisCache",
        "redis://127.0.0.1:6379/0",
    ]


def test_every_response_carries_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script(client, db):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert '<script type="module" src="/static/js/app.js"></script>' in html


# What `make run` has: the base settings and none of production's variables.
DEVELOPMENT = {
    "DJANGO_SETTINGS_MODULE": "policyhub.settings.base",
    "DATABASE_URL": None,
    "ALLOWED_HOSTS": None,
}


def test_development_shows_the_sites_own_error_pages_unless_debug_pages_are_asked_for():
    page = (
        "from django.conf import settings; from django.test import Client; "
        "response = Client().get('/no-such-page/'); "
        "print(settings.DEBUG, response.status_code, 'check it is correct' in response.text, "
        "'URLconf' in response.text)"
    )
    result = run_django(page, DEBUG=None, **DEVELOPMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-4:] == ["False", "404", "True", "False"]

    asked = run_django(page, DEBUG="1", **DEVELOPMENT)
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout.split()[-4:] == ["True", "404", "False", "True"]


def test_development_serves_static_files_without_debug_or_collectstatic():
    fetch = (
        "from django.test import Client; "
        "print(Client().get('/static/vendor/govuk-frontend/css/policyhub.min.css').status_code)"
    )
    result = run_django(fetch, DEBUG=None, **DEVELOPMENT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "200"
