"""Hostile input in what leaves the site other than its pages: emails and exports.

The payload corpus (tests/security/xss_payloads.py, 170 payloads) goes into each user-entered
field an email or export shows, packed as test_xss packs it (twenty to a value in a text
field, as many as fit in a short one). Every email is plain text: it must carry no HTML part
(if one is ever added it is parsed like a page), and it must show what was typed exactly,
not HTML-escaped. Exports must be parseable in their own format and give back exactly what
was typed: JSON and iCalendar values round-trip, the Atom feed parses as XML and its HTML
content has no active content (htmlcheck), and CSV cells never start a formula.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests import factories
from tests.security import matrix
from tests.security.htmlcheck import active_content
from tests.security.test_exports import FORMULA_STARTS
from tests.security.test_xss import chunks

pytestmark = pytest.mark.django_db

HTML_ESCAPES = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;")


def values_for(label: str) -> list[str]:
    """Every payload, packed into as few values as the field's column takes."""
    app, model, name = label.split(".")
    limit = getattr(apps.get_model(app, model)._meta.get_field(name), "max_length", None)
    return list(chunks(limit))


def one_line(text: str) -> str:
    return " ".join(text.split())


def email_problems(message, shown: dict[str, str]) -> list[str]:
    """What is wrong with one sent email, given the values it should show ({label: value})."""
    problems = []
    parts = [(message.body, "text/plain")]
    parts += list(getattr(message, "alternatives", []))
    parts += [(a[1], a[2]) for a in message.attachments if isinstance(a, tuple)]
    for content, mimetype in parts:
        if mimetype and mimetype.startswith("text/html"):
            text = content.decode() if isinstance(content, bytes) else content
            problems += [f"HTML part: {item}" for item in active_content(text)]
    everything = one_line(message.subject + " " + message.body)
    for label, value in shown.items():
        if one_line(value) not in everything:
            problems.append(f"{label} is not shown as typed")
    if "\n" in message.subject or "\r" in message.subject:
        problems.append("a line break in the subject")
    typed = " ".join(shown.values())
    for escape in HTML_ESCAPES:
        if escape in message.subject + message.body and escape not in typed:
            problems.append(f"HTML-escaped text ({escape}) in a plain-text email")
    return sorted(set(problems))


# --- the emails ---------------------------------------------------------------------------------
def _set(obj, **fields) -> None:
    type(obj)._default_manager.filter(pk=obj.pk).update(**fields)
    obj.refresh_from_db()


def join_request_email(label: str, value: str) -> None:
    from workinggroups import tasks
    from workinggroups.models import JoinRequest

    request = JoinRequest.objects.get(pk=matrix.join_request()["pk"])
    owner = {"JoinRequest": request, "User": request.user, "WorkingGroup": request.group}
    _set(owner[label.split(".")[1]], **{label.split(".")[2]: value})
    tasks.send_join_request_email(request.pk)


def join_decision_email(label: str, value: str) -> None:
    from workinggroups import tasks
    from workinggroups.models import JoinRequest

    request = JoinRequest.objects.filter(group__slug=matrix.ACTIVE).order_by("pk").first()
    _set(request, status=JoinRequest.Status.DECLINED, reason="Not this year.")
    owner = {"JoinRequest": request, "User": request.user, "WorkingGroup": request.group}
    _set(owner[label.split(".")[1]], **{label.split(".")[2]: value})
    tasks.send_join_decision_email(request.pk)


def _reminder(label: str, value: str, kind: str) -> None:
    from meetings.models import Meeting, Registration, SentReminder
    from meetings.services import deliver_reminders

    meeting = Meeting.objects.get(pk=matrix.upcoming()["pk"])
    person = factories.UserFactory()
    Registration.objects.create(meeting=meeting, user=person, mode="in_person")
    owner = {"Meeting": meeting, "User": person}
    _set(owner[label.split(".")[1]], **{label.split(".")[2]: value})
    reminder = SentReminder.objects.create(
        meeting=meeting, user=person, kind=kind, starts_at=meeting.starts_at, due_at=timezone.now()
    )
    assert deliver_reminders([reminder.pk]) == 1


def meeting_reminder_email(label: str, value: str) -> None:
    _reminder(label, value, "before-7")


def notes_reminder_email(label: str, value: str) -> None:
    _reminder(label, value, "notes-3")


def consultation_receipt_email(label: str, value: str) -> None:
    from consultation import services

    answer = matrix.pages._first_answer()
    response = answer.response
    _set(response, email="respondent@example.org")
    owner = {"Answer": answer, "Response": response}
    _set(owner[label.split(".")[1]], **{label.split(".")[2]: value})
    services.send_receipt(response.pk)


def restriction_review_email(label: str, value: str) -> None:
    from documents import tasks
    from documents.models import Document
    from documents.services import remind_secretariat_of_due_reviews

    document = Document.objects.get(slug=matrix.restricted_document()["slug"])
    restriction = document.restrictions.get(lifted_at__isnull=True)
    _set(document, title=value)
    _set(restriction, reminder_sent_for=None)
    # The daily run claims the reminder and queues its email task, which sends it.
    assert remind_secretariat_of_due_reviews(today=restriction.review_on + timedelta(days=1))
    tasks.send_review_reminder(restriction.pk)


