"""Hostile input: every payload in xss_payloads.PAYLOADS, in every free-text and Markdown
field, on every page that shows that field (public pages, staff pages and admin lists).

Each page is fetched once with harmless text to learn what active content the page has of
its own (its own script element), then with the payloads: anything new is a finding."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from tests import factories, pages
from tests.security import matrix
from tests.security.htmlcheck import active_content
from tests.security.xss_payloads import PAYLOADS

BENIGN = "Plain words about data sharing"


@dataclass(frozen=True)
class Field:
    label: str  # "app.Model.field"
    pk: Callable[[], int]
    max_length: int | None
    # (path, who) pairs: who is None (the public), "staff" (a superuser) or "analyst".
    shown_on: Callable[[], list[tuple[str, str | None]]]

    @property
    def model(self):
        app, model, _ = self.label.split(".")
        return apps.get_model(app, model)

    @property
    def name(self) -> str:
        return self.label.rsplit(".", 1)[1]

    def write(self, value: str) -> None:
        self.model._default_manager.filter(pk=self.pk()).update(**{self.name: value})


def chunks(max_length: int | None) -> Iterator[str]:
    """The payloads, as few values as fit the field: twenty per value in a text field, as
    many as fit in a short one."""
    if max_length is None:
        for start in range(0, len(PAYLOADS), 20):
            yield "\n\n".join(PAYLOADS[start : start + 20])
        return
    current = ""
    for payload in PAYLOADS:
        payload = payload[:max_length]
        if current and len(current) + 1 + len(payload) > max_length:
            yield current
            current = ""
        current = f"{current} {payload}" if current else payload
    if current:
        yield current


def admin_list(label: str) -> str:
    app, model, _ = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_changelist")


def admin_change(label: str, pk: int) -> str:
    app, model, _ = label.lower().split(".")
    return reverse(f"admin:{app}_{model}_change", args=[pk])


# --- where each field lives in the demo data, and where it shows ------------------------------
def _document():
    return apps.get_model("documents.Document").objects.get(slug=matrix.public_document()["slug"])


def _version():
    return _document().versions.order_by("-number").first()


def _document_pages():
    document = _document()
    return [
        (reverse("documents:detail", args=[document.slug]), None),
        (reverse("documents:list"), None),
        (reverse("documents:list") + "?q=data", None),
        (reverse("documents:version", args=[document.slug, _version().number]), None),
        (admin_list("documents.Document.x"), "staff"),
        (admin_change("documents.Document.x", document.pk), "staff"),
    ]


def _meeting_pk():
    return matrix.upcoming()["pk"]


def _meeting_pages():
    pk = _meeting_pk()
    return [
        (reverse("meetings:detail", args=[pk]), None),
        (reverse("meetings:list"), None),
        (admin_list("meetings.Meeting.x"), "staff"),
    ]


def _notes_version_pk():
    notes = apps.get_model("meetings.Notes").objects.get(meeting_id=matrix.noted()["pk"])
    return notes.versions.order_by("-number").first().pk


def _notes_pages():
    pk = matrix.noted()["pk"]
    return [
        (reverse("meetings:notes", args=[pk]), None),
        (reverse("meetings:notes_edit", args=[pk]), "staff"),
    ]


def _published_action_pk():
    published = apps.get_model("meetings.PublishedAction").objects.filter(
        version__notes__meeting_id=matrix.noted()["pk"]
    )
    return published.order_by("pk").first().pk


def _published_action_pages():
    meeting = apps.get_model("meetings.Meeting").objects.get(pk=matrix.noted()["pk"])
    return [
        *_notes_pages(),
        (reverse("meetings:detail", args=[meeting.pk]), None),
        (reverse("workinggroups:detail", args=[meeting.working_group.slug]), None),
    ]


def _attendee_pk():
    return matrix.attendee()["attendee_pk"]


def _proposal_pk():
    return matrix.editable_proposal()["pk"]


def _proposal_pages():
    kwargs = matrix.editable_proposal()
    return [
        (reverse("workinggroups:proposal", kwargs=kwargs), None),
        (reverse("workinggroups:detail", args=[kwargs["slug"]]), None),
        (admin_list("workinggroups.Proposal.x"), "staff"),
    ]


def _wider_issue_pk():
    return matrix.open_wider_issue()["pk"]


def _wider_issue_pages():
    return [
        (reverse("workinggroups:wider-issues"), None),
        (reverse("workinggroups:wider-issue-decide", args=[_wider_issue_pk()]), "staff"),
        (admin_list("workinggroups.WiderIssue.x"), "staff"),
    ]


def _concern_pk():
    return matrix.raised_concern()["pk"]


def _concern_pages():
    return [
        (reverse("workinggroups:concerns"), "staff"),
        (reverse("workinggroups:concern", args=[_concern_pk()]), "staff"),
        (admin_list("workinggroups.Concern.x"), "staff"),
    ]


def _group_pk():
    return apps.get_model("workinggroups.WorkingGroup").objects.get(slug=matrix.ACTIVE).pk


def _group_pages():
    return [
        (reverse("workinggroups:detail", args=[matrix.ACTIVE]), None),
        (reverse("workinggroups:list"), None),
        (admin_list("workinggroups.WorkingGroup.x"), "staff"),
    ]


def _answer():
    return pages._first_answer()


def _response_pages():
    answer = _answer()
    return [
        (reverse("consultation:response", args=[matrix.RUN, answer.response.reference]), "staff"),
        (reverse("consultation:codebook", args=[matrix.RUN, answer.question_id]), "staff"),
        (reverse("consultation:published", args=[matrix.RUN]), None),
        (reverse("consultation:analysis", args=[matrix.RUN]), "staff"),
        (admin_list("consultation.Response.x"), "staff"),
    ]


def _member_pk():
    membership = apps.get_model("workinggroups.Membership").objects.filter(
        group__slug=matrix.ACTIVE
    )
    return membership.order_by("pk").first().user_id


def _person_pages():
    return [
        (reverse("workinggroups:detail", args=[matrix.ACTIVE]), None),
        (reverse("workinggroups:join-requests", args=[matrix.ACTIVE]), "staff"),
        (admin_list("policyhub.User.x"), "staff"),
    ]


FIELDS = [
    *[
        Field(f"documents.Document.{name}", lambda: _document().pk, size, _document_pages)
        for name, size in [("title", 250), ("summary", None), ("body", None)]
    ],
    *[
        Field(f"documents.DocumentVersion.{name}", lambda: _version().pk, size, _document_pages)
        for name, size in [("title", 250), ("summary", None), ("body", None)]
    ],
    *[
        Field(f"meetings.Meeting.{name}", _meeting_pk, size, _meeting_pages)
        for name, size in [("title", 200), ("purpose", None), ("venue", 200)]
    ],
    *[
        Field(f"meetings.NotesVersion.{name}", _notes_version_pk, None, _notes_pages)
        for name in ("summary", "discussion_points", "decisions")
    ],
    *[
        Field(f"meetings.Attendee.{name}", _attendee_pk, 150, _notes_pages)
        for name in ("name", "organisation")
    ],
    *[
        Field(
            f"meetings.PublishedAction.{name}", _published_action_pk, size, _published_action_pages
        )
        for name, size in [("description", None), ("owner", 200)]
    ],
    *[
        Field(f"workinggroups.Proposal.{name}", _proposal_pk, size, _proposal_pages)
        for name, size in [("title", 250), ("problem", None), ("safeguards", None)]
    ],
    *[
        Field(f"workinggroups.WiderIssue.{name}", _wider_issue_pk, size, _wider_issue_pages)
        for name, size in [("title", 250), ("description", None)]
    ],
    *[
        Field(f"workinggroups.Concern.{name}", _concern_pk, size, _concern_pages)
        for name, size in [("title", 250), ("description", None)]
    ],
    *[
        Field(f"workinggroups.WorkingGroup.{name}", _group_pk, size, _group_pages)
        for name, size in [("name", 200), ("purpose", None), ("scope", None)]
    ],
    Field("consultation.Answer.text", lambda: _answer().pk, None, _response_pages),
    *[
        Field(f"consultation.Response.{name}", lambda: _answer().response_id, 200, _response_pages)
        for name in ("name", "organisation_name")
    ],
    *[
        Field(f"policyhub.User.{name}", _member_pk, 150, _person_pages)
        for name in ("display_name", "organisation")
    ],
]


def test_the_corpus_has_at_least_150_distinct_payloads():
    assert len(set(PAYLOADS)) == len(PAYLOADS) >= 150


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href=" JaVa&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<svg><a xlink:href='vbscript:x'>x</a></svg>",
        '<iframe srcdoc="x"></iframe>',
    ],
)
def test_the_checker_finds_active_content(html):
    assert active_content(f"<p>{html}</p>")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_of_each_payload_alone_is_inert(payload):
    """The one Markdown path, payload by payload (so no payload hides behind another)."""
    from policyhub.markup import render_markdown

    assert active_content(str(render_markdown(payload))) == set()


@pytest.mark.django_db
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.label)
def test_no_payload_becomes_active_content(client, field):
    call_command("load_demo", verbosity=0)
    staff = factories.UserFactory(is_superuser=True, is_staff=True)
    shown_on = field.shown_on()

    def fetch(path: str, who: str | None) -> str:
        client.logout()
        if who == "staff":
            client.force_login(staff)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response.content.decode()

    field.write(BENIGN)
    baseline = {}
    for path, who in list(shown_on):
        html = fetch(path, who)
        if BENIGN in html:
            baseline[path] = active_content(html)
        else:  # a candidate page that does not show this field (say, a list without bodies)
            shown_on.remove((path, who))
    assert shown_on, f"No page shows {field.label}: the case is wrong."
    findings = []
    # The column's real limit (PostgreSQL enforces it; SQLite would not).
    limit = getattr(field.model._meta.get_field(field.name), "max_length", None)
    for value in chunks(limit if field.max_length else None):
        field.write(value)
        for path, who in shown_on:
            html = fetch(path, who)
            new = active_content(html) - baseline[path]
            findings += [f"{path}: {item}" for item in new]
        if findings:
            break
    assert not findings, f"{field.label}: " + "\n".join(sorted(findings)[:20])
