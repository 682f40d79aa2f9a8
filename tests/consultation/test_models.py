"""Wording of time, and the admin rules for questions that already have answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultation.models import Question
from consultation.templatetags.consultation_tags import moment, time_left
from tests.consultation.factories import AnswerFactory, QuestionFactory

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")


def test_closing_moment_is_stated_in_full():
    assert moment(datetime(2016, 4, 22, 23, 59, tzinfo=LONDON)) == (
        "11:59pm on Friday 22 April 2016"
    )


def test_closing_moment_is_shown_in_uk_summer_time():
    """22:59 UTC on 22 April 2016 is 11:59pm BST."""
    assert moment(datetime(2016, 4, 22, 22, 59, tzinfo=UTC)).startswith("11:59pm on Friday")


def test_closing_moment_on_the_hour_drops_the_minutes():
    assert moment(datetime(2016, 2, 29, 9, 0, tzinfo=LONDON)) == "9am on Monday 29 February 2016"


@pytest.mark.parametrize(
    ("left", "words"),
    [
        (timedelta(days=12, hours=3), "12 days"),
        (timedelta(days=1, hours=5), "29 hours"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=-1), "no time"),
    ],
)
def test_time_left_in_plain_words(left, words):
    assert time_left(left) == words


@pytest.mark.django_db
def test_admin_refuses_to_change_the_type_of_an_answered_question(client, superuser):
    question = AnswerFactory().question
    client.force_login(superuser)
    page = client.post(
        reverse("admin:consultation_question_change", args=[question.pk]),
        {
            "section": question.section_id,
            "number": question.number,
            "text": question.text,
            "hint": "",
            "kind": Question.Kind.MULTIPLE_CHOICE,
            "options": "A\nB",
            "max_length": 500,
        },
    )
    assert page.status_code == 200
    assert b"type cannot change" in page.content
    question.refresh_from_db()
    assert question.kind == Question.Kind.FREE_TEXT


@pytest.mark.django_db
def test_admin_offers_no_delete_for_an_answered_question(client, superuser):
    answered = AnswerFactory().question
    unanswered = QuestionFactory()
    client.force_login(superuser)
    assert (
        client.get(reverse("admin:consultation_question_delete", args=[answered.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:consultation_question_delete", args=[unanswered.pk])).status_code
        == 200
    )


@pytest.mark.django_db
def test_assigning_an_analyst_in_the_admin_is_audited(client, superuser, consultation):
    from policyhub.models import AuditEntry
    from tests import factories

    person = factories.UserFactory()
    client.force_login(superuser)
    data = {
        "process": consultation.process_id,
        "title": consultation.title,
        "slug": consultation.slug,
        "summary": "",
        "opens_at_0": "01/01/2026",
        "opens_at_1": "09:00",
        "closes_at_0": "01/03/2030",
        "closes_at_1": "23:59",
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "analysts-TOTAL_FORMS": "1",
        "analysts-INITIAL_FORMS": "0",
        "analysts-0-user": person.pk,
    }
    page = client.post(
        reverse("admin:consultation_consultation_change", args=[consultation.pk]), data
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    assert consultation.analysts.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="consultation.analyst_assigned").exists()


def test_privacy_notice_states_the_retention_period(client, db, settings):
    from tests import factories

    settings.CONSULTATION_RETENTION_DAYS = 90
    consultation = factories.ConsultationFactory()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "deleted 90 days after the consultation closes" in page
