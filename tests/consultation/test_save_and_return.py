"""Save-and-return links: each works once, is exchanged for the session that opens it, expires,
and can be asked for again without the page saying whether a response was saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.models import Response
from tests.consultation.factories import QuestionFactory, ResponseFactory, SectionFactory

pytestmark = pytest.mark.django_db

ABOUT_YOU = {
    "respondent_type": "individual",
    "name": "Ann Lee",
    "organisation_name": "",
    "email": "ann@example.org",
    "publication": "none",
}


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def link_in(message) -> str:
    line = next(line for line in message.body.splitlines() if "/resume/" in line)
    return line.replace("http://testserver", "")


@pytest.fixture
def saved(client, consultation, django_capture_on_commit_callbacks) -> str:
    """A draft started and saved in `client`, whose emailed link is returned."""
    client.post(url("start", consultation))
    client.post(url("about-you", consultation), ABOUT_YOU)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    return link_in(mail.outbox[-1])


def test_a_link_opened_a_second_time_does_not_show_the_draft(consultation, saved):
    first = Client()
    assert first.get(saved)["Location"] == url("check", consultation)
    assert b"Ann Lee" in first.get(url("check", consultation)).content
    second = Client()
    page = second.get(saved)
    assert page.status_code == 404
    body = page.content.decode()
    assert "already been used" in body
    assert url("new-link", consultation) in body
    assert "Ann Lee" not in body
    assert second.get(url("check", consultation)).status_code == 302  # no draft here


def test_the_browser_that_saved_loses_the_draft_once_its_link_is_opened(
    client, consultation, saved
):
    Client().get(saved)
    page = client.get(url("check", consultation))
    assert page.status_code == 302
    assert page["Location"] == consultation.get_absolute_url()


def test_an_expired_link_does_not_show_the_draft(consultation, saved, settings):
    later = timezone.now() + timedelta(days=settings.CONSULTATION_RESUME_LINK_DAYS, seconds=1)
    assert later < consultation.closes_at
    other = Client()
    with time_machine.travel(later):
        page = other.get(saved)
        assert page.status_code == 410
        assert "expired" in page.content.decode()
        assert "Ann Lee" not in page.content.decode()
        assert other.get(url("check", consultation)).status_code == 302


def test_a_link_expires_after_its_days_or_at_closing_whichever_is_first(consultation, settings):
    now = timezone.now()
    days = timedelta(days=settings.CONSULTATION_RESUME_LINK_DAYS)
    assert services.resume_link_expiry(consultation, now) == now + days
    near_closing = consultation.closes_at - timedelta(hours=1)
    assert services.resume_link_expiry(consultation, near_closing) == consultation.closes_at


def test_the_email_says_when_the_link_stops_and_where_to_get_a_new_one(consultation, saved):
    body = mail.outbox[-1].body
    assert "works once" in body
    assert "7 days" in body
    assert f"http://testserver{url('new-link', consultation)}" in body


def test_asking_for_a_new_link_sends_one_that_works(
    consultation, saved, django_capture_on_commit_callbacks
):
    stranger = Client()
    with django_capture_on_commit_callbacks(execute=True):
        page = stranger.post(url("new-link", consultation), {"email": "ANN@example.org"})
    assert page.status_code == 302
    assert mail.outbox[-1].to == ["ann@example.org"]
    fresh = link_in(mail.outbox[-1])
    assert fresh != saved
    assert Client().get(saved).status_code == 404  # the new link replaces the old one
    opened = Client()
    assert opened.get(fresh).status_code == 302
    assert b"Ann Lee" in opened.get(url("check", consultation)).content


def test_asking_for_a_new_link_says_the_same_whether_or_not_a_response_was_saved(
    consultation, saved, django_capture_on_commit_callbacks
):
    sent = len(mail.outbox)
    answers = {}
    for email in ["ann@example.org", "nobody@example.org"]:
        with django_capture_on_commit_callbacks(execute=True):
            page = Client().post(url("new-link", consultation), {"email": email}, follow=True)
        said = [str(message).replace(email, "EMAIL") for message in page.context["messages"]]
        answers[email] = (page.redirect_chain, page.status_code, said)
    assert answers["ann@example.org"] == answers["nobody@example.org"]
    assert (
        "If you saved a response to this consultation with EMAIL"
        in answers["ann@example.org"][2][0]
    )
    assert len(mail.outbox) == sent + 1  # only to the address a response was saved with


def test_whoever_handed_on_a_link_cannot_ask_for_the_draft_back(
    consultation, saved, django_capture_on_commit_callbacks
):
    """Someone saves a draft with their own address and sends its link to another person,
    who opens it and writes their answers; asking for a new link with the first address
    must not bring the draft, and what the other person wrote, back to its first owner."""
    other_person = Client()
    assert other_person.get(saved).status_code == 302
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(url("new-link", consultation), {"email": "ann@example.org"})
    assert len(mail.outbox) == sent


def test_a_new_link_is_never_sent_for_a_response_already_sent(
    consultation, django_capture_on_commit_callbacks
):
    ResponseFactory(consultation=consultation, email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(url("new-link", consultation), {"email": "ann@example.org"})
    assert not mail.outbox


def test_new_link_page_explains_a_mistyped_address_and_keeps_it(client, consultation):
    page = client.post(url("new-link", consultation), {"email": "ann at example"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Enter an email address in the correct format" in body
    assert 'value="ann at example"' in body


def test_new_links_over_the_limit_are_refused_with_429(client, consultation, settings):
    settings.CONSULTATION_RESUME_LINKS_PER_IP = 0
    page = client.post(url("new-link", consultation), {"email": "ann@example.org"})
    assert page.status_code == 429
    assert "too many links" in page.content.decode()


def test_new_link_page_is_closed_with_the_consultation(client, consultation):
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1)):
        page = client.get(url("new-link", consultation))
    assert page.status_code == 403
    assert b"This consultation has closed" in page.content


def test_opening_a_link_kills_its_token_and_moves_the_draft_to_a_new_holder(consultation):
    draft = ResponseFactory(
        consultation=consultation,
        status="draft",
        submitted_at=None,
        holder_key_hash=services.hash_token("first browser"),
    )
    token = services.issue_resume_link(draft, email="a@example.org", base_url="")
    opened, holder_key = services.open_resume_link(consultation, token)
    assert opened == draft
    draft.refresh_from_db()
    assert draft.resume_token_hash == ""
    assert services.holds_draft(draft, holder_key)
    assert not services.holds_draft(draft, "first browser")
    with pytest.raises(services.LinkNotValid):
        services.open_resume_link(consultation, token)
    assert Response.objects.count() == 1


# --- Coming back where you stopped ---------------------------------------------------------


@pytest.fixture
def two_sections(consultation):
    first = SectionFactory(consultation=consultation, number=1, title="Research")
    second = SectionFactory(consultation=consultation, number=2, title="Fuel poverty")
    return [
        QuestionFactory(section=first, number=1, text="Should researchers see data?"),
        QuestionFactory(section=second, number=1, text="Should suppliers see data?"),
    ]


def test_a_link_brings_the_respondent_back_to_the_first_section_they_never_reached(
    client, consultation, two_sections, django_capture_on_commit_callbacks
):
    first, _ = two_sections
    client.post(url("start", consultation))
    client.post(url("about-you", consultation), ABOUT_YOU)
    client.post(url("section", consultation, number=1), {f"q{first.pk}": "With safeguards."})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    elsewhere = Client()
    landing = elsewhere.get(link_in(mail.outbox[-1]))
    assert landing["Location"] == url("section", consultation, number=2)


def test_a_link_saved_before_about_you_brings_the_respondent_back_there(
    client, consultation, two_sections, django_capture_on_commit_callbacks
):
    client.post(url("start", consultation))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    assert Client().get(link_in(mail.outbox[-1]))["Location"] == url("about-you", consultation)


def test_check_your_answers_shows_sections_never_reached_as_not_started(
    client, consultation, two_sections, django_capture_on_commit_callbacks
):
    """A section left blank is "Not answered"; one never reached is "Not started", with a
    link to carry on from it, not a row of "Not answered" as if the respondent had finished."""
    first, second = two_sections
    client.post(url("start", consultation))
    client.post(url("about-you", consultation), ABOUT_YOU)
    client.post(url("section", consultation, number=1), {f"q{first.pk}": ""})  # left blank
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    elsewhere = Client()
    elsewhere.get(link_in(mail.outbox[-1]))
    page = elsewhere.get(url("check", consultation)).content.decode()
    research, fuel_poverty = page.split(">Research</h2>")[1].split(">Fuel poverty</h2>")
    assert "Not answered" in research and "Not started" not in research
    assert "Not started" in fuel_poverty and "Not answered" not in fuel_poverty
    section_2 = url("section", consultation, number=2)
    assert f'<a class="govuk-link" href="{section_2}">Continue with Fuel poverty</a>' in page
    assert f'href="{section_2}">Continue where you stopped: Fuel poverty</a>' in page
