"""The page catalogue covers every URL pattern, so new pages cannot escape the checks."""

import pytest
from django.core.management import call_command

from tests import pages


def test_every_url_pattern_is_catalogued():
    missing = pages.uncatalogued()
    assert not missing, (
        "Add these URL names to tests/pages.py (CATALOGUE, NOT_HTML, or EXCLUDED with a "
        f"reason): {missing}"
    )


def test_catalogue_names_only_existing_patterns():
    existing = set(pages.url_pattern_names())
    listed = pages.CATALOGUE.keys() | pages.NOT_HTML.keys() | pages.EXCLUDED.keys()
    assert listed <= existing, sorted(listed - existing)


@pytest.mark.django_db
def test_every_catalogued_page_answers_its_role(client, participant):
    call_command("load_demo", verbosity=0)
    users = pages.role_users(participant)
    for page in [*pages.html_pages(), *pages.other_responses()]:
        pages.sign_in_client_as(client, page.role, users)
        assert client.get(page.path).status_code == 200, page


@pytest.mark.django_db
def test_every_public_content_page_says_when_it_was_last_updated(client):
    """Account forms have no content of their own; every other public page has a date."""
    call_command("load_demo", verbosity=0)
    missing = [
        page.path
        for page in pages.public_pages()
        if not page.name.startswith("account_")
        and "Last updated" not in client.get(page.path).content.decode()
    ]
    assert not missing
