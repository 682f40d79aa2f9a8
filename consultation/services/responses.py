"""Responding: a respondent's draft from "Start now" to "Send", the save-and-return link
that brings them back to it, and responses that arrive by email or post.

Respondents have no account, so these services take the response (found through the browser
session or a save-and-return link) rather than an actor.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consultation.models import Answer, Consultation, Question, Response, Section
from policyhub import audit
from policyhub.emails import send_after_commit, subject_line
from policyhub.text import without_control_characters

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
    already holds (read at the start of this request), not read twice: a change to the
    closing time committed in the same few milliseconds as a send may not apply to that
    send."""
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
    where completeness is enforced. Control characters are left out: the page refuses
    them and shows the text without them, and PostgreSQL cannot store NUL."""
    response = _editable(response)
    response.respondent_type = (
        respondent_type if respondent_type in dict(Response.RespondentType.choices) else ""
    )
    response.name = without_control_characters(name)[:150]
    response.organisation_name = without_control_characters(organisation_name)[:200]
    response.email = without_control_characters(email)[:254]
    response.publication = publication if publication in dict(Response.Publication.choices) else ""
    response.save()
    return response


@transaction.atomic
def save_section_answers(
    response: Response, section: Section, *, answers: dict[int, str | list[str]]
) -> Response:
    """Store this section's answers only (another tab saving another section is untouched).
    Values are stored as typed, even if too long, so a failed check loses nothing; only
    control characters are left out, as in `save_about_you`."""
    response = _editable(response)
    if section.consultation_id != response.consultation_id:
        raise ValidationError("That section belongs to another consultation.")
    # The response row is locked above, so reading then writing the section's answers in
    # two statements cannot race another save of the same response. Bulk writes send no
    # signals, and none is needed: a draft's answers are on nobody else's page.
    existing = response.answers_by_question()
    new_answers, changed = [], []
    now = timezone.now()
    for question in section.questions.all():
        value = answers.get(question.pk, [] if question.is_choice else "")
        if question.is_choice:
            selected = [value] if isinstance(value, str) else list(value)
            text, selected = "", [v for v in map(without_control_characters, selected) if v]
        else:
            text, selected = without_control_characters(str(value)), []
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
        send_after_commit("consultation.tasks.send_receipt", response.pk)
    return response


@transaction.atomic
def issue_resume_link(
    response: Response, *, email: str, base_url: str, now: datetime | None = None
) -> str:
    """Email a single-purpose link to come back to this draft (a task sends it once this
    transaction commits). Only the token's hash is stored; a new link replaces the old one;
    the link dies when responses stop being accepted (closing, or the end of the late
    window)."""
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
    # The link holds the token itself, so it goes to the task as an argument (the broker
    # keeps it only until the email is sent) and is written into no row.
    send_after_commit("consultation.tasks.send_resume_link", response.pk, f"{base_url}{path}")
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


# --- Emails (sent by the tasks in tasks.py) -------------------------------------------------


def send_receipt(response_id: int) -> None:
    """The receipt repeats every answer, so the respondent keeps a copy. Sent from a task,
    perhaps after retries: a response gone or no longer holding an address gets nothing."""
    response = (
        Response.objects.submitted().select_related("consultation").filter(pk=response_id).first()
    )
    if response is None or not response.email:
        return
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


def send_resume_link(response_id: int, link: str) -> None:
    """Email `link` (made by `issue_resume_link`) to the address given with it. Sent from a
    task, perhaps after retries: once the response has been sent, or its link has expired
    or been forgotten, the link no longer works, so nothing is sent."""
    response = (
        Response.objects.drafts()
        .filter(pk=response_id, resume_token_expires_at__gt=timezone.now())
        .exclude(resume_token_hash="")
        .exclude(email="")
        .select_related("consultation")
        .first()
    )
    if response is None:
        return
    body = render_to_string(
        "consultation/email/resume_link.txt", {"response": response, "link": link}
    )
    send_mail(
        subject_line(f"Continue your response to {response.consultation.title}"),
        body,
        None,
        [response.email],
    )
