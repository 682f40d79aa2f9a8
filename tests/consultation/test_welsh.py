"""Responding in Welsh: the language switcher, the journey's fixed texts, its error
messages, dates and emails in Cymraeg; English unchanged for everyone who has not chosen."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from consultation.models import Question
from tests import factories
from tests.consultation.factories import QuestionFactory, SectionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


def run_as_a_worker(callbacks) -> None:
    """Run the email tasks queued by a request as a worker would: in another thread of
    control, where no request's language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        for callback in callbacks:
            callback()


def choose(client, language: str, next_url: str = "/"):
    """Press the header's switcher: a POST to set_language, as the page's form sends it."""
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def text_of(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


@pytest.fixture
def questions(consultation):
    first = SectionFactory(consultation=consultation, number=1, title="Research")
    return [
        QuestionFactory(
            section=first, number=1, kind=Question.Kind.AGREEMENT_SCALE, is_required=True
        ),
        QuestionFactory(section=first, number=2, kind=Question.Kind.FREE_TEXT, max_length=50),
    ]


def test_choosing_cymraeg_keeps_the_choice_in_the_language_cookie(client, consultation, settings):
    chosen = choose(client, "cy", url("detail", consultation))
    assert chosen.status_code == 302
    assert chosen["Location"] == url("detail", consultation)
    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "cy"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    page = text_of(client.get(url("detail", consultation)))
    assert '<html lang="cy"' in page
    assert "Ymateb ar-lein" in page  # "Respond online"
    assert "Dechrau nawr" in page  # "Start now"
    assert "Respond online" not in page


def test_the_switcher_names_each_language_in_itself_and_marks_the_current_one(client):
    english = text_of(client.get("/"))
    assert '<html lang="en-gb"' in english
    assert '<span class="app-language-select__current" aria-current="true" lang="en-gb">' in (
        english
    )
    assert 'name="language" value="cy" lang="cy">' in english
    assert "Newid yr iaith:" in english  # the offer to switch is said in Welsh
    choose(client, "cy")
    welsh = text_of(client.get("/"))
    assert 'aria-current="true" lang="cy">Cymraeg</span>' in welsh
    assert 'name="language" value="en-gb" lang="en-gb">' in welsh
    assert "Change the language:" in welsh


def test_switching_is_a_post_with_csrf(consultation):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("set_language"), {"language": "cy", "next": "/"})
    assert refused.status_code == 403


def test_a_page_not_found_never_writes_the_address_asked_for_into_the_page(client):
    """An address may hold a guessed name; the switcher on an error page leaves it out and
    set_language brings the person back by the Referer header."""
    asked = "/documents/no-such-thing/files/9/Zqxwv-annex.txt"
    page = client.get(asked)
    assert page.status_code == 404
    assert "Zqxwv" not in page.content.decode()
    back = client.post(reverse("set_language"), {"language": "cy"}, headers={"referer": asked})
    assert back.status_code == 302 and back["Location"] == asked


def test_without_a_choice_the_browser_language_decides(client, consultation):
    page = text_of(client.get(url("detail", consultation), headers={"accept-language": "cy"}))
    assert '<html lang="cy"' in page
    assert "Ymateb ar-lein" in page


def test_the_whole_journey_reads_in_welsh(
    client, consultation, questions, django_capture_on_commit_callbacks
):
    choose(client, "cy")
    client.post(url("start", consultation))
    about = text_of(client.get(url("about-you", consultation)))
    assert "Amdanoch chi" in about
    assert "Ydych chi&#x27;n ymateb fel unigolyn neu ar ran sefydliad?" in about
    assert "Fel unigolyn" in about
    assert "Cadw a pharhau" in about
    assert "Cadw a dod yn ôl yn nes ymlaen" in about
    assert "cam 1 o 3" in about
    client.post(
        url("about-you", consultation),
        {"respondent_type": "individual", "email": "ann@example.org", "publication": "none"},
    )
    section = text_of(client.get(url("section", consultation, number=1)))
    assert "Cytuno&#x27;n gryf" in section  # the fixed scale, in Welsh
    assert "Gallwch roi hyd at 50 nod" in section  # the character count's own text
    assert 'data-i18n.characters-under-limit.other="Mae gennych %{count} nod yn weddill"' in (
        section
    )
    q1, q2 = questions
    client.post(url("section", consultation, number=1), {f"q{q1.pk}": "Agree"})
    check = text_of(client.get(url("check", consultation)))
    assert "Gwirio eich atebion cyn anfon eich ymateb" in check
    assert "Cytuno" in check
    assert "Heb ei ateb" in check
    with django_capture_on_commit_callbacks() as queued:
        client.post(url("check", consultation), {"website": ""})
    run_as_a_worker(queued)
    done = text_of(client.get(url("confirmation", consultation)))
    assert "Ymateb wedi'i anfon" in done
    assert "Eich cyfeirnod" in done
    (receipt,) = mail.outbox
    assert receipt.subject.startswith("Eich ymateb i")
    assert "Diolch am ymateb i" in receipt.body
    assert "Cytuno" in receipt.body
    assert "Ni chaiff eich cyfeiriad e-bost fyth ei gyhoeddi." in receipt.body


def test_errors_are_said_in_welsh_next_to_the_field_and_in_the_summary(
    client, consultation, questions
):
    choose(client, "cy")
    client.post(url("start", consultation))
    page = text_of(client.post(url("about-you", consultation), {}))
    assert "Mae problem wedi codi" in page
    assert "Gwall:" in page
    assert "Dewiswch a ydych chi&#x27;n ymateb fel unigolyn neu ar ran sefydliad" in page
    assert "<title>Gwall: Amdanoch chi" in page
    q1, q2 = questions
    page = text_of(client.post(url("section", consultation, number=1), {f"q{q2.pk}": "x" * 51}))
    assert "Rhaid i&#x27;r ateb i gwestiwn 1.2 fod yn 50 nod neu lai" in page


def test_closing_moments_are_said_in_welsh(client):
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 3, 1, 9, 0, tzinfo=LONDON),
        closes_at=datetime(2030, 4, 22, 23, 59, tzinfo=LONDON),
    )
    choose(client, "cy")
    page = text_of(client.get(url("detail", consultation)))
    assert "11:59yh, Dydd Llun 22 Ebrill 2030" in page


def test_the_save_and_return_email_is_in_the_language_it_was_asked_in(
    client, consultation, questions, django_capture_on_commit_callbacks
):
    choose(client, "cy")
    client.post(url("start", consultation))
    with django_capture_on_commit_callbacks() as queued:
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    run_as_a_worker(queued)
    (email,) = mail.outbox
    assert email.subject.startswith("Parhau â'ch ymateb i")
    assert "Defnyddiwch y ddolen hon i ddod yn ôl ato:" in email.body


def test_english_is_unchanged_for_those_who_have_not_chosen(client, consultation, questions):
    page = text_of(client.get(url("detail", consultation)))
    assert '<html lang="en-gb"' in page
    assert "Respond online" in page
    assert "Ymateb ar-lein" not in page
