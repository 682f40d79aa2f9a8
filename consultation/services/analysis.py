"""Analysing responses: the analysts' codebooks (themes) and coding, campaigns of identical
answers, agreement between analysts, the statistics table; and what the public may read of
it all (redaction, then publication of the summary with the consented responses).

Staff services take the actor keyword-only and write the audit log.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Func, IntegerField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from consultation.models import (
    Answer,
    AnswerReview,
    Consultation,
    Question,
    Redaction,
    Response,
    Theme,
)
from policyhub import audit
from policyhub.cache import memoised

if TYPE_CHECKING:
    from policyhub.models import User


def _refuse_duplicate_theme(question: Question, name: str, *, other_than: Theme | None = None):
    """Two themes whose names differ only in case ("Cost", "cost") would split one code's
    answers between them, so a name is refused next to the field, saying which theme has
    it. The question's row is locked first, so two analysts adding the same name at once
    take turns and the second is refused too."""
    Question.objects.select_for_update().filter(pk=question.pk).first()
    same = Theme.objects.filter(question=question, name__iexact=name)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    existing = same.first()
    if existing is not None:
        raise ValidationError(
            {
                "name": f"Question {question.label} already has a theme called "
                f"“{existing.name}”. Enter a different name, or use that theme"
            }
        )


@transaction.atomic
def add_theme(question: Question, *, name: str, description: str = "", by: User) -> Theme:
    """A new theme in the question's codebook. A name the codebook already has, in any
    case, is refused rather than ignored, so the analyst knows the theme was not added."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the theme"})
    _refuse_duplicate_theme(question, name)
    theme = Theme.objects.create(question=question, name=name, description=description)
    audit.record("consultation.theme_added", actor=by, target=theme, question=question.pk)
    return theme


@transaction.atomic
def rename_theme(theme: Theme, *, name: str, description: str, by: User) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name for the theme"})
    _refuse_duplicate_theme(theme.question, name, other_than=theme)
    before = theme.name
    theme.name, theme.description = name, description
    theme.save()
    audit.record("consultation.theme_edited", actor=by, target=theme, before=before, after=name)
    return theme


@transaction.atomic
def remove_theme(theme: Theme, *, by: User) -> None:
    audit.record(
        "consultation.theme_removed",
        actor=by,
        target=theme,
        codings=AnswerReview.themes.through.objects.filter(theme=theme).count(),
    )
    theme.delete()


@transaction.atomic
def code_answer(answer: Answer, *, themes: Iterable[Theme], by: User) -> AnswerReview:
    """This analyst's coding of this answer, replacing their earlier one. Each analyst's
    coding is separate, so two can code the same answer independently."""
    themes = list(themes)
    if any(t.question_id != answer.question_id for t in themes):
        raise ValidationError("Themes must come from this question's codebook.")
    review, _ = AnswerReview.objects.select_for_update().get_or_create(answer=answer, analyst=by)
    before = set(review.themes.values_list("pk", flat=True))
    after = {t.pk for t in themes}
    review.themes.set(themes)
    review.reviewed_at = timezone.now()
    review.save(update_fields=["reviewed_at"])
    audit.record(
        "consultation.answer_coded",
        actor=by,
        target=answer.response,
        question=answer.question_id,
        tagged=sorted(after - before),
        untagged=sorted(before - after),
    )
    return review


def normalise_text(text: str) -> str:
    """Campaign answers differ in case, spacing and punctuation; compare without them."""
    kept = "".join(c.lower() if c.isalnum() else " " for c in text)
    return " ".join(kept.split())


NEAR_IDENTICAL = 0.9  # difflib ratio above which two long answers count as one campaign text
NEAR_MINIMUM_LENGTH = 40  # shorter answers ("Yes", "I agree") must match exactly


