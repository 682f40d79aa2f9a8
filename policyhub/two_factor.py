"""Two-factor sign-in for the people who can see restricted material or reach the admin.

The secretariat reads every restricted document and staff reach the admin, so for them a
password alone is not enough: they sign in with a code from an authenticator app too
(allauth.mfa: an authenticator app, and recovery codes for when the phone is lost).

Until they have, they are sent to set it up or to enter a code on every page but the account
pages, not only on restricted documents: restricted material shows up in many places (lists,
search, the restriction register, workplans, the admin), and a page added later is covered
without anyone remembering it. Participants, members, convenors and analysts are unaffected.

What is decided here comes from the database (allauth.mfa's Authenticator rows) and from the
session's record of how this sign-in was made, which allauth keeps: a sign-in that asked for
the code, or a code entered since, leaves a "mfa" entry there.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode

from policyhub import roles

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User

SET_UP_MESSAGE = (
    "Set up two-factor authentication to continue. The secretariat and staff sign in with a "
    "code from an authenticator app as well as their password."
)
COMPLETE_MESSAGE = "Enter the code from your authenticator app to continue."


class Missing(StrEnum):
    """What a person who needs two-factor sign-in still has to do."""

    SET_UP = "set_up"  # no authenticator app yet
    CODE = "code"  # has one, but did not enter a code when signing in


def needs_two_factor(user: User | AnonymousUser) -> bool:
    """The secretariat (superusers included) and staff: the people who can read restricted
    documents or reach the admin."""
    if not roles.is_participant(user):
        return False
    return bool(user.is_staff) or roles.is_secretariat(user)


def has_authenticator_app(user: User | AnonymousUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def signed_in_with_second_factor(request: HttpRequest) -> bool:
    """allauth records each way the signed-in person proved who they are; an "mfa" entry
    means a code from their authenticator app (or a recovery code) was accepted."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def missing_second_factor(request: HttpRequest) -> Missing | None:
    """What this request's person must do before they may use the site, or None."""
    if not settings.TWO_FACTOR_REQUIRED or not needs_two_factor(request.user):
        return None
    if not has_authenticator_app(request.user):
        return Missing.SET_UP
    if not signed_in_with_second_factor(request):
        return Missing.CODE
    return None


def is_account_page(request: HttpRequest) -> bool:
    """allauth's pages (sign in and out, password, email, two-factor set-up and codes) stay
    open, or nobody could set up or enter a code."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.func.__module__.startswith("allauth.")


def require_two_factor(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Sends the secretariat and staff to set up two-factor authentication, or to enter a
    code, before any page but the account pages."""

    def middleware(request: HttpRequest) -> HttpResponse:
        missing = missing_second_factor(request)
        if missing is None or is_account_page(request):
            return get_response(request)
        if missing == Missing.SET_UP:
            messages.warning(request, SET_UP_MESSAGE)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        messages.warning(request, COMPLETE_MESSAGE)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")

    return middleware


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa with messages that say what to do next."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "Enter the code your authenticator app shows now",
        "unverified_email": (
            "Confirm your email address before you set up two-factor authentication: use the "
            "link in the email we sent you"
        ),
    }
