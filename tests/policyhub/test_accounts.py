"""Accounts through allauth: sign up by email, verify, sign in; rate limits; admin login."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from policyhub.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "new.person@example.org",
    "password1": "a-long-unusual-passphrase-2014",
    "password2": "a-long-unusual-passphrase-2014",
    "display_name": "Alex Morgan",
    "organisation": "Open Rights Group",
    "sector": "civil_society",
}


def confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_then_verify_email_then_sign_in(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="new.person@example.org")
    assert (user.display_name, user.organisation, user.sector) == (
        "Alex Morgan",
        "Open Rights Group",
        "civil_society",
    )
    # Mandatory verification: not signed in yet.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1

    link = confirmation_link(mail.outbox[0])
    response = client.post(link)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_unverified_account_cannot_sign_in(client):
    UserFactory(email="unverified@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "unverified@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_sign_up_form_says_what_is_missing_and_keeps_what_was_typed(client):
    data = {**SIGNUP, "display_name": "", "sector": ""}
    response = client.post(reverse("account_signup"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter your name" in html
    assert "Select which best describes you" in html
    assert 'value="new.person@example.org"' in html
    assert 'value="Open Rights Group"' in html
    assert "<title>Error: " in html
    # Each error links to its field from the summary, and sits next to the field too.
    assert 'href="#id_display_name"' in html
    assert 'id="id_display_name-error"' in html
    assert not User.objects.filter(email=SIGNUP["email"]).exists()


def test_password_reset_sends_an_email(client, participant):
    response = client.post(reverse("account_reset_password"), {"email": participant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_sign_ins_are_rate_limited_at_five_per_account(client, participant):
    url = reverse("account_login")
    pages = [
        client.post(url, {"login": participant.email, "password": "wrong"}).content.decode()
        for _ in range(6)
    ]
    assert ["Too many failed login attempts" in page for page in pages] == [False] * 5 + [True]
    # Once limited, even the right password is refused until the limit expires.
    response = client.post(url, {"login": participant.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_participant_without_staff_cannot_use_admin(client, participant):
    client.force_login(participant)
    response = client.get("/admin/")
    assert response.status_code in {302, 403}
    assert "Site administration" not in response.content.decode()


def test_profile_edit_updates_only_your_own_profile(client, participant):
    client.force_login(participant)
    response = client.post(
        reverse("profile"),
        {"display_name": "New Name", "organisation": "Involve", "sector": "civil_society"},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.display_name == "New Name"


def test_profile_requires_sign_in(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_says_which_body_engages_your_sector(client):
    from process.models import SectorEngagement
    from tests.factories import ProcessFactory

    SectorEngagement.objects.create(process=ProcessFactory(), sector="expert", body="Involve")
    client.force_login(UserFactory(sector="expert"))
    html = client.get(reverse("profile")).content.decode()
    assert "Who engages you in the process" in html
    assert "Involve" in html


def test_sign_up_form_puts_hints_above_fields_not_in_placeholders(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "placeholder=" not in html
    assert "Shown to others on member lists" in html


@pytest.mark.django_db
def test_account_pages_speak_in_sentence_case_like_the_rest_of_the_service(client):
    """allauth's headings, buttons and titles are title case ("Sign In"); GOV.UK's are not."""
    page = client.get("/accounts/login/").content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in page
    assert ">Sign in</button>" in page
    assert "<title>Sign in – " in page
    assert "Sign In" not in page
    page = client.get("/accounts/password/reset/").content.decode()
    assert "Password reset" in page and "Password Reset" not in page
