"""The consultation's time and access rules as people meet them: the consultation page and
its "Start now" button at the exact instants it opens and closes, the save-and-return link
after sending, the publish page, and what an analyst reads on the site and in the admin
when they analyse one consultation and not another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from consultation.models import Response
from tests import factories
from tests.consultation.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    ThemeFactory,
)
from tests.consultation.test_save_and_return import ABOUT_YOU, url

pytestmark = pytest.mark.django_db

OPENS = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
CLOSES = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
LATE_UNTIL = CLOSES + timedelta(days=2)
INSTANT = timedelta(microseconds=1)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


# --- Open from the opening instant, closed from the closing instant ----------------------------


@pytest.fixture
def timed(db):
    return factories.ConsultationFactory(opens_at=OPENS, closes_at=CLOSES)


@pytest.mark.parametrize(
    ("moment", "state", "refusal"),
    [
        (OPENS - INSTANT, "Upcoming", "This consultation has not opened yet"),
        (OPENS, "Open", None),
        (CLOSES - INSTANT, "Open", None),
        (CLOSES, "Closed", "This consultation has closed"),
    ],
    ids=["an instant before opening", "opening", "an instant before closing", "closing"],
)
def test_responses_are_taken_from_the_opening_instant_until_the_closing_one(
    client, timed, moment, state, refusal
):
    with at(moment):
        shown = client.get(timed.get_absolute_url()).content.decode()
        started = client.post(url("start", timed))
    assert f">{state}</strong>" in shown
    if refusal is None:
        assert "Start now" in shown
        assert started.status_code == 302
        assert started["Location"] == url("about-you", timed)
        assert Response.objects.filter(consultation=timed).drafts().count() == 1
    else:
        assert "Start now" not in shown and url("start", timed) not in shown
        assert started.status_code == 403
        assert refusal in started.content.decode()
        assert not Response.objects.filter(consultation=timed).exists()


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [(CLOSES, True), (LATE_UNTIL - INSTANT, True), (LATE_UNTIL, False)],
    ids=["closing", "an instant before the late window ends", "end of the late window"],
)
def test_late_responses_are_taken_until_the_instant_the_late_window_ends(client, moment, accepted):
    late = factories.ConsultationFactory(
        opens_at=OPENS, closes_at=CLOSES, accepts_late_until=LATE_UNTIL
    )
    with at(moment):
        started = client.post(url("start", late))
    assert started.status_code == (302 if accepted else 403)


# --- Sending the response ends its save-and-return link ----------------------------------------


def test_save_and_return_link_stops_working_once_the_response_is_sent(
    client, consultation, django_capture_on_commit_callbacks
):
    """The response is sent from the browser that saved it; the link emailed earlier then
    opens nothing, and no new link is sent for it."""
    client.post(url("start", consultation))
    client.post(url("about-you", consultation), ABOUT_YOU)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    [message] = mail.outbox
    link = next(line for line in message.body.splitlines() if "/resume/" in line)
    link = link.replace("http://testserver", "")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("check", consultation), {"website": ""})
    assert sent["Location"] == url("confirmation", consultation)

    elsewhere = Client()
    opened = elsewhere.get(link)
    assert opened.status_code == 404
    assert "This link is not valid" in opened.content.decode()
    assert "Ann Lee" not in elsewhere.get(url("check", consultation), follow=True).content.decode()
    outbox = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere.post(url("new-link", consultation), {"email": "ann@example.org"})
    assert len(mail.outbox) == outbox


# --- Publishing once responses can no longer arrive ---------------------------------------------


@pytest.mark.parametrize(
    ("moment", "may_publish"),
    [
        (CLOSES - INSTANT, False),
        (CLOSES, False),  # closed, but late responses still arrive
        (LATE_UNTIL, True),
    ],
    ids=["open", "late window", "after the late window"],
)
def test_secretariat_publishes_only_once_responses_can_no_longer_arrive(
    client, secretariat, moment, may_publish
):
    late = factories.ConsultationFactory(
        opens_at=OPENS, closes_at=CLOSES, accepts_late_until=LATE_UNTIL
    )
    ResponseFactory(consultation=late, publication="named")
    publish = url("publish", late)
    with at(moment):
        client.force_login(secretariat)
        analysis = client.get(url("analysis", late)).content.decode()
        page = client.get(publish)
        posted = client.post(publish, {"summary": "Most respondents agreed."})
    late.refresh_from_db()
    if may_publish:
        assert publish in analysis
        assert page.status_code == 200
        assert posted.status_code == 302 and late.is_summary_published
    else:
        assert publish not in analysis
        assert page.status_code == 403 and posted.status_code == 403
        assert not late.is_summary_published
        assert client.get(url("published", late)).status_code == 404


# --- Analysts read the submitted responses of their consultation, and nothing else -------------


@pytest.fixture
def two_consultations(db):
    """Consultation A with a submitted response and a draft, and B with a submitted
    response and a theme; the analyst is assigned to A only."""
    a, b = factories.ConsultationFactory(), factories.ConsultationFactory()
    question_a = QuestionFactory(section__consultation=a)
    question_b = QuestionFactory(section__consultation=b)
    rows = {
        "a": a,
        "b": b,
        "a_sent": AnswerFactory(question=question_a, response__consultation=a).response,
        "a_draft": AnswerFactory(
            question=question_a,
            response__consultation=a,
            response__status="draft",
            response__submitted_at=None,
        ).response,
        "b_sent": AnswerFactory(question=question_b, response__consultation=b).response,
        "a_theme": ThemeFactory(question=question_a, name="Theme of A"),
        "b_theme": ThemeFactory(question=question_b, name="Theme of B"),
    }
    rows["analyst"] = factories.AnalystFactory(consultation=a).user
    return rows


def test_analyst_reads_submitted_responses_but_never_drafts(client, two_consultations):
    a, sent, draft = (two_consultations[k] for k in ("a", "a_sent", "a_draft"))
    client.force_login(two_consultations["analyst"])
    listed = client.get(url("analysis", a)).content.decode()
    assert sent.reference in listed
    assert draft.reference not in listed
    assert client.get(url("response", a, reference=sent.reference)).status_code == 200
    assert client.get(url("response", a, reference=draft.reference)).status_code == 404


def test_analyst_of_one_consultation_cannot_analyse_another_through_its_urls(
    client, two_consultations
):
    b, b_sent = two_consultations["b"], two_consultations["b_sent"]
    client.force_login(two_consultations["analyst"])
    assert client.get(url("analysis", two_consultations["a"])).status_code == 200
    for address in (
        url("analysis", b),
        url("agreement", b),
        url("statistics", b),
        url("export", b, fmt="csv"),
        url("response", b, reference=b_sent.reference),
    ):
        assert client.get(address).status_code == 404, address
    a = two_consultations["a"]
    assert url("analysis", a) in client.get(a.get_absolute_url()).content.decode()
    assert url("analysis", b) not in client.get(b.get_absolute_url()).content.decode()


def staff_who_may_view(person):
    """The analyst given a staff account that may view every model: what they may read
    is then decided by the consultation's rules alone."""
    person.is_staff = True
    person.save()
    person.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return person


