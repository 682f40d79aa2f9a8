"""Domain verbs: publishing and versions, restricting with a case, audit, reminders, evidence."""

from __future__ import annotations

from datetime import date, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from documents import services
from documents.models import MINIMUM_JUSTIFICATION_LENGTH, Document, DocumentVersion, Restriction
from policyhub.models import AuditEntry
from tests.documents.factories import DocumentFactory, RestrictionFactory
from tests.factories import StepFactory
from tests.workinggroups.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _case(**overrides):
    values = {
        "grounds": ["negotiation"],
        "justification": "Releasing the draft now would harm the negotiation.",
        "review_on": timezone.localdate() + timedelta(days=60),
    }
    return values | overrides


def test_publishing_a_draft_creates_the_first_version(secretariat, group):
    document = services.create_document(
        by=secretariat,
        process=group.process,
        title="Working paper",
        slug="working-paper",
        summary="What the group thinks.",
        body="Text.",
        kind="working_paper",
        working_groups=[group],
    )
    assert document.status == "draft"
    services.publish_document(document, by=secretariat)
    document.refresh_from_db()
    assert document.status == "published"
    assert document.published_on == timezone.localdate()
    assert list(document.versions.values_list("number", flat=True)) == [1]


def test_publishing_twice_creates_one_version(secretariat):
    document = DocumentFactory(status="draft", published_on=None)
    services.publish_document(document, by=secretariat)
    services.publish_document(document, by=secretariat)
    assert document.versions.count() == 1
    assert AuditEntry.objects.filter(action="documents.published").count() == 1


def test_publishing_an_empty_draft_is_refused(secretariat):
    document = DocumentFactory(status="draft", published_on=None, body="")
    with pytest.raises(ValidationError, match="Add the text"):
        services.publish_document(document, by=secretariat)


def test_changing_a_published_text_creates_a_version_with_its_note(secretariat):
    document = DocumentFactory()
    services.update_document(
        document, by=secretariat, body="New text.", change_note="Rewrote the proposals."
    )
    latest = document.versions.order_by("-number").first()
    assert latest.number == 2
    assert latest.body == "New text."
    assert latest.change_note == "Rewrote the proposals."
    assert document.versions.get(number=1).body.startswith("## Proposals")


def test_changing_a_published_text_without_a_note_is_refused(secretariat):
    document = DocumentFactory()
    with pytest.raises(ValidationError, match="change note"):
        services.update_document(document, by=secretariat, body="New text.")


def test_changing_only_links_creates_no_version(secretariat, group):
    document = DocumentFactory()
    services.update_document(document, by=secretariat, working_groups=[group])
    assert document.versions.count() == 1
    assert list(document.working_groups.all()) == [group]


def test_comparison_shows_added_and_removed_lines(secretariat):
    document = DocumentFactory(body="First line\nSecond line")
    services.update_document(
        document, by=secretariat, body="First line\nThird line", change_note="Changed."
    )
    older, newer = document.versions.order_by("number")
    lines = services.compare_versions(older, newer)
    assert ("removed", "Second line") in [(line.change, line.text) for line in lines]
    assert ("added", "Third line") in [(line.change, line.text) for line in lines]
    assert ("same", "First line") in [(line.change, line.text) for line in lines]


def test_restricting_records_the_case_and_audits_the_change(secretariat):
    document = DocumentFactory()
    restriction = services.restrict_document(document, by=secretariat, **_case())
    assert restriction.is_active
    assert restriction.restricted_by == secretariat
    entry = AuditEntry.objects.get(action="documents.restricted")
    assert entry.actor == secretariat
    assert entry.payload["access_from"] == "open"
    assert entry.payload["access_to"] == "restricted"
    assert entry.payload["justification"].startswith("Releasing the draft")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"grounds": []}, "at least one ground"),
        ({"grounds": ["made-up"]}, "at least one ground"),
        ({"justification": "Because."}, "full sentence"),
        ({"review_on": None}, "review"),
        ({"review_on": date(2000, 1, 1)}, "in the future"),
        ({"review_on": timezone.localdate() + timedelta(days=200)}, "within 183 days"),
    ],
)
def test_restricting_without_a_proper_case_is_refused(secretariat, overrides, message):
    document = DocumentFactory()
    with pytest.raises(ValidationError, match=message):
        services.restrict_document(document, by=secretariat, **_case(**overrides))
    assert not Restriction.objects.exists()


