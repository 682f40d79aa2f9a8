"""Every foundation page answers, and the health check tells the truth."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/processes/data-sharing-2014/",
    "/processes/data-sharing-2014/terms-of-reference/",
    "/working-groups/",
    "/working-groups/research-and-statistics/",
    "/meetings/",
    "/documents/",
    "/consultations/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_answers_with_skip_link_and_navigation(client, demo, url):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main-content"' in html
    for item in ("Process", "Working groups", "Meetings", "Documents", "Consultations", "Sign in"):
        assert f">{item}</a>" in html


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unavailable_database(client):
    with mock.patch("policyhub.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_server_error_page_is_styled(client):
    client.raise_request_exception = False
    with mock.patch("process.views.HomeView.get_context_data", side_effect=RuntimeError):
        response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
