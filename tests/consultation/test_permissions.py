"""The permission matrix: role × URL × method → status.

Analysts see their own consultation's responses and nothing of another's (404, not 403:
don't confirm it exists). Redaction, postal entry and publishing are the secretariat's: the
analysts of the consultation see its responses, so they are refused with a 403.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultation import permissions
from tests import factories
from tests.consultation.factories import AnswerFactory, QuestionFactory, ThemeFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ROLES = ["anonymous", "participant", "analyst", "other_analyst", "secretariat", "superuser"]


@pytest.fixture
def world(db):
    """A closed consultation with one coded response, and another consultation."""
    closed = factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )
    other = factories.ConsultationFactory()
    question = QuestionFactory(section__consultation=closed)
    answer = AnswerFactory(question=question, response__consultation=closed, text="Words.")
    theme = ThemeFactory(question=question)
    people = {
        "anonymous": None,
        "participant": factories.UserFactory(),
        "analyst": factories.AnalystFactory(consultation=closed).user,
        "other_analyst": factories.AnalystFactory(consultation=other).user,
        "secretariat": factories.SecretariatMemberFactory().user,
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
    }
    return {"c": closed, "answer": answer, "theme": theme, "question": question, **people}


def resolve(world, name: str) -> tuple[str, dict]:
    c, answer = world["c"], world["answer"]
    ref = answer.response.reference
    routes = {
        "detail": ("consultation:detail", {}),
        "start": ("consultation:start", {}),
        "analysis": ("consultation:analysis", {}),
        "response": ("consultation:response", {"reference": ref}),
        "code": ("consultation:code", {"reference": ref, "answer_id": answer.pk}),
        "redact": ("consultation:redact", {"reference": ref, "answer_id": answer.pk}),
        "codebook": ("consultation:codebook", {"question_id": world["question"].pk}),
        "theme-edit": ("consultation:theme-edit", {"theme_id": world["theme"].pk}),
        "agreement": ("consultation:agreement", {}),
        "statistics": ("consultation:statistics", {}),
        "export": ("consultation:export", {"fmt": "csv"}),
        "publish": ("consultation:publish", {}),
        "enter": ("consultation:enter", {}),
        "published": ("consultation:published", {}),
    }
    view, kwargs = routes[name]
    return reverse(view, kwargs={"slug": c.slug, **kwargs}), {
        "code": {f"a{answer.pk}-themes": [world["theme"].pk]},
        "redact": {f"r{answer.pk}-passage": "Words", f"r{answer.pk}-reason": "other"},
        "theme-edit": {"name": "Renamed"},
        "publish": {"summary": "What we heard."},
    }.get(name, {})


ANALYSE = {"analyst": 200, "secretariat": 200, "superuser": 200}
ANALYSE_POST = {"analyst": 302, "secretariat": 302, "superuser": 302}
STAFF_ONLY_POST = {"secretariat": 302, "superuser": 302, "analyst": 403}
STAFF_ONLY = {"secretariat": 200, "superuser": 200, "analyst": 403}

MATRIX = [
    # (url name, method, {role: status}, default status for the others)
    ("detail", "get", {}, 200),
    ("start", "post", {}, 403),  # closed: refused for everyone, with a clear page
    ("published", "get", {}, 404),  # not published yet
    ("analysis", "get", ANALYSE, 404),
    ("response", "get", ANALYSE, 404),
    ("code", "post", ANALYSE_POST, 404),
    ("codebook", "get", ANALYSE, 404),
    ("theme-edit", "post", ANALYSE_POST, 404),
    ("agreement", "get", ANALYSE, 404),
    ("statistics", "get", ANALYSE, 404),
    ("export", "get", ANALYSE, 404),
    ("redact", "post", STAFF_ONLY_POST, 404),
    ("publish", "get", STAFF_ONLY, 404),
    ("enter", "get", STAFF_ONLY, 404),
    ("publish", "post", STAFF_ONLY_POST, 404),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "allowed", "default"), MATRIX)
def test_permission_matrix(client, world, role, name, method, allowed, default):
    user = world[role]
    if user is not None:
        client.force_login(user)
    path, data = resolve(world, name)
    response = getattr(client, method)(path, data)
    assert response.status_code == allowed.get(role, default), (role, name, method)


def test_analyst_of_one_consultation_sees_none_of_anothers_responses(world):
    assert not permissions.responses_visible_to(world["other_analyst"], world["c"]).exists()
    assert permissions.responses_visible_to(world["analyst"], world["c"]).exists()


def test_analysis_actions_are_post_only(client, world):
    client.force_login(world["analyst"])
    path, _ = resolve(world, "code")
    assert client.get(path).status_code == 405
