"""Rate limits, each at the limit and one past it: sign-in (per account and network, and per
network), sign-up, password reset, save-and-return emails and consultation submission.

The limits are allauth's defaults for accounts (left on in settings) and PolicyHub's own
settings for the consultation; counters live in the cache (Redis in production)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from consultation.models import Response
from tests.consultation.test_views import complete, questions, start, url  # noqa: F401

pytestmark = pytest.mark.django_db


def limited(response) -> bool:
    return response.status_code == 429 or "Too many" in response.content.decode()


def test_failed_sign_ins_from_one_network_stop_after_ten_a_minute(client):
    page = reverse("account_login")
    answers = [
        client.post(page, {"login": f"person{i}@example.org", "password": "wrong"})
        for i in range(11)
    ]
    assert [limited(a) for a in answers] == [False] * 10 + [True]


def _can_sign_in(client, email: str, password: str, address: str) -> bool:
    client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return signed_in


def test_five_failed_sign_ins_lock_an_account_only_from_the_network_they_came_from(
    client, participant
):
    from allauth.account.models import EmailAddress

    participant.set_password("a-long-enough-password-2014")
    participant.save()
    EmailAddress.objects.update_or_create(
        user=participant, email=participant.email, defaults={"verified": True, "primary": True}
    )
    page = reverse("account_login")
    for _ in range(5):  # someone elsewhere guessing this person's password
        client.post(
            page, {"login": participant.email, "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
        )

    # The guesser is stopped, even with the right password...
    assert not _can_sign_in(client, participant.email, "a-long-enough-password-2014", "203.0.113.9")
    # ...but the person signs in from their own network as usual.
    assert _can_sign_in(client, participant.email, "a-long-enough-password-2014", "198.51.100.20")


def test_sign_ups_from_one_network_stop_after_twenty_a_minute(client):
    page = reverse("account_signup")
    answers = []
    for i in range(21):
        answers.append(
            client.post(
                page,
                {
                    "email": f"newcomer{i}@example.org",
                    "password1": "a-long-enough-password-2014",
                    "password2": "a-long-enough-password-2014",
                    "display_name": f"Newcomer {i}",
                },
            )
        )
        client.logout()
    assert [limited(a) for a in answers] == [False] * 20 + [True]


def test_password_reset_for_one_address_stops_after_five_a_minute(client, participant):
    page = reverse("account_reset_password")
    answers = [client.post(page, {"email": participant.email}) for _ in range(6)]
    assert [limited(a) for a in answers] == [False] * 5 + [True]
    assert len(mail.outbox) == 5


def test_save_and_return_emails_to_one_address_stop_at_the_limit(
    client, consultation, settings, django_capture_on_commit_callbacks
):
    settings.CONSULTATION_RESUME_LINKS_PER_EMAIL = 3
    start(client, consultation)
    page = url("save-for-later", consultation)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(page, {"email": "victim@example.org"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "sent too many links" in answers[-1].content.decode()
    assert "Error: " in answers[-1].content.decode()
    assert len(mail.outbox) == 3


def test_save_and_return_emails_from_one_network_stop_at_the_limit(
    client, consultation, settings, django_capture_on_commit_callbacks
):
    settings.CONSULTATION_RESUME_LINKS_PER_IP = 2
    start(client, consultation)
    page = url("save-for-later", consultation)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(page, {"email": f"someone{i}@example.org"}) for i in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_submissions_from_one_network_stop_at_the_limit(
    client,
    consultation,
    questions,  # noqa: F811  (the fixture imported above)
    settings,
):
    settings.CONSULTATION_SUBMISSIONS_PER_IP = 2
    sent = []
    for _ in range(3):
        client.cookies.clear()
        start(client, consultation)
        complete(client, consultation, questions)
        sent.append(client.post(url("check", consultation)))
    assert [a.status_code for a in sent[:2]] == [302, 302]
    assert "too many responses" in sent[2].content.decode()
    assert Response.objects.submitted().count() == 2
