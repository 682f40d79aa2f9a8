"""Building a consultation: the secretariat assigns its analysts and words its questions
(in the admin). Once answers exist, nothing may change that would break them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from consultation.models import Analyst, Consultation, Question, QuestionVersion
from policyhub import audit

if TYPE_CHECKING:
    from policyhub.models import User


@transaction.atomic
def assign_analyst(consultation: Consultation, *, user: User, by: User | None) -> Analyst:
    """Analysts read every response, names included: granting that is audited."""
    analyst, created = Analyst.objects.get_or_create(consultation=consultation, user=user)
    if created:
        audit.record("consultation.analyst_assigned", actor=by, target=consultation, user=user.pk)
    return analyst


@transaction.atomic
def unassign_analyst(analyst: Analyst, *, by: User | None) -> None:
    audit.record(
        "consultation.analyst_unassigned",
        actor=by,
        target=analyst.consultation,
        user=analyst.user_id,
    )
    analyst.delete()


def question_change_problems(question: Question, *, kind: str, options: str) -> list[str]:
    """Changes that would break answers already given: refuse them."""
    if question.pk is None or not question.answers.exists():
        return []
    problems = []
    if kind != question.kind:
        problems.append("This question has answers, so its type cannot change.")
    if question.is_choice and question.kind != Question.Kind.AGREEMENT_SCALE:
        new = {line.strip() for line in options.splitlines() if line.strip()}
        old = {value for value, _ in question.choices()}
        if removed := sorted(old - new):
            problems.append(
                "This question has answers, so these options cannot be removed: "
                + ", ".join(removed)
            )
    return problems


@transaction.atomic
def revise_question(question: Question, *, by: User | None) -> Question:
    """Save an edit. Once answers exist, the previous wording is kept as a version so each
    answer can still be read against the words its respondent saw."""
    if question.pk is not None:
        before = Question.objects.select_for_update().get(pk=question.pk)
        problems = question_change_problems(before, kind=question.kind, options=question.options)
        if problems:
            raise ValidationError(problems)
        if before.answers.exists() and (before.text, before.hint) != (
            question.text,
            question.hint,
        ):
            QuestionVersion.objects.create(
                question=before, text=before.text, hint=before.hint, replaced_by=by
            )
            audit.record(
                "consultation.question_reworded",
                actor=by,
                target=question,
                before=before.text,
                after=question.text,
            )
    question.save()
    return question


@transaction.atomic
def remove_question(question: Question, *, by: User | None) -> None:
    """Removing a question with answers would destroy them, so it is refused."""
    if question.answers.exists():
        raise ValidationError("This question has answers, so it cannot be removed.")
    audit.record("consultation.question_removed", actor=by, target=question)
    question.delete()
