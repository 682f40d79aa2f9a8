"""Factories for the consultation app's own models."""

from __future__ import annotations

import factory
from django.utils import timezone

from consultation.models import Answer, Question, Response, Section, Theme
from tests.factories import ConsultationFactory


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    consultation = factory.SubFactory(ConsultationFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Proposal {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    section = factory.SubFactory(SectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"What do you think of proposal {n}?")
    kind = Question.Kind.FREE_TEXT
    max_length = 500


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response by default; pass status="draft" for a draft."""

    class Meta:
        model = Response

    consultation = factory.SubFactory(ConsultationFactory)
    reference = factory.Sequence(lambda n: f"R-TEST-{n:05d}")
    status = Response.Status.SUBMITTED
    respondent_type = Response.RespondentType.INDIVIDUAL
    name = factory.Faker("name")
    publication = Response.Publication.NAMED
    submitted_at = factory.LazyFunction(timezone.now)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory)
    text = "Safeguards matter."


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    question = factory.SubFactory(QuestionFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
