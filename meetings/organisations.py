"""The organisations the database holds, for the Chatham House check of notes.

The checker matches the organisations it is given like the bodies it bundles, where they
stand as a speaker (docs/decisions/0201). People's and attendees' organisations are this
app's to read. Other apps hold organisations too (the documents app's authors), but
meetings may not import the apps that depend on it; so each of them registers a source
here, from its AppConfig.ready(), and the check reads every source once per check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model

from .models import Attendee

OrganisationSource = Callable[[], Iterable[str]]

_sources: dict[str, OrganisationSource] = {}


def register_organisation_source(name: str, source: OrganisationSource) -> None:
    """Add a source of organisation names, under a name that says where they come from
    ("documents.Organisation"). Registering the same name again replaces it, so an app's
    ready() may run more than once."""
    _sources[name] = source


def known_organisations() -> frozenset[str]:
    """Every distinct, non-empty organisation name: people's profiles, every attendance
    record, and each registered source: a query each. Call it once per check."""
    people = get_user_model().objects.exclude(organisation="")
    attendees = Attendee.objects.exclude(organisation="")
    names: set[str] = set()
    for rows in (people, attendees):
        names.update(rows.order_by().values_list("organisation", flat=True).distinct())
    for source in _sources.values():
        names.update(source())
    return frozenset(name.strip() for name in names if name and name.strip())
