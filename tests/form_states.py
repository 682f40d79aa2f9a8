"""Every form state with errors, generated from the page catalogue plus the states an empty
form cannot reach, for the accessibility (tests/browser) and validity tests.

1. Every catalogued page whose main form (`<form id="main-form" method="post">`) is sent
   with its fields emptied must come back with errors, unless it is in EMPTY_IS_VALID
   with a reason. So a new form is checked in its error state without anyone adding it.
2. INVALID_STATES: forms filled in with a specific mistake that an empty form does not show
   (an organisation without its name, a meeting at short notice, a restriction without
   its justification, notes that attribute a comment...), each with the message the
   person must see.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tests import pages
from tests.factories import date_fields

# Catalogued pages whose main form may rightly be sent empty.
EMPTY_IS_VALID: dict[str, str] = {
    "meetings:notes_edit": "An empty draft of the notes may be saved (publishing checks it).",
    "documents:share": "Sharing with nobody is allowed: it withdraws earlier sharing.",
}


@dataclass(frozen=True)
class FormState:
    """A form sent with `data` from the page at `path` as `role`, which must show errors."""

    label: str
    role: str
    path: str
    data: dict[str, str | list[str]]
    expect: str  # a message the error summary must contain
    button: str | None = None  # the submit button's text, when not the main form's
    action: str | None = None  # where that button's form posts, when not `path`
    keep: dict[str, str] = field(default_factory=dict)  # typed values that must survive


def _open_question_pks() -> list[int]:
    from consultation.models import Question

    return list(
        Question.objects.filter(
            section__consultation__slug=pages.OPEN_CONSULTATION, section__number=1
        )
        .order_by("number")
        .values_list("pk", flat=True)
    )


def _respondent_states() -> list[FormState]:
    slug = pages.OPEN_CONSULTATION
    choice, free_text = _open_question_pks()
    why = "It matters because decisions about me are made by software."
    return [
        FormState(
            "about-you, organisation without its name",
            "respondent",
            reverse("consultation:about-you", kwargs={"slug": slug}),
            {"respondent_type": "organisation", "publication": "anonymous", "email": ""},
            "Enter the name of your organisation",
        ),
        FormState(
            "question page, required answer missing",
            "respondent",
            reverse("consultation:section", kwargs={"slug": slug, "number": 1}),
            {f"q{free_text}": why},
            "Select an answer to question 1.1",
            keep={f"q{free_text}": why},
        ),
        FormState(
            "save and come back later, malformed email",
            "respondent",
            reverse("consultation:save-for-later", kwargs={"slug": slug}),
            {"email": "sam@"},
            "Enter an email address in the correct format",
            keep={"email": "sam@"},
        ),
    ]


def _convenor_states() -> list[FormState]:
    from workinggroups.models import WorkingGroup

    group = WorkingGroup.objects.get(slug=pages.ACTIVE_GROUP)
    soon = timezone.localdate() + timedelta(days=3)
    return [
        FormState(
            "schedule a meeting, too little notice",
            "convenor",
            reverse("meetings:schedule"),
            {
                "working_group": str(group.pk),
                "title": "An urgent catch-up",
                **date_fields("day", soon),
                "start_time": "10:00",
                "end_time": "11:00",
                "venue": "70 Whitehall",
            },
            "notice",
            keep={"title": "An urgent catch-up"},
        )
    ]


def _participant_states() -> list[FormState]:
    (meeting,) = pages.upcoming_meeting_kwargs()
    return [
        FormState(
            "meeting registration, no choice made",
            "participant",
            reverse("meetings:detail", kwargs=meeting),
            {},
            "Choose how you will attend",
            button="Register",
            action=reverse("meetings:register", kwargs=meeting),
        )
    ]


def _secretariat_states() -> list[FormState]:
    (document,) = pages.one_document_kwargs()
    (noted,) = pages.noted_meeting_kwargs()
    return [
        FormState(
            "restrict a document, no justification",
            "secretariat",
            reverse("documents:restrict", kwargs=document),
            {
                "grounds": ["commercial"],
                **date_fields("review_on", timezone.localdate() + timedelta(days=30)),
                "public_title": "Correspondence with a supplier",
            },
            "Enter the justification for restricting the document",
            keep={"public_title": "Correspondence with a supplier"},
        ),
        FormState(
            "publish corrected notes, no change note",
            "secretariat",
            reverse("meetings:notes_edit", kwargs=noted),
            {},
            "Say what you corrected",
            button="Publish a corrected version",
            action=reverse("meetings:notes_publish", kwargs=noted),
        ),
        FormState(
            "withdraw a version, another reason not given",
            "secretariat",
            reverse("meetings:notes_withdraw", kwargs={**noted, "number": 1}),
            {"reason": "other"},
            "Enter the other reason",
        ),
        # Saved, then shown with the checker's findings in the error summary (last: it
        # leaves the draft attributing, which would change the states after it).
        FormState(
            "notes draft that attributes a comment",
            "secretariat",
            reverse("meetings:notes_edit", kwargs=noted),
            {
                "summary": "Jane Smith said the research gateway was too slow.",
                "discussion_points": "The Minister to write to the ONS.",
            },
            "2 sentences attribute a comment to someone",
            keep={"summary": "Jane Smith said the research gateway was too slow."},
        ),
    ]


STATE_BUILDERS: dict[str, Callable[[], list[FormState]]] = {
    "respondent": _respondent_states,
    "participant": _participant_states,
    "convenor": _convenor_states,
    "secretariat": _secretariat_states,
}


def invalid_states(role: str | None = None) -> list[FormState]:
    """The filled-in error states, from the demo data (load it first)."""
    return [
        state
        for name, build in STATE_BUILDERS.items()
        if role is None or name == role
        for state in build()
    ]


def empty_form_pages(role: str | None = None) -> list[pages.Page]:
    """Catalogued pages whose main form, sent empty, must show errors (if they have one)."""
    return [page for page in pages.html_pages(role) if page.name not in EMPTY_IS_VALID]


MAIN_FORM = re.compile(r'<form\b(?=[^>]*\bid="main-form")(?=[^>]*\bmethod="post")[^>]*>', re.I)


def error_pages(client, users: dict) -> tuple[dict[str, str], list[str]]:
    """Every form state with errors rendered by the Django test client, as {label: html},
    and the states that came back without an error summary. Each submission is rolled back,
    so one state never changes what the next one sees."""
    documents: dict[str, str] = {}
    missing: list[str] = []

    def send(label: str, role: str, path: str, action: str, data: dict) -> None:
        pages.sign_in_client_as(client, role, users)
        with transaction.atomic():
            # A browser always sends the CSRF field, so a form is never posted with nothing.
            # Followed, as a browser does: the notes draft is saved, then shown with the
            # checker's findings in its error summary.
            response = client.post(action, {"csrfmiddlewaretoken": "x", **data}, follow=True)
            transaction.set_rollback(True)
        html = response.content.decode()
        if "govuk-error-summary" in html:
            documents[label] = html
        else:
            missing.append(f"{label}: {path} answered {response.status_code} with no errors")

    for page in empty_form_pages():
        if page.role == "public":
            continue  # allauth's forms: tests/test_html_validity.py sends them empty
        pages.sign_in_client_as(client, page.role, users)
        if MAIN_FORM.search(client.get(page.path).content.decode()):
            send(f"{page} sent empty", page.role, page.path, page.path, {})
    for state in invalid_states():
        send(state.label, state.role, state.path, state.action or state.path, state.data)
    return documents, missing
