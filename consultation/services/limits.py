"""Ceilings on what one network or one email address may ask of the site: responses started
and sent, and save-and-return emails. Counters live in the cache; while the cache cannot
count, nobody is refused (a limit is a defence against floods, never a reason to lose a
response). The address is the visitor's as policyhub.client.client_address tells it, behind
a proxy too (TRUSTED_PROXY_COUNT).
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .responses import hash_token


def _count(key: str, window: int) -> int:
    """One more hit on a counter that lives for `window` seconds; returns the new count, or
    0 while the cache cannot count (Redis failing): then nobody is refused."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) or 0
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def check_submission_rate(ip: str) -> None:
    """A per-IP ceiling on submissions, against scripted floods. Limits are settings."""
    limit = settings.CONSULTATION_SUBMISSIONS_PER_IP
    window = settings.CONSULTATION_SUBMISSION_WINDOW_SECONDS
    count = _count(f"consultation:submissions:{ip}", window)
    if count > limit:
        raise ValidationError(
            _(
                "We have received too many responses from your network recently. "
                "Please wait an hour and try again, or email your response instead."
            )
        )


def check_start_rate(ip: str) -> None:
    """A per-IP ceiling on new drafts ("Start now"), since each draft stores answers: with
    answers bounded by their questions, this bounds what one network can make the site keep.
    A session continuing its own draft is not counted (the view asks only before a start)."""
    limit = settings.CONSULTATION_STARTS_PER_IP
    window = settings.CONSULTATION_START_WINDOW_SECONDS
    count = _count(f"consultation:starts:{ip}", window)
    if count > limit:
        raise ValidationError(
            _(
                "We have had too many responses started from your network recently. If you have "
                "already started a response, continue it in the same browser, or use the link in "
                "your save-and-return email. Otherwise, wait an hour and try again."
            )
        )


def check_resume_link_rate(ip: str, email: str) -> None:
    """Save-and-return emails go to any address typed in, so without a ceiling the site
    could be made to flood someone's inbox. Counted per network and per address."""
    window = settings.CONSULTATION_RESUME_LINK_WINDOW_SECONDS
    by_ip = _count(f"consultation:resume-links:ip:{ip}", window)
    address = hash_token(email.strip().lower())
    by_address = _count(f"consultation:resume-links:email:{address}", window)
    if (
        by_ip > settings.CONSULTATION_RESUME_LINKS_PER_IP
        or by_address > settings.CONSULTATION_RESUME_LINKS_PER_EMAIL
    ):
        raise ValidationError(
            _(
                "We have sent too many links recently. Wait an hour and try again, or keep this "
                "page open and send your response when you are ready."
            )
        )
