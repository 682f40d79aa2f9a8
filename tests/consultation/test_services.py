"""Business rules of consultations: submission, time, tokens, analysis, publication."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from consultation import services
from consultation.models import Answer, AnswerReview, Question, QuestionVersion, Response
from policyhub.models import AuditEntry
from tests import factories
from tests.consultation.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SectionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CLOSES = datetime(2016, 4, 22, 23, 59, tzinfo=LONDON)


@pytest.fixture
def bud(db):
    """The seed's consultation: 29 February to 11:59pm on 22 April 2016."""
    return factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, 0, tzinfo=LONDON), closes_at=CLOSES
    )


def draft_for(consultation, **about):
    """A complete draft: about-you filled in, ready to submit."""
    response = ResponseFactory(
        consultation=consultation, status="draft", submitted_at=None, **about
    )
    return response


# --- Submission -------------------------------------------------------------------------------


def test_submitting_twice_stores_one_response_and_sends_one_receipt(
    django_capture_on_commit_callbacks, consultation, settings
):
    draft = draft_for(consultation, email="ann@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.submit_response(draft)
        second = services.submit_response(draft)
    assert first.pk == second.pk
    assert Response.objects.submitted().count() == 1
    assert len(mail.outbox) == 1


def test_receipt_email_repeats_the_answers(django_capture_on_commit_callbacks, consultation):
    question = QuestionFactory(section__consultation=consultation, text="Is this fair?")
    draft = draft_for(consultation, email="ann@example.org")
    AnswerFactory(response=draft, question=question, text="Only with an independent review.")
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_response(draft)
    body = mail.outbox[0].body
    assert draft.reference in body
    assert "Is this fair?" in body
    assert "Only with an independent review." in body


def test_response_missing_a_required_answer_is_not_sent(consultation):
    QuestionFactory(section__consultation=consultation, is_required=True, text="Agree?")
    draft = draft_for(consultation)
    with pytest.raises(ValidationError, match="Agree"):
        services.submit_response(draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_organisation_response_without_organisation_name_is_not_sent(consultation):
    draft = draft_for(consultation, respondent_type="organisation", organisation_name="")
    with pytest.raises(ValidationError, match="organisation"):
        services.submit_response(draft)


def test_answer_longer_than_the_maximum_is_not_sent(consultation):
    question = QuestionFactory(section__consultation=consultation, max_length=10)
    draft = draft_for(consultation)
    AnswerFactory(response=draft, question=question, text="x" * 11)
    with pytest.raises(ValidationError, match="10 characters"):
        services.submit_response(draft)


def test_saving_a_section_keeps_other_sections_answers(consultation):
    """Two tabs of one draft, each saving its own section, do not overwrite each other."""
    q1 = QuestionFactory(section__consultation=consultation)
    q2 = QuestionFactory(section__consultation=consultation)
    draft = draft_for(consultation)
    services.save_section_answers(draft, q1.section, answers={q1.pk: "first tab"})
    services.save_section_answers(draft, q2.section, answers={q2.pk: "second tab"})
    texts = dict(Answer.objects.values_list("question_id", "text"))
    assert texts == {q1.pk: "first tab", q2.pk: "second tab"}


def test_sent_response_cannot_be_changed(consultation):
    question = QuestionFactory(section__consultation=consultation)
    response = ResponseFactory(consultation=consultation)
    with pytest.raises(ValidationError, match="already been sent"):
        services.save_section_answers(response, question.section, answers={question.pk: "x"})


# --- Time ----------------------------------------------------------------------------------


def test_response_sent_one_second_before_closing_is_accepted_on_time(bud):
    draft = draft_for(bud)
    with time_machine.travel(CLOSES - timedelta(seconds=1), tick=False):
        response = services.submit_response(draft)
    assert response.is_submitted and not response.is_late


def test_response_sent_at_the_closing_moment_is_refused(bud):
    draft = draft_for(bud)
    with time_machine.travel(CLOSES, tick=False), pytest.raises(ValidationError, match="closed"):
        services.submit_response(draft)


def test_draft_started_before_closing_is_refused_one_second_after(bud):
    with time_machine.travel(CLOSES - timedelta(hours=1), tick=False):
        draft = services.start_response(bud)
    draft.respondent_type, draft.publication = "individual", "none"
    draft.save()
    with (
        time_machine.travel(CLOSES + timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="closed"),
    ):
        services.submit_response(draft)


def test_late_policy_accepts_and_marks_late_responses_until_its_end(bud):
    bud.accepts_late_until = CLOSES + timedelta(days=2)
    bud.save()
    draft = draft_for(bud)
    with time_machine.travel(CLOSES + timedelta(hours=3), tick=False):
        response = services.submit_response(draft)
    assert response.is_late
    other = draft_for(bud)
    with (
        time_machine.travel(CLOSES + timedelta(days=2), tick=False),
        pytest.raises(ValidationError, match="closed"),
    ):
        services.submit_response(other)


def test_closing_across_the_clocks_going_forward_uses_uk_time():
    """Clocks went forward at 1am GMT on 27 March 2016: 11:59pm that day is 22:59 UTC."""
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 3, 1, tzinfo=LONDON),
        closes_at=datetime(2016, 3, 27, 23, 59, tzinfo=LONDON),
    )
    utc = ZoneInfo("UTC")
    assert consultation.is_open(datetime(2016, 3, 27, 22, 58, 59, tzinfo=utc))
    assert not consultation.is_open(datetime(2016, 3, 27, 22, 59, tzinfo=utc))


