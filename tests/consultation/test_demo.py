"""The demo holds the seed's consultation as the seed describes it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.template import engines

from consultation.models import AnswerReview, Consultation, Response
from consultation.services import campaign_groups
from process.models import Process

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_demo_consultation_runs_on_the_seeds_dates_with_one_section_per_proposal():
    call_command("load_demo", verbosity=0)
    bud = Consultation.objects.get(slug="better-use-of-data-in-government")
    assert bud.opens_at.astimezone(LONDON).date().isoformat() == "2016-02-29"
    assert bud.closes_at == datetime(2016, 4, 22, 23, 59, tzinfo=LONDON)
    assert bud.sections.count() == 6
    assert bud.is_summary_published
    assert Response.objects.filter(consultation=bud).submitted().count() >= 300
    assert Response.objects.filter(consultation=bud).consented().exists()
    assert Response.objects.filter(consultation=bud, publication="none").exists()
    question = bud.sections.get(number=6).questions.get(kind="free_text")
    assert campaign_groups(question)[0]["count"] >= 30
    double = AnswerReview.objects.filter(answer__question__section__consultation=bud)
    assert double.values("answer").distinct().count() < double.count()  # some double-coded


def test_demo_has_a_consultation_open_today():
    call_command("load_demo", verbosity=0)
    with_questions = Consultation.objects.filter(sections__isnull=False).distinct()
    assert any(consultation.is_open() for consultation in with_questions)


def test_process_page_include_lists_the_process_consultations():
    call_command("load_demo", verbosity=0)
    process = Process.objects.get(slug="data-sharing-reconvened-2016")
    template = engines["django"].from_string(
        '{% include "consultation/includes/process_consultations.html" with process=process %}'
    )
    html = template.render({"process": process})
    assert "Better Use of Data in Government" in html
    assert "11:59pm on Friday 22 April 2016" in html


def test_demo_consultation_pages_give_an_address_and_say_the_retention_period_once(client):
    """A closed consultation tells people where to write; no page says twice how long
    email addresses are kept."""
    call_command("load_demo", verbosity=0)
    consultations = list(Consultation.objects.all())
    assert any(c.state() == "closed" for c in consultations)
    for consultation in consultations:
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert page.count("days after the consultation closes") <= 1
        if consultation.state() == "closed":
            assert consultation.contact_address
            assert f'href="mailto:{consultation.contact_address}"' in page
