"""One date input everywhere (policyhub.forms.DateField): GOV.UK's day, month and year
boxes with the hint "For example, 29 2 2016", on the meeting, action, restriction and
postal response forms; each takes a date typed that way and refuses an impossible one with
a message naming the field, keeping what was typed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consultation.models import Response
from documents.models import Restriction
from meetings.models import Action, Meeting
from policyhub.forms import DateField, Form
from tests.consultation.factories import ConsultationFactory
from tests.documents.factories import DocumentFactory
from tests.factories import date_fields
from tests.meetings.factories import NotesFactory

pytestmark = pytest.mark.django_db

IMPOSSIBLE = {"day": "30", "month": "2", "year": "2027"}


def impossible(name: str) -> dict[str, str]:
    return {f"{name}_{part}": value for part, value in IMPOSSIBLE.items()}


def assert_refused_and_kept(html: str, name: str, message: str) -> None:
    assert html.count(message) == 2  # in the error summary and beside the field
    assert f'href="#id_{name}_day"' in html
    assert f'name="{name}_day" type="text" inputmode="numeric" value="30"' in html
    assert f'name="{name}_month" type="text" inputmode="numeric" value="2"' in html


def assert_date_input(html: str, name: str) -> None:
    for part in ("day", "month", "year"):
        assert f'id="id_{name}_{part}" name="{name}_{part}"' in html
    assert 'type="date"' not in html


def test_the_meeting_form_takes_a_date_in_three_boxes(client, secretariat, group):
    client.force_login(secretariat)
    html = client.get(reverse("meetings:schedule")).content.decode()
    assert_date_input(html, "day")
    assert "For example, 29 2 2016" in html
    data = {
        "working_group": group.pk,
        "title": "Evidence session",
        "start_time": "10:00",
        "end_time": "12:00",
        "region": "london",
        "venue": "70 Whitehall",
        "reminder_days": "7, 1",
    }
    day = timezone.localdate() + timedelta(days=40)
    html = client.post(reverse("meetings:schedule"), {**data, **impossible("day")}).content
    assert_refused_and_kept(html.decode(), "day", "Date must be a real date")
    response = client.post(reverse("meetings:schedule"), {**data, **date_fields("day", day)})
    assert response.status_code == 302
    assert timezone.localtime(Meeting.objects.get().starts_at).date() == day


def test_the_action_form_takes_a_due_date_in_three_boxes(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    path = reverse("meetings:action_add", args=[notes.meeting.pk])
    data = {"action-description": "Draft the options paper", "action-owner": "The secretariat"}
    html = client.post(path, {**data, **impossible("action-due_on")}).content.decode()
    assert_refused_and_kept(html, "action-due_on", "Due date must be a real date")
    client.post(path, {**data, **date_fields("action-due_on", date(2016, 2, 29))})
    assert Action.objects.get().due_on == date(2016, 2, 29)


def test_the_restriction_form_takes_a_review_date_in_three_boxes(client, secretariat, group):
    document = DocumentFactory(process=group.process, slug="annex")
    client.force_login(secretariat)
    path = reverse("documents:restrict", kwargs={"slug": document.slug})
    html = client.get(path).content.decode()
    assert_date_input(html, "review_on")
    example = timezone.localdate() + timedelta(days=90)
    assert f"For example, {example.day} {example.month} {example.year}" in html
    data = {
        "grounds": ["personal_data"],
        "justification": "The annex names members of the public who wrote in.",
    }
    html = client.post(path, {**data, **impossible("review_on")}).content.decode()
    assert_refused_and_kept(html, "review_on", "Review date must be a real date")
    review_on = timezone.localdate() + timedelta(days=60)
    client.post(path, {**data, **date_fields("review_on", review_on)})
    assert Restriction.objects.get().review_on == review_on


def test_the_postal_response_form_takes_the_date_received_in_three_boxes(client, secretariat):
    consultation = ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=60), closes_at=timezone.now() - timedelta(days=1)
    )
    client.force_login(secretariat)
    path = reverse("consultation:enter", kwargs={"slug": consultation.slug})
    html = client.get(path).content.decode()
    assert_date_input(html, "received_on")
    assert "For example, 29 2 2016" in html
    data = {
        "entry_key": "7c0d3a4e-2f7b-4d7e-9f51-3c1f2a9e8b10",
        "channel": "post",
        "respondent_type": "individual",
        "name": "Pat Doe",
        "publication": "anonymous",
    }
    html = client.post(path, {**data, **impossible("received_on")}).content.decode()
    assert_refused_and_kept(html, "received_on", "Date received must be a real date")
    received = timezone.localdate() - timedelta(days=3)
    response = client.post(path, {**data, **date_fields("received_on", received)})
    assert response.status_code == 302
    assert Response.objects.get().received_on == received


class _When(Form):
    review_on = DateField(label="Review date")
    optional = DateField(label="Follow-up date (optional)", required=False)


@pytest.mark.parametrize(
    "typed, result",
    [
        (("29", "2", "2016"), date(2016, 2, 29)),
        ((" 7 ", "03", "2027"), date(2027, 3, 7)),
        (("7", "March", "2027"), date(2027, 3, 7)),
        (("7", "mar", "2027"), date(2027, 3, 7)),
        (("", "", ""), "Enter the review date"),
        (("29", "", "2016"), "Review date must include a month"),
        (("", "", "2016"), "Review date must include a day and month"),
        (("29", "2", "16"), "The year of the review date must include 4 numbers"),
        (("29", "2", "2015"), "Review date must be a real date"),
        (("32", "1", "2016"), "Review date must be a real date"),
        (("1", "13", "2016"), "Review date must be a real date"),
        (("first", "1", "2016"), "Review date must be a real date"),
    ],
)
def test_a_date_says_what_is_missing_or_wrong_in_govuk_words(typed, result):
    form = _When(
        data=dict(zip(("review_on_day", "review_on_month", "review_on_year"), typed, strict=True))
    )
    if isinstance(result, date):
        assert form.is_valid(), form.errors
        assert form.cleaned_data["review_on"] == result
        assert form.cleaned_data["optional"] is None
    else:
        assert form.errors["review_on"] == [result]


def test_a_date_field_draws_the_govuk_date_input_with_a_fieldset_and_legend():
    html = render_to_string("includes/form_fields.html", {"form": _When()})
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_review_on-hint">'
    ) in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Review date</legend>'
    ) in html
    assert (
        '<label class="govuk-label govuk-date-input__label" for="id_review_on_year">Year</label>'
    ) in html
    assert "govuk-input--width-4" in html
