"""The admin's part of the access matrix: every admin URL name x every role x GET/POST.

Built from the URL configuration: `admin_url_names()` walks it, and every
`admin:<app>_<model>_<view>` name must belong to a model in MODELS below, so registering a new
ModelAdmin without saying how to sample its objects fails
`test_every_admin_url_name_has_a_matrix_entry`.

Who reaches the admin at all is Django's rule, which we keep: an active account with
`is_staff`. The secretariat is a row (docs/decisions/0001-roles-are-rows.md), not a staff flag,
so the matrix's "secretariat" (a SecretariatMember without is_staff) is refused like any
other participant; the demo's secretariat is also a superuser. Two staff roles are probed:

- "superuser": every ModelAdmin's own rules (read-only admins refuse add, change and delete);
- "staff": is_staff and every *view* permission, but not the secretariat. Such an account can
  exist (a superuser can tick is_staff and grant permissions in the user admin), so it is the
  account that tests the admin's own scoping: it may look, never change, and it must not see
  a restricted document, draft notes, a concern or a consultation response it could not see
  on the site. Models that hold only what each person manages of their own on the site
  (calendar feeds, reminder choices, email addresses) are not in its admin at all.

`withheld_from(person)` and `secrets()` name what must never appear on an admin page: the
first for a person outside the secretariat, the second for anyone
(tests/security/test_admin_withholds.py reads every list and change page for them).

Outcomes: "ok" (2xx, or a redirect that is not to a sign-in page), "login" (a redirect to the
admin's or the site's sign-in), "forbidden" (403), "index" (the admin's redirect to its
index: for an object it will not show, with Django's "doesn't exist" message, as if there
were no such object).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tests import pages
from tests.security import matrix

ROLES = (*matrix.ROLES, "staff")
STAFF = frozenset({"superuser", "staff"})
MODEL_VIEWS = ("changelist", "add", "change", "delete", "history")


def admin_url_names() -> set[str]:
    return {name for name in pages.url_pattern_names() if name.startswith("admin:")}


def observed(response) -> str:
    code = response.status_code
    if code == 403:
        return "forbidden"
    if code == 404:
        return "hidden"
    if code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith((reverse("admin:login"), reverse("account_login"))):
            return "login"
        if location == reverse("admin:index"):
            return "index"
        return "ok"
    if 200 <= code < 300:
        return "ok"
    return str(code)


# --- one object per model: the one that matters most --------------------------------------------
def _first(label: str, **filters) -> models.Model:
    return matrix._get(label, **filters)


def _restricted_document():
    from documents.models import Document

    return Document.objects.get(slug=matrix.restricted_document()["slug"])


def _restricted_evidence():
    """Evidence citing a restricted document: its link, and the document's title, are for
    those who may read the document."""
    from documents.models import Evidence

    document = _restricted_document()
    found = Evidence.objects.filter(document=document).order_by("pk").first()
    return found or Evidence.objects.create(
        task=_first("workinggroups.Task", group__slug=matrix.ACTIVE, position=1),
        title="Matrix probe: the withheld draft",
        document=document,
    )


def _draft_notes():
    """Notes not yet published: only the meeting's convenors and the secretariat see them."""
    from meetings.models import Notes

    notes = Notes.objects.filter(versions__isnull=True).order_by("pk").first()
    if notes is None:
        notes = Notes.objects.create(
            meeting_id=matrix.upcoming()["pk"], summary="Draft: the chair thanked DRAFT-NOTES-X."
        )
    return notes


def _draft_attendee():
    notes = _draft_notes()
    found = notes.attendees.order_by("pk").first()
    return found or notes.attendees.create(
        name="DRAFT-ATTENDEE-X", organisation="Involve", mode="in_person"
    )


def _restricted_file():
    document = _restricted_document()
    found = document.files.order_by("pk").first()
    return found or document.files.create(
        file="matrix/withheld-annex.txt", name="withheld-annex.txt", file_type="txt", size=1
    )


