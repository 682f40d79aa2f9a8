"""Loading the signed-in person on each request.

Django's backends read the user row alone; every signed-in page then asked two more
questions of the database (is this person the secretariat? do they convene any group?)
before showing a single button. These backends read the answers with the user, in one
query (`roles.load_with_standing`), and keep Django's and allauth's behaviour otherwise.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend

from policyhub import roles


class _LoadsStanding:
    def get_user(self, user_id: Any):
        try:
            user = roles.load_with_standing(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None


class StandingModelBackend(_LoadsStanding, ModelBackend):
    """Django's username-and-password backend (the admin's sign-in)."""


class StandingAllauthBackend(_LoadsStanding, AllauthBackend):
    """allauth's email-and-password backend (the site's sign-in)."""