def test_upcoming_consultation_refuses_to_start_a_response():
    consultation = factories.ConsultationFactory(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=9)
    )
    with pytest.raises(ValidationError, match="not opened"):
        services.start_response(consultation)


# --- Save and return ---------------------------------------------------------------------------


def test_resume_link_opens_its_draft_and_stores_only_a_hash(consultation):
    draft = draft_for(consultation)
    token = services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    draft.refresh_from_db()
    assert token not in draft.resume_token_hash
    assert services.open_resume_link(consultation, token)[0] == draft


def test_resume_link_expires_when_the_consultation_closes(bud):
    with time_machine.travel(CLOSES - timedelta(days=1), tick=False):
        draft = draft_for(bud)
        token = services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    with (
        time_machine.travel(CLOSES, tick=False),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.open_resume_link(bud, token)


def test_resume_link_does_not_open_another_consultations_draft(consultation):
    other = factories.ConsultationFactory()
    token = services.issue_resume_link(
        draft_for(consultation), email="a@example.org", base_url="http://x"
    )
    with pytest.raises(ValidationError, match="not valid"):
        services.open_resume_link(other, token)


def test_newer_resume_link_replaces_the_older_one(consultation):
    draft = draft_for(consultation)
    old = services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    with pytest.raises(ValidationError, match="not valid"):
        services.open_resume_link(consultation, old)


def test_resume_link_stops_working_once_the_response_is_sent(consultation):
    draft = draft_for(consultation)
    token = services.issue_resume_link(draft, email="a@example.org", base_url="http://x")
    services.submit_response(draft)
    with pytest.raises(ValidationError, match="not valid"):
        services.open_resume_link(consultation, token)


def test_resume_link_email_holds_the_link(django_capture_on_commit_callbacks, consultation):
    draft = draft_for(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        token = services.issue_resume_link(
            draft, email="a@example.org", base_url="https://policyhub.test"
        )
    assert f"https://policyhub.test/consultations/{consultation.slug}/resume/{token}/" in (
        mail.outbox[0].body
    )


# --- Questions ---------------------------------------------------------------------------------


def test_rewording_an_answered_question_keeps_the_earlier_wording(secretariat):
    answer = AnswerFactory(question__text="Old words?")
    question = answer.question
    question.text = "New words?"
    services.revise_question(question, by=secretariat)
    assert QuestionVersion.objects.get(question=question).text == "Old words?"
    assert AuditEntry.objects.filter(action="consultation.question_reworded").exists()


def test_removing_an_answered_question_is_refused(secretariat):
    answer = AnswerFactory()
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.remove_question(answer.question, by=secretariat)
    assert Question.objects.filter(pk=answer.question_id).exists()


def test_changing_the_type_of_an_answered_question_is_refused(secretariat):
    question = AnswerFactory().question
    question.kind = Question.Kind.SINGLE_CHOICE
    with pytest.raises(ValidationError, match="type cannot change"):
        services.revise_question(question, by=secretariat)


def test_removing_an_answered_option_is_refused_but_adding_one_is_allowed(secretariat):
    question = QuestionFactory(kind=Question.Kind.SINGLE_CHOICE, options="Yes\nNo")
    AnswerFactory(question=question, text="", selected=["Yes"])
    question.options = "Yes\nNo\nNot sure"
    services.revise_question(question, by=secretariat)
    question.options = "No"
    with pytest.raises(ValidationError, match="Yes"):
        services.revise_question(question, by=secretariat)


# --- Analysis ----------------------------------------------------------------------------------


def test_kappa_matches_a_hand_computed_example():
    """10 answers. Coder A says yes to 1-5, coder B to 1-4 and 6.
    Observed agreement 8/10 = 0.8. Expected: 0.5*0.5 + 0.5*0.5 = 0.5.
    Kappa = (0.8 - 0.5) / (1 - 0.5) = 0.6."""
    a = [True] * 5 + [False] * 5
    b = [True] * 4 + [False, True] + [False] * 4
    assert services.cohen_kappa(list(zip(a, b, strict=True))) == pytest.approx(0.6)


def test_kappa_is_undefined_without_variation():
    assert services.cohen_kappa([(False, False)] * 4) is None
    assert services.cohen_kappa([]) is None


def test_agreement_report_counts_double_coded_answers_and_lists_disagreements(consultation):
    question = QuestionFactory(section__consultation=consultation)
    oversight, trust = ThemeFactory(question=question), ThemeFactory(question=question)
    first, second = factories.UserFactory(), factories.UserFactory()
    agreed = AnswerFactory(question=question, response__consultation=consultation)
    disputed = AnswerFactory(question=question, response__consultation=consultation)
    single = AnswerFactory(question=question, response__consultation=consultation)
    services.code_answer(agreed, themes=[oversight], by=first)
    services.code_answer(agreed, themes=[oversight], by=second)
    services.code_answer(disputed, themes=[oversight], by=first)
    services.code_answer(disputed, themes=[trust], by=second)
    services.code_answer(single, themes=[trust], by=first)
    [item] = services.agreement_report(consultation)
    assert item["double_coded"] == 2
    assert [d["answer"] for d in item["disagreements"]] == [disputed]
    rows = {row["theme"]: row for row in item["themes"]}
    assert rows[oversight]["count"] == 2


def test_each_analyst_codes_independently(consultation):
    answer = AnswerFactory(response__consultation=consultation)
    theme = ThemeFactory(question=answer.question)
    first, second = factories.UserFactory(), factories.UserFactory()
    services.code_answer(answer, themes=[theme], by=first)
    services.code_answer(answer, themes=[], by=second)
    services.code_answer(answer, themes=[theme], by=second)
    assert AnswerReview.objects.filter(answer=answer).count() == 2
    assert AuditEntry.objects.filter(action="consultation.answer_coded").count() == 3


def test_coding_with_another_questions_theme_is_refused(consultation):
    answer = AnswerFactory()
    with pytest.raises(ValidationError, match="codebook"):
        services.code_answer(answer, themes=[ThemeFactory()], by=factories.UserFactory())


def test_campaign_answers_differing_in_case_and_punctuation_are_grouped():
    question = QuestionFactory()
    for text in ["Stop the data grab!", "stop the data grab", "STOP  the data-grab.", "Other"]:
        AnswerFactory(question=question, text=text)
    [group] = services.campaign_groups(question)
    assert group["count"] == 3


def test_coding_a_campaign_group_codes_every_answer_in_it():
    question = QuestionFactory()
    theme = ThemeFactory(question=question)
    for _ in range(4):
        AnswerFactory(question=question, text="Same words.")
    analyst = factories.UserFactory()
    [group] = services.campaign_groups(question)
    count = services.code_campaign_group(
        question, digest=group["digest"], themes=[theme], by=analyst
    )
    assert count == 4
    assert AnswerReview.objects.filter(analyst=analyst, themes=theme).count() == 4


def test_theme_changes_are_audited(analyst, consultation):
    question = QuestionFactory(section__consultation=consultation)
    theme = services.add_theme(question, name="Trust", by=analyst)
    services.rename_theme(theme, name="Public trust", description="", by=analyst)
    services.remove_theme(theme, by=analyst)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"consultation.theme_added", "consultation.theme_edited"} <= actions
    assert "consultation.theme_removed" in actions


def test_statistics_count_choices_by_respondent_type(consultation):
    question = QuestionFactory(
        section__consultation=consultation, kind=Question.Kind.SINGLE_CHOICE, options="Yes\nNo"
    )
    AnswerFactory(question=question, text="", selected=["Yes"], response__consultation=consultation)
    AnswerFactory(
        question=question,
        text="",
        selected=["No"],
        response__consultation=consultation,
        response__respondent_type="organisation",
        response__organisation_name="Involve",
    )
    [stat] = services.question_statistics(consultation)
    yes = next(row for row in stat["rows"] if row["label"] == "Yes")
    assert [cell["count"] for cell in yes["cells"]] == [1, 1, 0]
    assert yes["cells"][0]["percent"] == 50


def test_statistics_are_kept_yet_change_at_once_when_a_response_is_sent_or_an_answer_coded(
    consultation, analyst, django_assert_num_queries
):
    question = QuestionFactory(section__consultation=consultation)
    theme = ThemeFactory(question=question, name="Oversight")
    answer = AnswerFactory(
        question=question, response__consultation=consultation, text="Needs oversight."
    )

    def table() -> list:
        [stat] = services.question_statistics(consultation)
        [row] = stat["rows"]
        return [stat["totals"][0], row["label"], row["cells"][0]["count"]]

    assert table() == [1, "Oversight", 0]
    # Kept: the questions, their themes and when the counted rows last changed, no counting.
    with django_assert_num_queries(3):
        assert table() == [1, "Oversight", 0]
    services.code_answer(answer, themes=[theme], by=analyst)
    assert table() == [1, "Oversight", 1]
    draft = draft_for(consultation)
    AnswerFactory(response=draft, question=question, text="More oversight.")
    assert table() == [1, "Oversight", 1]  # drafts are not counted
    services.submit_response(draft)
    assert table() == [2, "Oversight", 1]
    services.rename_theme(theme, name="Independent oversight", description="", by=analyst)
    assert table() == [2, "Independent oversight", 1]


# --- Export --------------------------------------------------------------------------------


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_export_cells_cannot_run_as_spreadsheet_formulas(consultation, secretariat, dangerous):
    AnswerFactory(
        response__consultation=consultation,
        question__section__consultation=consultation,
        text=dangerous,
    )
    rows = list(services.export_rows(consultation, by=secretariat, fmt="csv"))
    cells = [services.spreadsheet_safe(cell) for cell in rows[1]]
    assert "'" + dangerous in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_export_never_includes_email_addresses(consultation, secretariat):
    AnswerFactory(
        response__consultation=consultation,
        question__section__consultation=consultation,
        response__email="private@example.org",
    )
    out = io.StringIO()
    csv.writer(out).writerows(services.export_rows(consultation, by=secretariat, fmt="csv"))
    assert "private@example.org" not in out.getvalue()
    assert AuditEntry.objects.filter(action="consultation.exported").exists()


# --- Publishing --------------------------------------------------------------------------------


def test_summary_cannot_be_published_before_closing(consultation, secretariat):
    with pytest.raises(ValidationError, match="after the consultation closes"):
        services.publish_summary(consultation, summary="Done.", by=secretariat)


def test_publishing_makes_only_consented_responses_public(bud, secretariat):
    named = ResponseFactory(consultation=bud, publication="named")
    anonymous = ResponseFactory(consultation=bud, publication="anonymous")
    ResponseFactory(consultation=bud, publication="none")
    ResponseFactory(consultation=bud, status="draft", submitted_at=None, publication="named")
    assert not Response.objects.published().exists()
    with time_machine.travel(CLOSES + timedelta(days=30)):
        services.publish_summary(bud, summary="We heard you.", by=secretariat)
    assert set(Response.objects.published()) == {named, anonymous}
    assert AuditEntry.objects.filter(action="consultation.summary_published").exists()


def test_anonymous_response_is_published_without_a_name():
    response = ResponseFactory.build(
        publication="anonymous", respondent_type="organisation", organisation_name="Involve"
    )
    assert response.public_name == "Anonymous"


def test_redacted_passage_is_hidden_from_the_public_copy_only(secretariat):
    answer = AnswerFactory(text="My neighbour John Smith at 4 Acacia Road claims benefits.")
    services.redact_passage(
        answer, passage="John Smith at 4 Acacia Road", reason="third_party", by=secretariat
    )
    assert services.public_text(answer) == (
        "My neighbour [redacted: personal data about someone else] claims benefits."
    )
    answer.refresh_from_db()
    assert "John Smith" in answer.text


def test_redacting_the_same_passage_twice_stores_one_redaction(secretariat):
    answer = AnswerFactory(text="Call Jo on 07700 900123.")
    for _ in range(2):
        services.redact_passage(
            answer, passage="07700 900123", reason="third_party", by=secretariat
        )
    assert answer.redactions.count() == 1


def test_redaction_must_quote_the_answer_exactly(secretariat):
    answer = AnswerFactory(text="Some words.")
    with pytest.raises(ValidationError, match="exactly"):
        services.redact_passage(answer, passage="other words", reason="other", by=secretariat)


def test_offline_response_received_after_closing_is_late(bud, secretariat):
    question = QuestionFactory(section=SectionFactory(consultation=bud))
    response = services.enter_offline_response(
        bud,
        channel="post",
        received_on=date(2016, 4, 25),
        respondent_type="individual",
        name="Pat",
        organisation_name="",
        publication="none",
        answers={question.pk: "Posted answer."},
        by=secretariat,
    )
    assert response.is_submitted and response.is_late and response.channel == "post"
    assert response.answers.get().text == "Posted answer."


# --- Retention and abuse -----------------------------------------------------------------------


def test_retention_removes_emails_and_tokens_but_keeps_answers(bud, settings):
    settings.CONSULTATION_RETENTION_DAYS = 30
    answer = AnswerFactory(response__consultation=bud, response__email="a@example.org")
    draft = draft_for(bud, email="b@example.org", resume_token_hash="abc")
    with time_machine.travel(CLOSES + timedelta(days=29)):
        assert services.remove_expired_personal_data() == 0
    with time_machine.travel(CLOSES + timedelta(days=31)):
        call_command("remove_expired_personal_data", verbosity=0)
    answer.response.refresh_from_db()
    draft.refresh_from_db()
    assert answer.response.email == "" and draft.email == "" and draft.resume_token_hash == ""
    assert Answer.objects.filter(pk=answer.pk).exists()


def test_submissions_beyond_the_per_ip_limit_are_refused(settings):
    settings.CONSULTATION_SUBMISSIONS_PER_IP = 2
    services.check_submission_rate("192.0.2.1")
    services.check_submission_rate("192.0.2.1")
    with pytest.raises(ValidationError, match="too many"):
        services.check_submission_rate("192.0.2.1")
    services.check_submission_rate("192.0.2.2")


def test_export_has_one_row_per_response_with_each_answer_and_its_themes(consultation, secretariat):
    question = QuestionFactory(section__consultation=consultation, text="Views?")
    choice = QuestionFactory(
        section=question.section, kind=Question.Kind.MULTIPLE_CHOICE, options="A\nB"
    )
    trust, oversight = (
        ThemeFactory(question=question, name="Trust"),
        ThemeFactory(question=question, name="Oversight"),
    )
    coded = AnswerFactory(question=question, response__consultation=consultation, text="Hmm.")
    AnswerFactory(question=choice, response=coded.response, text="", selected=["A", "B"])
    services.code_answer(coded, themes=[trust], by=secretariat)
    services.code_answer(coded, themes=[oversight], by=factories.UserFactory())
    AnswerFactory(question=question, response__consultation=consultation, text="Other.")
    ResponseFactory(consultation=consultation, status="draft", submitted_at=None)
    header, *rows = services.export_rows(consultation, by=secretariat, fmt="csv")
    assert len(rows) == 2
    first = dict(zip(header, rows[0], strict=True))
    assert first[f"Q{question.label} Views?"] == "Hmm."
    assert first[f"Q{choice.label} {choice.text}"] == "A, B"
    assert first[f"Q{question.label} themes"] == "Oversight; Trust"
    second = dict(zip(header, rows[1], strict=True))
    assert second[f"Q{question.label} themes"] == ""


def test_closing_after_the_clocks_go_back_uses_uk_time():
    """Clocks went back at 2am BST on 30 October 2016: 11:59pm that day is 23:59 UTC."""
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 10, 1, tzinfo=LONDON),
        closes_at=datetime(2016, 10, 30, 23, 59, tzinfo=LONDON),
    )
    utc = ZoneInfo("UTC")
    assert consultation.is_open(datetime(2016, 10, 30, 23, 58, 59, tzinfo=utc))
    assert not consultation.is_open(datetime(2016, 10, 30, 23, 59, tzinfo=utc))


def test_long_campaign_answers_differing_by_a_few_words_are_grouped_together():
    question = QuestionFactory()
    base = "Any data sharing must be transparent, limited to its purpose and overseen"
    for text in [base, base, f"{base} independently", "Any data sharing worries me a lot."]:
        AnswerFactory(question=question, text=text)
    [group] = services.campaign_groups(question)
    assert group["count"] == 3 and group["variants"] == 2


def test_short_answers_are_grouped_only_when_identical():
    question = QuestionFactory()
    for text in ["I agree.", "I agree", "I disagree"]:
        AnswerFactory(question=question, text=text)
    [group] = services.campaign_groups(question)
    assert group["count"] == 2


def test_response_with_a_malformed_email_address_is_not_sent(consultation):
    draft = draft_for(consultation, email="not-an-address")
    with pytest.raises(ValidationError, match="email address"):
        services.submit_response(draft)
