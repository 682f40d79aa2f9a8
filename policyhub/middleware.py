"""Requests refused before any view reads them."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def refuse_nul_characters(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """A NUL in an address (its path or query string) is a bad request. No browser sends one
    from a link or a search box, and PostgreSQL refuses it in any text it is asked to
    compare, so a search or filter carrying one would fail as a server error. Forms refuse
    every control character field by field (policyhub.text); an address has no field to put
    a message next to, so it gets the 400 page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        query = unquote_plus(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in request.path or "\x00" in query:
            raise BadRequest("NUL character in the address")
        return get_response(request)

    return middleware
