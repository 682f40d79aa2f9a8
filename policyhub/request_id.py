"""Every request gets an id, echoed in `X-Request-ID` and stamped on its log lines."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from policyhub.logging import current_request_id

# What a proxy or load balancer may hand us to keep: ids of this shape are copied into log
# lines as they are, so nothing that could break a line, a JSON string or a shell is taken.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


def request_id_from(request: HttpRequest) -> str:
    """The id a proxy in front already gave this request, so its logs and ours agree; a new
    one when there is none or it is not a plain token."""
    incoming = request.headers.get("X-Request-ID", "")
    if _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def assign_request_id(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Holds the request's id in a context variable while the rest of the stack handles it,
    so every record logged meanwhile (errors included: Django logs them inside this call)
    carries it; the response shows it, for a person reporting a problem to quote."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request)
        request.request_id = request_id
        token = current_request_id.set(request_id)
        try:
            response = get_response(request)
        finally:
            # gthread workers reuse threads: the next request, or work outside one, must
            # not inherit this id.
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response

    return middleware
