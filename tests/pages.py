"""Every page of the site, generated from the URL configuration and the demo data.

Accessibility, HTML validity and access tests walk this catalogue, so a new page is checked
without anyone remembering to add it: a URL pattern that is neither in CATALOGUE (which role
opens it, and how to fill its arguments from the demo data) nor in EXCLUDED (with a written
reason) makes `test_every_url_pattern_is_catalogued` fail.

Roles: "public" pages are opened anonymously, "participant" pages by any signed-in person,
"convenor" pages by the demo convenor (convenor@demo.policyhub.test, who convenes
Research & Statistics and the practice process's commercial access group), "analyst" pages
by the demo analyst of the 2016 consultation, "secretariat" pages by the secretariat, and
"respondent" pages by an anonymous visitor who has pressed "Start now" on the open
consultation (begin_response).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ("public", "respondent", "participant", "convenor", "analyst", "secretariat")


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    path: str
    role: str

    def __str__(self) -> str:
        return f"{self.path} (as {self.role})"


Kwargs = Callable[[], list[dict]]


def no_kwargs() -> list[dict]:
    return [{}]


def by_slug(model_label: str, **filters) -> Kwargs:
    def kwargs() -> list[dict]:
        model = apps.get_model(model_label)
        obj = model._default_manager.filter(**filters).order_by("pk").first()
        assert obj is not None, f"The demo data has no {model_label} matching {filters}."
        return [{"slug": obj.slug}]

    return kwargs


# --- documents ----------------------------------------------------------------------------
def _public_document(**filters):
    from documents.permissions import documents_visible_to

    document = (
        documents_visible_to(AnonymousUser()).filter(**filters).order_by("pk").distinct().first()
    )
    assert document is not None, f"The demo data needs a public document with {filters}."
    return document


def _restricted_document():
    from documents.models import Document

    return Document.objects.restricted().order_by("pk").first()


def document_kwargs() -> list[dict]:
    """Two pages: one with files, one with several versions."""
    with_file = _public_document(files__isnull=False)
    with_versions = _public_document(versions__number__gte=2)
    return [{"slug": slug} for slug in dict.fromkeys([with_file.slug, with_versions.slug])]


def one_document_kwargs() -> list[dict]:
    return [{"slug": _public_document().slug}]


def restricted_document_kwargs() -> list[dict]:
    return [{"slug": _restricted_document().slug}]


def document_file_kwargs() -> list[dict]:
    document = _public_document(files__isnull=False)
    file = document.files.order_by("pk").first()
    return [{"slug": document.slug, "pk": file.pk, "filename": file.name}]


def document_version_kwargs() -> list[dict]:
    document = _public_document(versions__number__gte=2)
    return [{"slug": document.slug, "number": 1}]


def document_compare_kwargs() -> list[dict]:
    document = _public_document(versions__number__gte=2)
    return [{"slug": document.slug, "older": 1, "newer": 2}]


# --- working groups -------------------------------------------------------------------------
DEMO_GROUP = "research-and-statistics"  # concluded: read-only
ACTIVE_GROUP = "commercial-access-practice"  # active, convened by the demo convenor


def active_group_kwargs() -> list[dict]:
    return [{"slug": ACTIVE_GROUP}]


def active_task_kwargs() -> list[dict]:
    return [{"slug": ACTIVE_GROUP, "position": 1}]


def group_kwargs() -> list[dict]:
    return [{"slug": DEMO_GROUP}]


def task_kwargs() -> list[dict]:
    return [{"slug": DEMO_GROUP, "position": 1}]


def _proposal(**filters):
    from workinggroups.models import Proposal

    proposal = (
        Proposal.objects.exclude(status="draft").filter(**filters).order_by("pk").distinct().first()
    )
    assert proposal is not None, f"The demo data needs a proposal with {filters}."
    return proposal


def proposal_kwargs() -> list[dict]:
    """A plain proposal and one with alternatives and a history of levels."""
    plain = _proposal()
    with_alternatives = _proposal(alternatives__isnull=False)
    return [{"slug": p.group.slug, "pk": p.pk} for p in dict.fromkeys([plain, with_alternatives])]


def _editable_proposal():
    """One that can still be edited (not published or withdrawn), with alternatives."""
    from workinggroups.models import Proposal

    proposal = (
        Proposal.objects.exclude(status__in=["published", "withdrawn"])
        .filter(alternatives__isnull=False)
        .order_by("pk")
        .first()
    )
    assert proposal is not None, "The demo data needs an editable proposal with alternatives."
    return proposal


def one_proposal_kwargs() -> list[dict]:
    proposal = _editable_proposal()
    return [{"slug": proposal.group.slug, "pk": proposal.pk}]


def alternative_kwargs() -> list[dict]:
    proposal = _editable_proposal()
    alternative = proposal.alternatives.order_by("pk").first()
    return [{"slug": proposal.group.slug, "pk": proposal.pk, "alternative": alternative.pk}]


def sign_off_kwargs() -> list[dict]:
    """The demo convenor signs for the civil society network (the Involve side)."""
    proposal = _proposal(status__in=["agreed", "published"])
    return [{"slug": proposal.group.slug, "pk": proposal.pk, "track": "civil_society"}]


def pk_of(model_label: str, **filters) -> Kwargs:
    def kwargs() -> list[dict]:
        obj = apps.get_model(model_label)._default_manager.filter(**filters).order_by("pk").first()
        assert obj is not None, f"The demo data has no {model_label} matching {filters}."
        return [{"pk": obj.pk}]

    return kwargs


def join_request_kwargs() -> list[dict]:
    from workinggroups.models import JoinRequest

    request = JoinRequest.objects.filter(status="pending").order_by("pk").first()
    assert request is not None, "The demo data needs a pending join request."
    return [{"slug": request.group.slug, "pk": request.pk}]


# --- meetings ---------------------------------------------------------------------------------
def _meeting_with_published_notes():
    from meetings.models import Meeting

    meeting = (
        Meeting.objects.filter(notes__versions__isnull=False).order_by("pk").distinct().first()
    )
    assert meeting is not None, "The demo data needs a meeting with published notes."
    return meeting


def _upcoming_meeting():
    from meetings.models import Meeting

    meeting = Meeting.objects.upcoming().filter(status="scheduled").order_by("starts_at").first()
    assert meeting is not None, "The demo data needs an upcoming meeting."
    return meeting


def meeting_kwargs() -> list[dict]:
    """A past meeting with published notes and an upcoming one open for registration."""
    return [{"pk": _meeting_with_published_notes().pk}, {"pk": _upcoming_meeting().pk}]


def upcoming_meeting_kwargs() -> list[dict]:
    return [{"pk": _upcoming_meeting().pk}]


def noted_meeting_kwargs() -> list[dict]:
    return [{"pk": _meeting_with_published_notes().pk}]


def noted_version_kwargs() -> list[dict]:
    return [{"pk": _meeting_with_published_notes().pk, "number": 1}]


# --- consultation ---------------------------------------------------------------------------
RUN_CONSULTATION = "better-use-of-data-in-government"  # closed, analysed, summary published
OPEN_CONSULTATION = "wider-issues-for-the-next-process"  # open whenever the demo is loaded


def consultation_kwargs() -> list[dict]:
    return [{"slug": RUN_CONSULTATION}, {"slug": OPEN_CONSULTATION}]


def run_consultation_kwargs() -> list[dict]:
    return [{"slug": RUN_CONSULTATION}]


def open_consultation_kwargs() -> list[dict]:
    return [{"slug": OPEN_CONSULTATION}]


def open_section_kwargs() -> list[dict]:
    return [{"slug": OPEN_CONSULTATION, "number": 1}]


def _first_answer():
    from consultation.models import Answer

    answer = (
        Answer.objects.filter(
            response__consultation__slug=RUN_CONSULTATION, question__kind="free_text"
        )
        .exclude(text="")
        .select_related("response", "question")
        .order_by("pk")
        .first()
    )
    assert answer is not None, "The demo data needs a free-text answer to the 2016 consultation."
    return answer


def question_kwargs() -> list[dict]:
    return [{"slug": RUN_CONSULTATION, "question_id": _first_answer().question_id}]


def response_kwargs() -> list[dict]:
    return [{"slug": RUN_CONSULTATION, "reference": _first_answer().response.reference}]


def export_kwargs() -> list[dict]:
    return [{"slug": RUN_CONSULTATION, "fmt": "csv"}, {"slug": RUN_CONSULTATION, "fmt": "json"}]


def begin_response(client) -> None:
    """Put `client` (a Django test client) in the middle of answering the open consultation,
    as "Start now" does, so the respondent's pages can be opened."""
    response = client.post(reverse("consultation:start", kwargs={"slug": OPEN_CONSULTATION}))
    assert response.status_code == 302, response.status_code


