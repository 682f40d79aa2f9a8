"""The access matrix: every URL pattern x every role x GET/POST -> expected outcome.

Built on the demo data and on `tests.pages.url_pattern_names()`, so a new URL pattern with
no entry here fails `test_every_url_pattern_has_a_matrix_entry`. Each entry says how to fill
the URL's arguments, which working group or consultation it belongs to ("scope": the roles
"member", "convenor" and "analyst" are relative to it, "other_*" to another one), and which
roles may GET and POST it. Refusals are then derived, so the table stays readable:

- allowed -> "ok" (any 2xx, or a redirect that is not to sign-in);
- refused, signed out -> "login" (a redirect to sign-in) unless the entry says "hidden";
- refused, signed in -> "hidden" (404: you may not know it exists) or "forbidden" (403),
  as the entry says;
- a method the view does not take -> "405".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from tests import pages

ROLES = (
    "anonymous",
    "participant",
    "member",
    "other_member",
    "convenor",
    "other_convenor",
    "analyst",
    "other_analyst",
    "secretariat",
    "superuser",
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
SECRETARIAT = frozenset({"secretariat", "superuser"})
CONVENOR = SECRETARIAT | {"convenor"}
MEMBER = CONVENOR | {"member"}
ANALYST = SECRETARIAT | {"analyst"}
NOBODY: frozenset[str] = frozenset()
METHOD_NOT_ALLOWED = "405"  # as a rule: the view does not take this method at all


@dataclass(frozen=True)
class Scope:
    """The working group and consultation a URL's object belongs to."""

    group: str | None = None  # slug
    consultation: str | None = None  # slug


@dataclass(frozen=True)
class Entry:
    kwargs: Callable[[], dict]
    get: frozenset[str] | str
    post: frozenset[str] | str
    scope: Callable[[dict], Scope] = lambda kwargs: Scope()
    # How a signed-in person who is refused is told: "hidden" (404) or "forbidden" (403).
    refused: str = "hidden"
    # With refused="hidden": the roles that may see the object, so are told "forbidden".
    sees: frozenset[str] = frozenset()
    # When a method the view does not take meets someone the view refuses: "person" (the
    # view checks who you are first: refused people get their refusal, others 405),
    # "sign_in" (a signed-out person is sent to sign in, everyone else gets 405) or
    # "method" (405 for everyone).
    checks_first: str = "person"
    # How a signed-out person who is refused is told: "login" or the same as `refused`.
    anonymous_refused: str = "login"
    # Per-role, per-method exceptions with the reason, e.g. {("post", "analyst"): "ok"}.
    overrides: dict[tuple[str, str], str] = field(default_factory=dict)
    # Put the client in a state first (a respondent's session) before requesting.
    setup: Callable | None = None


def expected(entry: Entry, method: str, role: str) -> str:
    override = entry.overrides.get((method, role))
    if override:
        return override
    rule = entry.get if method == "get" else entry.post
    if rule == METHOD_NOT_ALLOWED:
        other = entry.post if method == "get" else entry.get
        if other == METHOD_NOT_ALLOWED or role in other:
            return "405"
        if entry.checks_first == "method":
            return "405"
        if entry.checks_first == "sign_in" and role != "anonymous":
            return "405"
        return refusal(entry, role)
    if role in rule:
        return "ok"
    return refusal(entry, role)


def refusal(entry: Entry, role: str) -> str:
    if role == "anonymous":
        return entry.anonymous_refused
    if entry.sees:
        return "forbidden" if role in entry.sees else "hidden"
    return entry.refused


def observed(response) -> str:
    code = response.status_code
    if code == 405:
        return "405"
    if code == 404:
        return "hidden"
    if code == 403:
        return "forbidden"
    if code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(reverse("account_login")):
            return "login"
        return "ok"
    if 200 <= code < 300:
        return "ok"
    return str(code)


# --- arguments from the demo data -------------------------------------------------------------
ACTIVE = "commercial-access-practice"  # active, one pending join request, an open wider issue
OTHER_ACTIVE = "local-government-data-practice"  # a raised concern, an editable proposal
RUN = pages.RUN_CONSULTATION
OPEN = pages.OPEN_CONSULTATION


def _get(label: str, **filters):
    obj = apps.get_model(label)._default_manager.filter(**filters).order_by("pk").first()
    assert obj is not None, f"The demo data has no {label} matching {filters}."
    return obj


def first(kwargs_fn) -> Callable[[], dict]:
    return lambda: kwargs_fn()[0]


def group_scope(kwargs: dict) -> Scope:
    return Scope(group=kwargs["slug"])


def meeting_scope(kwargs: dict) -> Scope:
    meeting = _get("meetings.Meeting", pk=kwargs["pk"])
    return Scope(group=meeting.working_group.slug if meeting.working_group else None)


