"""What people see and do on consultation pages: responding without an account, analysing,
publishing."""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timedelta
from smtplib import SMTPException
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from consultation import services, tasks
from consultation.models import Answer, Question, Response
from tests import factories
from tests.consultation.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SectionFactory,
    ThemeFactory,
)
from tests.factories import date_fields

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def url(name: str, consultation, **kwargs) -> str:
    return reverse(f"consultation:{name}", kwargs={"slug": consultation.slug, **kwargs})


@pytest.fixture
def questions(consultation):
    """Two sections: a required agree–disagree question, then free text and multiple choice."""
    first = SectionFactory(consultation=consultation, number=1, title="Research")
    second = SectionFactory(consultation=consultation, number=2, title="Fuel poverty")
    return [
        QuestionFactory(
            section=first, number=1, kind=Question.Kind.AGREEMENT_SCALE, is_required=True
        ),
        QuestionFactory(section=second, number=1, kind=Question.Kind.FREE_TEXT, max_length=50),
        QuestionFactory(
            section=second,
            number=2,
            kind=Question.Kind.MULTIPLE_CHOICE,
            options="Councils\nCharities\nNHS",
        ),
    ]


ABOUT_YOU = {
    "respondent_type": "organisation",
    "name": "Ann Lee",
    "organisation_name": "Warm Homes Alliance",
    "email": "ann@example.org",
    "publication": "anonymous",
}


def start(client, consultation) -> Response:
    client.post(url("start", consultation))
    return Response.objects.latest("pk")


def complete(client, consultation, questions) -> None:
    q1, q2, q3 = questions
    client.post(url("about-you", consultation), ABOUT_YOU)
    client.post(url("section", consultation, number=1), {f"q{q1.pk}": "Agree"})
    client.post(
        url("section", consultation, number=2),
        {f"q{q2.pk}": "Keep a register.", f"q{q3.pk}": ["Councils", "NHS"]},
    )


# --- The public pages --------------------------------------------------------------------------


def test_consultation_page_states_the_closing_moment_without_ambiguity(client):
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )
    with time_machine.travel(datetime(2016, 4, 10, 12, tzinfo=LONDON)):
        page = client.get(consultation.get_absolute_url()).content.decode()
    assert "closes at <strong>11:59pm on Friday 22 April 2016</strong>" in page
    assert "12 days left" in page
    assert "Start now" in page


def test_closed_consultation_page_links_to_the_published_summary(client, secretariat):
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "closed at 11:59pm on Friday 22 April 2016" in page
    assert "Start now" not in page
    assert "has not been published yet" in page
    services.publish_summary(consultation, summary="What we heard.", by=secretariat)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert url("published", consultation) in page


def test_upcoming_consultation_says_when_it_opens(client):
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2030, 1, 7, 9, tzinfo=LONDON),
        closes_at=datetime(2030, 3, 1, 17, tzinfo=LONDON),
    )
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "opens at 9am on Monday 7 January 2030" in page


def test_list_groups_open_upcoming_and_closed(client, consultation):
    page = client.get(reverse("consultation:list")).content.decode()
    assert "Open for responses" in page and consultation.title in page


# --- Responding -------------------------------------------------------------------------------


def test_anyone_can_respond_without_an_account_and_gets_a_reference(
    client, consultation, questions, django_capture_on_commit_callbacks
):
    start(client, consultation)
    complete(client, consultation, questions)
    check = client.get(url("check", consultation))
    assert b"Keep a register." in check.content and b"Councils, NHS" in check.content
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url("check", consultation), {"website": ""})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert response.is_submitted and response.organisation_name == "Warm Homes Alliance"
    confirmation = client.get(url("confirmation", consultation))
    assert response.reference.encode() in confirmation.content
    assert mail.outbox[0].to == ["ann@example.org"]
    assert "Keep a register." in mail.outbox[0].body