def join_requests_kwargs() -> list[dict]:
    return [{"slug": kwargs["slug"]} for kwargs in join_request_kwargs()]


# url name -> (role that opens it, kwargs of each page to check under that pattern)
CATALOGUE: dict[str, tuple[str, Kwargs]] = {
    "process:home": ("public", no_kwargs),
    "process:detail": ("public", by_slug("process.Process")),
    "process:terms": ("public", by_slug("process.Process")),
    "workinggroups:list": ("public", no_kwargs),
    "workinggroups:detail": ("public", by_slug("workinggroups.WorkingGroup")),
    "workinggroups:wider-issues": ("public", no_kwargs),
    "workinggroups:task": ("public", task_kwargs),
    "workinggroups:proposal": ("public", proposal_kwargs),
    "workinggroups:join": ("participant", lambda: [{"slug": "local-government-data-practice"}]),
    "workinggroups:leave": ("convenor", active_group_kwargs),
    "workinggroups:wider-issue-add": ("convenor", active_group_kwargs),
    "workinggroups:concern-add": ("convenor", active_group_kwargs),
    "workinggroups:join-requests": ("convenor", join_requests_kwargs),
    "workinggroups:join-request-decide": ("convenor", join_request_kwargs),
    "workinggroups:task-edit": ("convenor", active_task_kwargs),
    "workinggroups:proposal-add": ("convenor", active_group_kwargs),
    "workinggroups:proposal-edit": ("secretariat", one_proposal_kwargs),
    "workinggroups:proposal-status": ("secretariat", one_proposal_kwargs),
    "workinggroups:proposal-agreement": ("secretariat", one_proposal_kwargs),
    "workinggroups:alternative-add": ("secretariat", one_proposal_kwargs),
    "workinggroups:alternative-edit": ("secretariat", alternative_kwargs),
    "workinggroups:proposal-sign-off": ("convenor", sign_off_kwargs),
    "workinggroups:add": ("secretariat", no_kwargs),
    "workinggroups:edit": ("secretariat", group_kwargs),
    "workinggroups:concerns": ("secretariat", no_kwargs),
    "workinggroups:concern": ("secretariat", pk_of("workinggroups.Concern")),
    "workinggroups:concern-mediators": (
        "secretariat",
        pk_of("workinggroups.Concern", status="raised"),
    ),
    "workinggroups:concern-outcome": (
        "secretariat",
        pk_of("workinggroups.Concern", status="in_mediation"),
    ),
    "workinggroups:wider-issue-decide": (
        "secretariat",
        pk_of("workinggroups.WiderIssue", status="open"),
    ),
    "workinggroups:default-tasks": ("secretariat", no_kwargs),
    "workinggroups:default-task-add": ("secretariat", no_kwargs),
    "workinggroups:default-task-edit": ("secretariat", pk_of("workinggroups.DefaultTask")),
    "meetings:list": ("public", no_kwargs),
    "meetings:past": ("public", no_kwargs),
    "meetings:detail": ("public", meeting_kwargs),
    "meetings:notes": ("public", noted_meeting_kwargs),
    "meetings:calendar_feed": ("participant", no_kwargs),
    "meetings:schedule": ("convenor", no_kwargs),
    "meetings:edit": ("secretariat", upcoming_meeting_kwargs),
    "meetings:cancel": ("secretariat", upcoming_meeting_kwargs),
    "meetings:notes_edit": ("secretariat", noted_meeting_kwargs),
    "meetings:notes_withdraw": ("secretariat", noted_version_kwargs),
    "documents:list": ("public", no_kwargs),
    "documents:register": ("public", no_kwargs),
    "documents:detail": ("public", document_kwargs),
    "documents:version": ("public", document_version_kwargs),
    "documents:compare": ("public", document_compare_kwargs),
    "documents:create": ("secretariat", no_kwargs),
    "documents:edit": ("secretariat", one_document_kwargs),
    "documents:add-file": ("secretariat", one_document_kwargs),
    "documents:withdraw": ("secretariat", one_document_kwargs),
    "documents:restrict": ("secretariat", one_document_kwargs),
    "documents:share": ("secretariat", restricted_document_kwargs),
    "documents:review": ("secretariat", restricted_document_kwargs),
    "documents:lift": ("secretariat", restricted_document_kwargs),
    "documents:access-log": ("secretariat", no_kwargs),
    "documents:add-evidence": ("convenor", active_task_kwargs),
    "consultation:list": ("public", no_kwargs),
    "consultation:detail": ("public", consultation_kwargs),
    "consultation:published": ("public", run_consultation_kwargs),
    "consultation:about-you": ("respondent", open_consultation_kwargs),
    "consultation:section": ("respondent", open_section_kwargs),
    "consultation:check": ("respondent", open_consultation_kwargs),
    "consultation:save-for-later": ("respondent", open_consultation_kwargs),
    "consultation:new-link": ("respondent", open_consultation_kwargs),
    "consultation:analysis": ("analyst", run_consultation_kwargs),
    "consultation:agreement": ("analyst", run_consultation_kwargs),
    "consultation:statistics": ("analyst", run_consultation_kwargs),
    "consultation:codebook": ("analyst", question_kwargs),
    "consultation:response": ("analyst", response_kwargs),
    "consultation:publish": ("secretariat", run_consultation_kwargs),
    "consultation:enter": ("secretariat", run_consultation_kwargs),
    "accessibility": ("public", no_kwargs),
    "cookies": ("public", no_kwargs),
    "privacy": ("public", no_kwargs),
    "account_login": ("public", no_kwargs),
    "account_signup": ("public", no_kwargs),
    "account_reset_password": ("public", no_kwargs),
    "account_email_verification_sent": ("public", no_kwargs),
    "account_reset_password_done": ("public", no_kwargs),
    "profile": ("participant", no_kwargs),
    "your_data": ("participant", no_kwargs),
    "delete_account": ("participant", no_kwargs),
    "account_deleted": ("public", no_kwargs),
    "account_email": ("participant", no_kwargs),
    "account_change_password": ("participant", no_kwargs),
    "account_logout": ("participant", no_kwargs),
    "mfa_index": ("participant", no_kwargs),
}