def _submitted_response():
    from consultation.models import Response

    return Response.objects.filter(consultation__slug=matrix.RUN).submitted().order_by("pk")[0]


def _participant():
    return _first("policyhub.User", email="participant@demo.policyhub.test")


def _created(label: str, **values) -> Callable[[], models.Model]:
    """For a model the demo data has no row of: make one, once."""

    def make() -> models.Model:
        model = apps.get_model(label)
        found = model._default_manager.order_by("pk").first()
        if found is not None:
            return found
        resolved = {key: value() if callable(value) else value for key, value in values.items()}
        return model._default_manager.create(**resolved)

    return make


def _meeting():
    return _first("meetings.Meeting", pk=matrix.upcoming()["pk"])


def _audit_entry():
    from policyhub import audit

    entry = apps.get_model("policyhub.AuditEntry").objects.order_by("pk").first()
    return entry or audit.record("policyhub.matrix_probed", actor=None, target=_participant())


def _calendar_token():
    from meetings.services import calendar_token_for

    return calendar_token_for(_participant())


def _answer():
    return pages._first_answer()


@dataclass(frozen=True)
class AdminModel:
    sample: Callable[[], models.Model]
    # What the superuser may do beyond looking: "edit" (add, change, delete), "read_only"
    # (look only), or a set of the views it may POST to.
    superuser_writes: frozenset[str] = frozenset({"changelist", "add", "change", "delete"})
    # Views the superuser may not even open (say, "add" where entries come from a service).
    superuser_refused: frozenset[str] = frozenset()
    # The sample is one the view-only staff account may not see on the site either.
    hidden_from_staff: bool = False
    # The model is not in the admin of anyone outside the secretariat.
    secretariat_only: bool = False


EDIT = frozenset({"changelist", "add", "change", "delete"})
# A record holding agreement history (append-only, so not deletable in the admin): the
# superuser may open and edit it, but Django refuses deleting it with its history.
KEEPS_HISTORY = {"superuser_writes": frozenset({"add", "change"})}
LOOK_ONLY = {
    "superuser_writes": frozenset({"changelist"}),  # the action form: nothing to delete with
    "superuser_refused": frozenset({"add", "delete"}),
}