def test_review_limit_follows_the_setting(secretariat, settings):
    settings.DOCUMENTS_MAX_REVIEW_DAYS = 365
    document = DocumentFactory()
    services.restrict_document(
        document, by=secretariat, **_case(review_on=timezone.localdate() + timedelta(days=300))
    )
    assert Restriction.objects.active().count() == 1


def test_restricting_twice_is_refused_with_a_sentence(secretariat):
    document = DocumentFactory()
    services.restrict_document(document, by=secretariat, **_case())
    with pytest.raises(ValidationError, match="already restricted"):
        services.restrict_document(document, by=secretariat, **_case())


def test_lifting_keeps_the_restriction_as_history(secretariat):
    document = DocumentFactory()
    services.restrict_document(document, by=secretariat, **_case())
    services.lift_restriction(document, by=secretariat, reason="Negotiation concluded.")
    restriction = Restriction.objects.get()
    assert not restriction.is_active
    assert restriction.lift_reason == "Negotiation concluded."
    assert Document.objects.open().filter(pk=document.pk).exists()
    entry = AuditEntry.objects.get(action="documents.restriction_lifted")
    assert (entry.payload["access_from"], entry.payload["access_to"]) == ("restricted", "open")


def test_reviewing_sets_the_next_review_date_and_audits(secretariat):
    restriction = RestrictionFactory()
    new_date = timezone.localdate() + timedelta(days=120)
    services.review_restriction(
        restriction,
        by=secretariat,
        review_on=new_date,
        justification="Still under negotiation; agreement is expected in the summer.",
    )
    restriction.refresh_from_db()
    assert restriction.review_on == new_date
    assert restriction.reviewed_at is not None
    assert AuditEntry.objects.filter(action="documents.restriction_reviewed").exists()


def test_sharing_changes_are_audited_from_and_to(secretariat, participant, group):
    document = DocumentFactory()
    services.share_document(document, by=secretariat, people=[participant], groups=[group])
    entry = AuditEntry.objects.get(action="documents.sharing_changed")
    assert entry.payload["access_from"] == {"people": [], "groups": []}
    assert entry.payload["access_to"]["groups"] == [group.name]
    # Saving the same sharing again writes nothing.
    services.share_document(document, by=secretariat, people=[participant], groups=[group])
    assert AuditEntry.objects.filter(action="documents.sharing_changed").count() == 1


def test_withdrawing_needs_a_reason(secretariat):
    document = DocumentFactory()
    with pytest.raises(ValidationError, match="reason"):
        services.withdraw_document(document, by=secretariat, reason="  ")
    services.withdraw_document(document, by=secretariat, reason="Superseded.")
    document.refresh_from_db()
    assert document.status == "withdrawn"


def test_secretariat_is_emailed_once_per_review_due(
    secretariat, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 1, 10)):
        restriction = RestrictionFactory(review_on=date(2026, 2, 1))
    with django_capture_on_commit_callbacks(execute=True):
        with time_machine.travel(date(2026, 1, 31)):
            assert services.remind_secretariat_of_due_reviews() == 0
        with time_machine.travel(date(2026, 2, 1)):
            assert services.remind_secretariat_of_due_reviews() == 1
            assert services.remind_secretariat_of_due_reviews() == 0
    assert len(mail.outbox) == 1
    assert secretariat.email in mail.outbox[0].to
    assert restriction.document.title in mail.outbox[0].subject
    # After a review sets a new date, the next due date is emailed again.
    with time_machine.travel(date(2026, 2, 2)):
        services.review_restriction(
            restriction,
            by=secretariat,
            review_on=date(2026, 5, 1),
            justification="Still harmful to release during the negotiation.",
        )
    with time_machine.travel(date(2026, 5, 1)), django_capture_on_commit_callbacks(execute=True):
        assert services.remind_secretariat_of_due_reviews() == 1
    assert len(mail.outbox) == 2


def test_no_reminder_for_a_lifted_restriction(secretariat, django_capture_on_commit_callbacks):
    with time_machine.travel(date(2026, 1, 10)):
        restriction = RestrictionFactory(review_on=date(2026, 2, 1))
        services.lift_restriction(restriction.document, by=secretariat, reason="No longer needed.")
    with time_machine.travel(date(2026, 3, 1)), django_capture_on_commit_callbacks(execute=True):
        assert services.remind_secretariat_of_due_reviews() == 0
    assert mail.outbox == []