# Patterns whose responses are not HTML pages, or that need what a catalogue cannot give.
NOT_HTML: dict[str, tuple[str, Kwargs]] = {
    "healthz": ("public", no_kwargs),
    "consultation:export": ("analyst", export_kwargs),
    "meetings:calendar": ("public", no_kwargs),
    "meetings:meeting_calendar": ("public", upcoming_meeting_kwargs),
    "meetings:group_calendar": ("public", group_kwargs),
    "documents:feed": ("public", no_kwargs),
    "documents:download": ("public", document_file_kwargs),
}

# Patterns deliberately left out, each with its reason.
EXCLUDED: dict[str, str] = {
    "readyz": "JSON, 200 only with a worker and beat running; tests/policyhub/test_readiness.py.",
    "process:about": "A redirect to process:detail, which is checked.",
    "process:terms-latest": "A redirect to process:terms, which is checked.",
    "set_language": "The header's language switcher posts here and is redirected back; "
    "tests/consultation/test_welsh.py and tests/browser/test_welsh.py.",
    "documents:publish": "POST-only action; tests/documents covers every role.",
    "meetings:register": "POST-only action; tests/meetings covers every role.",
    "meetings:withdraw": "POST-only action; tests/meetings covers every role.",
    "meetings:notes_start": "POST-only action; tests/meetings covers every role.",
    "meetings:notes_publish": "POST-only action; tests/meetings covers every role.",
    "meetings:notes_override": "POST-only action; tests/meetings covers every role.",
    "meetings:attendee_add": "POST-only action; tests/meetings covers every role.",
    "meetings:attendee_remove": "POST-only action; tests/meetings covers every role.",
    "meetings:action_add": "POST-only action; tests/meetings covers every role.",
    "meetings:action_status": "POST-only action; tests/meetings covers every role.",
    "meetings:action_remove": "POST-only action; tests/meetings covers every role.",
    "meetings:calendar_feed_create": "POST-only action; tests/meetings covers every role.",
    "meetings:restart_reminders": "POST-only action; tests/meetings covers every role.",
    "meetings:private_calendar": "Needs a person's secret feed token; tests/meetings covers it.",
    "meetings:stop_reminders": "Needs a signed token from a reminder email; tests/meetings.",
    "consultation:code-campaign": "POST-only action; tests/consultation covers every role.",
    "consultation:theme-edit": "POST-only action; tests/consultation covers every role.",
    "consultation:code": "POST-only action; tests/consultation covers every role.",
    "consultation:redact": "POST-only action; tests/consultation covers every role.",
    "consultation:start": "POST-only ('Start now'); begin_response() uses it for respondents.",
    "consultation:confirmation": "Shown once, to the browser that sent a response; "
    "tests/consultation and the browser journey cover it.",
    "consultation:resume": "Needs the single-use token from a save-and-return email; "
    "tests/consultation covers it.",
    "workinggroups:appoint-convenor": "POST-only action; tests/workinggroups covers every role.",
    "documents:remove-file": "POST-only action; tests/documents covers every role.",
    "documents:remove-evidence": "POST-only action; tests/documents covers every role.",
    "account_confirm_email": "Needs a one-time key from an email; covered by test_accounts.",
    "account_reset_password_from_key": "Needs a one-time key from an email; test_accounts.",
    "account_reset_password_from_key_done": "Reached only after a key reset.",
    "account_inactive": "Shown only to deactivated accounts.",
    "account_set_password": "Redirects: every account here has a password.",
    "account_reauthenticate": "Reached only from a sensitive action.",
    "account_confirm_login_code": "Sign-in by code is off; allauth registers the URL anyway.",
    "mfa_authenticate": "Reached only during a sign-in, after the password; test_two_factor.",
    "mfa_reauthenticate": "Asks for a code only of accounts with an app; test_two_factor.",
    "mfa_activate_totp": "Asks for the password again first; test_two_factor covers it.",
    "mfa_deactivate_totp": "Only for accounts with an authenticator app; allauth's own page.",
    "mfa_view_recovery_codes": "Only once an authenticator app is set up; allauth's own page.",
    "mfa_generate_recovery_codes": "Only once an authenticator app is set up; allauth's page.",
    "mfa_download_recovery_codes": "A text file of codes, once an app is set up; allauth's.",
}
EXCLUDED_PREFIXES: dict[str, str] = {
    "admin:": "Django's own admin pages, not the public site; reached by staff only.",
}


