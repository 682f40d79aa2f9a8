"""Responding: a respondent's draft from "Start now" to "Send", the save-and-return link
that brings them back to it, and responses that arrive by email or post.

Respondents have no account, so these services take the response (found through the browser
session or a save-and-return link) rather than an actor.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consultation.models import Answer, Consultation, Question, Response, Section
from policyhub import audit
from policyhub.emails import send_after_commit, subject_line
from policyhub.text import without_control_characters

if TYPE_CHECKING:
    from policyhub.models import User

# No 0/O or 1/I/L: references are read out over the phone and copied by hand.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(8))
    return f"R-{body[:4]}-{body[4:]}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_holder_key() -> str:
    """A key for a browser session to hold a draft by (see `Response.holder_key_hash`)."""
    return secrets.token_urlsafe(32)


def holds_draft(response: Response, holder_key: str | None) -> bool:
    """Whether a session keeping `holder_key` still holds this draft. Sessions from before
    drafts had holders keep no key: they hold only drafts that have none."""
    if holder_key is None:
        return response.holder_key_hash == ""
    return hmac.compare_digest(response.holder_key_hash, hash_token(holder_key))


# --- Responding ---------------------------------------------------------------------------


def ensure_accepts_responses(consultation: Consultation, now: datetime | None = None) -> None:
    """Raise the sentence a respondent should read when responses are not accepted."""
    now = now or timezone.now()
    if consultation.accepts_responses(now):
        return
    if consultation.state(now) == "upcoming":
        raise ValidationError(_("This consultation has not opened yet."))
    raise ValidationError(_("This consultation has closed, so it cannot accept new responses."))


def start_response(
    consultation: Consultation, *, holder_key: str | None = None, now: datetime | None = None
) -> Response:
    """A draft the respondent fills in page by page, held by the session that keeps
    `holder_key` (no key: a draft made outside a browser, as the demo data makes). Created on
    an explicit "Start now" POST so crawlers following links create nothing. That session's
    open draft, if it has one, is returned instead: presses sent together (a double click,
    a script) all end with one draft, because the database refuses a second draft with the
    same holder (`one_draft_per_session`).

    Not one transaction: each statement commits alone, so on SQLite a press waiting for
    another's insert holds no read lock that would make the two deadlock."""
    ensure_accepts_responses(consultation, now)
    holder = hash_token(holder_key) if holder_key else ""
    for _attempt in range(5):
        existing = (
            Response.objects.drafts()
            .filter(consultation=consultation, holder_key_hash=holder)
            .first()
            if holder
            else None
        )
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                return Response.objects.create(
                    consultation=consultation, reference=new_reference(), holder_key_hash=holder
                )
        except IntegrityError:  # the same session's other press won, or a reference collision
            continue
    raise ValidationError(_("We could not start your response. Please try again."))


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
        raise ValidationError(_("This response has already been sent, so it cannot be changed."))
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


def answer_too_long(question: Question, value: str | list[str]) -> str:
    """The sentence refusing a free-text answer longer than its question allows, or ""."""
    if question.is_choice or len(str(value)) <= question.max_length:
        return ""
    # The words of the form's own check (SectionForm), so both read alike.
    return _("Answer to question {label} must be {limit} characters or fewer").format(
        label=question.label, limit=question.max_length
    )


@transaction.atomic
def save_section_answers(
    response: Response, section: Section, *, answers: dict[int, str | list[str]]
) -> Response:
    """Store this section's answers only (another tab saving another section is untouched).
    Answers are stored as typed, missing or unfinished, so nothing is lost between pages,
    but never beyond their limits: an answer longer than its question's `max_length`
    refuses the whole save before anything is written (the page keeps what was typed), and
    a choice is stored only if it is one of the question's options. So a draft never holds
    more than its questions allow, whatever a client sends. Control characters are left
    out, as in `save_about_you`."""
    if section.consultation_id != response.consultation_id:
        raise ValidationError("That section belongs to another consultation.")
    questions = list(section.questions.all())
    too_long = [
        message
        for question in questions
        if (message := answer_too_long(question, answers.get(question.pk, "")))
    ]
    if too_long:
        raise ValidationError(too_long)
    response = _editable(response)
    # The response row is locked above, so reading then writing the section's answers in
    # two statements cannot race another save of the same response. Bulk writes send no
    # signals, and none is needed: a draft's answers are on nobody else's page.
    existing = response.answers_by_question()
    new_answers, changed = [], []
    now = timezone.now()
    for question in questions:
        value = answers.get(question.pk, [] if question.is_choice else "")
        if question.is_choice:
            offered = {option for option, _label in question.choices()}
            chosen = [value] if isinstance(value, str) else list(value)
            chosen = [without_control_characters(v) for v in chosen]
            text, selected = "", [v for v in dict.fromkeys(chosen) if v in offered]
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


