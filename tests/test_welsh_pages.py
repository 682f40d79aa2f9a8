"""Public pages converted to Welsh beyond the consultation journey (tests/consultation/
test_welsh.py): the home page and the list of working groups, in Cymraeg once chosen."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def welsh(client):
    call_command("load_demo", verbosity=0)
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    return client


def text_of(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_the_home_page_in_welsh(welsh):
    page = text_of(welsh.get(reverse("process:home")))
    assert '<html lang="cy"' in page
    assert "Datblygu polisi gyda'n gilydd, yn agored" in page
    assert "Rhagor o wybodaeth" in page
    assert "Cam presennol" in page
    assert "Developing policy together" not in page


def test_the_working_groups_list_in_welsh(welsh):
    page = text_of(welsh.get(reverse("workinggroups:list")))
    assert '<h1 class="govuk-heading-xl">Gweithgorau</h1>' in page
    assert "Tasgau'r cynllun gwaith a gwblhawyd" in page
    assert "Wedi dod i ben" in page or "Gweithredol" in page  # each group's status
    assert "Workplan tasks done" not in page