MODELS: dict[str, AdminModel] = {
    # --- Django and allauth -------------------------------------------------------------------
    "auth.Group": AdminModel(_created("auth.Group", name="Matrix probe group")),
    "sites.Site": AdminModel(lambda: _first("sites.Site")),
    # Each person manages their own addresses on the site.
    "account.EmailAddress": AdminModel(
        lambda: _first("account.EmailAddress"), secretariat_only=True
    ),
    # Two-factor sign-in: each person sets up their own on the site; the secretariat may only
    # look and delete one (for a lost phone).
    "mfa.Authenticator": AdminModel(
        lambda: _first("mfa.Authenticator"),
        superuser_writes=frozenset({"changelist", "delete"}),
        superuser_refused=frozenset({"add"}),
        secretariat_only=True,
    ),
    # --- policyhub ------------------------------------------------------------------------------
    "policyhub.User": AdminModel(_participant),
    "policyhub.SecretariatMember": AdminModel(lambda: _first("policyhub.SecretariatMember")),
    # The audit log is append-only.
    "policyhub.AuditEntry": AdminModel(_audit_entry, **LOOK_ONLY),
    # --- process --------------------------------------------------------------------------------
    "process.Process": AdminModel(lambda: _first("process.Process")),
    "process.Step": AdminModel(lambda: _first("process.Step")),
    # --- working groups -------------------------------------------------------------------------
    "workinggroups.WorkingGroup": AdminModel(
        lambda: _first("workinggroups.WorkingGroup", slug=matrix.ACTIVE), **KEEPS_HISTORY
    ),
    "workinggroups.Membership": AdminModel(lambda: _first("workinggroups.Membership")),
    # A statement is for the person who asked, the group's convenors and the secretariat.
    "workinggroups.JoinRequest": AdminModel(
        lambda: _first("workinggroups.JoinRequest"), hidden_from_staff=True
    ),
    "workinggroups.DefaultTask": AdminModel(lambda: _first("workinggroups.DefaultTask")),
    "workinggroups.Task": AdminModel(lambda: _first("workinggroups.Task")),
    "workinggroups.Proposal": AdminModel(lambda: _first("workinggroups.Proposal"), **KEEPS_HISTORY),
    "workinggroups.Alternative": AdminModel(lambda: _first("workinggroups.Alternative")),
    "workinggroups.AgreementRecord": AdminModel(
        lambda: _first("workinggroups.AgreementRecord"), **LOOK_ONLY
    ),
    "workinggroups.SignOff": AdminModel(lambda: _first("workinggroups.SignOff")),
    # Who records each sign-off track: appointed by the secretariat, audited.
    "workinggroups.Signatory": AdminModel(lambda: _first("workinggroups.Signatory")),
    "workinggroups.WiderIssue": AdminModel(lambda: _first("workinggroups.WiderIssue")),
    # Concerns are not public: the raiser, the group's convenors, mediators, the secretariat.
    "workinggroups.Concern": AdminModel(
        lambda: _first("workinggroups.Concern", pk=matrix.raised_concern()["pk"]),
        hidden_from_staff=True,
    ),
    # --- meetings -------------------------------------------------------------------------------
    "meetings.Meeting": AdminModel(_meeting),
    "meetings.MeetingRevision": AdminModel(
        _created(
            "meetings.MeetingRevision",
            meeting=_meeting,
            previous_starts_at=timezone.now,
            previous_ends_at=timezone.now,
            previous_region="london",
            reason="Matrix probe: the room changed.",
        ),
        **LOOK_ONLY,
    ),
    # Who comes is for the meeting's managers; a person sees their own registrations.
    "meetings.Registration": AdminModel(
        lambda: _first("meetings.Registration"), hidden_from_staff=True
    ),
    "meetings.Notes": AdminModel(_draft_notes, hidden_from_staff=True),
    "meetings.NotesVersion": AdminModel(lambda: _first("meetings.NotesVersion"), **LOOK_ONLY),
    # Who attended is published with the notes, not before.
    "meetings.Attendee": AdminModel(_draft_attendee, hidden_from_staff=True),
    "meetings.FindingOverride": AdminModel(
        _created(
            "meetings.FindingOverride",
            notes=_draft_notes,
            matched="DRAFT-NOTES-X",
            sentence="The chair thanked DRAFT-NOTES-X.",
            reason="Thanking a host is not an attribution.",
        ),
        hidden_from_staff=True,  # it quotes the draft
    ),
    "meetings.Action": AdminModel(lambda: _first("meetings.Action")),
    # A person's own, on the site: a private feed's secret, reminder choices, reminders sent.
    "meetings.CalendarToken": AdminModel(_calendar_token, secretariat_only=True),
    "meetings.ReminderOptOut": AdminModel(
        _created("meetings.ReminderOptOut", user=_participant), secretariat_only=True
    ),
    "meetings.SentReminder": AdminModel(
        _created(
            "meetings.SentReminder",
            meeting=_meeting,
            user=_participant,
            kind="before-7",
            starts_at=lambda: _meeting().starts_at,
            due_at=timezone.now,
        ),
        secretariat_only=True,
    ),
    # --- documents: written on the site through services, so read-only here -----------------
    "documents.Organisation": AdminModel(lambda: _first("documents.Organisation")),
    "documents.Document": AdminModel(_restricted_document, **LOOK_ONLY, hidden_from_staff=True),
    "documents.DocumentVersion": AdminModel(
        lambda: _restricted_document().versions.order_by("pk")[0],
        **LOOK_ONLY,
        hidden_from_staff=True,
    ),
    "documents.DocumentFile": AdminModel(
        _restricted_file,
        **LOOK_ONLY,
        hidden_from_staff=True,
    ),
    "documents.Restriction": AdminModel(
        lambda: _restricted_document().restrictions.order_by("pk")[0],
        **LOOK_ONLY,
        hidden_from_staff=True,
    ),
    # Evidence is edited in the admin as on the site; citing a restricted document, it is
    # hidden from staff who may not read that document.
    "documents.Evidence": AdminModel(_restricted_evidence, hidden_from_staff=True),
    # --- consultation ---------------------------------------------------------------------------
    "consultation.Consultation": AdminModel(
        lambda: _first("consultation.Consultation", slug=matrix.RUN)
    ),
    "consultation.Section": AdminModel(
        lambda: _first("consultation.Section", consultation__slug=matrix.RUN)
    ),
    # A question with answers cannot be deleted (it would take the answers with it).
    "consultation.Question": AdminModel(
        lambda: _answer().question, superuser_writes=EDIT - {"delete"}, superuser_refused={"delete"}
    ),
    "consultation.QuestionVersion": AdminModel(
        _created(
            "consultation.QuestionVersion",
            question=lambda: _answer().question,
            text="An earlier wording of the question.",
        ),
        **LOOK_ONLY,  # earlier wordings are written by the service that rewords
    ),
    # Responses are personal data: only those who analyse the consultation read them.
    "consultation.Response": AdminModel(
        _submitted_response,
        superuser_writes=EDIT - {"add"},
        superuser_refused={"add"},
        hidden_from_staff=True,
    ),
    "consultation.Theme": AdminModel(lambda: _first("consultation.Theme")),
    "consultation.AnswerReview": AdminModel(
        lambda: _first("consultation.AnswerReview"), hidden_from_staff=True
    ),
    "consultation.Redaction": AdminModel(
        _created(
            "consultation.Redaction",
            answer=_answer,
            passage="a neighbour's name",
            reason="personal",
        ),
        hidden_from_staff=True,
    ),
}


