"""What the cookies page says: every cookie PolicyHub sets, named and timed from the settings
that decide them, so the page cannot drift from what the site does.

tests/policyhub/test_statements.py walks the main journeys and compares the cookies they
actually set with this list, both ways.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    lifetime: str


def describe_duration(seconds: int | None) -> str:
    """A cookie's lifetime in the words a person uses: "2 weeks", "1 year", "30 days"."""
    if not seconds:
        return "Until you close your browser"
    days, rest = divmod(int(seconds), DAY)
    if days >= 364 and not rest:
        years = round(days / 365)
        return f"{years} year" if years == 1 else f"{years} years"
    if days and not rest:
        if days % 7 == 0:
            weeks = days // 7
            return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"
        return f"{days} day" if days == 1 else f"{days} days"
    hours = max(1, round(seconds / 3600))
    return f"{hours} hour" if hours == 1 else f"{hours} hours"


def _messages_use_a_cookie() -> bool:
    """Django's default message storage keeps a message in a cookie until it is shown,
    falling back to the session for a long one; session-only storage sets no cookie."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.messages.storage.fallback import FallbackStorage

    storage = import_string(settings.MESSAGE_STORAGE)
    return issubclass(storage, CookieStorage | FallbackStorage)


def essential_cookies() -> list[Cookie]:
    """The cookies the site sets, each needed for it to work. There are no others: no
    analytics, advertising or third-party cookies."""
    from django.contrib.messages.storage.cookie import CookieStorage

    session_age = describe_duration(settings.SESSION_COOKIE_AGE)
    cookies = [
        Cookie(
            settings.SESSION_COOKIE_NAME,
            "Keeps you signed in, and keeps a consultation response you have started (and "
            "which response you have just sent) while you answer, so nothing you typed is lost.",
            f"{session_age} if you ask to be remembered when you sign in or while you answer "
            "a consultation; otherwise until you close your browser",
        ),
    ]
    if not settings.CSRF_USE_SESSIONS:
        cookies.append(
            Cookie(
                settings.CSRF_COOKIE_NAME,
                "Protects the forms you send from being sent by another website pretending "
                "to be you.",
                describe_duration(settings.CSRF_COOKIE_AGE),
            )
        )
    if _messages_use_a_cookie():
        cookies.append(
            Cookie(
                CookieStorage.cookie_name,
                "Carries a short message (for example, \u201cYour profile has been updated\u201d) "
                "to the next page you see.",
                "Removed once the message has been shown",
            )
        )
    if LOCALE_MIDDLEWARE in settings.MIDDLEWARE:
        cookies.append(
            Cookie(
                settings.LANGUAGE_COOKIE_NAME,
                "Remembers the language you chose for the site.",
                describe_duration(settings.LANGUAGE_COOKIE_AGE),
            )
        )
    if getattr(settings, "MFA_TRUST_ENABLED", False):
        from allauth.mfa import app_settings as mfa_settings

        cookies.append(
            Cookie(
                mfa_settings.TRUST_COOKIE_NAME,
                "Remembers that you have entered a two-factor code on this browser, if you ask "
                "it to, so you are not asked again each time you sign in.",
                describe_duration(int(mfa_settings.TRUST_COOKIE_AGE.total_seconds())),
            )
        )
    return cookies
