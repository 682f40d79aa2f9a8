"""While Redis fails (refusing connections, frozen, or refusing writes because it is full):
the cache behaves as an empty one (rate limits stop counting, nothing fails), the circuit
breaker stops asking it, and emails that would be queued are sent at once instead.
tests/security/faults/test_redis_outage.py does this with a real Redis stopped."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from kombu.exceptions import OperationalError

from policyhub import cache as policyhub_cache
from tests.consultation.test_views import complete, questions, start, url  # noqa: F401
from tests.factories import UserFactory, date_fields

pytestmark = pytest.mark.django_db


class FakeRedis:
    """A server on a free loopback port that accepts connections and then either never
    answers (a frozen Redis) or answers every command with `reply` (a full one)."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.received = 0  # chunks of commands read
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)
            threading.Thread(target=self._read, args=(connection,), daemon=True).start()

    def _read(self, connection: socket.socket) -> None:
        try:
            while connection.recv(65536):
                self.received += 1
                if self.reply is not None:
                    connection.sendall(self.reply)
        except OSError:
            return

    def close(self) -> None:
        self.listener.close()
        for connection in self.held:
            connection.close()


def _use_redis(settings, port: int) -> None:
    policyhub_cache._breakers.clear()
    settings.CACHES = {
        "default": {
            "BACKEND": "policyhub.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {
                "CLIENT_CLASS": "policyhub.cache.BreakerClient",
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.2,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }  # Django rebuilds its caches whenever CACHES changes (setting_changed)


@pytest.fixture
def redis_down(settings) -> Iterator[None]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    _use_redis(settings, port)
    yield
    policyhub_cache._breakers.clear()


@pytest.fixture
def redis_frozen(settings) -> Iterator[FakeRedis]:
    server = FakeRedis(reply=None)
    _use_redis(settings, server.port)
    yield server
    server.close()
    policyhub_cache._breakers.clear()


@pytest.fixture
def redis_full(settings) -> Iterator[FakeRedis]:
    server = FakeRedis(reply=b"-OOM command not allowed when used memory > 'maxmemory'.\r\n")
    _use_redis(settings, server.port)
    yield server
    server.close()
    policyhub_cache._breakers.clear()


def test_the_cache_answers_like_an_empty_one(redis_down):
    cache = caches["default"]
    assert cache.get("anything", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    cache.set("k", 1)
    assert cache.add("k", 1) is True  # as if empty: nothing stored, nothing raised
    assert cache.incr("k", ignore_key_check=True) is None


@pytest.mark.parametrize("state", ["redis_frozen", "redis_full"])
def test_a_failing_redis_is_not_asked_again_until_the_breaker_closes(request, state, settings):
    server = request.getfixturevalue(state)
    cache = caches["default"]
    assert cache.get("a") is None  # the first call meets the failure (a timeout, or OOM)
    tried = server.received
    assert tried >= 1
    for _ in range(5):
        assert cache.get("a") is None
        cache.set("a", 1)
    assert server.received == tried  # the open breaker answered without the network
    breaker = policyhub_cache.cache_breaker(settings.CACHES["default"]["LOCATION"])
    breaker.open_until = 0.0  # its cooling-off time has passed
    assert cache.get("a") is None
    assert server.received > tried  # asked again


def test_a_full_redis_refuses_writes_without_an_error(redis_full):
    cache = caches["default"]
    cache.set("k", "v")
    assert cache.get("k") is None


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


@pytest.mark.parametrize("state", ["redis_down", "redis_frozen", "redis_full"])
def test_consultation_submission_works_while_redis_fails(
    request,
    client,
    consultation,
    questions,  # noqa: F811
    state,
):
    from consultation.models import Response

    request.getfixturevalue(state)
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
        mock.patch("celery.app.task.Task.apply_async", side_effect=OperationalError("refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            reverse("workinggroups:join", args=[group.slug]),
            {"statement": "I research administrative data."},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", ["redis_down", "redis_frozen", "redis_full"])
def test_a_restriction_saved_while_redis_fails_hides_the_document_at_once(
    request, client, group, secretariat, state
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.documents.factories import DocumentFactory

    document = DocumentFactory(process=group.process, groups=[group], title="Supplier costs")
    paths = [document.get_absolute_url(), reverse("documents:list"), reverse("documents:feed")]
    assert all("Supplier costs" in client.get(path).content.decode() for path in paths)
    request.getfixturevalue(state)

    client.force_login(secretariat)
    response = client.post(
        reverse("documents:restrict", args=[document.slug]),
        {
            "grounds": ["commercial"],
            "justification": "The costs were given in confidence by the supplier.",
            **date_fields("review_on", timezone.localdate() + timedelta(days=30)),
            "public_title": "Correspondence with a supplier",
        },
    )
    assert response.status_code == 302
    client.logout()
    # Nothing the site shows is kept where a failing Redis could keep it stale.
    assert client.get(paths[0]).status_code == 404
    assert all("Supplier costs" not in client.get(path).content.decode() for path in paths[1:])


def test_email_is_sent_at_once_when_the_broker_refuses_writes_and_the_broker_is_left_alone(
    client, participant, group, django_capture_on_commit_callbacks
):
    """A full or read-only broker refuses the publish with a response error, not a lost
    connection; the email still goes, once, and the next ones do not ask it again while
    its breaker is open."""
    from redis.exceptions import ReadOnlyError

    from tests.factories import MembershipFactory

    MembershipFactory(group=group, role="convenor")
    refused = ReadOnlyError("You can't write against a read only replica.")
    with (
        mock.patch("celery.app.task.Task.apply_async", side_effect=refused) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        for person in [participant, UserFactory()]:
            client.force_login(person)
            response = client.post(
                reverse("workinggroups:join", args=[group.slug]),
                {"statement": "I research administrative data."},
            )
            assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert publish.call_count == 1