def test_reminder_queued_before_the_restriction_was_lifted_is_not_sent(secretariat):
    with time_machine.travel(date(2026, 1, 10)):
        restriction = RestrictionFactory(review_on=date(2026, 2, 1))
    with time_machine.travel(date(2026, 2, 1)):
        assert services.remind_secretariat_of_due_reviews() == 1  # queued, not yet sent
        services.lift_restriction(restriction.document, by=secretariat, reason="Now public.")
        services.send_review_reminder(restriction.pk)
    assert mail.outbox == []


def test_reminder_that_failed_to_send_is_retried_by_its_task_not_claimed_again(
    secretariat, django_capture_on_commit_callbacks
):
    """The claim is kept when the mail server fails: the email task retries the send
    (policyhub.emails.EMAIL_TASK), and the next day's run does not queue a second one."""
    with time_machine.travel(date(2026, 1, 10)):
        restriction = RestrictionFactory(review_on=date(2026, 2, 1))
    with time_machine.travel(date(2026, 2, 1)):
        assert services.remind_secretariat_of_due_reviews() == 1  # claimed and queued
        failing = mock.patch(
            "django.core.mail.message.EmailMessage.send", side_effect=SMTPException("down")
        )
        with failing, pytest.raises(SMTPException):
            services.send_review_reminder(restriction.pk)  # the task's first try
        services.send_review_reminder(restriction.pk)  # its retry
    with time_machine.travel(date(2026, 2, 2)), django_capture_on_commit_callbacks(execute=True):
        assert services.remind_secretariat_of_due_reviews() == 0
    assert len(mail.outbox) == 1


def test_review_due_flag_follows_the_date_in_london():
    # "Today" is the date in London, not UTC: in summer time they differ around midnight.
    with time_machine.travel(date(2026, 6, 1)):
        restriction = RestrictionFactory(review_on=date(2026, 7, 1))
    # 30 June 23:30 UTC is already 1 July in London (BST, UTC+1).
    with time_machine.travel("2026-06-30T23:30:00+00:00"):
        assert Restriction.objects.review_due().filter(pk=restriction.pk).exists()
    with time_machine.travel("2026-06-30T22:30:00+00:00"):
        assert not Restriction.objects.review_due().filter(pk=restriction.pk).exists()


def test_version_numbers_are_unique_per_document(secretariat):
    document = DocumentFactory()
    services.update_document(document, by=secretariat, body="Two", change_note="Second.")
    services.update_document(document, by=secretariat, body="Three", change_note="Third.")
    assert list(
        DocumentVersion.objects.filter(document=document).values_list("number", flat=True)
    ) == [3, 2, 1]


def test_reminder_waits_until_there_is_a_secretariat_to_tell(django_capture_on_commit_callbacks):
    from policyhub.models import SecretariatMember
    from tests.factories import UserFactory

    with time_machine.travel(date(2026, 1, 10)):
        RestrictionFactory(review_on=date(2026, 2, 1))
    SecretariatMember.objects.all().delete()
    with time_machine.travel(date(2026, 2, 2)), django_capture_on_commit_callbacks(execute=True):
        assert services.remind_secretariat_of_due_reviews() == 0
        newcomer = SecretariatMember.objects.create(user=UserFactory()).user
        assert services.remind_secretariat_of_due_reviews() == 1
    assert [message.to for message in mail.outbox] == [[newcomer.email]]


def test_search_results_show_a_passage_from_the_body_without_reading_files(
    secretariat, django_assert_num_queries
):
    from tests.documents.factories import upload

    document = DocumentFactory(summary="A summary.", body="Before the trusted third party after.")
    services.attach_file(document, by=secretariat, upload=upload("a.txt", b"trusted in a file"))
    document = Document.objects.get(pk=document.pk)
    with django_assert_num_queries(0):
        [(found, passage)] = services.search_results([document], "trusted")
    assert found == document and "<mark>trusted</mark> third party" in passage


def test_a_passage_is_found_in_any_case_and_after_letters_that_lowering_lengthens():
    passage = services.matching_passage(["Nothing.", "An aside. The TRUSTED party."], "trusted")
    assert passage == "An aside. The <mark>TRUSTED</mark> party."
    # "İ" lowers to two characters: the match must still be found where it is.
    passage = services.matching_passage(["İzmir office: the trusted party."], "trusted")
    assert passage == "İzmir office: the <mark>trusted</mark> party."
    assert services.matching_passage(["No match here."], "trusted") == ""