def unstarted_sections(
    response: Response, sections: list[Section], *, answers: dict[int, Answer] | None = None
) -> list[Section]:
    """The sections (of `journey`) this respondent has never saved. Saving a section stores
    a row for each of its questions, answered or left blank, so a section without one was
    never reached: "not started", which is not the same as "left unanswered"."""
    if answers is None:
        answers = response.answers_by_question()
    return [
        section
        for section in sections
        if section.questions.all() and not any(q.pk in answers for q in section.questions.all())
    ]


def continue_url(response: Response, sections: list[Section]) -> str:
    """Where a respondent coming back to a draft picks up: "About you" if they never
    answered it, else the first section they never reached, else "Check your answers"."""
    slug = response.consultation.slug
    if not (response.respondent_type or response.publication):
        return reverse("consultation:about-you", kwargs={"slug": slug})
    unstarted = unstarted_sections(response, sections)
    if unstarted:
        return reverse("consultation:section", kwargs={"slug": slug, "number": unstarted[0].number})
    return reverse("consultation:check", kwargs={"slug": slug})


def problems_before_submission(
    response: Response, *, answers: dict[int, Answer] | None = None
) -> list[str]:
    """What still stops this response being sent, as sentences a respondent can act on.
    `answers` (by question) when the caller has just read them; sending reads them again
    under the row lock."""
    problems = []
    if not response.respondent_type:
        problems.append(
            _("Say whether you are responding as an individual or for an organisation.")
        )
    if response.respondent_type == Response.RespondentType.ORGANISATION and not (
        response.organisation_name.strip()
    ):
        problems.append(_("Enter the name of the organisation you are responding for."))
    if not response.publication:
        problems.append(_("Choose whether we may publish your response."))
    if response.email:
        try:
            validate_email(response.email)
        except ValidationError:
            problems.append(_("Enter your email address in the correct format, or leave it out."))
    if answers is None:
        answers = response.answers_by_question()
    questions = [q for s in journey(response.consultation) for q in s.questions.all()]
    for question in questions:
        answer = answers.get(question.pk)
        if question.is_required and (answer is None or answer.is_empty):
            problems.append(
                _("Answer question {label}: {text}").format(
                    label=question.label, text=question.text
                )
            )
        elif answer and not question.is_choice and len(answer.text) > question.max_length:
            problems.append(
                _("Shorten your answer to question {label} to {limit} characters or fewer.").format(
                    label=question.label, limit=question.max_length
                )
            )
        elif answer and question.is_choice:
            allowed = {value for value, _label in question.choices()}
            if any(v not in allowed for v in answer.selected):
                problems.append(
                    _("Choose again for question {label}.").format(label=question.label)
                )
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
    # Sending ends the save-and-return link: nothing else refuses a link to a sent response.
    response.resume_token_hash = ""
    response.resume_token_expires_at = None
    response.save()
    if response.email:
        # In the language the person responded in (the task runs outside their request).
        send_after_commit(
            "consultation.tasks.send_receipt", response.pk, translation.get_language()
        )
    return response


def resume_link_expiry(consultation: Consultation, now: datetime) -> datetime:
    """When a link issued at `now` stops working: CONSULTATION_RESUME_LINK_DAYS later, or when
    responses stop being accepted, whichever comes first."""
    lifetime = timedelta(days=settings.CONSULTATION_RESUME_LINK_DAYS)
    return min(now + lifetime, consultation.responses_end_at())


@transaction.atomic
def issue_resume_link(
    response: Response, *, email: str, base_url: str, now: datetime | None = None
) -> str:
    """Email a single-use link to come back to this draft (a task sends it once this
    transaction commits). Only the token's hash is stored; a new link replaces the old one;
    the link dies once opened, after CONSULTATION_RESUME_LINK_DAYS, or when responses stop
    being accepted, whichever comes first."""
    now = now or timezone.now()
    response = _editable(response)
    ensure_accepts_responses(response.consultation, now)
    token = secrets.token_urlsafe(32)
    response.email = email[:254]
    response.resume_token_hash = hash_token(token)
    response.resume_token_expires_at = resume_link_expiry(response.consultation, now)
    response.save()
    path = reverse(
        "consultation:resume", kwargs={"slug": response.consultation.slug, "token": token}
    )
    # The link holds the token itself, so it goes to the task as an argument (the broker
    # keeps it only until the email is sent) and is written into no row.
    send_after_commit(
        "consultation.tasks.send_resume_link",
        response.pk,
        f"{base_url}{path}",
        translation.get_language(),
    )
    return token


def send_new_resume_link(
    consultation: Consultation, *, email: str, base_url: str, now: datetime | None = None
) -> None:
    """ "Get a new link": a fresh link to the draft of this consultation saved with `email`
    (the one most recently changed, if several), sent to that address only, and only while
    the draft's last link has not been opened. Once it has, the draft belongs to whoever
    opened it: someone who saved a draft and handed its link to another person must not be
    able to ask for it back and read what they wrote. Its holder saves it again to get a
    link of their own. Nothing is said about whether such a draft exists; the caller shows
    the same page either way."""
    now = now or timezone.now()
    ensure_accepts_responses(consultation, now)
    address = email.strip()
    if not address:
        return
    draft = (
        Response.objects.drafts()
        .filter(consultation=consultation, email__iexact=address)
        .exclude(resume_token_hash="")  # no link outstanding: never saved, or its link opened
        .order_by("-updated_at", "-pk")
        .first()
    )
    if draft is None:
        return
    draft.consultation = consultation
    issue_resume_link(draft, email=draft.email, base_url=base_url, now=now)


