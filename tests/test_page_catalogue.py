"""The page catalogue covers every URL pattern, so new pages cannot escape the checks."""

import pytest
from django.core.management import call_command

from policyhub.models import User
from tests import pages
from tests.factories import SecretariatMemberFactory


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
    users = {
        "participant": participant,
        "convenor": User.objects.get(email="convenor@demo.policyhub.test"),
        "secretariat": SecretariatMemberFactory().user,
    }
    for page in [*pages.html_pages(), *pages.other_responses()]:
        client.logout()
        if page.role in users:
            client.force_login(users[page.role])
        assert client.get(page.path).status_code == 200, page