def campaign_groups(question: Question, *, minimum: int = 2) -> list[dict[str, Any]]:
    """Identical or near-identical free-text answers, biggest group first.

    Identical means equal after `normalise_text`. Near-identical: long answers that share
    their first five words and differ by a few words (e.g. a campaign text with a sentence
    added) join the biggest such group. Blocking on the opening words keeps this cheap."""
    exact: dict[str, dict[str, Any]] = {}
    answers = Answer.objects.submitted().filter(question=question).exclude(text="").order_by()
    for pk, text in answers.values_list("pk", "text").iterator(chunk_size=2000):
        key = normalise_text(text)
        if key:
            group = exact.setdefault(key, {"key": key, "text": text, "answer_ids": []})
            group["answer_ids"].append(pk)
    blocks: dict[str, list[dict[str, Any]]] = {}
    merged: list[dict[str, Any]] = []
    for group in sorted(exact.values(), key=lambda g: (-len(g["answer_ids"]), g["key"])):
        group["variants"] = 1
        if len(group["key"]) < NEAR_MINIMUM_LENGTH:
            merged.append(group)
            continue
        leaders = blocks.setdefault(" ".join(group["key"].split()[:5]), [])
        leader = next(
            (
                lead
                for lead in leaders
                if difflib.SequenceMatcher(None, lead["key"], group["key"]).ratio()
                >= NEAR_IDENTICAL
            ),
            None,
        )
        if leader is None:
            leaders.append(group)
            merged.append(group)
        else:
            leader["answer_ids"].extend(group["answer_ids"])
            leader["variants"] += 1
    found = [g for g in merged if len(g["answer_ids"]) >= minimum]
    for g in found:
        g["count"] = len(g["answer_ids"])
        g["digest"] = hashlib.sha256(g["key"].encode()).hexdigest()[:16]
    return sorted(found, key=lambda g: (-g["count"], g["key"]))


@transaction.atomic
def code_campaign_group(
    question: Question, *, digest: str, themes: Iterable[Theme], by: User
) -> int:
    """Code every answer of one campaign group alike. Returns how many were coded."""
    themes = list(themes)
    group = next((g for g in campaign_groups(question) if g["digest"] == digest), None)
    if group is None:
        raise ValidationError("That group of identical answers no longer exists.")
    for answer in Answer.objects.filter(pk__in=group["answer_ids"]).select_related("response"):
        code_answer(answer, themes=themes, by=by)
    return group["count"]


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """Cohen's kappa for two coders' yes/no decisions on the same items.
    None when undefined (no items, or both coders gave one same answer throughout)."""
    n = len(pairs)
    if n == 0:
        return None
    agree = sum(1 for a, b in pairs if a == b) / n
    a_yes = sum(1 for a, _ in pairs if a) / n
    b_yes = sum(1 for _, b in pairs if b) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected == 1:
        return None
    return (agree - expected) / (1 - expected)


def agreement_report(consultation: Consultation) -> list[dict[str, Any]]:
    """Per question and per theme: Cohen's kappa between the first two analysts to code
    each answer, with the number of double-coded answers, and the disagreements."""
    reviews = (
        AnswerReview.objects.filter(
            answer__question__section__consultation=consultation,
            answer__response__status="submitted",
        )
        .select_related("answer__response", "analyst")
        .prefetch_related("themes")
        .order_by("answer_id", "reviewed_at", "pk")
    )
    by_answer: dict[int, list[AnswerReview]] = {}
    for review in reviews:
        by_answer.setdefault(review.answer_id, []).append(review)
    questions = (
        Question.objects.filter(section__consultation=consultation, kind="free_text")
        .select_related("section")
        .prefetch_related("themes")
    )
    report = []
    for question in questions:
        double = [
            rs[:2]
            for rs in by_answer.values()
            if len(rs) >= 2 and rs[0].answer.question_id == question.pk
        ]
        themes = list(question.themes.all())
        rows, pooled, disagreements = [], [], []
        for theme in themes:
            pairs = [
                (theme in first.themes.all(), theme in second.themes.all())
                for first, second in double
            ]
            pooled.extend(pairs)
            rows.append({"theme": theme, "kappa": cohen_kappa(pairs), "count": len(pairs)})
        for first, second in double:
            a, b = set(first.themes.all()), set(second.themes.all())
            if a != b:
                disagreements.append(
                    {
                        "answer": first.answer,
                        "first": first,
                        "second": second,
                        "only_first": sorted(t.name for t in a - b),
                        "only_second": sorted(t.name for t in b - a),
                    }
                )
        report.append(
            {
                "question": question,
                "themes": rows,
                "kappa": cohen_kappa(pooled),
                "double_coded": len(double),
                "disagreements": disagreements,
            }
        )
    return report