def model_url_name(label: str, view: str) -> str:
    app_label, model_name = label.lower().split(".")
    return f"admin:{app_label}_{model_name}_{view}"


@dataclass(frozen=True)
class AdminEntry:
    """One admin URL name: how to build it, what to POST, and what the two staff roles get."""

    path: Callable[[], str]
    superuser: dict[str, str]  # method -> outcome
    staff: dict[str, str]
    post_data: Callable[[], dict] = dict
    label: str | None = None  # the model whose rows a POST must not change
    sample: Callable[[], models.Model] | None = None
    # Signed-in people without is_staff: "login" everywhere except the admin's own sign-in
    # page, which refuses them outright (allauth's secure_admin_login).
    non_staff: str = "login"
    anonymous: str = "login"


def _object_path(name: str, pk: Callable[[], int]) -> str:
    return reverse(name, args=[pk()])


def _model_entries(label: str, spec: AdminModel) -> dict[str, AdminEntry]:
    def pk() -> int:
        return spec.sample().pk

    def delete_selected() -> dict:
        return {"action": "delete_selected", "_selected_action": [pk()], "post": "yes"}

    def confirm() -> dict:
        return {"post": "yes"}

    # What each view is sent by POST: a deletion where there is one to ask for, else an
    # empty form (which, refused, must change nothing either).
    posts = {"changelist": delete_selected, "delete": confirm}
    entries = {}
    for view in MODEL_VIEWS:
        name = model_url_name(label, view)
        if view in ("changelist", "add"):
            path = partial(reverse, name)
        else:
            path = partial(_object_path, name, pk)
        refused = view in spec.superuser_refused
        writes = view in spec.superuser_writes or view == "history"
        superuser = {
            "get": "forbidden" if refused else "ok",
            "post": "ok" if writes and not refused else "forbidden",
        }
        # View-only staff: lists and read-only change pages open, every write refused (403,
        # before any lookup, so it confirms nothing). An object they may not see is "index":
        # Django's "doesn't exist", as for an object that does not exist.
        if spec.secretariat_only:
            # Not in their admin: refused before any lookup, except the history, which looks
            # the object up first and finds none ("doesn't exist").
            look = "index" if view == "history" else "forbidden"
            staff = {"get": look, "post": look}
        elif view == "changelist":
            staff = {"get": "ok", "post": "ok"}  # no action is offered: the list again
        elif view in ("change", "history"):
            look = "index" if spec.hidden_from_staff else "ok"
            staff = {"get": look, "post": "forbidden" if view == "change" else look}
        else:
            staff = {"get": "forbidden", "post": "forbidden"}
        entries[name] = AdminEntry(
            path,
            superuser,
            staff,
            post_data=posts.get(view, dict),
            label=label,
            sample=spec.sample,
        )
    return entries