class LinkNotValid(ValidationError):
    """A save-and-return link that was never issued, has been used, or was replaced."""


class LinkExpired(ValidationError):
    """A save-and-return link past its expiry (its days are up, or responses stopped)."""


@transaction.atomic
def open_resume_link(
    consultation: Consultation, token: str, *, now: datetime | None = None
) -> tuple[Response, str]:
    """Exchange a save-and-return link for a session: the draft it opens, and a new holder
    key for the session that opened it. The token dies here, and the draft's holder key
    changes, so neither a second opening of the link nor any session that held the draft
    before (the one that saved it, or anyone the link was forwarded to) can read it again.
    The token opens one draft of one consultation and nothing else. A sent response has no
    token (`submit_response` clears it), so its link finds nothing here."""
    now = now or timezone.now()
    response = (
        Response.objects.select_for_update()
        .filter(consultation=consultation, resume_token_hash=hash_token(token))
        .exclude(resume_token_hash="")
        .first()
    )
    if response is None:
        raise LinkNotValid(
            _(
                "This link is not valid: it has already been used, or a newer link has "
                "replaced it. Each link works only once."
            )
        )
    if response.resume_token_expires_at is None or now >= response.resume_token_expires_at:
        if not consultation.accepts_responses(now):
            raise LinkExpired(_("This link has expired because the consultation has closed."))
        raise LinkExpired(
            _("This link has expired. Links work for {days} days after we send them.").format(
                days=settings.CONSULTATION_RESUME_LINK_DAYS
            )
        )
    holder_key = new_holder_key()
    response.holder_key_hash = hash_token(holder_key)
    response.resume_token_hash = ""
    response.resume_token_expires_at = None
    response.save(update_fields=["holder_key_hash", "resume_token_hash", "resume_token_expires_at"])
    response.consultation = consultation
    return response, holder_key


def check_received_on(
    consultation: Consultation, received_on: date, *, now: datetime | None = None
) -> None:
    """Refuse a day a response cannot have arrived on, next to the date field: one still to
    come, or one before the consultation opened (there was nothing to respond to yet).

    A day after closing is accepted, and the response marked late: a letter posted before
    the closing day can arrive days after it, and the postmark, which only the secretariat
    can see, decides whether it counts. The analysts see it marked late and can tell."""
    today = timezone.localdate(now or timezone.now())
    if received_on > today:
        raise ValidationError(
            {
                "received_on": "Date received must be today or in the past: "
                "enter the day the response arrived"
            }
        )
    opened = timezone.localtime(consultation.opens_at).date()
    if received_on < opened:
        raise ValidationError(
            {
                "received_on": "Date received must be on or after "
                f"{opened.day} {opened:%B %Y}, the day the consultation opened"
            }
        )


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
        raise ValidationError({"channel": "Select how the response arrived: email or post"})
    if entry_key is not None:
        existing = Response.objects.filter(entry_key=entry_key).first()
        if existing is not None:
            return existing
    check_received_on(consultation, received_on)
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


def send_receipt(response_id: int, language: str = settings.LANGUAGE_CODE) -> None:
    """The receipt repeats every answer, so the respondent keeps a copy, in the `language`
    they responded in. Sent from a task, perhaps after retries: a response gone or no longer
    holding an address gets nothing."""
    response = (
        Response.objects.submitted().select_related("consultation").filter(pk=response_id).first()
    )
    if response is None or not response.email:
        return
    answers = response.answers.select_related("question__section")
    with translation.override(language):
        body = render_to_string(
            "consultation/email/receipt.txt", {"response": response, "answers": answers}
        )
        subject = _("Your response to {title} ({reference})").format(
            title=response.consultation.title, reference=response.reference
        )
    send_mail(subject_line(subject), body, None, [response.email])


def send_resume_link(response_id: int, link: str, language: str = settings.LANGUAGE_CODE) -> None:
    """Email `link` (made by `issue_resume_link`) to the address given with it, in the
    `language` of the page it was asked for on. Sent from a
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
    # The page for a new link, on the same site as the link (it carries no token).
    scheme, host, *_rest = urlsplit(link)
    new_link = reverse("consultation:new-link", kwargs={"slug": response.consultation.slug})
    if host:
        new_link = f"{scheme}://{host}{new_link}"
    with translation.override(language):
        body = render_to_string(
            "consultation/email/resume_link.txt",
            {
                "response": response,
                "link": link,
                "new_link": new_link,
                "days": settings.CONSULTATION_RESUME_LINK_DAYS,
            },
        )
        subject = _("Continue your response to {title}").format(title=response.consultation.title)
    send_mail(subject_line(subject), body, None, [response.email])
