"""Two-factor sign-in for the secretariat and staff (policyhub/two_factor.py).

The test settings turn the rule off, because most tests sign people in with force_login,
which enters no code; every test here turns it on.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode

from documents import services
from policyhub import two_factor
from policyhub.demodata import give_authenticator_app
from tests.documents.factories import DocumentFactory, RestrictionFactory, upload
from tests.factories import PASSWORD, UserFactory
from tests.two_factor import totp_code

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"


@pytest.fixture(autouse=True)
def two_factor_required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def staff(db):
    """Staff outside the secretariat: the admin, but no restricted documents."""
    return UserFactory(is_staff=True)


@pytest.fixture
def open_doc(db, secretariat):
    document = DocumentFactory(slug="open-paper")
    services.attach_file(document, by=secretariat, upload=upload("paper.pdf"))
    return document


@pytest.fixture
def restricted_doc(db, secretariat):
    document = DocumentFactory(slug="negotiation-draft", title="Negotiation draft")
    services.attach_file(document, by=secretariat, upload=upload("annex.pdf"))
    RestrictionFactory(document=document, restricted_by=secretariat)
    return document


def restricted_paths(document) -> dict[str, str]:
    return {
        "document": document.get_absolute_url(),
        "download": document.files.get().get_absolute_url(),
        "register": reverse("documents:register"),
        "admin": reverse("admin:index"),
    }


PATHS = ["document", "download", "register", "admin"]


def enter_code(client, user, secret: str = SECRET) -> None:
    """Enter a code from the authenticator app, as allauth asks a signed-in person to."""
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()


def sign_in_with_second_factor(client, user) -> None:
    give_authenticator_app(user, SECRET)
    client.force_login(user)
    enter_code(client, user)


def warnings(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_rule_is_on_outside_the_tests():
    from policyhub.settings import base

    assert base.TWO_FACTOR_REQUIRED is True


@pytest.mark.parametrize("path", PATHS)
def test_secretariat_without_an_authenticator_app_is_sent_to_set_one_up(
    client, secretariat, restricted_doc, path
):
    client.force_login(secretariat)
    response = client.get(restricted_paths(restricted_doc)[path])
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert warnings(response) == [two_factor.SET_UP_MESSAGE]


@pytest.mark.parametrize("path", PATHS)
def test_secretariat_signed_in_without_the_code_is_asked_for_it(
    client, secretariat, restricted_doc, path
):
    give_authenticator_app(secretariat, SECRET)
    client.force_login(secretariat)
    url = restricted_paths(restricted_doc)[path]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?{urlencode({'next': url})}"
    assert warnings(response) == [two_factor.COMPLETE_MESSAGE]


@pytest.mark.parametrize("path", PATHS)
def test_secretariat_signed_in_with_the_code_sees_restricted_material_and_the_admin(
    client, secretariat, restricted_doc, path
):
    secretariat.is_staff = True
    secretariat.save(update_fields=["is_staff"])
    sign_in_with_second_factor(client, secretariat)
    assert client.get(restricted_paths(restricted_doc)[path]).status_code == 200


def test_secretariat_who_removed_their_authenticator_app_must_set_one_up_again(
    client, secretariat, restricted_doc
):
    sign_in_with_second_factor(client, secretariat)
    Authenticator.objects.filter(user=secretariat).delete()
    response = client.get(restricted_doc.get_absolute_url())
    assert response["Location"] == reverse("mfa_activate_totp")


def test_secretariat_sets_up_the_app_then_signs_in_with_password_and_code(
    client, secretariat, restricted_doc
):
    """The whole journey, through allauth's own pages."""
    sign_in = {"login": secretariat.email, "password": PASSWORD}
    assert client.post(reverse("account_login"), sign_in).status_code == 302
    response = client.get(restricted_doc.get_absolute_url())
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a change to how one signs in.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=secretariat, type="totp").exists()
    assert Authenticator.objects.filter(user=secretariat, type="recovery_codes").exists()

    client.logout()
    response = client.post(reverse("account_login"), sign_in)
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(restricted_doc.get_absolute_url()).status_code == 200


def test_a_wrong_or_missing_code_says_what_to_do(client, secretariat):
    give_authenticator_app(secretariat, SECRET)
    client.force_login(secretariat)
    page = client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
    assert page.status_code == 200
    assert "Enter the code your authenticator app shows now" in page.content.decode()
    page = client.post(reverse("mfa_reauthenticate"), {"code": ""})
    assert "Enter the code from your authenticator app" in page.content.decode()


def test_staff_without_the_code_are_refused_the_admin(client, staff):
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("mfa_activate_totp")
    give_authenticator_app(staff, SECRET)
    response = client.get(reverse("admin:index"))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))
    enter_code(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_participants_are_unaffected(client, participant, restricted_doc, open_doc):
    client.force_login(participant)
    assert client.get(open_doc.get_absolute_url()).status_code == 200
    assert client.get(restricted_doc.get_absolute_url()).status_code == 404
    assert client.get(reverse("documents:register")).status_code == 200


def test_account_pages_stay_open_so_the_secretariat_can_set_up_and_sign_out(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("mfa_index")).status_code == 200
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.post(reverse("account_logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_demo_secretariat_signs_in_with_the_documented_secret(client):
    from process.demo import DEMO_PASSWORDS, DEMO_SECRETARIAT_TOTP_SECRET

    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # still one authenticator app
    email = "secretariat@demo.policyhub.test"
    assert Authenticator.objects.filter(user__email=email).count() == 1
    sign_in = {"login": email, "password": DEMO_PASSWORDS[email]}
    assert client.post(reverse("account_login"), sign_in)["Location"] == reverse("mfa_authenticate")
    code = totp_code(DEMO_SECRETARIAT_TOTP_SECRET)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200