GET_ONLY = {"get": "ok", "post": "405"}

SITE_ENTRIES: dict[str, AdminEntry] = {
    "admin:index": AdminEntry(
        lambda: reverse("admin:index"), {"get": "ok", "post": "ok"}, {"get": "ok", "post": "ok"}
    ),
    "admin:app_list": AdminEntry(
        lambda: reverse("admin:app_list", args=["documents"]),
        {"get": "ok", "post": "ok"},
        {"get": "ok", "post": "ok"},
    ),
    # The admin's sign-in is allauth's: signed-out people are sent to the site's sign-in,
    # signed-in people without is_staff are refused, staff are sent on to the admin's index.
    "admin:login": AdminEntry(
        lambda: reverse("admin:login"),
        {"get": "index", "post": "ok"},  # a POST is a sign-in attempt (the form again)
        {"get": "index", "post": "ok"},
        non_staff="forbidden",
    ),
    # Signing out of an admin one is not in leads to the admin's index (which asks to sign in).
    "admin:logout": AdminEntry(
        lambda: reverse("admin:logout"),
        {"get": "405", "post": "ok"},
        {"get": "405", "post": "ok"},
        non_staff="index",
        anonymous="index",
    ),
    "admin:password_change": AdminEntry(
        lambda: reverse("admin:password_change"),
        {"get": "ok", "post": "ok"},
        {"get": "ok", "post": "ok"},
    ),
    # Pages that only answer GET.
    "admin:password_change_done": AdminEntry(
        partial(reverse, "admin:password_change_done"), GET_ONLY, GET_ONLY
    ),
    "admin:jsi18n": AdminEntry(partial(reverse, "admin:jsi18n"), GET_ONLY, GET_ONLY),
    # Autocomplete answers only for a field of an admin the person may use.
    "admin:autocomplete": AdminEntry(
        lambda: (
            reverse("admin:autocomplete")
            + "?app_label=workinggroups&model_name=membership&field_name=user&term=a"
        ),
        GET_ONLY,
        GET_ONLY,
    ),
    # The user admin's set-password form, for the participant's account.
    "admin:auth_user_password_change": AdminEntry(
        lambda: reverse("admin:auth_user_password_change", args=[_participant().pk]),
        {"get": "ok", "post": "ok"},
        {"get": "forbidden", "post": "forbidden"},
        label="policyhub.User",
        sample=_participant,
    ),
    # "View on site" for a restricted document: only for those who may see it.
    "admin:view_on_site": AdminEntry(
        lambda: reverse(
            "admin:view_on_site",
            args=[
                ContentType.objects.get_for_model(_restricted_document()).pk,
                _restricted_document().pk,
            ],
        ),
        {"get": "ok", "post": "ok"},
        {"get": "hidden", "post": "hidden"},
        sample=_restricted_document,
    ),
}


def entries() -> dict[str, AdminEntry]:
    found = dict(SITE_ENTRIES)
    for label, spec in MODELS.items():
        found.update(_model_entries(label, spec))
    return found


def registered_labels() -> set[str]:
    return {model._meta.label for model in admin.site._registry}


def expected(entry: AdminEntry, method: str, role: str) -> str:
    if role == "anonymous":
        return entry.anonymous
    if role == "superuser":
        return entry.superuser[method]
    if role == "staff":
        return entry.staff[method]
    return entry.non_staff


