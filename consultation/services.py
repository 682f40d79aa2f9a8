"""Every write that matters in a consultation, as domain verbs.

Respondents have no account, so their services take the response (found through the
browser session or a save-and-return link) rather than an actor. Staff services take the
actor keyword-only and write the audit log.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import secrets
import uuid
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from policyhub import audit
from policyhub.emails import subject_line

from .models import (
    Analyst,
    Answer,
    AnswerReview,
    Consultation,
    Question,
    QuestionVersion,
    Redaction,
    Response,
    Section,
    Theme,
)

if TYPE_CHECKING:
    from policyhub.models import User

# No 0/O or 1/I/L: references are read out over the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"R-{body[:4]}-{body[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Responding ---------------------------------------------------------------------------


def ensure_accepts_responses(consultation: Consultation, now: datetime | None = None) -> None:
    """Raise the sentence a respondent should read when responses are not accepted."""
    now = now or timezone.now()
    if consultation.accepts_responses(now):
        return
    if consultation.state(now) == "upcoming":
        raise ValidationError("This consultation has not opened yet.")
    raise ValidationError("This consultation has closed, so it cannot accept new responses.")


@transaction.atomic
def start_response(consultation: Consultation, *, now: datetime | None = None) -> Response:
    """A draft the respondent fills in page by page. Created on an explicit "Start now"
    POST so crawlers following links create nothing."""
    ensure_accepts_responses(consultation, now)
    for _ in range(5):
        try:
            with transaction.atomic():
                return Response.objects.create(consultation=consultation, reference=new_reference())
        except IntegrityError:  # pragma: no cover - a reference collision, 1 in 10^11
            continue
    raise ValidationError("We could not start your response. Please try again.")


def _locked(response: Response) -> Response:
    """The response's row read again, locked until the transaction ends, so two saves (or a
    save and the send) of one response take turns. Its consultation is the one the caller
    already holds (read at the start of this request, from the cache), not read twice: a
    change to the closing time committed in the same few milliseconds as a send may not
    apply to that send."""
    locked = Response.objects.locked(response.pk)
    locked.consultation = response.consultation
    return locked


def _editable(response: Response) -> Response:
    response = _locked(response)
    if response.is_submitted:
        raise ValidationError("This response has already been sent, so it cannot be changed.")
    return response


@transaction.atomic
def save_about_you(
    response: Response,
    *,
    respondent_type: str,
    name: str,
    organisation_name: str,
    email: str,
    publication: str,
) -> Response:
    """Store what the respondent typed, valid or not, so nothing is lost; submission is
    where completeness is enforced."""
    response = _editable(response)
    response.respondent_type = (
        respondent_type if respondent_type in dict(Response.RespondentType.choices) else ""
    )
    response.name = name[:150]
    response.organisation_name = organisation_name[:200]
    response.email = email[:254]
    response.publication = publication if publication in dict(Response.Publication.choices) else ""
    response.save()
    return response


@transaction.atomic
def save_section_answers(
    response: Response, section: Section, *, answers: dict[int, str | list[str]]
) -> Response:
    """Store this section's answers only (another tab saving another section is untouched).
    Values are stored as typed, even if too long, so a failed check loses nothing."""
    response = _editable(response)
    if section.consultation_id != response.consultation_id:
        raise ValidationError("That section belongs to another consultation.")
    # The response row is locked above, so reading then writing the section's answers in
    # two statements cannot race another save of the same response. Bulk writes send no
    # signals: a draft's answers are on nobody else's page, so no cached page goes stale.
    existing = response.answers_by_question()
    new_answers, changed = [], []
    now = timezone.now()
    for question in section.questions.all():
        value = answers.get(question.pk, [] if question.is_choice else "")
        if question.is_choice:
            selected = [value] if isinstance(value, str) else list(value)
            text, selected = "", [v for v in selected if v]
        else:
            text, selected = str(value), []
        answer = existing.get(question.pk)
        if answer is None:
            new_answers.append(
                Answer(response=response, question=question, text=text, selected=selected)
            )
        elif (answer.text, answer.selected) != (text, selected):
            answer.text, answer.selected, answer.updated_at = text, selected, now
            changed.append(answer)
    Answer.objects.bulk_create(new_answers)
    Answer.objects.bulk_update(changed, ["text", "selected", "updated_at"])
    return response


def journey(consultation: Consultation) -> list[Section]:
    """The sections with their questions, in order, as every response page walks them."""
    return list(
        consultation.sections.prefetch_related(
            Prefetch("questions", queryset=Question.objects.select_related("section"))
        )
    )


def problems_before_submission(
    response: Response, *, answers: dict[int, Answer] | None = None
) -> list[str]:
    """What still stops this response being sent, as sentences a respondent can act on.
    `answers` (by question) when the caller has just read them; sending reads them again
    under the row lock."""
    problems = []
    if not response.respondent_type:
        problems.append("Say whether you are responding as an individual or for an organisation.")
    if response.respondent_type == Response.RespondentType.ORGANISATION and not (
        response.organisation_name.strip()
    ):
        problems.append("Enter the name of the organisation you are responding for.")
    if not response.publication:
        problems.append("Choose whether we may publish your response.")
    if response.email:
        try:
            validate_email(response.email)
        except ValidationError:
            problems.append("Enter your email address in the correct format, or leave it out.")
    if answers is None:
        answers = response.answers_by_question()
    questions = [q for s in journey(response.consultation) for q in s.questions.all()]
    for question in questions:
        answer = answers.get(question.pk)
        if question.is_required and (answer is None or answer.is_empty):
            problems.append(f"Answer question {question.label}: {question.text}")
        elif answer and not question.is_choice and len(answer.text) > question.max_length:
            problems.append(
                f"Shorten your answer to question {question.label} to "
                f"{question.max_length} characters or fewer."
            )
        elif answer and question.is_choice:
            allowed = {value for value, _ in question.choices()}
            if any(v not in allowed for v in answer.selected):
                problems.append(f"Choose again for question {question.label}.")
    return problems


def _count(key: str, window: int) -> int:
    """One more hit on a counter that lives for `window` seconds; returns the new count, or
    0 while the cache cannot count (Redis failing): then nobody is refused."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) or 0
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def check_submission_rate(ip: str) -> None:
    """A per-IP ceiling on submissions, against scripted floods. Limits are settings."""
    limit = settings.CONSULTATION_SUBMISSIONS_PER_IP
    window = settings.CONSULTATION_SUBMISSION_WINDOW_SECONDS
    count = _count(f"consultation:submissions:{ip}", window)
    if count > limit:
        raise ValidationError(
            "We have received too many responses from your network recently. "
            "Please wait an hour and try again, or email your response instead."
        )


