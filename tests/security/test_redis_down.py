"""While Redis is unreachable: the cache behaves as an empty one (rate limits stop counting,
nothing fails), and emails that would be queued are sent at once instead.
tests/security/faults/test_redis_outage.py does this with a real Redis stopped."""

from __future__ import annotations

import socket
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from kombu.exceptions import OperationalError

from tests.consultation.test_views import complete, questions, start, url  # noqa: F401

pytestmark = pytest.mark.django_db


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "policyhub.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    yield  # Django rebuilds its caches whenever CACHES changes (setting_changed)


def test_the_cache_answers_like_an_empty_one(redis_down):
    cache = caches["default"]
    assert cache.get("anything", "default") == "default"
    assert cache.add("k", 1) is True
    cache.set("k", 1)
    with pytest.raises(ValueError):
        cache.incr("k")


def test_sign_in_works_while_redis_is_down(client, participant, redis_down):
    from allauth.account.models import EmailAddress

    participant.set_password("a-long-enough-password-2014")
    participant.save()
    EmailAddress.objects.update_or_create(
        user=participant, email=participant.email, defaults={"verified": True, "primary": True}
    )
    response = client.post(
        reverse("account_login"),
        {"login": participant.email, "password": "a-long-enough-password-2014"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_consultation_submission_works_while_redis_is_down(
    client,
    consultation,
    questions,  # noqa: F811
    redis_down,
):
    from consultation.models import Response

    start(client, consultation)
    complete(client, consultation, questions)
    response = client.post(url("check", consultation))
    assert response.status_code == 302
    assert Response.objects.submitted().count() == 1


def test_join_request_email_is_sent_at_once_when_the_broker_is_down(
    client, participant, group, django_capture_on_commit_callbacks
):
    from tests.factories import MembershipFactory

    MembershipFactory(group=group, role="convenor")
    client.force_login(participant)
    with (
        mock.patch("celery.app.task.Task.delay", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("workinggroups:join", args=[group.slug]),
            {"statement": "I research administrative data."},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_one_redis_client_serves_every_call(redis_down):
    """The cache keeps one client per server rather than building one per call; sharing
    it is safe because each command borrows its own connection from the pool."""
    backend = caches["default"]._cache
    client = backend.get_client()
    assert backend.get_client() is client
    assert backend.get_client(write=True) is client  # one server: reads and writes alike
    assert caches["default"].get("anything") is None  # and it still fails open