# --- what an admin page must not show -------------------------------------------------------------
def secrets() -> dict[str, set[str]]:
    """Tokens and keys: on no admin page, for anyone (superusers included)."""
    from allauth.mfa.models import Authenticator

    from consultation.models import Response
    from meetings.models import CalendarToken, SentReminder

    responses = Response.objects.all()
    keys = responses.exclude(entry_key=None).values_list("entry_key", flat=True)
    return {
        "a calendar feed token": set(CalendarToken.objects.values_list("token", flat=True)),
        "a reminder's claim token": set(
            SentReminder.objects.exclude(claim_token="").values_list("claim_token", flat=True)
        ),
        "a save-and-return token's hash": set(
            responses.exclude(resume_token_hash="").values_list("resume_token_hash", flat=True)
        ),
        "a response's entry key": {str(key) for key in keys},
        "a two-factor secret": {
            value
            for data in Authenticator.objects.values_list("data", flat=True)
            for value in data.values()
            if isinstance(value, str)
        },
    }


def withheld_from(person) -> dict[str, set[str]]:
    """What the site does not show `person` (someone outside the secretariat), as text that
    would give it away on an admin page. A text the site shows them anyway (a restricted
    document's title on the public register, a draft's words since published) is left out."""
    from allauth.account.models import EmailAddress

    from consultation.models import Response, Theme
    from consultation.permissions import responses_analysable_by, themes_visible_to
    from documents.models import Document, DocumentVersion, Restriction
    from documents.permissions import documents_visible_to
    from meetings.models import Meeting, Notes, NotesVersion
    from meetings.permissions import can_manage, can_see_remote_details, drafts_visible_to
    from policyhub.models import User
    from workinggroups.models import Concern, JoinRequest, Proposal
    from workinggroups.permissions import (
        concerns_visible_to,
        join_requests_visible_to,
        proposals_visible_to,
    )

    def hidden(rows, visible, field: str) -> set[str]:
        return set(rows.exclude(pk__in=visible.values("pk")).values_list(field, flat=True))

    readable = documents_visible_to(person)
    titles = hidden(Document.objects.all(), readable, "title")
    titles |= set(
        DocumentVersion.objects.exclude(document__in=readable).values_list("title", flat=True)
    )
    public_titles = {r.register_title for r in Restriction.objects.select_related("document")}
    public_titles |= set(readable.values_list("title", flat=True))
    emails = set(User.objects.exclude(pk=person.pk).values_list("email", flat=True))
    emails |= set(EmailAddress.objects.exclude(user=person).values_list("email", flat=True))
    emails |= set(Response.objects.exclude(email="").values_list("email", flat=True))
    remote = set()
    for meeting in Meeting.objects.filter(has_remote_participation=True):
        if not (can_manage(person, meeting) or can_see_remote_details(person, meeting)):
            remote |= {meeting.joining_link, meeting.dial_in}
    published_notes = set(NotesVersion.objects.values_list("summary", flat=True))
    drafts = hidden(Notes.objects.exclude(summary=""), drafts_visible_to(person), "summary")
    found = {
        "the title of a document they may not read": titles - public_titles,
        "another person's email address": emails,
        "a join statement": hidden(
            JoinRequest.objects.all(), join_requests_visible_to(person), "statement"
        ),
        "a concern": hidden(Concern.objects.all(), concerns_visible_to(person), "title"),
        "a draft proposal": hidden(Proposal.objects.all(), proposals_visible_to(person), "title"),
        "draft notes": drafts - published_notes,
        "a joining link or dial-in": remote,
        "another consultation's codebook": hidden(
            Theme.objects.all(), themes_visible_to(person), "name"
        ),
        "a response they may not analyse": hidden(
            Response.objects.all(), responses_analysable_by(person), "reference"
        ),
    }
    return {what: {text for text in texts if text} for what, texts in found.items()}