@transaction.atomic
def submit_response(response: Response, *, now: datetime | None = None) -> Response:
    """Send the response. Idempotent: a double click, a refresh or a retried POST finds the
    row already submitted (under a row lock) and returns it unchanged. After closing it is
    refused, unless the late-response window is open, when it is accepted and marked late."""
    now = now or timezone.now()
    response = _locked(response)
    if response.is_submitted:
        return response
    consultation = response.consultation
    ensure_accepts_responses(consultation, now)
    problems = problems_before_submission(response)
    if problems:
        raise ValidationError(problems)
    response.status = Response.Status.SUBMITTED
    response.submitted_at = now
    response.is_late = not consultation.is_open(now)
    response.resume_token_hash = ""
    response.resume_token_expires_at = None
    response.save()
    if response.email:
        transaction.on_commit(lambda: send_receipt(response.pk))
    return response


def send_receipt(response_id: int) -> None:
    """The receipt repeats every answer, so the respondent keeps a copy."""
    response = Response.objects.select_related("consultation").get(pk=response_id)
    answers = response.answers.select_related("question__section")
    body = render_to_string(
        "consultation/email/receipt.txt", {"response": response, "answers": answers}
    )
    send_mail(
        subject_line(f"Your response to {response.consultation.title} ({response.reference})"),
        body,
        None,
        [response.email],
    )