def test_admin_lists_an_analyst_only_the_submitted_responses_and_themes_they_analyse(
    client, two_consultations, secretariat
):
    rows = two_consultations
    responses = reverse("admin:consultation_response_changelist")
    themes = reverse("admin:consultation_theme_changelist")
    client.force_login(staff_who_may_view(rows["analyst"]))
    listed = client.get(responses).content.decode()
    assert rows["a_sent"].reference in listed
    assert rows["a_draft"].reference not in listed
    assert rows["b_sent"].reference not in listed
    codebooks = client.get(themes).content.decode()
    assert "Theme of A" in codebooks and "Theme of B" not in codebooks
    # The secretariat runs the process: every response, drafts included.
    client.force_login(staff_who_may_view(secretariat))
    listed = client.get(responses).content.decode()
    assert all(rows[k].reference in listed for k in ("a_sent", "a_draft", "b_sent"))


def test_admin_shows_no_live_link_for_a_sent_response(
    client, consultation, secretariat, django_capture_on_commit_callbacks
):
    """The secretariat reading a response in the admin sees when its save-and-return link
    expires while it is a draft, and none once it has been sent."""
    respondent = Client()
    with at(datetime(2027, 1, 20, 10, 0, tzinfo=UTC)):
        consultation.opens_at, consultation.closes_at = OPENS, CLOSES
        consultation.save()
        respondent.post(url("start", consultation))
        respondent.post(url("about-you", consultation), ABOUT_YOU)
        with django_capture_on_commit_callbacks(execute=True):
            respondent.post(url("save-for-later", consultation), {"email": "ann@example.org"})
        response = Response.objects.get(consultation=consultation)
        change = reverse("admin:consultation_response_change", args=[response.pk])
        client.force_login(staff_who_may_view(secretariat))
        expiry = "27 Jan 2027, 10 a.m."  # a week after saving
        assert expiry in client.get(change).content.decode()
        respondent.post(url("check", consultation), {"website": ""})
        assert expiry not in client.get(change).content.decode()
