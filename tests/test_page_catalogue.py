"""The page catalogue covers every URL pattern, so new pages cannot escape the checks."""

import pytest
from django.core.management import call_command

from tests import pages


def test_every_url_pattern_is_catalogued():
    missing = pages.uncatalogued()
    assert not missing, (
        "Add these URL names to tests/pages.py (PAGE_KWARGS, SIGNED_IN_PAGES, or EXCLUDED "
        f"with a reason): {missing}"
    )


def test_catalogue_names_only_existing_patterns():
    existing = set(pages.url_pattern_names())
    listed = pages.PAGE_KWARGS.keys() | pages.SIGNED_IN_PAGES.keys() | pages.EXCLUDED.keys()
    assert listed <= existing, sorted(listed - existing)


@pytest.mark.django_db
def test_every_catalogued_page_answers(client, participant):
    call_command("load_demo", verbosity=0)
    for page in pages.public_pages():
        assert client.get(page.path).status_code == 200, page
    client.force_login(participant)
    for page in pages.signed_in_pages():
        assert client.get(page.path).status_code == 200, page