def check_resume_link_rate(ip: str, email: str) -> None:
    """Save-and-return emails go to any address typed in, so without a ceiling the site
    could be made to flood someone's inbox. Counted per network and per address."""
    window = settings.CONSULTATION_RESUME_LINK_WINDOW_SECONDS
    by_ip = _count(f"consultation:resume-links:ip:{ip}", window)
    address = hash_token(email.strip().lower())
    by_address = _count(f"consultation:resume-links:email:{address}", window)
    if (
        by_ip > settings.CONSULTATION_RESUME_LINKS_PER_IP
        or by_address > settings.CONSULTATION_RESUME_LINKS_PER_EMAIL
    ):
        raise ValidationError(
            "We have sent too many links recently. Wait an hour and try again, or keep this "
            "page open and send your response when you are ready."
        )


@transaction.atomic
def issue_resume_link(
    response: Response, *, email: str, base_url: str, now: datetime | None = None
) -> str:
    """Email a single-purpose link to come back to this draft. Only the token's hash is
    stored; a new link replaces the old one; the link dies when responses stop being
    accepted (closing, or the end of the late window)."""
    now = now or timezone.now()
    response = _editable(response)
    ensure_accepts_responses(response.consultation, now)
    token = secrets.token_urlsafe(32)
    response.email = email[:254]
    response.resume_token_hash = hash_token(token)
    response.resume_token_expires_at = response.consultation.responses_end_at()
    response.save()
    path = reverse(
        "consultation:resume", kwargs={"slug": response.consultation.slug, "token": token}
    )
    link = f"{base_url}{path}"
    body = render_to_string(
        "consultation/email/resume_link.txt", {"response": response, "link": link}
    )
    transaction.on_commit(
        lambda: send_mail(
            subject_line(f"Continue your response to {response.consultation.title}"),
            body,
            None,
            [email],
        )
    )
    return token


def resume_from_token(
    consultation: Consultation, token: str, *, now: datetime | None = None
) -> Response:
    """The draft this link belongs to, or a ValidationError saying why it no longer works.
    The token opens one draft of one consultation and nothing else."""
    now = now or timezone.now()
    response = (
        Response.objects.filter(consultation=consultation, resume_token_hash=hash_token(token))
        .exclude(resume_token_hash="")
        .first()
    )
    if response is None or response.is_submitted:
        raise ValidationError("This link is not valid. It may have been replaced by a newer one.")
    if response.resume_token_expires_at is None or now >= response.resume_token_expires_at:
        raise ValidationError("This link has expired because the consultation has closed.")
    return response


@transaction.atomic
def enter_offline_response(
    consultation: Consultation,
    *,
    channel: str,
    received_on: date,
    respondent_type: str,
    name: str,
    organisation_name: str,
    publication: str,
    answers: dict[int, str | list[str]],
    by: User,
    entry_key: uuid.UUID | None = None,
) -> Response:
    """A response that arrived by email or post, typed in by the secretariat, then treated
    like any other. It is late if it arrived after closing. `entry_key` comes from the form:
    sending the same form twice (a double click) returns the response already entered."""
    if channel not in {Response.Channel.EMAIL, Response.Channel.POST}:
        raise ValidationError("Choose email or post as the channel.")
    if entry_key is not None:
        existing = Response.objects.filter(entry_key=entry_key).first()
        if existing is not None:
            return existing
    response = Response.objects.create(
        consultation=consultation,
        entry_key=entry_key,
        reference=new_reference(),
        channel=channel,
        received_on=received_on,
        respondent_type=respondent_type,
        name=name,
        organisation_name=organisation_name,
        publication=publication,
        entered_by=by,
    )
    for section in consultation.sections.all():
        save_section_answers(response, section, answers=answers)
    closing_day = timezone.localtime(consultation.closes_at).date()
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    response.is_late = received_on > closing_day
    response.save()
    audit.record("consultation.response_entered", actor=by, target=response, channel=channel)
    return response


# --- Building the consultation (secretariat, in the admin) --------------------------------


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