EMAILS: list[tuple[Callable[[str, str], None], str]] = [
    (join_request_email, "workinggroups.JoinRequest.statement"),
    (join_request_email, "policyhub.User.display_name"),
    (join_request_email, "policyhub.User.organisation"),
    (join_request_email, "workinggroups.WorkingGroup.name"),
    (join_decision_email, "workinggroups.JoinRequest.reason"),
    (join_decision_email, "workinggroups.WorkingGroup.name"),
    (meeting_reminder_email, "meetings.Meeting.title"),
    (meeting_reminder_email, "meetings.Meeting.venue"),
    (meeting_reminder_email, "meetings.Meeting.address"),
    (meeting_reminder_email, "policyhub.User.display_name"),
    (notes_reminder_email, "meetings.Meeting.title"),
    (consultation_receipt_email, "consultation.Answer.text"),
    (consultation_receipt_email, "consultation.Response.name"),
    (consultation_receipt_email, "consultation.Response.organisation_name"),
    (restriction_review_email, "documents.Document.title"),
]


@pytest.mark.parametrize(
    ("send", "label"), EMAILS, ids=[f"{send.__name__}-{label}" for send, label in EMAILS]
)
def test_emails_stay_plain_text_and_show_what_was_typed(send, label):
    """15 (email, field) pairs x all 170 payloads (9 values in a text field, up to 60 in a
    short one): no HTML part, no HTML escaping, no line break in a subject."""
    call_command("load_demo", verbosity=0)
    problems = []
    for value in values_for(label):
        mail.outbox.clear()
        send(label, value)
        assert mail.outbox, f"{send.__name__} sent nothing"
        for message in mail.outbox:
            problems += [
                f"{message.subject[:40]!r}: {p}" for p in email_problems(message, {label: value})
            ]
        if problems:
            break
    assert not problems, f"{label} in {send.__name__}:\n" + "\n".join(sorted(set(problems))[:20])


# --- the exports --------------------------------------------------------------------------------
def test_consultation_exports_give_back_exactly_what_was_typed(client):
    """All 170 payloads (9 answer values) in the JSON and CSV exports: JSON parses and each
    answer round-trips exactly; no CSV cell starts a formula."""
    call_command("load_demo", verbosity=0)
    answer = matrix.pages._first_answer()
    client.force_login(factories.SecretariatMemberFactory().user)
    for value in values_for("consultation.Answer.text"):
        _set(answer, text=value)
        url = reverse("consultation:export", kwargs={"slug": matrix.RUN, "fmt": "json"})
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        rows = json.loads(b"".join(response.streaming_content))
        assert any(value in row.values() for row in rows), "the answer did not round-trip"
        response = client.get(url.replace("/json", "/csv"))
        cells = [
            c
            for row in csv.reader(
                io.StringIO(b"".join(response.streaming_content).decode(), newline="")
            )
            for c in row
        ]
        assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []


def test_calendar_files_give_back_exactly_what_was_typed(client):
    """All 170 payloads in a meeting's title, venue and purpose (9 to 60 values each): the
    .ics parses, its SUMMARY is the title exactly, and no value adds a property."""
    call_command("load_demo", verbosity=0)
    meeting = apps.get_model("meetings.Meeting").objects.get(pk=matrix.upcoming()["pk"])
    path = reverse("meetings:meeting_calendar", args=[meeting.pk])

    def event():
        response = client.get(path)
        assert response.status_code == 200
        return next(iter(Calendar.from_ical(response.content).walk("VEVENT")))

    names = set(event().keys())
    for label in ("meetings.Meeting.title", "meetings.Meeting.venue", "meetings.Meeting.purpose"):
        original = getattr(meeting, label.rsplit(".", 1)[1])
        for value in values_for(label):
            _set(meeting, **{label.rsplit(".", 1)[1]: value})
            found = event()
            assert set(found.keys()) == names, f"{label}: properties changed"
            text = " ".join(
                str(found.get(key, "")) for key in ("SUMMARY", "LOCATION", "DESCRIPTION")
            )
            assert value.strip() in text, f"{label} did not round-trip"
        _set(meeting, **{label.rsplit(".", 1)[1]: original})


ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_is_well_formed_and_its_html_inert(client):
    """All 170 payloads in a published document's title (up to 60 values) and summary (9
    values): the feed parses as XML, the title comes back as typed, and the HTML summary
    (type="html") has no active content; no link or attribute carries a script URL."""
    call_command("load_demo", verbosity=0)
    document = apps.get_model("documents.Document").objects.get(
        slug=matrix.public_document()["slug"]
    )
    for label in ("documents.Document.title", "documents.Document.summary"):
        for value in values_for(label):
            _set(document, **{label.rsplit(".", 1)[1]: value})
            response = client.get(reverse("documents:feed"))
            assert response.status_code == 200
            root = ET.fromstring(response.content)
            problems = []
            for element in root.iter():
                for name, attribute in element.attrib.items():
                    if attribute.replace(" ", "").lower().startswith(("javascript:", "data:")):
                        problems.append(f"{element.tag} {name}={attribute!r}")
                if element.tag == f"{ATOM}summary" and element.get("type") == "html":
                    problems += [str(item) for item in active_content(element.text or "")]
            summaries = [e for e in root.iter(f"{ATOM}summary") if e.get("type") == "html"]
            assert summaries, "the feed has no HTML summaries: the case is wrong"
            titles = [e.text for e in root.iter(f"{ATOM}title")]
            if label.endswith("title"):
                assert value in titles, "the title did not round-trip"
            assert not problems, f"{label}: " + "\n".join(problems[:20])
