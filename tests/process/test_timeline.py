"""The timeline marks the current step from today's date, and the home page shows it."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from process.models import Step
from tests.factories import ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    process = ProcessFactory(
        title="Data sharing", slug="data-sharing", starts_on=date(2014, 3, 1),
        ends_on=date(2015, 3, 31),
    )  # fmt: skip
    StepFactory(process=process, number=1, title="Scoping",
                starts_on=date(2014, 3, 1), ends_on=date(2014, 4, 30))  # fmt: skip
    StepFactory(process=process, number=2, title="Working groups develop proposals",
                starts_on=date(2014, 5, 1), ends_on=date(2014, 9, 30))  # fmt: skip
    StepFactory(process=process, number=3, title="Interim paper",
                starts_on=date(2014, 10, 1), ends_on=date(2014, 10, 31))  # fmt: skip
    return process


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2014, 3, 1), 1),
        (date(2014, 4, 30), 1),
        (date(2014, 5, 1), 2),
        (date(2014, 10, 31), 3),
        (date(2014, 11, 1), None),
        (date(2014, 2, 28), None),
    ],
)
def test_current_step_is_derived_from_the_date(process, today, expected):
    step = process.current_step(today)
    assert (step.number if step else None) == expected
    assert list(Step.objects.current(today).values_list("number", flat=True)) == (
        [expected] if expected else []
    )


@time_machine.travel("2014-06-15 12:00 +0100", tick=False)
def test_timeline_page_marks_the_current_step(client, process):
    html = client.get(reverse("process:detail", args=[process.slug])).content.decode()
    assert html.count('aria-current="step"') == 1
    current = html.index('aria-current="step"')
    assert html.index('id="step-2"') < current < html.index('id="step-3"')
    assert "Now at" in html and "Step 2: Working groups develop proposals" in html
    assert html.count("Finished") == 1
    assert html.count("Upcoming") == 1


@time_machine.travel("2014-04-30 23:30 +0100", tick=False)
def test_current_step_follows_uk_date_not_utc(client, process):
    """23:30 BST on 30 April is 22:30 UTC: still step 1 in London."""
    html = client.get(reverse("process:detail", args=[process.slug])).content.decode()
    assert "Now at" in html
    assert html[html.index("Now at") :].startswith('Now at <a class="govuk-link" href="#step-1"')


@time_machine.travel("2016-01-10 09:00 +0000", tick=False)
def test_home_shows_each_processs_current_step(client, process):
    reconvened = ProcessFactory(
        title="Reconvened", starts_on=date(2015, 12, 1), ends_on=date(2016, 7, 31)
    )
    StepFactory(process=reconvened, number=1, title="Review proposals",
                starts_on=date(2015, 12, 1), ends_on=date(2016, 2, 28))  # fmt: skip
    html = client.get(reverse("process:home")).content.decode()
    assert "Step 1: Review proposals" in html
    assert "this process concluded on 31 March 2015" in html


def test_timeline_page_shows_when_it_was_last_updated(client, process):
    html = client.get(reverse("process:detail", args=[process.slug])).content.decode()
    assert "Last updated" in html


def test_timeline_takes_a_constant_number_of_queries(
    client, process, django_assert_max_num_queries
):
    for number in range(4, 30):
        StepFactory(process=process, number=number)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("process:detail", args=[process.slug])).status_code == 200


def test_unknown_process_is_a_styled_404(client):
    response = client.get("/processes/no-such-process/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_terms_of_reference_is_a_public_page(client, process):
    process.terms_of_reference = "## Open by default\n\nChatham House Rule applies."
    process.save()
    response = client.get(reverse("process:terms-latest"), follow=True)
    html = response.content.decode()
    assert "<h2>Open by default</h2>" in html
    assert "Chatham House Rule" in html


def test_timeline_lists_the_processs_consultations(client, process):
    from tests.factories import ConsultationFactory

    ConsultationFactory(process=process, title="Better Use of Data in Government")
    html = client.get(reverse("process:detail", args=[process.slug])).content.decode()
    assert "Better Use of Data in Government" in html


def test_process_page_says_which_body_engages_each_sector_in_plain_words(client, process):
    from process.models import SectorEngagement

    SectorEngagement.objects.create(process=process, sector="government", body="Cabinet Office")
    SectorEngagement.objects.create(process=process, sector="expert", body="Involve")
    html = client.get(reverse("process:detail", args=[process.slug])).content.decode()
    assert "Cabinet Office engages government departments and agencies." in html
    assert "Involve engages experts and academics." in html


def test_footer_about_the_process_leads_to_the_latest_process_page(client, process):
    earlier = ProcessFactory(title="An earlier process", starts_on=date(2010, 1, 1))
    home = client.get(reverse("process:home")).content.decode()
    link = re.search(r'<a class="govuk-footer__link" href="([^"]+)">About the process</a>', home)
    response = client.get(link.group(1), follow=True)
    assert response.redirect_chain[-1][0] == process.get_absolute_url()
    assert f'<h1 class="govuk-heading-xl">{process.title}</h1>' in response.content.decode()
    assert earlier.title not in response.content.decode()
