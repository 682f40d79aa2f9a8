"""Every free-text field of a consultation takes as much as a real text needs, says so next to
the field, and refuses more with a message naming the field, keeping what was typed."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from consultation.forms import RedactionForm, ThemeForm
from consultation.models import Question, Theme
from tests.consultation.factories import QuestionFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_the_admin_refuses_choice_options_longer_than_a_real_list(client, superuser):
    section = SectionFactory()
    client.force_login(superuser)
    options = "\n".join(f"Option {n} " + "x" * 90 for n in range(60))  # about 6,000 characters
    page = client.post(
        reverse("admin:consultation_question_add"),
        {
            "section": section.pk,
            "number": 1,
            "text": "Which bodies should share data?",
            "hint": "",
            "kind": Question.Kind.MULTIPLE_CHOICE,
            "options": options,
            "max_length": 500,
        },
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert not Question.objects.exists()
    assert "Ensure this value has at most 5000 characters" in html
    assert "Up to 5,000 characters in all." in html  # said before anyone is refused


def test_the_admin_says_the_limit_of_each_consultation_text(client, superuser):
    client.force_login(superuser)
    html = client.get(reverse("admin:consultation_consultation_add")).content.decode()
    for hint in ("Up to 250 characters.", "Up to 20,000 characters.", "Up to 5,000 characters."):
        assert hint in html
    assert "Up to 100,000 characters." in html  # the published summary


@pytest.mark.parametrize(
    ("fields", "field_id", "hint", "message"),
    [
        (
            {"name": "x" * 121},
            "id_name",
            "You can enter up to 120 characters.",
            "Theme name must be 120 characters or fewer",
        ),
        (
            {"name": "Cost", "description": "x" * 501},
            "id_description",
            "You can enter up to 500 characters.",
            "Description must be 500 characters or fewer",
        ),
    ],
    ids=["name", "description"],
)
def test_a_theme_over_its_limit_is_refused_beside_the_field_which_states_the_limit(
    client, analyst, consultation, fields, field_id, hint, message
):
    question = QuestionFactory(section__consultation=consultation)
    path = reverse(
        "consultation:codebook", kwargs={"slug": consultation.slug, "question_id": question.pk}
    )
    client.force_login(analyst)
    assert hint in client.get(path).content.decode()
    html = client.post(path, fields).content.decode()
    assert not Theme.objects.exists()
    assert f'<a href="#{field_id}">{message}</a>' in html
    assert f'<div id="{field_id}-hint" class="govuk-hint">{hint}</div>' in html
    assert fields[field_id.removeprefix("id_")] in html  # kept


def test_each_limit_is_said_once_beside_its_field():
    """A text box's limit is said by its character count, any other input's by its hint:
    never both, so nobody reads the same sentence twice."""
    passage = render_to_string("includes/field.html", {"field": RedactionForm()["passage"]})
    name = render_to_string("includes/field.html", {"field": ThemeForm()["name"]})
    assert passage.count("You can enter up to 2,000 characters") == 1
    assert "govuk-character-count" in passage
    assert name.count("You can enter up to 120 characters") == 1