def test_search_results_read_files_once_for_the_documents_their_text_alone_matches(
    secretariat, django_assert_num_queries
):
    from tests.documents.factories import upload

    in_body = DocumentFactory(body="The trusted third party.")
    in_files = [DocumentFactory(body="Nothing here.") for _ in range(3)]
    for number, document in enumerate(in_files):
        services.attach_file(document, by=secretariat, upload=upload("a.txt", b"Unrelated."))
        text = f"Minutes {number}: a trusted party was named.".encode()
        services.attach_file(document, by=secretariat, upload=upload("b.txt", text))
    nowhere = DocumentFactory(body="Nothing at all.")
    documents = list(Document.objects.filter(pk__in=[d.pk for d in [in_body, *in_files, nowhere]]))
    with django_assert_num_queries(1):
        results = dict(services.search_results(documents, "trusted"))
    by_pk = {d.pk: passage for d, passage in results.items()}
    assert "The <mark>trusted</mark> third party." in by_pk[in_body.pk]
    for number, document in enumerate(in_files):
        assert f"Minutes {number}: a <mark>trusted</mark> party" in by_pk[document.pk]
    assert by_pk[nowhere.pk] == ""


def test_evidence_needs_a_link_or_a_document(group, convenor):
    task = TaskFactory(group=group)
    with pytest.raises(ValidationError, match="web address or choose a document"):
        services.add_evidence(task, title="Nothing", by=convenor)
    evidence = services.add_evidence(
        task, title="Report", url="https://www.example.org/r", by=convenor
    )
    again = services.add_evidence(
        task, title="Report", url="https://www.example.org/r", by=convenor
    )
    assert evidence.pk == again.pk


# --- The edges of a restriction's case --------------------------------------------------------


def _review_edges():
    """Today and the day after the limit are refused; tomorrow and the limit itself are not
    (the review must be in the future and at most DOCUMENTS_MAX_REVIEW_DAYS ahead)."""
    today = timezone.localdate()
    limit = services.max_review_days()
    return [
        pytest.param(today, "must be in the future", id="today"),
        pytest.param(today + timedelta(days=1), None, id="tomorrow"),
        pytest.param(today + timedelta(days=limit), None, id="the-limit"),
        pytest.param(today + timedelta(days=limit + 1), f"within {limit} days", id="past-limit"),
    ]


@pytest.mark.parametrize(("review_on", "refused"), _review_edges())
def test_the_review_date_of_a_restriction_runs_from_tomorrow_to_the_limit(
    secretariat, review_on, refused
):
    document = DocumentFactory()
    if refused:
        with pytest.raises(ValidationError, match=refused):
            services.restrict_document(document, by=secretariat, **_case(review_on=review_on))
        assert not Restriction.objects.exists()
    else:
        services.restrict_document(document, by=secretariat, **_case(review_on=review_on))
        assert Restriction.objects.active().get().review_on == review_on


@pytest.mark.parametrize(("review_on", "refused"), _review_edges())
def test_the_next_review_date_runs_from_tomorrow_to_the_limit(secretariat, review_on, refused):
    restriction = RestrictionFactory()
    before = restriction.review_on
    justification = "Still under negotiation; agreement is expected in the summer."
    if refused:
        with pytest.raises(ValidationError, match=refused):
            services.review_restriction(
                restriction, by=secretariat, review_on=review_on, justification=justification
            )
    else:
        services.review_restriction(
            restriction, by=secretariat, review_on=review_on, justification=justification
        )
    restriction.refresh_from_db()
    assert restriction.review_on == (before if refused else review_on)


@pytest.mark.parametrize(
    ("justification", "refused"),
    [
        # Surrounding spaces do not count towards the minimum.
        pytest.param("  " + "x" * (MINIMUM_JUSTIFICATION_LENGTH - 1) + "  ", True, id="one-short"),
        pytest.param("x" * MINIMUM_JUSTIFICATION_LENGTH, False, id="exactly-the-minimum"),
    ],
)
def test_a_justification_must_reach_the_minimum_length(secretariat, justification, refused):
    document = DocumentFactory()
    case = _case(justification=justification)
    if refused:
        with pytest.raises(ValidationError, match="full sentence"):
            services.restrict_document(document, by=secretariat, **case)
        assert not Restriction.objects.exists()
    else:
        restriction = services.restrict_document(document, by=secretariat, **case)
        assert restriction.justification == justification


