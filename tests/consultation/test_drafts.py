"""Starting and filling in a draft: one draft per browser session, a per-network ceiling on
new drafts, and answers never stored beyond their question's limits."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from consultation import services
from consultation.models import Answer, Question, Response
from consultation.views import DRAFTS
from tests.consultation.factories import QuestionFactory, ResponseFactory, SectionFactory

pytestmark = pytest.mark.django_db


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


@pytest.fixture
def question(consultation) -> Question:
    section = SectionFactory(consultation=consultation, number=1)
    return QuestionFactory(section=section, number=1, kind=Question.Kind.FREE_TEXT, max_length=50)


@pytest.fixture(autouse=True)
def _fresh_counters():
    """Rate-limit counters live in the cache, which outlives a test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Starting ---------------------------------------------------------------------------------


def test_starts_over_the_limit_are_refused_with_a_page_saying_what_to_do(
    client, consultation, settings
):
    settings.CONSULTATION_STARTS_PER_IP = 2
    for _ in range(2):
        assert client.__class__().post(url("start", consultation)).status_code == 302
    refused = client.__class__().post(url("start", consultation))
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many responses started" in page
    assert "continue it in the same browser" in page
    assert url("new-link", consultation) in page
    assert Response.objects.count() == 2


def test_continuing_your_own_draft_is_not_counted_against_the_limit(client, consultation, settings):
    settings.CONSULTATION_STARTS_PER_IP = 1
    for _ in range(3):
        assert client.post(url("start", consultation)).status_code == 302
    assert Response.objects.count() == 1


def test_presses_that_overtake_the_session_still_leave_one_draft(client, consultation):
    """A second press sent before the first one's answer came back carries a session that
    does not yet name the draft: the draft the session's key started is found instead."""
    session = client.session  # a browser that already has a session, as after any visit
    session["seen"] = True
    session.save()
    client.post(url("start", consultation))
    session = client.session
    assert consultation.slug in session[DRAFTS]
    del session[DRAFTS]  # as the overtaking press read it
    session.save()
    client.post(url("start", consultation))
    assert Response.objects.count() == 1
    assert client.session[DRAFTS][consultation.slug][0] == Response.objects.get().pk


def test_the_database_refuses_two_open_drafts_for_one_session(consultation):
    holder = services.hash_token("a session key")
    ResponseFactory(
        consultation=consultation, status="draft", submitted_at=None, holder_key_hash=holder
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(
            consultation=consultation, status="draft", submitted_at=None, holder_key_hash=holder
        )


def test_a_session_starts_a_new_draft_once_its_response_is_sent(consultation):
    first = services.start_response(consultation, holder_key="key")
    first.status, first.submitted_at = Response.Status.SUBMITTED, first.created_at
    first.save()
    assert services.start_response(consultation, holder_key="key") != first


# --- Answers ----------------------------------------------------------------------------------


def test_an_answer_over_its_length_is_refused_unsaved_and_kept_on_the_page(
    client, consultation, question
):
    client.post(url("start", consultation))
    client.post(url("section", consultation, number=1), {f"q{question.pk}": "Short."})
    page = client.post(url("section", consultation, number=1), {f"q{question.pk}": "x" * 60})
    assert page.status_code == 200
    body = page.content.decode()
    assert "govuk-error-message" in body
    assert "Answer to question 1.1 must be 50 characters or fewer" in body
    assert "x" * 60 in body  # what was typed, to be shortened
    assert Answer.objects.get(question=question).text == "Short."


def test_saving_for_later_with_an_answer_over_its_length_stores_nothing(
    client, consultation, question
):
    client.post(url("start", consultation))
    page = client.post(
        url("section", consultation, number=1),
        {f"q{question.pk}": "x" * 5000, "action": "save-later"},
    )
    assert page.status_code == 200
    assert not Answer.objects.exists()


def test_service_refuses_a_section_with_an_answer_over_its_length_before_writing(consultation):
    section = SectionFactory(consultation=consultation, number=1)
    short = QuestionFactory(section=section, number=1, max_length=50)
    long = QuestionFactory(section=section, number=2, max_length=10)
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    with pytest.raises(ValidationError, match="must be 10 characters or fewer"):
        services.save_section_answers(
            draft, section, answers={short.pk: "Fine.", long.pk: "x" * 2_000_000}
        )
    assert not Answer.objects.exists()
    services.save_section_answers(draft, section, answers={short.pk: "Fine.", long.pk: "x" * 10})
    assert Answer.objects.get(question=long).text == "x" * 10


def test_only_offered_choices_are_stored(consultation):
    section = SectionFactory(consultation=consultation, number=1)
    choice = QuestionFactory(
        section=section,
        number=1,
        kind=Question.Kind.MULTIPLE_CHOICE,
        options="Councils\nCharities",
    )
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    services.save_section_answers(
        draft, section, answers={choice.pk: ["Councils", "y" * 100_000, "Councils"]}
    )
    assert Answer.objects.get(question=choice).selected == ["Councils"]
