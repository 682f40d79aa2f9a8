"""Refusals on the analysts' and secretariat's pages are shown next to the field they are
about, in an error summary that names it, with what was typed kept: a date a response cannot
have arrived on, a passage to redact that is not in the answer, a theme name the codebook
already has."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from consultation.models import Redaction, Response, Theme
from tests import factories
from tests.consultation.factories import AnswerFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


def error_beside(html: str, field_id: str, message: str, *, first_box: str = "") -> bool:
    """The message in the error summary (linking to the field, or to its first box: a
    radio's `_0`, a date's `_day`) and beside the field."""
    target = f"{field_id}{first_box}"
    return (
        f'<a href="#{target}">{message}</a>' in html
        and (
            f'<p id="{field_id}-error" class="govuk-error-message">'
            f'<span class="govuk-visually-hidden">Error:</span> {message}</p>'
        )
        in html
    )


# --- Responses entered from email or post -----------------------------------------------


@pytest.fixture
def consultation_2016(db):
    return factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )


def enter(client, consultation, received_on: str):
    return client.post(
        url("enter", consultation),
        {
            "entry_key": "7c0d3a4e-2f7b-4d7e-9f51-3c1f2a9e8b10",
            "channel": "post",
            **factories.date_fields("received_on", received_on),
            "respondent_type": "individual",
            "name": "Pat Doe",
            "publication": "anonymous",
        },
    )


@time_machine.travel(datetime(2016, 5, 3, 10, tzinfo=LONDON), tick=False)
def test_a_postal_response_received_in_the_future_is_refused_beside_the_date(
    client, consultation_2016, secretariat
):
    client.force_login(secretariat)
    result = enter(client, consultation_2016, "2030-01-01")
    html = result.content.decode()
    assert result.status_code == 200
    assert not Response.objects.exists()
    message = "Date received must be today or in the past: enter the day the response arrived"
    assert error_beside(html, "id_received_on", message, first_box="_day")
    assert 'value="Pat Doe"' in html  # what was typed is kept


@time_machine.travel(datetime(2016, 5, 3, 10, tzinfo=LONDON), tick=False)
def test_a_postal_response_received_before_the_consultation_opened_is_refused(
    client, consultation_2016, secretariat
):
    client.force_login(secretariat)
    html = enter(client, consultation_2016, "2016-02-28").content.decode()
    assert not Response.objects.exists()
    message = "Date received must be on or after 29 February 2016, the day the consultation opened"
    assert error_beside(html, "id_received_on", message, first_box="_day")


@time_machine.travel(datetime(2016, 5, 3, 10, tzinfo=LONDON), tick=False)
def test_a_postal_response_received_today_after_closing_is_entered_as_late(
    client, consultation_2016, secretariat
):
    """Posted before the closing day, a letter may arrive after it: it is entered, late."""
    client.force_login(secretariat)
    assert enter(client, consultation_2016, "2016-05-03").status_code == 302
    assert Response.objects.get().is_late


# --- Redaction ----------------------------------------------------------------------------


@pytest.fixture
def answer(consultation_2016):
    return AnswerFactory(
        question__section__consultation=consultation_2016,
        response__consultation=consultation_2016,
        text="My neighbour Bob Jones should be investigated.",
    )


def redact(client, answer, **fields):
    response = answer.response
    return client.post(
        url(
            "redact",
            response.consultation,
            reference=response.reference,
            answer_id=answer.pk,
        ),
        {f"r{answer.pk}-{name}": value for name, value in fields.items()},
    )


def test_a_passage_not_in_the_answer_is_refused_beside_the_field_and_kept(
    client, answer, secretariat
):
    client.force_login(secretariat)
    result = redact(client, answer, passage="Bob Jone5", reason="defamatory")
    html = result.content.decode()
    assert result.status_code == 200
    assert not Redaction.objects.exists()
    assert html.count("<title>Error: ") == 1
    message = (
        "The passage to redact must appear in the answer exactly as typed: copy it from the answer"
    )
    assert error_beside(html, f"id_r{answer.pk}-passage", message)
    assert "Bob Jone5</textarea>" in html  # the typed passage is still in the box
    assert 'value="defamatory" checked' in html
    assert '<details class="govuk-details" open>' in html  # the form is shown, not folded


def test_a_redaction_without_a_reason_names_the_reason_field(client, answer, secretariat):
    client.force_login(secretariat)
    html = redact(client, answer, passage="Bob Jones").content.decode()
    assert not Redaction.objects.exists()
    message = "Select a reason for the redaction"
    assert error_beside(html, f"id_r{answer.pk}-reason", message, first_box="_0")
    assert "Bob Jones</textarea>" in html


# --- Themes -------------------------------------------------------------------------------


@pytest.fixture
def question(consultation):
    return QuestionFactory(section__consultation=consultation)


def test_a_theme_name_the_codebook_has_in_another_case_is_refused_beside_the_field(
    client, analyst, question
):
    ThemeFactory(question=question, name="Public trust")
    client.force_login(analyst)
    result = client.post(
        url("codebook", question.section.consultation, question_id=question.pk),
        {"name": "public TRUST", "description": "Said twice"},
    )
    html = result.content.decode()
    assert result.status_code == 200
    assert Theme.objects.filter(question=question).count() == 1
    message = (
        f"Question {question.label} already has a theme called “Public trust”. "
        "Enter a different name, or use that theme"
    )
    assert error_beside(html, "id_name", message)
    assert 'value="Said twice"' in html


def test_renaming_a_theme_to_another_themes_name_is_refused_beside_its_field(
    client, analyst, question
):
    ThemeFactory(question=question, name="Public trust")
    cost = ThemeFactory(question=question, name="Cost")
    client.force_login(analyst)
    result = client.post(
        url("theme-edit", question.section.consultation, theme_id=cost.pk),
        {"name": "PUBLIC TRUST", "description": ""},
    )
    html = result.content.decode()
    assert result.status_code == 200
    cost.refresh_from_db()
    assert cost.name == "Cost"
    message = (
        f"Question {question.label} already has a theme called “Public trust”. "
        "Enter a different name, or use that theme"
    )
    assert error_beside(html, f"theme-{cost.pk}-name", message)
    assert 'value="PUBLIC TRUST"' in html


def test_a_theme_can_be_renamed_to_a_new_case_of_its_own_name(client, analyst, question):
    cost = ThemeFactory(question=question, name="cost")
    client.force_login(analyst)
    client.post(
        url("theme-edit", question.section.consultation, theme_id=cost.pk),
        {"name": "Cost", "description": ""},
    )
    cost.refresh_from_db()
    assert cost.name == "Cost"