def consultation_scope(kwargs: dict) -> Scope:
    return Scope(consultation=kwargs["slug"])


def concern_scope(kwargs: dict) -> Scope:
    return Scope(group=_get("workinggroups.Concern", pk=kwargs["pk"]).group.slug)


def wider_issue_scope(kwargs: dict) -> Scope:
    return Scope(group=_get("workinggroups.WiderIssue", pk=kwargs["pk"]).group.slug)


def document_scope(kwargs: dict) -> Scope:
    document = _get("documents.Document", slug=kwargs["slug"])
    group = document.working_groups.order_by("pk").first()
    return Scope(group=group.slug if group else None)


def editable_proposal() -> dict:
    proposal = _get("workinggroups.Proposal", group__slug=OTHER_ACTIVE, status="under_discussion")
    return {"slug": OTHER_ACTIVE, "pk": proposal.pk}


def alternative() -> dict:
    kwargs = editable_proposal()
    alt = _get("workinggroups.Alternative", proposal_id=kwargs["pk"])
    return {**kwargs, "alternative": alt.pk}


def agreed_proposal() -> dict:
    proposal = _get("workinggroups.Proposal", group__slug=ACTIVE, status="agreed")
    return {"slug": ACTIVE, "pk": proposal.pk, "track": "government"}


def task() -> dict:
    return {"slug": ACTIVE, "position": 1}


def evidence() -> dict:
    from tests.documents.factories import EvidenceFactory

    found = apps.get_model("documents.Evidence").objects.filter(
        task__group__slug=ACTIVE, task__position=1
    )
    item = found.first() or EvidenceFactory(
        task=_get("workinggroups.Task", group__slug=ACTIVE, position=1)
    )
    return {"slug": ACTIVE, "position": 1, "pk": item.pk}


def join_request() -> dict:
    request = _get("workinggroups.JoinRequest", group__slug=ACTIVE, status="pending")
    return {"slug": ACTIVE, "pk": request.pk}


def appoint() -> dict:
    membership = _get("workinggroups.Membership", group__slug=ACTIVE, role="member")
    return {"slug": ACTIVE, "pk": membership.pk}


def raised_concern() -> dict:
    return {"pk": _get("workinggroups.Concern", status="raised").pk}


def mediated_concern() -> dict:
    return {"pk": _get("workinggroups.Concern", status="in_mediation").pk}


def open_wider_issue() -> dict:
    return {"pk": _get("workinggroups.WiderIssue", group__slug=ACTIVE, status="open").pk}


def upcoming() -> dict:
    """An upcoming meeting of a working group, so its convenor's rights show."""
    from meetings.models import Meeting

    meeting = (
        Meeting.objects.upcoming()
        .filter(status="scheduled", working_group__isnull=False)
        .order_by("starts_at")
        .first()
    )
    assert meeting is not None, "The demo data needs an upcoming meeting of a group."
    return {"pk": meeting.pk}


def noted() -> dict:
    """A past meeting of a working group with published notes."""
    meeting = _get("meetings.Meeting", notes__versions__isnull=False, working_group__isnull=False)
    return {"pk": meeting.pk}


def action() -> dict:
    meeting_pk = noted()["pk"]
    item = apps.get_model("meetings.Action").objects.filter(meeting_id=meeting_pk).first()
    if item is None:
        item = apps.get_model("meetings.Action").objects.create(
            meeting_id=meeting_pk, description="Circulate the revised paper.", owner="Secretariat"
        )
    return {"pk": item.meeting_id, "action_pk": item.pk}


def noted_version() -> dict:
    """Version 1 of the published notes of noted()'s meeting."""
    return {**noted(), "number": 1}


def attendee() -> dict:
    item = _get("meetings.Attendee", notes__meeting_id=noted()["pk"])
    return {"pk": item.notes.meeting_id, "attendee_pk": item.pk}


def private_calendar() -> dict:
    from meetings.services import calendar_token_for

    owner = _get("policyhub.User", email="participant@demo.policyhub.test")
    return {"token": calendar_token_for(owner).token}


def stop_reminders() -> dict:
    from meetings.services import stop_reminders_token

    owner = _get("policyhub.User", email="participant@demo.policyhub.test")
    return {"token": stop_reminders_token(owner)}


def public_document() -> dict:
    return pages.one_document_kwargs()[0]


def document_with_file() -> dict:
    return pages.document_file_kwargs()[0]


def file_of_document() -> dict:
    kwargs = pages.document_file_kwargs()[0]
    return {"slug": kwargs["slug"], "pk": kwargs["pk"]}


def restricted_document() -> dict:
    return pages.restricted_document_kwargs()[0]


