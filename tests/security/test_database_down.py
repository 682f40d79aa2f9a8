"""While the database cannot be reached, every page answers a friendly 503 (with
Retry-After), built without asking the database anything, instead of a 500 or a broken
response. tests/security/faults/test_postgres_restart.py does this with a real restart."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

pytestmark = pytest.mark.django_db


def database_down():
    return mock.patch.object(
        BaseDatabaseWrapper,
        "ensure_connection",
        side_effect=OperationalError("connection refused: the server is restarting"),
    )


@pytest.mark.parametrize("path", ["/", "/documents/", "/meetings/", "/consultations/"])
def test_pages_answer_a_friendly_503_while_the_database_is_down(path):
    client = Client(raise_request_exception=False)
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


def test_signed_in_person_also_gets_the_503_not_a_crash(participant):
    client = Client(raise_request_exception=False)
    client.force_login(participant)
    with database_down():
        response = client.get("/working-groups/")
    assert response.status_code == 503


def test_other_errors_are_still_a_500():
    client = Client(raise_request_exception=False)
    with mock.patch("process.views.HomeView.get", side_effect=RuntimeError("a bug")):
        response = client.get("/")
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_driver_error_that_escapes_django_is_also_a_503():
    """Closing a server-side cursor raises the driver's own error, not Django's wrapper."""
    from django.db import connection

    client = Client(raise_request_exception=False)
    driver_error = connection.Database.OperationalError("terminating connection")
    with mock.patch("process.views.HomeView.get", side_effect=driver_error):
        response = client.get("/")
    assert response.status_code == 503
