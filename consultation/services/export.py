"""Exporting every submitted response (CSV or JSON) for analysis elsewhere: streamed in
chunks so time and memory stay flat, safe to open in a spreadsheet, and never with emails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from consultation.models import Answer, AnswerReview, Consultation, Question, Response
from policyhub import audit

if TYPE_CHECKING:
    from policyhub.models import User

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Where a spreadsheet in a locale that separates cells with ";" or tabs (or one that ignores
# the quoting, and so breaks lines) would start a new cell: a separator or line break right
# before a formula character.
_SEPARATOR_THEN_FORMULA = re.compile(r"([;,\t\r\n])(?=[=+\-@])")


def spreadsheet_safe(value: Any) -> str:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP CSV injection),
    whichever separator the spreadsheet assumes: "Agree;=1+1" would otherwise be two cells
    in a semicolon locale, the second a formula."""
    text = "" if value is None else str(value)
    text = _SEPARATOR_THEN_FORMULA.sub(r"\1'", text)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def export_rows(consultation: Consultation, *, by: User, fmt: str) -> Iterator[list[Any]]:
    """One row per submitted response, one column per question, then theme columns.
    Reads in chunks so memory stays flat however many responses there are. Emails are
    never exported. The export is audited now, not when the stream is read."""
    audit.record("consultation.exported", actor=by, target=consultation, format=fmt)
    return _export_rows(consultation)


def _export_rows(consultation: Consultation) -> Iterator[list[Any]]:
    questions = list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .prefetch_related("themes")
    )
    header = [
        "reference",
        "channel",
        "submitted_at",
        "late",
        "respondent_type",
        "name",
        "organisation",
        "publication",
        *[f"Q{q.label} {q.text}" for q in questions],
        *[f"Q{q.label} themes" for q in questions if not q.is_choice],
    ]
    yield header
    # Three ordered streams merged on the response id: plain tuples, no model instances,
    # a server-side cursor each on PostgreSQL, so time and memory stay flat.
    responses = (
        Response.objects.filter(consultation=consultation)
        .submitted()
        .order_by("pk")
        .values_list(
            "pk",
            "reference",
            "channel",
            "submitted_at",
            "is_late",
            "respondent_type",
            "name",
            "organisation_name",
            "publication",
        )
    )
    answers = _grouped(
        Answer.objects.submitted()
        .filter(response__consultation=consultation)
        .order_by("response_id")
        .values_list("response_id", "question_id", "text", "selected")
    )
    codings = _grouped(
        AnswerReview.themes.through.objects.filter(
            answerreview__answer__response__consultation=consultation,
            answerreview__answer__response__status="submitted",
        )
        .order_by("answerreview__answer__response_id")
        .values_list(
            "answerreview__answer__response_id", "answerreview__answer__question_id", "theme__name"
        )
    )
    free_text = [q for q in questions if not q.is_choice]
    for (
        pk,
        reference,
        channel,
        submitted_at,
        is_late,
        rtype,
        name,
        org,
        publication,
    ) in responses.iterator(chunk_size=2000):
        given = {qid: text or ", ".join(selected or []) for _, qid, text, selected in answers(pk)}
        themes: dict[int, set[str]] = {}
        for _, qid, theme in codings(pk):
            themes.setdefault(qid, set()).add(theme)
        yield [
            reference,
            channel,
            timezone.localtime(submitted_at).isoformat(),
            "yes" if is_late else "no",
            rtype,
            name,
            org,
            publication,
            *[given.get(q.pk, "") for q in questions],
            *["; ".join(sorted(themes.get(q.pk, ()))) for q in free_text],
        ]


def _grouped(rows: Any) -> Any:
    """Given rows ordered by their first column, return `take(key)`: the rows for that key,
    read lazily from one forward-only stream (keys must be asked for in ascending order)."""
    stream = iter(rows.iterator(chunk_size=2000))
    pending: list[tuple] = []

    def take(key: int) -> list[tuple]:
        found = []
        while True:
            if not pending:
                row = next(stream, None)
                if row is None:
                    return found
                pending.append(row)
            if pending[0][0] < key:
                pending.pop()
            elif pending[0][0] == key:
                found.append(pending.pop())
            else:
                return found

    return take
