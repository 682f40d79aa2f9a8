"""Security headers on every response the site gives, and cookies in production.

Every page of the catalogue (each role's HTML pages and the feeds, calendars, exports and
downloads), plus the error pages (403, 404, 405), must carry a strict Content-Security-
Policy, nosniff, a Referrer-Policy and a refusal to be framed."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests import pages
from tests.policyhub.test_settings import run_django

REFERRER_POLICIES = {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def header_problems(response) -> list[str]:
    problems = []
    csp = response.headers.get("Content-Security-Policy", "")
    if not csp:
        problems.append("no Content-Security-Policy")
    policy = directives(csp)
    for name in ("script-src", "style-src", "default-src"):
        sources = policy.get(name, [])
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
            if unsafe in sources and not (name == "default-src" and unsafe == "data:"):
                problems.append(f"{name} allows {unsafe}")
    if policy.get("frame-ancestors") not in (["'none'"], ["'self'"]):
        problems.append(f"frame-ancestors is {policy.get('frame-ancestors')}")
    if policy.get("object-src", policy.get("default-src")) != ["'none'"]:
        problems.append("object-src is not 'none'")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {response.headers.get('Referrer-Policy')}")
    if response.headers.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    return problems


@pytest.mark.django_db
def test_every_catalogued_response_carries_the_security_headers(client, participant):
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    wrong = []
    for page in [*pages.html_pages(), *pages.other_responses()]:
        pages.sign_in_client_as(client, page.role, users)
        response = client.get(page.path)
        assert response.status_code == 200, page
        wrong += [f"{page}: {problem}" for problem in header_problems(response)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/documents/no-such-document/", 404),
        ("get", "/working-groups/default-tasks/", 403),
        ("post", "/meetings/", 405),
        ("get", "/consultations/x/respond/sent/", 404),
    ],
)
def test_error_responses_carry_the_security_headers(client, participant, method, path, status):
    client.force_login(participant)
    response = getattr(client, method)(path)
    assert response.status_code == status
    assert header_problems(response) == []


def test_production_cookies_are_secure_httponly_and_samesite():
    result = run_django(
        "from django.conf import settings as s; print("
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "Lax", "True", "True", "Lax", "True", "True"]


@pytest.mark.django_db
def test_session_cookie_set_on_sign_in_is_httponly_and_samesite(client, participant):
    participant.set_password("a-long-enough-password-2014")
    participant.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=participant, email=participant.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        "/accounts/login/",
        {"login": participant.email, "password": "a-long-enough-password-2014"},
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def _production_settings(monkeypatch) -> dict[str, object]:
    """The cookie settings policyhub/settings/production.py ends with, read from the module
    itself (loaded with the environment it demands), so this test follows it."""
    import importlib
    import sys

    from policyhub.settings import base
    from tests.policyhub.test_settings import PRODUCTION_ENV

    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(base, "REDIS_URL", PRODUCTION_ENV["REDIS_URL"])
    monkeypatch.setattr(base, "CELERY_BROKER_URL", PRODUCTION_ENV["REDIS_URL"])
    monkeypatch.delitem(sys.modules, "policyhub.settings.production", raising=False)
    production = importlib.import_module("policyhub.settings.production")
    monkeypatch.delitem(sys.modules, "policyhub.settings.production")
    return {
        name: getattr(production, name)
        for name in dir(production)
        if name.startswith(("SESSION_COOKIE_", "CSRF_COOKIE_"))
    }


@pytest.mark.django_db
def test_production_sign_in_sets_secure_httponly_lax_cookies(client, participant, monkeypatch):
    """Under production's cookie settings, signing in sets a session cookie and the sign-in
    page a CSRF cookie that are Secure, HttpOnly and SameSite=Lax: a browser will not send
    them over plain HTTP, show them to script, or attach them to cross-site POSTs."""
    from allauth.account.models import EmailAddress
    from django.test import override_settings

    participant.set_password("a-long-enough-password-2014")
    participant.save()
    EmailAddress.objects.update_or_create(
        user=participant, email=participant.email, defaults={"verified": True, "primary": True}
    )
    with override_settings(**_production_settings(monkeypatch)):
        page = client.get("/accounts/login/", secure=True)
        response = client.post(
            "/accounts/login/",
            {"login": participant.email, "password": "a-long-enough-password-2014"},
            secure=True,
        )
    assert response.status_code == 302
    cookies = {**page.cookies, **response.cookies}
    for name in ("sessionid", "csrftoken"):
        header = cookies[name].output().lower()
        assert "; secure" in header, header
        assert "; httponly" in header, header
        assert "; samesite=lax" in header, header
