"""Which address a limit counts by, behind the TLS proxy and without one.

Behind a proxy every request arrives from the proxy's address. With TRUSTED_PROXY_COUNT set,
each visitor keeps their own budget for every per-address limit (the consultation's starts,
submissions and save-and-return emails, allauth's failed sign-ins), the same visitor is
still limited, and nothing a client writes in X-Forwarded-For buys a fresh budget."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from policyhub.client import client_address
from tests.consultation.test_views import complete, questions, start, url  # noqa: F401
from tests.policyhub.test_settings import run_django

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the TLS proxy: REMOTE_ADDR of every request


def limited(response) -> bool:
    return response.status_code == 429 or "Too many" in response.content.decode()


def through_proxy(client, forwarded_for: str):
    """The client's next requests arrive from the proxy, carrying this X-Forwarded-For."""
    client.defaults.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client


def trust(settings, count: int) -> None:
    """TRUSTED_PROXY_COUNT, given to allauth as base settings do."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = count


def visitor(i: int) -> str:
    """X-Forwarded-For as the one trusted proxy writes it for visitor i."""
    return f"198.51.100.{i}"


# --- The rule ---------------------------------------------------------------------------------


def address(forwarded_for: str | None, remote: str = PROXY) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.5", PROXY),  # no proxy trusted: the header is anyone's to write
        (1, None, PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "192.0.2.66, 203.0.113.5", "203.0.113.5"),  # the left entry is the client's own
        (1, " 203.0.113.5 ", "203.0.113.5"),
        (2, "192.0.2.66, 203.0.113.5, 10.0.0.1", "203.0.113.5"),  # outermost of two
        (2, "203.0.113.5", PROXY),  # fewer entries than proxies: not all ours, so no entry
        (2, "", PROXY),
        (1, "not-an-address", PROXY),
        (1, "203.0.113.5:4431", PROXY),
        (1, "2001:DB8:0:0::1", "2001:db8::1"),  # one address, one spelling, one budget
    ],
)
def test_client_address_is_the_one_the_outermost_trusted_proxy_saw(
    settings, count, forwarded_for, expected
):
    trust(settings, count)
    assert address(forwarded_for) == expected


def test_client_address_is_none_when_no_address_can_be_told(settings):
    trust(settings, 1)
    assert address("garbage", remote="") is None


def test_trusted_proxy_count_comes_from_the_environment_and_reaches_allauth():
    code = (
        "from django.conf import settings; "
        "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    assert run_django(code, TRUSTED_PROXY_COUNT="2").stdout.split() == ["2", "2"]
    assert run_django(code, TRUSTED_PROXY_COUNT=None).stdout.split() == ["0", "0"]


# --- Failed sign-ins (allauth: ten a minute per network) --------------------------------------


def fail_sign_in(client, forwarded_for: str, i: int):
    through_proxy(client, forwarded_for)
    return client.post(
        reverse("account_login"), {"login": f"person{i}@example.org", "password": "wrong"}
    )


def test_eleven_visitors_behind_one_proxy_each_failing_once_do_not_lock_sign_in(client, settings):
    trust(settings, 1)
    answers = [fail_sign_in(client, visitor(i), i) for i in range(11)]
    assert [limited(a) for a in answers] == [False] * 11


def test_one_visitor_behind_the_proxy_failing_eleven_times_is_still_stopped(client, settings):
    trust(settings, 1)
    answers = [fail_sign_in(client, visitor(7), i) for i in range(11)]
    assert [limited(a) for a in answers] == [False] * 10 + [True]


def test_without_a_trusted_proxy_a_made_up_forwarded_for_does_not_reset_sign_in_limit(
    client, settings
):
    trust(settings, 0)
    answers = [fail_sign_in(client, visitor(i), i) for i in range(11)]
    assert [limited(a) for a in answers] == [False] * 10 + [True]


def test_an_entry_added_on_the_left_does_not_reset_sign_in_limit(client, settings):
    trust(settings, 1)
    answers = [fail_sign_in(client, f"{visitor(i)}, {visitor(7)}", i) for i in range(11)]
    assert [limited(a) for a in answers] == [False] * 10 + [True]


def test_sign_in_through_fewer_proxies_than_configured_is_answered_not_an_error(client, settings):
    trust(settings, 2)  # allauth's own reading of the header would raise here
    answer = fail_sign_in(client, visitor(7), 0)
    assert answer.status_code == 200
    assert "not correct" in answer.content.decode()


# --- The consultation: responses started and sent, save-and-return emails ---------------------


def start_as(client, consultation, forwarded_for: str):
    client.cookies.clear()  # a new browser: each start is a new draft, so each is counted
    through_proxy(client, forwarded_for)
    return client.post(url("start", consultation))


def submit_as(client, consultation, questions, forwarded_for: str):  # noqa: F811
    start_as(client, consultation, forwarded_for)
    complete(client, consultation, questions)
    return client.post(url("check", consultation))


def email_link_as(client, consultation, forwarded_for: str, i: int):
    start_as(client, consultation, forwarded_for)
    return client.post(url("save-for-later", consultation), {"email": f"someone{i}@example.org"})


@pytest.fixture
def small_limits(settings):
    settings.CONSULTATION_STARTS_PER_IP = 2
    settings.CONSULTATION_SUBMISSIONS_PER_IP = 2
    settings.CONSULTATION_RESUME_LINKS_PER_IP = 2
    return settings


def test_visitors_behind_one_proxy_each_have_their_own_budget_for_starting(
    client, consultation, small_limits
):
    trust(small_limits, 1)
    answers = [start_as(client, consultation, visitor(i)) for i in range(3)]
    assert [limited(a) for a in answers] == [False] * 3


def test_visitors_behind_one_proxy_each_have_their_own_budget_for_submitting(
    client,
    consultation,
    questions,  # noqa: F811
    small_limits,
):
    small_limits.CONSULTATION_STARTS_PER_IP = 60
    trust(small_limits, 1)
    sent = [submit_as(client, consultation, questions, visitor(i)) for i in range(3)]
    assert [a.status_code for a in sent] == [302] * 3


def test_visitors_behind_one_proxy_each_have_their_own_budget_for_save_and_return_emails(
    client, consultation, small_limits
):
    small_limits.CONSULTATION_STARTS_PER_IP = 60
    trust(small_limits, 1)
    answers = [email_link_as(client, consultation, visitor(i), i) for i in range(3)]
    assert [a.status_code for a in answers] == [302] * 3


def test_one_visitor_behind_the_proxy_is_still_limited_in_starting_and_submitting(
    client,
    consultation,
    questions,  # noqa: F811
    small_limits,
):
    trust(small_limits, 1)
    starts = [start_as(client, consultation, visitor(7)) for _ in range(3)]
    assert [limited(a) for a in starts] == [False, False, True]

    small_limits.CONSULTATION_STARTS_PER_IP = 60
    sent = [submit_as(client, consultation, questions, visitor(8)) for _ in range(3)]
    assert [a.status_code for a in sent[:2]] == [302, 302]
    assert "too many responses" in sent[2].content.decode()


@pytest.mark.parametrize(
    ("count", "forwarded_for"),
    [
        (0, lambda i: visitor(i)),  # no proxy trusted: the whole header is made up
        (1, lambda i: f"{visitor(i)}, {visitor(7)}"),  # made-up entry left of the proxy's
    ],
    ids=["no-trusted-proxy", "entry-added-on-the-left"],
)
def test_a_made_up_forwarded_for_does_not_reset_the_consultation_limits(
    client,
    consultation,
    questions,  # noqa: F811
    small_limits,
    count,
    forwarded_for,
):
    trust(small_limits, count)
    starts = [start_as(client, consultation, forwarded_for(i)) for i in range(3)]
    assert [limited(a) for a in starts] == [False, False, True]

    small_limits.CONSULTATION_STARTS_PER_IP = 60
    sent = [submit_as(client, consultation, questions, forwarded_for(10 + i)) for i in range(3)]
    assert [a.status_code for a in sent[:2]] == [302, 302]
    assert "too many responses" in sent[2].content.decode()