# --- Analysis -------------------------------------------------------------------------------


@transaction.atomic
def add_theme(question: Question, *, name: str, description: str = "", by: User) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError("Enter a name for the theme.")
    theme, created = Theme.objects.get_or_create(
        question=question, name=name, defaults={"description": description}
    )
    if created:
        audit.record("consultation.theme_added", actor=by, target=theme, question=question.pk)
    return theme


@transaction.atomic
def rename_theme(theme: Theme, *, name: str, description: str, by: User) -> Theme:
    name = name.strip()
    if not name:
        raise ValidationError("Enter a name for the theme.")
    if Theme.objects.filter(question=theme.question, name=name).exclude(pk=theme.pk).exists():
        raise ValidationError("This question already has a theme with that name.")
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


def question_statistics(consultation: Consultation) -> list[dict[str, Any]]:
    """Counts and percentages per option (choice questions) or per theme (free text),
    overall and by respondent type. Built from two aggregate queries, whatever the size."""
    questions = list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .prefetch_related("themes")
    )
    types = list(Response.RespondentType.choices)
    counts: dict[tuple[int, str, str], int] = {}
    totals: dict[tuple[int, str], int] = {}
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
    theme_counts: dict[tuple[int, str], set[int]] = {}
    coded = AnswerReview.themes.through.objects.filter(
        answerreview__answer__question__section__consultation=consultation,
        answerreview__answer__response__status="submitted",
    ).values_list(
        "theme_id", "answerreview__answer_id", "answerreview__answer__response__respondent_type"
    )
    for theme_id, answer_id, rtype in coded.iterator(chunk_size=5000):
        for key in ((theme_id, rtype), (theme_id, "")):
            theme_counts.setdefault(key, set()).add(answer_id)

    def pct(part: int, whole: int) -> int:
        return round(100 * part / whole) if whole else 0

    stats = []
    for q in questions:
        columns = [("", "All respondents"), *types]
        if q.is_choice:
            labels = [value for value, _ in q.choices()]
            rows = [
                {
                    "label": label,
                    "cells": [
                        {
                            "count": counts.get((q.pk, label, t), 0),
                            "percent": pct(
                                counts.get((q.pk, label, t), 0), totals.get((q.pk, t), 0)
                            ),
                        }
                        for t, _ in columns
                    ],
                }
                for label in labels
            ]
        else:
            rows = [
                {
                    "label": theme.name,
                    "cells": [
                        {
                            "count": len(theme_counts.get((theme.pk, t), ())),
                            "percent": pct(
                                len(theme_counts.get((theme.pk, t), ())), totals.get((q.pk, t), 0)
                            ),
                        }
                        for t, _ in columns
                    ],
                }
                for theme in q.themes.all()
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


# --- Export ---------------------------------------------------------------------------------

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


# --- Publishing -----------------------------------------------------------------------------


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
        raise ValidationError("Copy the passage exactly as it appears in the answer.")
    if reason not in dict(Redaction.Reason.choices):
        raise ValidationError("Choose a reason for the redaction.")
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


def public_text(answer: Answer) -> str:
    """The answer as the public may read it: every redacted passage replaced."""
    text = answer.text
    for redaction in answer.redactions.all():
        text = text.replace(
            redaction.passage, f"[redacted: {redaction.get_reason_display().lower()}]"
        )
    return text


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def remove_expired_personal_data(*, now: datetime | None = None) -> int:
    """Forget respondents' email addresses and save-and-return tokens a set number of days
    (CONSULTATION_RETENTION_DAYS) after a consultation closes; answers stay, anonymised of
    contact details. Returns how many responses were changed. Safe to run repeatedly."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CONSULTATION_RETENTION_DAYS)
    stale = Response.objects.filter(consultation__closes_at__lte=cutoff).exclude(
        email="", resume_token_hash=""
    )
    changed = stale.update(email="", resume_token_hash="", resume_token_expires_at=None)
    if changed:
        audit.record("consultation.personal_data_removed", actor=None, responses=changed)
    return changed
