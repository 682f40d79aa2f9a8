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


def test_a_process_page_in_welsh(welsh):
    from process.models import Process

    process = Process.objects.filter(steps__isnull=False).first()
    page = text_of(welsh.get(process.get_absolute_url()))
    assert '<h2 class="govuk-heading-l">Camau</h2>' in page
    assert "Cam 1:" in page
    assert "Cymryd rhan" in page
    assert "Cynhaliwyd" in page  # the meetings held, in a Welsh sentence
    assert "Steps" not in page


def test_meeting_times_use_the_languages_own_day_and_month_names():
    from datetime import datetime
    from types import SimpleNamespace
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from meetings.templatetags.meetings import london_range

    london = ZoneInfo("Europe/London")
    meeting = SimpleNamespace(
        starts_at=datetime(2014, 3, 31, 10, tzinfo=london),
        ends_at=datetime(2014, 3, 31, 13, tzinfo=london),
    )
    assert london_range(meeting) == "Monday 31 March 2014, 10:00 to 13:00"
    with translation.override("cy"):
        assert london_range(meeting).startswith("Dydd Llun 31 Mawrth 2014")
