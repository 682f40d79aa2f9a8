"""Absolute links for emails and calendar files, which are built outside any request."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` on the site's public address (SITE_URL), e.g. for a link in an email."""
    return settings.SITE_URL.rstrip("/") + path