def draft_document() -> dict:
    """A draft of the active group (the demo has none, so one is made once)."""
    from documents.models import Document
    from tests.documents.factories import DocumentFactory

    draft = Document.objects.filter(slug="matrix-draft").first()
    if draft is None:
        group = _get("workinggroups.WorkingGroup", slug=ACTIVE)
        draft = DocumentFactory(
            slug="matrix-draft", status=Document.Status.DRAFT, published_on=None, groups=[group]
        )
    return {"slug": draft.slug}


def theme() -> dict:
    item = _get("consultation.Theme", question__section__consultation__slug=RUN)
    return {"slug": RUN, "theme_id": item.pk}


def answer() -> dict:
    return {"slug": RUN, "answer_id": pages._first_answer().pk}


def resume() -> dict:
    from consultation import services

    response = services.start_response(_get("consultation.Consultation", slug=OPEN))
    token = services.issue_resume_link(
        response, email="someone@example.org", base_url="http://testserver"
    )
    return {"slug": OPEN, "token": token}


def start_responding(client) -> None:
    pages.begin_response(client)


def _x(name: str) -> Callable[[], dict]:
    """The first arguments tests/pages.py uses for this pattern."""
    make = (pages.CATALOGUE.get(name) or pages.NOT_HTML[name])[1]
    return first(make)


def _kw(**kwargs) -> Callable[[], dict]:
    return lambda: kwargs


NONE: Callable[[], dict] = _kw()
MNA = METHOD_NOT_ALLOWED


def codebook() -> dict:
    return pages.question_kwargs()[0]


def response_of_run() -> dict:
    return pages.response_kwargs()[0]


def answer_of_response() -> dict:
    first_answer = pages._first_answer()
    return {"slug": RUN, "reference": first_answer.response.reference, "answer_id": first_answer.pk}


G, M, C, D, Q = group_scope, meeting_scope, consultation_scope, document_scope, concern_scope

# url name -> Entry. Reasons for anything surprising sit beside it.
# Working groups, meetings and documents answer 403 to a signed-in person who may see the
# object but not act on it, and 404 where the object itself is hidden (a restricted document).
WG = {"refused": "forbidden"}
MTG = {"refused": "forbidden"}
DOC = {"refused": "forbidden"}
# Consultation analysis is hidden (404) from everyone else, signed in or not.
ANALYSIS = {"anonymous_refused": "hidden"}
# The secretariat's actions on a consultation's analysis: its analysts see the responses but
# may not redact, enter or publish (403); everyone else is told nothing (404).
SECRETARIAT_ANALYSIS = {**ANALYSIS, "sees": frozenset({"analyst"})}
# Views that send a signed-out person to sign in before looking at the method.
SIGN_IN_FIRST = {"checks_first": "sign_in"}
# Views that refuse a method they do not take before anything else (require_POST outermost).
METHOD_FIRST = {"checks_first": "method"}
# A restricted document shared with its working group: members see it (403 on actions).
SHARED = {"sees": frozenset({"member", "convenor"})}

