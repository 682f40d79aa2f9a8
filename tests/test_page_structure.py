"""Headings a screen reader user can navigate by: every page has one h1, and levels never
skip on the way down (an h2 is followed by an h3, not an h4). WCAG 1.3.1 and 2.4.6; axe
counts heading order only as best practice, so it is checked here on every catalogued page
and every form state with errors."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from tests import form_states, pages

pytestmark = pytest.mark.django_db

HEADING = re.compile(r"<h([1-6])\b", re.I)


def heading_problems(html: str) -> list[str]:
    body = html.split("<body", 1)[-1]
    levels = [int(level) for level in HEADING.findall(body)]
    problems = []
    if levels.count(1) != 1:
        problems.append(f"{levels.count(1)} h1 headings")
    for before, after in zip(levels, levels[1:], strict=False):
        if after > before + 1:
            problems.append(f"h{before} followed by h{after}")
    return problems


def test_every_page_has_one_h1_and_headings_in_order(client, participant):
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    documents = {}
    for page in pages.html_pages():
        pages.sign_in_client_as(client, page.role, users)
        documents[str(page)] = client.get(page.path).content.decode()
    with_errors, _ = form_states.error_pages(client, users)
    documents.update(with_errors)
    found = [
        f"{label}: {', '.join(problems)}"
        for label, html in documents.items()
        if (problems := heading_problems(html))
    ]
    assert len(documents) > 100
    assert not found, "\n".join(found)
