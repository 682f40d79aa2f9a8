"""Every page of the site, generated from the URL configuration and the demo data.

Accessibility, HTML validity and access tests walk this list, so a new page is checked
without anyone remembering to add it: a URL pattern that is neither listed in PAGE_KWARGS
(how to fill its arguments from the demo data) nor in EXCLUDED (with a written reason)
makes `test_every_url_pattern_is_catalogued` fail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    path: str

    def __str__(self) -> str:
        return self.path


def _first(model_label: str, **filters) -> Callable[[], list[dict]]:
    def kwargs() -> list[dict]:
        from django.apps import apps

        model = apps.get_model(model_label)
        obj = model._default_manager.filter(**filters).order_by("pk").first()
        assert obj is not None, f"The demo data has no {model_label} matching {filters}."
        return [{"slug": obj.slug}]

    return kwargs


# url name -> callable returning the kwargs of each page to check under that pattern.
PAGE_KWARGS: dict[str, Callable[[], list[dict]]] = {
    "process:home": lambda: [{}],
    "process:detail": _first("process.Process"),
    "process:terms": _first("process.Process"),
    "workinggroups:list": lambda: [{}],
    "workinggroups:detail": _first("workinggroups.WorkingGroup"),
    "meetings:list": lambda: [{}],
    "documents:list": lambda: [{}],
    "consultation:list": lambda: [{}],
    "account_login": lambda: [{}],
    "account_signup": lambda: [{}],
    "account_reset_password": lambda: [{}],
    "account_email_verification_sent": lambda: [{}],
    "account_reset_password_done": lambda: [{}],
}

# Pages that need a signed-in participant (checked signed in as one).
SIGNED_IN_PAGES: dict[str, Callable[[], list[dict]]] = {
    "profile": lambda: [{}],
    "account_email": lambda: [{}],
    "account_change_password": lambda: [{}],
    "account_logout": lambda: [{}],
}

# Patterns deliberately left out, each with its reason.
EXCLUDED: dict[str, str] = {
    "healthz": "JSON for load balancers, not a page.",
    "process:terms-latest": "A redirect to process:terms, which is checked.",
    "account_confirm_email": "Needs a one-time key from an email; covered by test_accounts.",
    "account_reset_password_from_key": "Needs a one-time key from an email; test_accounts.",
    "account_reset_password_from_key_done": "Reached only after a key reset.",
    "account_inactive": "Shown only to deactivated accounts.",
    "account_set_password": "Redirects: every account here has a password.",
    "account_reauthenticate": "Reached only from a sensitive action.",
    "account_confirm_login_code": "Sign-in by code is off; allauth registers the URL anyway.",
}
EXCLUDED_PREFIXES: dict[str, str] = {
    "admin:": "Django's own admin pages, not the public site; reached by staff only.",
}


def url_pattern_names() -> Iterator[str]:
    """Every named URL pattern of the project, as "namespace:name"."""

    def walk(patterns, namespace: str | None) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if entry.namespace and namespace:
                    inner = f"{namespace}:{entry.namespace}"
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    yield from walk(get_resolver().url_patterns, None)


def uncatalogued() -> list[str]:
    known = PAGE_KWARGS.keys() | SIGNED_IN_PAGES.keys() | EXCLUDED.keys()
    return sorted(
        name
        for name in set(url_pattern_names())
        if name not in known and not name.startswith(tuple(EXCLUDED_PREFIXES))
    )


def _build(catalogue: dict[str, Callable[[], list[dict]]]) -> list[Page]:
    return [
        Page(name, reverse(name, kwargs=kwargs))
        for name, make in catalogue.items()
        for kwargs in make()
    ]


def public_pages() -> list[Page]:
    """Pages anyone can open, filled from the demo data (load it first)."""
    return _build(PAGE_KWARGS)


def signed_in_pages() -> list[Page]:
    return _build(SIGNED_IN_PAGES)