ENTRIES: dict[str, Entry] = {
    # --- process ----------------------------------------------------------------------------
    "process:home": Entry(NONE, EVERYONE, MNA),
    "process:detail": Entry(_x("process:detail"), EVERYONE, MNA),
    "process:terms": Entry(_x("process:terms"), EVERYONE, MNA),
    "process:about": Entry(NONE, EVERYONE, MNA),
    "process:terms-latest": Entry(NONE, EVERYONE, MNA),
    "accessibility": Entry(NONE, EVERYONE, MNA),
    "cookies": Entry(NONE, EVERYONE, MNA),
    "privacy": Entry(NONE, EVERYONE, MNA),
    # Anyone may choose a language: the choice is a cookie, nothing else changes.
    "set_language": Entry(NONE, EVERYONE, EVERYONE),
    "healthz": Entry(NONE, EVERYONE, MNA),
    # Public, but 503 here: no beat runs the reminder sweep under tests (test_readiness.py).
    "readyz": Entry(NONE, EVERYONE, MNA, overrides={("get", role): "503" for role in ROLES}),
    # --- accounts (allauth) -----------------------------------------------------------------
    "account_login": Entry(NONE, EVERYONE, EVERYONE),
    "account_signup": Entry(NONE, EVERYONE, EVERYONE),
    "account_reset_password": Entry(NONE, EVERYONE, EVERYONE),
    "account_reset_password_done": Entry(NONE, EVERYONE, MNA),
    "account_email_verification_sent": Entry(NONE, EVERYONE, MNA),
    "account_inactive": Entry(NONE, EVERYONE, MNA),
    "account_logout": Entry(NONE, EVERYONE, EVERYONE),
    "account_email": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "account_change_password": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "account_set_password": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "account_reauthenticate": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # Sign-in by code is off: a signed-out visitor is sent to the ordinary sign-in.
    "account_confirm_login_code": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # A made-up key: the page says the link is invalid; posting it finds nothing to confirm.
    "account_confirm_email": Entry(
        _kw(key="not-a-real-key"), EVERYONE, NOBODY, anonymous_refused="hidden"
    ),
    "account_reset_password_from_key": Entry(_kw(uidb36="1", key="x-x"), EVERYONE, EVERYONE),
    "account_reset_password_from_key_done": Entry(NONE, EVERYONE, MNA),
    "profile": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # Each person's own data, never anyone else's: no id in the URL. POST downloads it.
    "your_data": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # Posting nothing deletes nothing: the form asks for the email address and password.
    "delete_account": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "account_deleted": Entry(NONE, EVERYONE, MNA),
    # --- two-factor sign-in (allauth.mfa); nobody here has an authenticator app -------------
    "mfa_index": Entry(NONE, SIGNED_IN, MNA, **SIGN_IN_FIRST),
    # Between a password and its code; outside a sign-in, the signed-in are sent on.
    "mfa_authenticate": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # Signed in: sent on to enter the password again (the one way they have), then on.
    "mfa_reauthenticate": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "mfa_activate_totp": Entry(NONE, SIGNED_IN, SIGNED_IN),
    "mfa_generate_recovery_codes": Entry(NONE, SIGNED_IN, SIGNED_IN),
    # An app, or codes, that these accounts do not have: nothing to show (404).
    "mfa_deactivate_totp": Entry(NONE, NOBODY, NOBODY),
    "mfa_download_recovery_codes": Entry(NONE, NOBODY, NOBODY),
    "mfa_view_recovery_codes": Entry(NONE, NOBODY, MNA, **SIGN_IN_FIRST),
    # --- working groups ---------------------------------------------------------------------
    "workinggroups:list": Entry(NONE, EVERYONE, MNA),
    "workinggroups:wider-issues": Entry(NONE, EVERYONE, MNA),
    "workinggroups:detail": Entry(_kw(slug=ACTIVE), EVERYONE, MNA, G),
    "workinggroups:task": Entry(task, EVERYONE, MNA, G),
    "workinggroups:proposal": Entry(editable_proposal, EVERYONE, MNA, G),
    # Joining is for people not yet in the group; leaving for people in it.
    "workinggroups:join": Entry(
        _kw(slug=ACTIVE), *[SIGNED_IN - {"member", "convenor"}] * 2, G, **WG
    ),
    "workinggroups:leave": Entry(
        _kw(slug=ACTIVE), *[frozenset({"member", "convenor"})] * 2, G, **WG
    ),
    # Members raise concerns about their own group; the secretariat hears them, not raises.
    "workinggroups:concern-add": Entry(_kw(slug=ACTIVE), *[MEMBER - SECRETARIAT] * 2, G, **WG),
    "workinggroups:wider-issue-add": Entry(_kw(slug=ACTIVE), MEMBER, MEMBER, G, **WG),
    "workinggroups:join-requests": Entry(_kw(slug=ACTIVE), CONVENOR, MNA, G, **WG),
    "workinggroups:join-request-decide": Entry(join_request, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:appoint-convenor": Entry(appoint, MNA, SECRETARIAT, G, **WG, **METHOD_FIRST),
    "workinggroups:task-edit": Entry(task, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:proposal-add": Entry(_kw(slug=ACTIVE), CONVENOR, CONVENOR, G, **WG),
    "workinggroups:proposal-edit": Entry(editable_proposal, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:proposal-status": Entry(editable_proposal, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:proposal-agreement": Entry(editable_proposal, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:alternative-add": Entry(editable_proposal, CONVENOR, CONVENOR, G, **WG),
    "workinggroups:alternative-edit": Entry(alternative, CONVENOR, CONVENOR, G, **WG),
    # Each track is recorded only by its own signatories (a Signatory row), none of the
    # roles here: tests/workinggroups/test_permissions.py has the signatories' matrix.
    "workinggroups:proposal-sign-off": Entry(agreed_proposal, NOBODY, NOBODY, G, **WG),
    "workinggroups:add": Entry(NONE, SECRETARIAT, SECRETARIAT, **WG),
    # Convenors keep their group's description current; the secretariat sets groups up.
    "workinggroups:edit": Entry(_kw(slug=ACTIVE), CONVENOR, CONVENOR, G, **WG),
    # The list is filtered per person (tests/security/test_object_probes.py checks that).
    "workinggroups:concerns": Entry(NONE, SIGNED_IN, MNA, **SIGN_IN_FIRST),
    # Not public: the group's convenors and the secretariat see a concern; mediators too.
    "workinggroups:concern": Entry(raised_concern, CONVENOR, MNA, Q, **SIGN_IN_FIRST),
    "workinggroups:concern-mediators": Entry(
        raised_concern, SECRETARIAT, SECRETARIAT, Q, sees=frozenset({"convenor"})
    ),
    "workinggroups:concern-outcome": Entry(
        mediated_concern, SECRETARIAT, SECRETARIAT, Q, sees=frozenset({"convenor"})
    ),
    "workinggroups:wider-issue-decide": Entry(
        open_wider_issue, SECRETARIAT, SECRETARIAT, wider_issue_scope, **WG
    ),
    "workinggroups:default-tasks": Entry(NONE, SECRETARIAT, MNA, **WG),
    "workinggroups:default-task-add": Entry(NONE, SECRETARIAT, SECRETARIAT, **WG),
    "workinggroups:default-task-edit": Entry(
        _x("workinggroups:default-task-edit"), SECRETARIAT, SECRETARIAT, **WG
    ),
    # --- meetings ---------------------------------------------------------------------------
    "meetings:list": Entry(NONE, EVERYONE, MNA),
    "meetings:past": Entry(NONE, EVERYONE, MNA),
    "meetings:detail": Entry(upcoming, EVERYONE, MNA, M),
    "meetings:notes": Entry(noted, EVERYONE, MNA, M),
    "meetings:calendar": Entry(NONE, EVERYONE, MNA),
    "meetings:meeting_calendar": Entry(upcoming, EVERYONE, MNA, M),
    "meetings:group_calendar": Entry(_kw(slug=ACTIVE), EVERYONE, MNA, G),
    "meetings:calendar_feed": Entry(NONE, SIGNED_IN, MNA, **SIGN_IN_FIRST),
    "meetings:calendar_feed_create": Entry(NONE, MNA, SIGNED_IN, **METHOD_FIRST),
    # The feed token is the credential (calendar apps cannot sign in): whoever holds it may
    # read that one feed. Guessed tokens are probed in test_object_probes.
    "meetings:private_calendar": Entry(private_calendar, EVERYONE, MNA),
    "meetings:stop_reminders": Entry(stop_reminders, EVERYONE, EVERYONE),
    "meetings:restart_reminders": Entry(NONE, MNA, SIGNED_IN, **METHOD_FIRST),
    "meetings:register": Entry(upcoming, MNA, SIGNED_IN, M, **METHOD_FIRST),
    "meetings:withdraw": Entry(upcoming, MNA, SIGNED_IN, M, **METHOD_FIRST),
    # Any convenor schedules meetings (of a group they convene; the form offers only those).
    "meetings:schedule": Entry(NONE, *[CONVENOR | {"other_convenor"}] * 2, **MTG),
    "meetings:edit": Entry(upcoming, CONVENOR, CONVENOR, M, **MTG),
    "meetings:cancel": Entry(upcoming, CONVENOR, CONVENOR, M, **MTG),
    "meetings:notes_edit": Entry(noted, CONVENOR, CONVENOR, M, **MTG),
    "meetings:notes_start": Entry(upcoming, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:notes_publish": Entry(noted, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:notes_override": Entry(noted, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:attendee_add": Entry(noted, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:attendee_remove": Entry(attendee, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:action_add": Entry(noted, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:action_status": Entry(action, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    "meetings:action_remove": Entry(action, MNA, CONVENOR, M, **MTG, **METHOD_FIRST),
    # The group's convenors and the secretariat withdraw a version that breached the rule.
    "meetings:notes_withdraw": Entry(noted_version, CONVENOR, CONVENOR, M, **MTG),
    # --- documents --------------------------------------------------------------------------
    "documents:list": Entry(NONE, EVERYONE, MNA),
    "documents:register": Entry(NONE, EVERYONE, MNA),
    "documents:feed": Entry(NONE, EVERYONE, MNA),
    "documents:detail": Entry(public_document, EVERYONE, MNA, D),
    "documents:version": Entry(_x("documents:version"), EVERYONE, MNA, D),
    "documents:compare": Entry(_x("documents:compare"), EVERYONE, MNA, D),
    "documents:download": Entry(document_with_file, EVERYONE, MNA, D),
    "documents:access-log": Entry(NONE, SECRETARIAT, MNA, **DOC),
    # Convenors draft documents for their groups; publishing a draft of a group they
    # convene is theirs too (docs/decisions/0301-documents-who-edits.md).
    "documents:create": Entry(NONE, *[CONVENOR | {"other_convenor"}] * 2, **DOC),
    "documents:publish": Entry(draft_document, MNA, CONVENOR, D, **SIGN_IN_FIRST),
    "documents:edit": Entry(public_document, SECRETARIAT, SECRETARIAT, D, **DOC),
    "documents:add-file": Entry(public_document, SECRETARIAT, SECRETARIAT, D, **DOC),
    "documents:remove-file": Entry(file_of_document, MNA, SECRETARIAT, D, **DOC, **SIGN_IN_FIRST),
    "documents:withdraw": Entry(public_document, SECRETARIAT, SECRETARIAT, D, **DOC),
    "documents:restrict": Entry(public_document, SECRETARIAT, SECRETARIAT, D, **DOC),
    "documents:share": Entry(restricted_document, SECRETARIAT, SECRETARIAT, D, **SHARED),
    "documents:review": Entry(restricted_document, SECRETARIAT, SECRETARIAT, D, **SHARED),
    "documents:lift": Entry(restricted_document, SECRETARIAT, SECRETARIAT, D, **SHARED),
    # Evidence for a group's workplan is gathered by whoever runs the workplan: its convenors
    # and the secretariat.
    "documents:add-evidence": Entry(task, CONVENOR, CONVENOR, G, **DOC),
    "documents:remove-evidence": Entry(evidence, MNA, CONVENOR, G, **DOC, **METHOD_FIRST),
    # --- consultation -----------------------------------------------------------------------
    "consultation:list": Entry(NONE, EVERYONE, MNA),
    "consultation:detail": Entry(_kw(slug=RUN), EVERYONE, MNA, C),
    "consultation:published": Entry(_kw(slug=RUN), EVERYONE, MNA, C),
    "consultation:start": Entry(_kw(slug=OPEN), MNA, EVERYONE, C),
    "consultation:about-you": Entry(_kw(slug=OPEN), EVERYONE, EVERYONE, C, setup=start_responding),
    "consultation:section": Entry(
        _kw(slug=OPEN, number=1), EVERYONE, EVERYONE, C, setup=start_responding
    ),
    "consultation:check": Entry(_kw(slug=OPEN), EVERYONE, EVERYONE, C, setup=start_responding),
    "consultation:save-for-later": Entry(
        _kw(slug=OPEN), EVERYONE, EVERYONE, C, setup=start_responding
    ),
    # Without a sent response in this browser's session it redirects to the consultation.
    "consultation:confirmation": Entry(_kw(slug=OPEN), EVERYONE, MNA, C),
    "consultation:resume": Entry(resume, EVERYONE, MNA, C),
    # "Get a new link" asks only for an email address, and says nothing about who responded.
    "consultation:new-link": Entry(_kw(slug=OPEN), EVERYONE, EVERYONE, C),
    "consultation:analysis": Entry(_kw(slug=RUN), ANALYST, MNA, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:agreement": Entry(_kw(slug=RUN), ANALYST, MNA, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:statistics": Entry(_kw(slug=RUN), ANALYST, MNA, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:export": Entry(
        _kw(slug=RUN, fmt="csv"), ANALYST, MNA, C, **ANALYSIS, **METHOD_FIRST
    ),
    "consultation:codebook": Entry(codebook, ANALYST, ANALYST, C, **ANALYSIS),
    "consultation:code-campaign": Entry(codebook, MNA, ANALYST, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:theme-edit": Entry(theme, MNA, ANALYST, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:response": Entry(response_of_run, ANALYST, MNA, C, **ANALYSIS, **METHOD_FIRST),
    "consultation:code": Entry(answer_of_response, MNA, ANALYST, C, **ANALYSIS, **METHOD_FIRST),
    # Redacting and entering postal responses are the secretariat's, not analysts'.
    "consultation:redact": Entry(
        answer_of_response, MNA, SECRETARIAT, C, **SECRETARIAT_ANALYSIS, **METHOD_FIRST
    ),
    "consultation:publish": Entry(
        _kw(slug=RUN), SECRETARIAT, SECRETARIAT, C, **SECRETARIAT_ANALYSIS
    ),
    "consultation:enter": Entry(_kw(slug=RUN), SECRETARIAT, SECRETARIAT, C, **SECRETARIAT_ANALYSIS),
}


# --- what each role receives ------------------------------------------------------------------
# A status code says a page opened, not what it handed over. `RECEIVES` names, for a page, the
# texts (a title in a list, a row of an export, an item of a feed) that must reach exactly the
# roles given and nobody else; where it can count its rows, each role must get exactly as many
# rows as texts it is given, so a row nobody listed fails too. The world below adds, to the demo,
# what status codes cannot tell apart: several restricted documents shared with different
# people and groups, drafts of two groups, and people holding roles in two groups.
#
# Extra roles, relative to the scope's group A (the active group) and another group B:
# - "convenor_and_other_member": convenes A, an ordinary member of B;
# - "member_and_other_convenor": a member of A, convenes B;
# - "shared_reader": in no group; one restricted document (and a restricted draft) is shared
#   with them by name;
# - "analyst_of_both": analyses the run consultation and another one.
TWO_PLACE_ROLES = (
    "convenor_and_other_member",
    "member_and_other_convenor",
    "shared_reader",
    "analyst_of_both",
)
RECEIVING_ROLES = (*ROLES, *TWO_PLACE_ROLES)
SHARED_READER_EMAIL = "shared-reader@matrix.policyhub.test"
WORLD = "Quillwort"  # in every title the world adds; nowhere in the demo


@dataclass(frozen=True)
class Receives:
    path: Callable[[], str]
    # Text -> the roles that receive it; every other role gets the page without it (or a
    # function returning that, for texts the database holds).
    shows: dict[str, frozenset[str]] | Callable[[], dict[str, frozenset[str]]]
    # What a role that receives none of the texts gets: "ok" (the page, without them),
    # "hidden" (404) or "forbidden" (403); `sees` are told "forbidden" where others are hidden.
    without: str = "ok"
    sees: frozenset[str] = frozenset()
    # What a signed-out visitor who receives nothing gets, when not `without` ("login").
    anonymous: str = ""
    # Counts the page's rows; each role must get exactly one row per text it receives.
    rows: Callable[[str], int] | None = None

    def texts(self) -> dict[str, frozenset[str]]:
        return self.shows() if callable(self.shows) else self.shows

    def outcome(self, role: str) -> str:
        if self.received(role):
            return "ok"
        if role == "anonymous" and self.anonymous:
            return self.anonymous
        if self.without == "hidden" and role in self.sees:
            return "forbidden"
        return self.without

    def received(self, role: str) -> set[str]:
        return {text for text, roles in self.texts().items() if role in roles}


def appears(text: str, page: str) -> bool:
    """`text` is on the page, as written or as the templates escape it (markup in `text`,
    such as a closing tag, is matched as it is)."""
    escaped = text.replace("&", "&amp;").replace("'", "&#x27;").replace('"', "&quot;")
    return text in page or escaped in page


def other_group_slug() -> str:
    """Group B: the group the "other_*" roles belong to when the scope is the active group
    (the first other group, as tests/security/test_access_matrix.py's People picks it)."""
    from workinggroups.models import WorkingGroup

    others = WorkingGroup.objects.exclude(slug=ACTIVE).order_by("pk")
    return others.values_list("slug", flat=True)[0]


def build_world() -> None:
    """Add to the demo what the receiving matrix needs (once per test, after load_demo)."""
    from documents.models import Document
    from documents.services import refresh_search_index
    from tests.documents.factories import DocumentFactory, RestrictionFactory
    from tests.factories import UserFactory
    from workinggroups.models import WorkingGroup

    reader = UserFactory(email=SHARED_READER_EMAIL)
    group_a = WorkingGroup.objects.get(slug=ACTIVE)
    group_b = WorkingGroup.objects.get(slug=other_group_slug())
    process = group_a.process
    today = timezone.localdate()
    for title, group, status, shared_with in (
        (OPEN_A, group_a, "published", None),
        (OPEN_B, group_b, "published", None),
        (WITHDRAWN_A, group_a, "withdrawn", None),
        (DRAFT_A, group_a, "draft", None),
        (DRAFT_B, group_b, "draft", None),
        (SHARED_A, group_a, "published", group_a),
        (SHARED_B, group_b, "published", group_b),
        (SHARED_READER, group_a, "published", reader),
        (SHARED_NOBODY, group_a, "published", ()),
        (DRAFT_SHARED_READER, group_b, "draft", reader),
    ):
        document = DocumentFactory(
            process=process,
            title=title,
            slug=slugify(title),
            status=status,
            published_on=None if status == Document.Status.DRAFT else today,
            withdrawn_reason="Replaced." if status == Document.Status.WITHDRAWN else "",
            groups=[group],
        )
        if shared_with is not None:
            RestrictionFactory(document=document, public_title=f"Withheld {document.pk}")
        if isinstance(shared_with, WorkingGroup):
            document.shared_with_groups.add(shared_with)
        elif shared_with:
            document.shared_with_people.add(shared_with)
        refresh_search_index(document)


OPEN_A = f"{WORLD} open paper of group A (QW-OA)"
OPEN_B = f"{WORLD} open paper of group B (QW-OB)"
WITHDRAWN_A = f"{WORLD} withdrawn paper of group A (QW-WA)"
DRAFT_A = f"{WORLD} draft of group A (QW-DA)"
DRAFT_B = f"{WORLD} draft of group B (QW-DB)"
SHARED_A = f"{WORLD} restricted, shared with group A (QW-RA)"
SHARED_B = f"{WORLD} restricted, shared with group B (QW-RB)"
SHARED_READER = f"{WORLD} restricted, shared with one reader (QW-RR)"
SHARED_NOBODY = f"{WORLD} restricted, shared with nobody, of group A (QW-RN)"
DRAFT_SHARED_READER = f"{WORLD} restricted draft of group B, shared with one reader (QW-RD)"

ALL = frozenset(RECEIVING_ROLES)
IN_A = frozenset({"member", "convenor", "convenor_and_other_member", "member_and_other_convenor"})
IN_B = frozenset(
    {"other_member", "other_convenor", "convenor_and_other_member", "member_and_other_convenor"}
)
CONVENES_A = SECRETARIAT | {"convenor", "convenor_and_other_member"}
CONVENES_B = SECRETARIAT | {"other_convenor", "member_and_other_convenor"}
# Who reads each document of the world: drafts are their groups' convenors'; a restricted
# document is for those it is shared with (directly or through a group they are in).
READERS = {
    OPEN_A: ALL,
    OPEN_B: ALL,
    WITHDRAWN_A: ALL,
    DRAFT_A: CONVENES_A,
    DRAFT_B: CONVENES_B,
    SHARED_A: SECRETARIAT | IN_A,
    SHARED_B: SECRETARIAT | IN_B,
    SHARED_READER: SECRETARIAT | {"shared_reader"},
    SHARED_NOBODY: SECRETARIAT,
    DRAFT_SHARED_READER: SECRETARIAT,
}
PUBLISHED = (OPEN_A, OPEN_B, SHARED_A, SHARED_B, SHARED_READER, SHARED_NOBODY)
DRAFTS = (DRAFT_A, DRAFT_B, DRAFT_SHARED_READER)


def _path(name: str, *args, query: str = "") -> Callable[[], str]:
    return lambda: reverse(name, args=[a() if callable(a) else a for a in args]) + query


def _document(title: str) -> Callable[[], str]:
    return lambda: slugify(title)


def _counted_documents(html: str) -> int:
    """The list's own count ("3 documents")."""
    found = re.search(r">\s*(\d+) documents?\s*<", html)
    assert found, "The list shows no count of documents."
    return int(found.group(1))


def _world_entries(xml: str) -> int:
    return sum(WORLD in entry for entry in re.findall(r"<entry>.*?</entry>", xml, re.S))


def _groups_offered() -> dict[str, frozenset[str]]:
    """The working groups a new document may belong to, as the form's choices name them."""
    name = {g.slug: g.name for g in apps.get_model("workinggroups.WorkingGroup").objects.all()}
    return {
        f"{name[ACTIVE]}</label>": CONVENES_A,
        f"{name[other_group_slug()]}</label>": CONVENES_B,
    }


RECEIVES: dict[str, Receives] = {
    # Search and the list: published documents each role may read, and no others.
    "documents:list (search)": Receives(
        _path("documents:list", query=f"?q={WORLD}"),
        {title: READERS[title] for title in PUBLISHED},
        rows=_counted_documents,
    ),
    # Editors ask for drafts: a convenor gets the drafts of the groups they convene only.
    "documents:list (drafts)": Receives(
        _path("documents:list", query=f"?status=draft&q={WORLD}"),
        {title: READERS[title] for title in DRAFTS},
    ),
    # The feed is the public's view for everyone, signed in or not.
    "documents:feed": Receives(
        _path("documents:feed"), {OPEN_A: ALL, OPEN_B: ALL}, rows=_world_entries
    ),
    # The group page lists the group's published documents its visitor may read.
    "workinggroups:detail (documents)": Receives(
        _path("workinggroups:detail", ACTIVE),
        {title: READERS[title] for title in (OPEN_A, SHARED_A, SHARED_NOBODY)},
    ),
    **{
        f"documents:detail ({title})": Receives(
            _path("documents:detail", _document(title)), {title: READERS[title]}, "hidden"
        )
        for title in READERS
    },
    # A convenor drafts documents for the groups they convene, not for the others they are in.
    "documents:create (groups offered)": Receives(
        _path("documents:create"), _groups_offered, "forbidden", anonymous="login"
    ),
    # Editing is for the convenors of the document's groups: convening A and being a member
    # of B gives no rights over B's documents.
    "documents:edit (open, of B)": Receives(
        _path("documents:edit", _document(OPEN_B)),
        {OPEN_B: CONVENES_B},
        "forbidden",
        anonymous="login",
    ),
    # A convenor may not edit what they may not read, even of a group they convene.
    "documents:edit (restricted, shared with nobody)": Receives(
        _path("documents:edit", _document(SHARED_NOBODY)),
        {SHARED_NOBODY: SECRETARIAT},
        "hidden",
        anonymous="login",
    ),
    # Only drafts are published; only published documents are withdrawn; files are not
    # attached to a withdrawn document. Nobody gets these pages: readers are told 403.
    "documents:withdraw (draft)": Receives(
        _path("documents:withdraw", _document(DRAFT_A)),
        {},
        "hidden",
        sees=READERS[DRAFT_A],
        anonymous="login",
    ),
    "documents:withdraw (withdrawn)": Receives(
        _path("documents:withdraw", _document(WITHDRAWN_A)), {}, "forbidden", anonymous="login"
    ),
    "documents:add-file (withdrawn)": Receives(
        _path("documents:add-file", _document(WITHDRAWN_A)), {}, "forbidden", anonymous="login"
    ),
}
