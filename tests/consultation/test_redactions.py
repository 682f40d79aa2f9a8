"""Redactions are applied by character spans of the original answer: nested, overlapping and
repeated passages are all hidden, whatever order they were redacted in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation import services
from tests import factories
from tests.consultation.factories import AnswerFactory

pytestmark = pytest.mark.django_db

THIRD = "[redacted: personal data about someone else]"
DEFAMATORY = "[redacted: potentially defamatory]"


def redact(answer, *passages: str, by, reason: str = "third_party") -> str:
    for passage in passages:
        services.redact_passage(answer, passage=passage, reason=reason, by=by)
    answer.refresh_from_db()
    return services.public_text(answer)


@pytest.mark.parametrize(
    "order",
    [("Jane Smith from Acme", "Acme"), ("Acme", "Jane Smith from Acme")],
    ids=["outer-first", "inner-first"],
)
def test_a_passage_inside_another_is_hidden_whichever_is_redacted_first(secretariat, order):
    answer = AnswerFactory(text="I spoke to Jane Smith from Acme, and Acme agreed.")
    public = redact(answer, *order, by=secretariat)
    assert public == f"I spoke to {THIRD}, and {THIRD} agreed."


def test_overlapping_passages_are_hidden_as_one_span(secretariat):
    answer = AnswerFactory(text="Our manager Bob Jones is a crook, we think.")
    public = redact(answer, "Bob Jones is", "Jones is a crook", by=secretariat)
    assert public == f"Our manager {THIRD}, we think."


def test_a_passage_found_in_an_earlier_marker_changes_nothing_there(secretariat):
    """Markers are written once, after every span is found in the original: a later
    passage that happens to be a word of a marker cannot edit the marker."""
    answer = AnswerFactory(text="Ann Lee told someone at the data office.")
    public = redact(answer, "Ann Lee", "someone", by=secretariat)
    assert public == f"{THIRD} told {THIRD} at the data office."


def test_spans_with_different_reasons_name_both(secretariat):
    answer = AnswerFactory(text="Bob Jones stole from us.")
    services.redact_passage(answer, passage="Bob Jones", reason="third_party", by=secretariat)
    services.redact_passage(answer, passage="Jones stole", reason="defamatory", by=secretariat)
    assert services.public_text(answer) == (
        "[redacted: personal data about someone else; potentially defamatory] from us."
    )


def test_every_occurrence_of_a_redacted_passage_is_hidden(secretariat):
    answer = AnswerFactory(text="Bob said no. Then Bob said yes.")
    assert redact(answer, "Bob", by=secretariat, reason="defamatory") == (
        f"{DEFAMATORY} said no. Then {DEFAMATORY} said yes."
    )


@pytest.fixture
def closed_consultation(db):
    return factories.ConsultationFactory(
        opens_at=timezone.now() - timedelta(days=60), closes_at=timezone.now() - timedelta(days=1)
    )


def test_published_page_shows_nested_redactions_hidden(client, closed_consultation, secretariat):
    answer = AnswerFactory(
        question__section__consultation=closed_consultation,
        response__consultation=closed_consultation,
        response__publication="anonymous",
        text="I spoke to Jane Smith from Acme about it.",
    )
    redact(answer, "Acme", "Jane Smith from Acme", by=secretariat)
    services.publish_summary(closed_consultation, summary="Summary.", by=secretariat)
    page = client.get(
        reverse("consultation:published", kwargs={"slug": closed_consultation.slug})
    ).content.decode()
    assert "Jane Smith" not in page and "Acme" not in page
    assert "I spoke to [redacted: personal data about someone else] about it." in page
