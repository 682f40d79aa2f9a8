"""A NUL in an address is refused as a bad request on every page, before any view reads it:
on PostgreSQL a search or filter holding one would otherwise be a server error."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests import pages

pytestmark = pytest.mark.django_db

# Every parameter a page reads from its address, each holding a NUL.
HOSTILE_QUERY = "q=%00&group=a%00b&status=%00&kind=%00&page=%00&version=%00&document=%00"


def test_a_nul_in_any_pages_query_string_is_a_bad_request(client):
    call_command("load_demo", verbosity=0)
    public = [page.path for page in pages.public_pages()]
    answers = {}
    for path in public:
        separator = "&" if "?" in path else "?"
        answers[path] = client.get(f"{path}{separator}{HOSTILE_QUERY}").status_code
    assert len(public) > 20
    assert answers == dict.fromkeys(public, 400)


def test_the_bad_request_page_says_what_to_check_and_a_normal_search_still_works(client):
    refused = client.get("/documents/?q=fuel%00poverty")
    assert refused.status_code == 400
    assert "There is a problem with your request" in refused.content.decode()
    assert client.get("/documents/?q=fuel+poverty").status_code == 200


def test_a_nul_in_the_path_is_a_bad_request(client):
    assert client.get("/documents/paper/files/1/evil%00.pdf").status_code == 400