# Column headings for each respondent type: the respondents' own choices ("On behalf of an
# organisation") are too long to head a column of numbers on a phone.
RESPONDENT_GROUPS = {
    Response.RespondentType.INDIVIDUAL: "Individuals",
    Response.RespondentType.ORGANISATION: "Organisations",
}


def question_statistics(consultation: Consultation) -> list[dict[str, Any]]:
    """Counts and percentages per option (choice questions) or per theme (free text),
    overall and by respondent type. The counts read every submitted answer, so they are
    memoised by the last change of what they count (`counted_as_of`); the questions and
    themes they are shown against are read fresh, so a renamed theme or a reworded question
    shows at once."""
    questions = list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .prefetch_related("themes")
    )
    counts, totals, theme_counts = memoised(
        "consultation-statistics",
        (consultation.pk, counted_as_of(consultation)),
        lambda: _count_answers(consultation),
    )

    def pct(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    columns = [("", "All respondents")] + [
        (value, RESPONDENT_GROUPS.get(value, label))
        for value, label in Response.RespondentType.choices
    ]
    stats = []
    for q in questions:
        if q.is_choice:
            keys = [(value, (q.pk, value)) for value, _ in q.choices()]
            lookup = counts
        else:
            keys = [(theme.name, (theme.pk,)) for theme in q.themes.all()]
            lookup = theme_counts
        rows = [
            {
                "label": label,
                "cells": [
                    {
                        "count": lookup.get((*key, t), 0),
                        "percent": pct(lookup.get((*key, t), 0), totals.get((q.pk, t), 0)),
                    }
                    for t, _ in columns
                ],
            }
            for label, key in keys
        ]
        stats.append(
            {
                "question": q,
                "columns": columns,
                "totals": [totals.get((q.pk, t), 0) for t, _ in columns],
                "rows": rows,
            }
        )
    return stats


def counted_as_of(consultation: Consultation) -> tuple[Any, ...]:
    """When what the statistics count last changed, in one query. The counts change only
    when a response is sent, entered, changed or removed (the number and the newest
    `updated_at` of the submitted responses: every save sets it) or an answer is coded (the
    number and the newest `reviewed_at` of the codings: `code_answer` sets it each time).
    Question and theme rows are not counted, only shown, so they are not in it. The newest
    time is read as the first row in descending order, which an index answers at once."""
    sent = Response.objects.filter(consultation=OuterRef("pk")).submitted()
    codings = AnswerReview.objects.filter(answer__question__section__consultation=OuterRef("pk"))
    return (
        Consultation.objects.filter(pk=consultation.pk)
        .annotate(
            sent=_count_all(sent),
            sent_changed=Subquery(sent.order_by("-updated_at").values("updated_at")[:1]),
            coded=_count_all(codings),
            coded_changed=Subquery(codings.order_by("-reviewed_at").values("reviewed_at")[:1]),
        )
        .values_list("sent", "sent_changed", "coded", "coded_changed")
        .get()
    )


def _count_all(rows: QuerySet) -> Subquery:
    """`SELECT COUNT(*)` of `rows`, as a subquery. Written out because `Count()` would group
    by a column, which keeps PostgreSQL from counting from an index alone (half the speed
    at 100,000 responses)."""
    count_all = Func(template="COUNT(*)", output_field=IntegerField())
    return Subquery(rows.order_by().annotate(n=count_all).values("n"))


Counts = dict[tuple[Any, ...], int]


def _count_answers(consultation: Consultation) -> tuple[Counts, Counts, Counts]:
    """The statistics' counts, keyed by ids and values (no model instances, so they keep
    well in the cache): answers choosing each option, (question, option, respondent type);
    answers given, (question, respondent type); answers coded with each theme, (theme,
    respondent type). The type "" counts every respondent. Two queries, whatever the size."""
    counts: Counts = {}
    totals: Counts = {}
    answers = (
        Answer.objects.submitted()
        .not_empty()
        .filter(question__section__consultation=consultation)
        .order_by()  # no sort needed for counting
        .values_list("question_id", "selected", "response__respondent_type")
    )
    for question_id, selected, rtype in answers.iterator(chunk_size=5000):
        for key in ((question_id, rtype), (question_id, "")):
            totals[key] = totals.get(key, 0) + 1
        for value in selected or []:
            for key in ((question_id, value, rtype), (question_id, value, "")):
                counts[key] = counts.get(key, 0) + 1
    coded_answers: dict[tuple[int, str], set[int]] = {}
    coded = AnswerReview.themes.through.objects.filter(
        answerreview__answer__question__section__consultation=consultation,
        answerreview__answer__response__status="submitted",
    ).values_list(
        "theme_id", "answerreview__answer_id", "answerreview__answer__response__respondent_type"
    )
    for theme_id, answer_id, rtype in coded.iterator(chunk_size=5000):
        for key in ((theme_id, rtype), (theme_id, "")):
            coded_answers.setdefault(key, set()).add(answer_id)
    theme_counts = {key: len(ids) for key, ids in coded_answers.items()}
    return counts, totals, theme_counts


@transaction.atomic
def publish_summary(
    consultation: Consultation, *, summary: str, by: User, now: datetime | None = None
) -> Consultation:
    """Publish the summary of responses; with it, the consented responses become public."""
    now = now or timezone.now()
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.state(now) != "closed" or consultation.in_late_window(now):
        raise ValidationError("Responses can be published only after the consultation closes.")
    if not summary.strip():
        raise ValidationError("Write a summary of the responses before publishing.")
    first = consultation.summary_published_at is None
    consultation.summary_of_responses = summary
    consultation.summary_published_at = consultation.summary_published_at or now
    consultation.save()
    audit.record(
        "consultation.summary_published" if first else "consultation.summary_revised",
        actor=by,
        target=consultation,
        published_responses=Response.objects.filter(consultation=consultation).consented().count(),
    )
    return consultation


@transaction.atomic
def redact_passage(
    answer: Answer, *, passage: str, reason: str, note: str = "", by: User
) -> Redaction:
    """Hide a passage from the public, with a reason; analysts keep seeing the original."""
    if not passage or passage not in answer.text:
        raise ValidationError(
            {
                "passage": "The passage to redact must appear in the answer exactly as "
                "typed: copy it from the answer"
            }
        )
    if reason not in dict(Redaction.Reason.choices):
        raise ValidationError({"reason": "Select a reason for the redaction"})
    redaction, created = Redaction.objects.get_or_create(
        answer=answer, passage=passage, defaults={"reason": reason, "note": note, "redacted_by": by}
    )
    if not created:  # a double click, or the same passage again: one redaction
        return redaction
    audit.record(
        "consultation.passage_redacted",
        actor=by,
        target=answer.response,
        question=answer.question_id,
        reason=reason,
    )
    return redaction


def redacted_spans(text: str, redactions: list[Redaction]) -> list[tuple[int, int, list[str]]]:
    """Where `redactions` fall in `text`, the original answer: (start, end, reasons) for
    every character span that any of them covers, overlapping and touching spans merged, in
    order. A redaction covers each place its passage occurs, overlapping places included."""
    found: list[tuple[int, int, str]] = []
    for redaction in redactions:
        if not redaction.passage:
            continue
        start = text.find(redaction.passage)
        while start != -1:
            found.append((start, start + len(redaction.passage), redaction.reason))
            start = text.find(redaction.passage, start + 1)
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, reason in sorted(found):
        if merged and start <= merged[-1][1]:
            last_start, last_end, reasons = merged[-1]
            if reason not in reasons:
                reasons.append(reason)
            merged[-1] = (last_start, max(last_end, end), reasons)
        else:
            merged.append((start, end, [reason]))
    return merged


def public_text(answer: Answer) -> str:
    """The answer as the public may read it: each redacted span of the original answer
    replaced by one marker naming its reasons. Spans are found in the original text, never
    in text earlier redactions already changed, so a passage inside, across or around
    another redacted passage is hidden whatever the order they were redacted in."""
    text = answer.text
    labels = dict(Redaction.Reason.choices)
    parts, position = [], 0
    for start, end, reasons in redacted_spans(text, list(answer.redactions.all())):
        parts.append(text[position:start])
        parts.append(f"[redacted: {'; '.join(labels.get(r, r).lower() for r in reasons)}]")
        position = end
    parts.append(text[position:])
    return "".join(parts)
