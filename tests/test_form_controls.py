"""Form controls people can understand and fill in.

WCAG 1.3.5 (Identify Input Purpose): fields asking for a person's own name, email or
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


def rendered(client, participant, roles=None):
    """(page, html) for every catalogued page of the given roles (all when None)."""
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    for page in pages.html_pages():
        if roles is None or page.role in roles:
            pages.sign_in_client_as(client, page.role, users)
            yield page, client.get(page.path).content.decode()


def test_fields_for_your_own_details_identify_their_purpose(client, participant):
    missing, checked = [], 0
    for page, html in rendered(client, participant, {"public", "respondent", "participant"}):
        for tag in INPUT.findall(html):
            wanted = OWN_DETAILS.get(attribute(tag, "name") or "")
            if wanted is None or attribute(tag, "type") in {"radio", "checkbox", "hidden"}:
                continue
            checked += 1
            if attribute(tag, "autocomplete") != wanted:
                missing.append(f'{page}: {tag} needs autocomplete="{wanted}"')
    assert checked >= 8
    assert not missing, "\n".join(missing)


def test_radios_and_checkboxes_are_drawn_as_choices_not_text_boxes(client, participant):
    """A radio styled as a text input reads as an empty box with a label above it."""
    wrong = [
        f"{page}: {tag}"
        for page, html in rendered(client, participant)
        for tag in INPUT.findall(html)
        if attribute(tag, "type") in {"radio", "checkbox"}
        and "govuk-input" in (attribute(tag, "class") or "")
    ]
    assert not wrong, "\n".join(wrong)