def test_lifting_needs_a_reason_and_leaves_the_document_restricted_without_one(secretariat):
    """The database refuses a lift without a reason too; the service says so in a
    sentence instead of failing on the constraint."""
    document = DocumentFactory()
    services.restrict_document(document, by=secretariat, **_case())
    with pytest.raises(ValidationError, match="Enter why the document can now be opened"):
        services.lift_restriction(document, by=secretariat, reason="   ")
    assert Restriction.objects.active().get().document == document
    assert not AuditEntry.objects.filter(action="documents.restriction_lifted").exists()


def test_a_review_sent_from_a_page_read_before_the_lift_is_refused(secretariat):
    """Two of the secretariat at work: one lifts the restriction while the other's review
    page, read before, is still open. The review must not bring the restriction back to
    life with a new date."""
    restriction = RestrictionFactory()
    seen_on_the_page = Restriction.objects.get(pk=restriction.pk)
    services.lift_restriction(restriction.document, by=secretariat, reason="Talks concluded.")
    with pytest.raises(ValidationError, match="has been lifted"):
        services.review_restriction(
            seen_on_the_page,
            by=secretariat,
            review_on=timezone.localdate() + timedelta(days=30),
            justification="Still under negotiation; agreement is expected in the summer.",
        )
    restriction.refresh_from_db()
    assert restriction.review_on == seen_on_the_page.review_on
    assert restriction.reviewed_at is None
    assert not AuditEntry.objects.filter(action="documents.restriction_reviewed").exists()


def test_a_lifted_document_can_be_restricted_again_with_a_new_case(secretariat):
    """A restriction is a period: after a lift the document can be withheld again, and the
    register keeps both periods."""
    document = DocumentFactory()
    services.restrict_document(document, by=secretariat, **_case())
    services.lift_restriction(document, by=secretariat, reason="Negotiation concluded.")
    again = services.restrict_document(
        document,
        by=secretariat,
        **_case(grounds=["security"], justification="A new annex describes the secure setting."),
    )
    assert again.is_active
    assert document.restrictions.count() == 2
    assert list(document.restrictions.active()) == [again]


# --- The review reminder, when another run or a lift comes in between -------------------------


def _between_listing_and_claim(meanwhile):
    """Run `meanwhile` once, just after the reminder run has listed the due restrictions and
    before it claims the first: the moment another run, or a lift, can slip in."""
    state = {"done": False}

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not state["done"] and 'FROM "documents_restriction"' in sql:
            state["done"] = True
            meanwhile()
        return result

    return connection.execute_wrapper(wrapper)


def test_a_reminder_claimed_by_another_run_meanwhile_is_sent_once(
    secretariat, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 1, 10)):
        RestrictionFactory(review_on=date(2026, 2, 1))
    with time_machine.travel(date(2026, 2, 1)), django_capture_on_commit_callbacks(execute=True):
        other_run = []
        with _between_listing_and_claim(
            lambda: other_run.append(services.remind_secretariat_of_due_reviews())
        ):
            assert services.remind_secretariat_of_due_reviews() == 0
        assert other_run == [1]
    assert len(mail.outbox) == 1


def test_no_reminder_is_sent_for_a_restriction_lifted_while_the_run_was_under_way(
    secretariat, django_capture_on_commit_callbacks
):
    with time_machine.travel(date(2026, 1, 10)):
        restriction = RestrictionFactory(review_on=date(2026, 2, 1))

    def lift() -> None:
        services.lift_restriction(restriction.document, by=secretariat, reason="Talks concluded.")

    with (
        time_machine.travel(date(2026, 2, 1)),
        django_capture_on_commit_callbacks(execute=True),
        _between_listing_and_claim(lift),
    ):
        services.remind_secretariat_of_due_reviews()
    assert not Restriction.objects.active().exists()
    assert mail.outbox == []


def test_a_document_keeps_its_step_within_its_process(secretariat):
    document = DocumentFactory()
    elsewhere = StepFactory()
    with pytest.raises(ValidationError) as refused:
        services.update_document(document, by=secretariat, step=elsewhere)
    assert "is a step of" in refused.value.message_dict["step"][0]
    with pytest.raises(ValidationError):
        services.create_document(
            by=secretariat,
            process=document.process,
            title="New paper",
            slug="new-paper",
            step=elsewhere,
        )
    document.step = elsewhere
    with pytest.raises(ValidationError) as refused:
        document.full_clean()
    assert "step" in refused.value.message_dict
    moved = services.update_document(
        document, by=secretariat, process=elsewhere.process, step=elsewhere
    )
    assert (moved.process, moved.step) == (elsewhere.process, elsewhere)
