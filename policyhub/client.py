"""The address a request came from, the one rule every per-address limit counts by.

Behind a proxy every request arrives from the proxy, so a limit counted by REMOTE_ADDR alone
is one budget shared by every visitor. Each proxy appends the address it received the request
from to X-Forwarded-For; the entries a proxy we run appended can be believed, anything to
their left is whatever the client chose to send. TRUSTED_PROXY_COUNT says how many of ours
there are.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The visitor's IP address as the outermost of our TRUSTED_PROXY_COUNT proxies saw it:
    the Nth entry from the right of X-Forwarded-For. With no trusted proxy the header is
    ignored (anyone can send it) and REMOTE_ADDR is the answer.

    A header with fewer than N entries means the request did not pass through every proxy
    we run (one was bypassed, or the app server was reached directly). Then we cannot tell
    which entries a proxy wrote and which the client did, since even the leftmost may be the
    client's own invention, so REMOTE_ADDR, the one address nobody can forge, is used: such
    requests share the sender's budget rather than choosing a fresh one. An entry that is not
    an IP address also falls back to REMOTE_ADDR. None when REMOTE_ADDR is not an address
    either (a server misconfigured; callers decide what that means for them)."""
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= trusted:
            address = _ip(forwarded[-trusted])
            if address is not None:
                return address
    return _ip(request.META.get("REMOTE_ADDR", ""))


def _ip(value: str) -> str | None:
    """The address in its canonical form (so one address is one budget however it is
    written), or None when `value` is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None
