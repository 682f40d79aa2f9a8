"""WCAG 1.3.5 (Identify Input Purpose): fields asking for a person's own name, email or
organisation say so with `autocomplete`, so browsers and assistive technology can fill them.

Checked on every catalogued page a member of the public, a respondent or a participant sees
(pages where the secretariat types in someone else's details rightly do not autocomplete)."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests import pages

pytestmark = pytest.mark.django_db

# Field name -> the autocomplete token it must carry.
OWN_DETAILS = {
    "name": "name",
    "display_name": "name",
    "email": "email",
    "login": "email",
    "organisation": "organization",
    "organisation_name": "organization",
}
INPUT = re.compile(r"<input\b[^>]*>", re.I)


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\b{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def test_fields_for_your_own_details_identify_their_purpose(client, participant):
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    missing, checked = [], 0
    for page in pages.html_pages():
        if page.role not in {"public", "respondent", "participant"}:
            continue
        pages.sign_in_client_as(client, page.role, users)
        for tag in INPUT.findall(client.get(page.path).content.decode()):
            wanted = OWN_DETAILS.get(attribute(tag, "name") or "")
            if wanted is None or attribute(tag, "type") in {"radio", "checkbox", "hidden"}:
                continue
            checked += 1
            if attribute(tag, "autocomplete") != wanted:
                missing.append(f'{page}: {tag} needs autocomplete="{wanted}"')
    assert checked >= 8
    assert not missing, "\n".join(missing)