def test_a_double_click_on_send_stores_one_response(client, consultation, questions):
    start(client, consultation)
    complete(client, consultation, questions)
    client.post(url("check", consultation))
    client.post(url("check", consultation))
    assert Response.objects.submitted().count() == 1


@pytest.mark.parametrize("broker", ["up", "down"])
@pytest.mark.parametrize(
    "failure", [SMTPException("451 Try again later"), ConnectionRefusedError()], ids=repr
)
def test_a_failing_mail_server_never_costs_a_respondent_their_confirmation(
    client, consultation, questions, django_capture_on_commit_callbacks, settings, broker, failure
):
    """With the broker up, the request only queues the receipt. With it down, the receipt
    task runs in the request, and the failure stays in the task, as it does in production
    (where tasks run in a request never raise: CELERY_TASK_EAGER_PROPAGATES is a test
    setting)."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    start(client, consultation)
    complete(client, consultation, questions)
    queue = mock.MagicMock() if broker == "up" else mock.Mock(side_effect=BrokerUnavailable)
    with (
        mock.patch.object(tasks.send_receipt, "apply_async", queue),
        mock.patch.object(EmailMessage, "send", side_effect=failure) as deliver,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sent = client.post(url("check", consultation), {"website": ""})
        again = client.post(url("check", consultation), {"website": ""})  # "it failed?"
    assert sent.status_code == again.status_code == 302
    assert sent["Location"] == url("confirmation", consultation)
    response = Response.objects.submitted().get()
    assert response.reference.encode() in client.get(url("confirmation", consultation)).content
    queue.assert_called_once_with((response.pk, "en-gb"), retry=False)
    assert deliver.called == (broker == "down")
    assert mail.outbox == []


def test_a_second_start_continues_the_same_draft(client, consultation, questions):
    client.post(url("start", consultation))
    client.post(url("start", consultation))
    assert Response.objects.count() == 1


def test_section_page_keeps_what_was_typed_when_it_is_invalid(client, consultation, questions):
    start(client, consultation)
    q2 = questions[1]
    page = client.post(url("section", consultation, number=2), {f"q{q2.pk}": "x" * 60})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<title>Error: " in body
    assert "must be 50 characters or fewer" in body
    assert "x" * 60 in body
    assert not Answer.objects.filter(question=q2).exists()  # kept on the page, never stored
    # The limit is said once, by the character count beside the box.
    assert body.count("You can enter up to 50 characters") == 1
    assert 'data-module="govuk-character-count" data-maxlength="50"' in body


def test_a_question_page_shows_the_saved_answers_and_escapes_hints(client, consultation, questions):
    """Coming back to a section shows what was chosen and typed; a question's hint is text,
    whatever characters the secretariat typed into it."""
    q1, q2, q3 = questions
    q2.hint = "Think of <b>councils</b> & charities."
    q2.save()
    start(client, consultation)
    client.post(url("section", consultation, number=1), {f"q{q1.pk}": "Agree"})
    client.post(
        url("section", consultation, number=2),
        {f"q{q2.pk}": "Keep a register.", f"q{q3.pk}": ["Councils", "NHS"]},
    )
    first = client.get(url("section", consultation, number=1)).content.decode()
    assert re.search(r'<input[^>]*value="Agree" checked>', first)
    second = client.get(url("section", consultation, number=2)).content.decode()
    assert "Keep a register.</textarea>" in second
    assert re.search(r'value="Councils" checked>', second)
    assert re.search(r'value="NHS" checked>', second)
    assert not re.search(r'value="Charities" checked>', second)
    assert "Think of &lt;b&gt;councils&lt;/b&gt; &amp; charities." in second


def test_organisation_name_is_required_for_organisation_responses(client, consultation):
    start(client, consultation)
    page = client.post(
        url("about-you", consultation), {**ABOUT_YOU, "organisation_name": ""}
    ).content.decode()
    assert "Enter the name of your organisation" in page
    assert 'class="govuk-error-summary"' in page


def test_missing_required_answer_stops_sending_with_a_clear_message(
    client, consultation, questions
):
    start(client, consultation)
    client.post(url("about-you", consultation), ABOUT_YOU)
    page = client.post(url("check", consultation)).content.decode()
    assert "Answer question 1.1" in page
    assert not Response.objects.submitted().exists()


def test_filled_honeypot_refuses_the_submission(client, consultation, questions):
    start(client, consultation)
    complete(client, consultation, questions)
    page = client.post(url("check", consultation), {"website": "http://spam.example"})
    assert page.status_code == 400
    assert not Response.objects.submitted().exists()


def test_submissions_over_the_rate_limit_are_refused(client, consultation, questions, settings):
    settings.CONSULTATION_SUBMISSIONS_PER_IP = 0
    start(client, consultation)
    complete(client, consultation, questions)
    page = client.post(url("check", consultation)).content.decode()
    assert "too many responses" in page
    assert not Response.objects.submitted().exists()


def test_closed_consultation_refuses_a_draft_started_earlier(client, consultation, questions):
    start(client, consultation)
    complete(client, consultation, questions)
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1)):
        page = client.post(url("check", consultation))
    assert page.status_code == 403
    assert b"This consultation has closed" in page.content
    assert not Response.objects.submitted().exists()


def test_check_page_change_links_return_to_the_check_page(client, consultation, questions):
    start(client, consultation)
    complete(client, consultation, questions)
    page = client.get(url("check", consultation)).content.decode()
    assert f"{url('section', consultation, number=2)}?return=check" in page
    back = client.post(
        url("section", consultation, number=2) + "?return=check",
        {f"q{questions[1].pk}": "Changed."},
    )
    assert back["Location"] == url("check", consultation)


def test_save_and_return_emails_a_link_that_restores_the_draft_elsewhere(
    client, consultation, questions, django_capture_on_commit_callbacks
):
    start(client, consultation)
    client.post(url("about-you", consultation), {**ABOUT_YOU, "action": "save-later"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("save-for-later", consultation), {"email": "ann@example.org"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/resume/" in line)
    other_browser = client.__class__()
    landing = other_browser.get(link.replace("http://testserver", ""))
    assert landing.status_code == 302
    assert landing["Location"] == url("section", consultation, number=1)  # where they stopped
    assert landing["Referrer-Policy"] == "no-referrer"
    assert b"Warm Homes Alliance" in other_browser.get(url("check", consultation)).content


def test_misused_resume_link_shows_a_clear_page(client, consultation):
    page = client.get(url("resume", consultation, token="not-a-real-token"))
    assert page.status_code == 404
    assert b"This link does not work" in page.content


def test_response_pages_without_a_draft_send_you_to_the_start(client, consultation, questions):
    page = client.get(url("section", consultation, number=1))
    assert page["Location"] == consultation.get_absolute_url()


def test_confirmation_page_shows_nothing_to_another_browser(client, consultation):
    ResponseFactory(consultation=consultation)
    assert client.get(url("confirmation", consultation)).status_code == 302


# --- Publishing -------------------------------------------------------------------------------


@pytest.fixture
def closed_consultation(db):
    return factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )


def test_unconsented_response_never_appears_publicly(client, closed_consultation, secretariat):
    question = QuestionFactory(section__consultation=closed_consultation)
    AnswerFactory(
        question=question,
        response__consultation=closed_consultation,
        response__publication="none",
        text="Private thoughts.",
    )
    AnswerFactory(
        question=question,
        response__consultation=closed_consultation,
        response__publication="named",
        response__name="Ann Lee",
        response__email="ann@example.org",
        text="Public thoughts.",
    )
    assert client.get(url("published", closed_consultation)).status_code == 404
    services.publish_summary(closed_consultation, summary="What we heard.", by=secretariat)
    page = client.get(url("published", closed_consultation)).content.decode()
    assert "Public thoughts." in page and "Ann Lee" in page
    assert "Private thoughts." not in page
    assert "ann@example.org" not in page


def test_public_sees_redaction_reason_instead_of_the_passage(
    client, closed_consultation, secretariat
):
    answer = AnswerFactory(
        question__section__consultation=closed_consultation,
        response__consultation=closed_consultation,
        response__publication="anonymous",
        text="My neighbour Bob Jones should be investigated.",
    )
    services.redact_passage(answer, passage="Bob Jones", reason="defamatory", by=secretariat)
    services.publish_summary(closed_consultation, summary="Summary.", by=secretariat)
    page = client.get(url("published", closed_consultation)).content.decode()
    assert "Bob Jones" not in page
    assert "[redacted: potentially defamatory]" in page


def test_secretariat_publishes_the_summary_from_its_page(client, closed_consultation, secretariat):
    client.force_login(secretariat)
    result = client.post(url("publish", closed_consultation), {"summary": "We heard you."})
    assert result.status_code == 302
    closed_consultation.refresh_from_db()
    assert closed_consultation.is_summary_published


def test_publish_form_without_summary_shows_the_error(client, closed_consultation, secretariat):
    client.force_login(secretariat)
    page = client.post(url("publish", closed_consultation), {"summary": ""}).content.decode()
    assert "<title>Error: " in page and "Write a summary of the responses" in page


# --- Analysis ---------------------------------------------------------------------------------


def test_analyst_filters_responses_by_choice_answer(client, consultation, analyst):
    question = QuestionFactory(
        section__consultation=consultation, kind=Question.Kind.SINGLE_CHOICE, options="Yes\nNo"
    )
    yes = AnswerFactory(
        question=question, response__consultation=consultation, text="", selected=["Yes"]
    ).response
    no = AnswerFactory(
        question=question, response__consultation=consultation, text="", selected=["No"]
    ).response
    client.force_login(analyst)
    page = client.get(url("analysis", consultation), {"answer": f"{question.pk}:Yes"})
    assert yes.reference.encode() in page.content
    assert no.reference.encode() not in page.content


def test_analyst_filters_by_respondent_type_and_theme(client, consultation, analyst):
    answer = AnswerFactory(
        response__consultation=consultation,
        question__section__consultation=consultation,
        response__respondent_type="organisation",
        response__organisation_name="Involve",
    )
    other = ResponseFactory(consultation=consultation)
    theme = ThemeFactory(question=answer.question)
    services.code_answer(answer, themes=[theme], by=analyst)
    client.force_login(analyst)
    for params in ({"respondent_type": "organisation"}, {"theme": theme.pk}):
        page = client.get(url("analysis", consultation), params).content
        assert answer.response.reference.encode() in page
        assert other.reference.encode() not in page


def test_analyst_codes_an_answer_and_moves_to_the_next_response(client, consultation, analyst):
    question = QuestionFactory(section__consultation=consultation)
    theme = ThemeFactory(question=question, name="Oversight")
    first = AnswerFactory(question=question, response__consultation=consultation)
    second = AnswerFactory(question=question, response__consultation=consultation)
    client.force_login(analyst)
    page = client.get(url("response", consultation, reference=first.response.reference))
    assert (
        f'href="{url("response", consultation, reference=second.response.reference)}"'.encode()
        in (page.content)
    )
    assert b'rel="next"' in page.content
    client.post(
        url("code", consultation, reference=first.response.reference, answer_id=first.pk),
        {f"a{first.pk}-themes": [theme.pk]},
    )
    assert list(first.reviews.get(analyst=analyst).themes.all()) == [theme]


def test_analyst_adds_a_theme_and_codes_a_campaign_group(client, consultation, analyst):
    question = QuestionFactory(section__consultation=consultation)
    for _ in range(3):
        AnswerFactory(question=question, response__consultation=consultation, text="Same text!")
    client.force_login(analyst)
    client.post(url("codebook", consultation, question_id=question.pk), {"name": "Campaign"})
    theme = question.themes.get()
    page = client.get(url("codebook", consultation, question_id=question.pk)).content.decode()
    assert "3 identical answers" in page
    [group] = services.campaign_groups(question)
    client.post(
        url("code-campaign", consultation, question_id=question.pk),
        {"digest": group["digest"], "themes": [theme.pk]},
    )
    assert theme.reviews.count() == 3


def test_agreement_and_statistics_pages_render(client, consultation, analyst):
    question = QuestionFactory(section__consultation=consultation)
    theme = ThemeFactory(question=question, name="Trust")
    answer = AnswerFactory(question=question, response__consultation=consultation)
    services.code_answer(answer, themes=[theme], by=analyst)
    services.code_answer(answer, themes=[], by=factories.UserFactory())
    client.force_login(analyst)
    agreement = client.get(url("agreement", consultation)).content.decode()
    assert "1 answer coded by two analysts" in agreement
    assert "Disagreements to resolve" in agreement
    assert client.get(url("statistics", consultation)).status_code == 200


def test_csv_export_streams_one_row_per_response_with_safe_cells(client, consultation, analyst):
    question = QuestionFactory(section__consultation=consultation, text="Views?")
    AnswerFactory(question=question, response__consultation=consultation, text="=1+1")
    AnswerFactory(question=question, response__consultation=consultation, text="Fine.")
    client.force_login(analyst)
    result = client.get(url("export", consultation, fmt="csv"))
    body = b"".join(result.streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 3
    assert "'=1+1" in body
    header = next(csv.reader(lines[:1]))
    assert header[-2:] == [f"Q{question.label} Views?", f"Q{question.label} themes"]


def test_last_page_of_the_analysts_list_is_the_last_page(client, consultation, analyst):
    sent = timezone.now()
    responses = [
        ResponseFactory(consultation=consultation, submitted_at=sent + timedelta(seconds=n))
        for n in range(52)
    ]
    client.force_login(analyst)
    page = client.get(url("analysis", consultation), {"page": "last"}).content.decode()
    assert "Page 2 of 2" in page
    assert responses[-1].reference in page and responses[49].reference not in page


def test_json_export_is_valid_json(client, consultation, analyst):
    AnswerFactory(question__section__consultation=consultation, response__consultation=consultation)
    client.force_login(analyst)
    result = client.get(url("export", consultation, fmt="json"))
    data = json.loads(b"".join(result.streaming_content))
    assert len(data) == 1 and data[0]["reference"]


# --- Query budgets (two data sizes, so growth would show) ---------------------------------------


def make_responses(consultation, count: int) -> None:
    question = QuestionFactory(section__consultation=consultation)
    theme = ThemeFactory(question=question)
    analyst = factories.UserFactory()
    for _ in range(count):
        answer = AnswerFactory(question=question, response__consultation=consultation)
        services.code_answer(answer, themes=[theme], by=analyst)


@pytest.mark.parametrize("count", [3, 30])
def test_analysis_list_queries_do_not_grow_with_responses(
    client, consultation, analyst, count, django_assert_max_num_queries
):
    make_responses(consultation, count)
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        assert client.get(url("analysis", consultation)).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_response_page_queries_do_not_grow_with_codings(
    client, consultation, analyst, count, django_assert_max_num_queries
):
    question = QuestionFactory(section__consultation=consultation)
    themes = [ThemeFactory(question=question) for _ in range(count)]
    answer = AnswerFactory(question=question, response__consultation=consultation)
    for _ in range(count):
        services.code_answer(answer, themes=themes, by=factories.UserFactory())
    client.force_login(analyst)
    with django_assert_max_num_queries(16):
        page = client.get(url("response", consultation, reference=answer.response.reference))
    assert page.status_code == 200


@pytest.mark.parametrize("count", [2, 20])
def test_public_pages_queries_do_not_grow(
    client, closed_consultation, secretariat, count, django_assert_max_num_queries
):
    make_responses(closed_consultation, count)
    for _ in range(count):
        factories.ConsultationFactory()
    services.publish_summary(closed_consultation, summary="Summary.", by=secretariat)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("consultation:list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(closed_consultation.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("published", closed_consultation)).status_code == 200


def test_secretariat_enters_a_postal_response_once_marked_late(
    client, closed_consultation, secretariat
):
    question = QuestionFactory(section__consultation=closed_consultation, is_required=True)
    client.force_login(secretariat)
    path = url("enter", closed_consultation)
    section_number = question.section.number
    data = {
        "entry_key": "7c0d3a4e-2f7b-4d7e-9f51-3c1f2a9e8b10",
        "channel": "post",
        **date_fields("received_on", "2016-04-25"),
        "respondent_type": "individual",
        "name": "Pat Doe",
        "publication": "anonymous",
        f"s{section_number}-q{question.pk}": "Handwritten answer.",
    }
    result = client.post(path, data)
    assert result.status_code == 302
    assert client.post(path, data).status_code == 302  # a double click
    response = Response.objects.get(channel="post")
    assert response.is_late and response.answers.get().text == "Handwritten answer."


def test_offline_entry_form_shows_errors_and_keeps_input(client, closed_consultation, secretariat):
    client.force_login(secretariat)
    page = client.post(
        url("enter", closed_consultation),
        {"received_on_day": "31", "received_on_month": "2", "name": "Pat Doe"},
    ).content.decode()
    assert "<title>Error: " in page
    assert "Select how the response arrived" in page
    assert 'value="Pat Doe"' in page
    assert "Date received must include a year" in page
    assert 'name="received_on_day" type="text" inputmode="numeric" value="31"' in page


@pytest.mark.parametrize("count", [3, 30])
def test_analysis_summary_pages_queries_do_not_grow(
    client, consultation, analyst, count, django_assert_max_num_queries
):
    make_responses(consultation, count)
    other = factories.UserFactory()
    for answer in Answer.objects.all():
        services.code_answer(answer, themes=[], by=other)
    client.force_login(analyst)
    for name in ("agreement", "statistics"):
        with django_assert_max_num_queries(12):
            assert client.get(url(name, consultation)).status_code == 200


def test_late_window_lets_people_respond_and_says_responses_are_marked_late(client, questions):
    from consultation.models import Consultation

    consultation = Consultation.objects.get()
    closes = consultation.closes_at
    consultation.accepts_late_until = closes + timedelta(days=3)
    consultation.late_response_policy = "Late responses are accepted for three days."
    consultation.save()
    with time_machine.travel(closes + timedelta(days=1)):
        page = client.get(consultation.get_absolute_url()).content.decode()
        assert "late responses are accepted until" in page
        assert "Late responses are accepted for three days." in page
        start(client, consultation)
        complete(client, consultation, questions)
        client.post(url("check", consultation))
    assert Response.objects.submitted().get().is_late


def test_next_response_follows_the_filtered_list(client, consultation, analyst):
    first = ResponseFactory(
        consultation=consultation, respondent_type="organisation", organisation_name="Involve"
    )
    ResponseFactory(consultation=consultation)  # an individual, filtered out
    third = ResponseFactory(
        consultation=consultation,
        respondent_type="organisation",
        organisation_name="Cabinet Office",
    )
    client.force_login(analyst)
    page = client.get(
        url("response", consultation, reference=first.reference),
        {"respondent_type": "organisation"},
    ).content.decode()
    expected = url("response", consultation, reference=third.reference)
    assert f'href="{expected}?respondent_type=organisation"' in page


def test_analyst_sees_others_themes_only_after_coding_the_answer(client, consultation, analyst):
    question = QuestionFactory(section__consultation=consultation)
    theme = ThemeFactory(question=question, name="Hidden theme")
    answer = AnswerFactory(question=question, response__consultation=consultation)
    services.code_answer(answer, themes=[theme], by=factories.UserFactory(display_name="Other"))
    client.force_login(analyst)
    path = url("response", consultation, reference=answer.response.reference)
    before = client.get(path).content.decode()
    assert "Already coded by 1 other analyst" in before
    assert "Other (Hidden theme)" not in before
    services.code_answer(answer, themes=[], by=analyst)
    assert "Other (Hidden theme)" in client.get(path).content.decode()


def test_consultation_page_lists_the_documents_it_consults_on(client, consultation):
    from documents.models import Document

    document = Document.objects.create(
        process=consultation.process,
        title="Better Use of Data: the proposals",
        slug="bud-paper",
        status=Document.Status.PUBLISHED,
        published_on=consultation.opens_at.date(),
    )
    consultation.documents.add(document)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Better Use of Data: the proposals" in page


def test_resume_link_after_closing_says_it_has_expired(client, consultation):
    draft = ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    token = services.issue_resume_link(draft, email="a@example.org", base_url="")
    with time_machine.travel(consultation.closes_at + timedelta(seconds=1)):
        page = client.get(url("resume", consultation, token=token))
    assert page.status_code == 410
    assert b"expired because the consultation has closed" in page.content
    assert page["Referrer-Policy"] == "no-referrer"


def test_upcoming_consultation_refuses_to_start_with_a_clear_page(client):
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2030, 1, 7, 9, tzinfo=LONDON),
        closes_at=datetime(2030, 3, 1, 17, tzinfo=LONDON),
    )
    page = client.post(url("start", consultation))
    assert page.status_code == 403
    assert b"has not opened yet" in page.content
    assert not Response.objects.exists()


def test_a_restricted_or_draft_document_is_not_listed_on_the_consultation_page(client, secretariat):
    """The consultation page lists its documents through documents_visible_to: a restricted
    document's title (and a draft's) never reaches someone who may not read it."""
    from documents.models import Document
    from tests.documents.factories import DocumentFactory, restrict

    consultation = factories.ConsultationFactory()
    open_paper = DocumentFactory(title="Open consultation paper")
    withheld = DocumentFactory(title="Withheld negotiating annex")
    draft = DocumentFactory(title="Unfinished draft paper", status=Document.Status.DRAFT)
    consultation.documents.add(open_paper, withheld, draft)
    restrict(withheld, by=secretariat)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Open consultation paper" in page
    assert "Withheld negotiating annex" not in page
    assert "Unfinished draft paper" not in page
    client.force_login(secretariat)
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert "Withheld negotiating annex" in page


# --- Privacy notice and whom to contact ----------------------------------------------------


def test_closed_consultation_pages_give_the_teams_address(client, settings):
    settings.CONSULTATION_CONTACT_EMAIL = "consultations@policyhub.test"
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
        late_response_policy="Late responses are not accepted.",
        contact_email="datasharing@cabinetoffice.test",
    )
    link = 'href="mailto:datasharing@cabinetoffice.test">datasharing@cabinetoffice.test</a>'
    assert link in client.get(consultation.get_absolute_url()).content.decode()
    refused = client.post(url("start", consultation))  # the page saying it has closed
    assert refused.status_code == 403 and link in refused.content.decode()
    consultation.contact_email = ""  # none of its own: the site's consultation address
    consultation.save()
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert 'href="mailto:consultations@policyhub.test"' in page


def test_the_privacy_notice_states_how_long_addresses_are_kept_once(client, settings):
    """The page states the retention period from the setting that enforces it, and the
    secretariat is told not to write it into the notice as well."""
    settings.CONSULTATION_RETENTION_DAYS = 180
    consultation = factories.ConsultationFactory(
        privacy_notice="The Cabinet Office holds responses to analyse them."
    )
    page = client.get(consultation.get_absolute_url()).content.decode()
    assert page.count("days after the consultation closes") == 1
    assert "deleted 180 days after the consultation closes" in page
    help_text = consultation._meta.get_field("privacy_notice").help_text
    assert "adds how long email addresses are kept" in help_text
    assert "do not repeat" in help_text