def url_pattern_names() -> Iterator[str]:
    """Every named URL pattern of the project, as "namespace:name"."""

    def walk(patterns, namespace: str | None) -> Iterator[str]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                if entry.namespace and namespace:
                    inner = f"{namespace}:{entry.namespace}"
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                yield f"{namespace}:{entry.name}" if namespace else entry.name

    yield from walk(get_resolver().url_patterns, None)


def uncatalogued() -> list[str]:
    known = CATALOGUE.keys() | NOT_HTML.keys() | EXCLUDED.keys()
    return sorted(
        name
        for name in set(url_pattern_names())
        if name not in known and not name.startswith(tuple(EXCLUDED_PREFIXES))
    )


def _build(catalogue: dict[str, tuple[str, Kwargs]], role: str | None) -> list[Page]:
    return [
        Page(name, reverse(name, kwargs=kwargs), entry_role)
        for name, (entry_role, make) in catalogue.items()
        if role is None or entry_role == role
        for kwargs in make()
    ]


def html_pages(role: str | None = None) -> list[Page]:
    """HTML pages for one role (or all), filled from the demo data (load it first)."""
    return _build(CATALOGUE, role)


def other_responses() -> list[Page]:
    return _build(NOT_HTML, None)


def public_pages() -> list[Page]:
    return html_pages("public")


def sign_in_client_as(client, role: str, users: dict) -> None:
    """Make the Django test client `client` act as `role` for the catalogue's pages."""
    client.logout()
    if role == "respondent":
        begin_response(client)
    elif role != "public":
        client.force_login(users[role])


def role_users(participant) -> dict:
    """One account per signed-in role, from the demo data (load it first)."""
    from policyhub.models import User
    from tests.factories import SecretariatMemberFactory

    return {
        "participant": participant,
        "convenor": User.objects.get(email="convenor@demo.policyhub.test"),
        "analyst": User.objects.get(email="eag.analyst1@demo.policyhub.test"),
        "secretariat": SecretariatMemberFactory().user,
    }
