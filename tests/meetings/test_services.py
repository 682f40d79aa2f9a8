"""Scheduling, notice, time zones, registration with a waiting list, rescheduling and
cancellation, and notes publication under the Chatham House Rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings import services
from meetings.forms import MeetingForm, london_datetime
from meetings.models import Meeting, Notes, NotesVersion, Region, Registration
from policyhub.models import AuditEntry
from tests.factories import UserFactory, date_fields
from tests.meetings.factories import MeetingFactory, NotesFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def schedule(by, group=None, process=None, **overrides):
    starts = overrides.pop("starts_at", timezone.now() + timedelta(days=30))
    values = {
        "process": process or (group.process if group else None),
        "working_group": group,
        "title": "Evidence session",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "venue": "Town Hall",
        "region": Region.NORTH_EAST,
        "joining_link": "https://meet.example.org/x",
    }
    values.update(overrides)
    return services.schedule_meeting(by=by, **values)


# --- Notice -----------------------------------------------------------------------------


def test_convenor_schedules_a_group_meeting_with_enough_notice(convenor, group):
    announced = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
    with time_machine.travel(announced, tick=False):
        meeting = schedule(convenor, group, starts_at=announced + timedelta(days=30))
    assert meeting.process == group.process
    assert meeting.announced_at == announced
    assert meeting.notice_days == 30
    assert not meeting.is_short_notice
    assert AuditEntry.objects.filter(action="meetings.scheduled").count() == 1


def test_short_notice_meeting_needs_a_reason(convenor, group):
    with pytest.raises(ValidationError) as error:
        schedule(convenor, group, starts_at=timezone.now() + timedelta(days=13))
    assert "short_notice_reason" in error.value.error_dict


def test_short_notice_reason_is_kept_and_shown_publicly(convenor, group, client):
    meeting = schedule(
        convenor,
        group,
        starts_at=timezone.now() + timedelta(days=3),
        short_notice_reason="The Bill is published next week.",
    )
    assert meeting.is_short_notice
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "The Bill is published next week." in page


def test_minimum_notice_comes_from_settings(convenor, group, settings):
    settings.MEETING_MINIMUM_NOTICE_DAYS = 2
    meeting = schedule(convenor, group, starts_at=timezone.now() + timedelta(days=3))
    assert meeting.short_notice_reason == ""


def test_convenor_cannot_schedule_for_another_group(convenor, other_group):
    with pytest.raises(ValidationError):
        schedule(convenor, other_group)


def test_only_secretariat_schedules_whole_process_meetings(convenor, secretariat, group):
    with pytest.raises(ValidationError):
        schedule(convenor, None, process=group.process)
    assert schedule(secretariat, None, process=group.process).working_group is None


def test_online_only_meeting_must_allow_remote_participation(secretariat, group):
    with pytest.raises(ValidationError) as error:
        schedule(secretariat, group, region=Region.ONLINE, venue="", has_remote_participation=False)
    assert "has_remote_participation" in error.value.error_dict


def test_in_person_meeting_needs_a_venue(secretariat, group):
    with pytest.raises(ValidationError) as error:
        schedule(secretariat, group, venue="")
    assert "venue" in error.value.error_dict


# --- Time zones --------------------------------------------------------------------------


def test_summer_time_entry_is_stored_an_hour_earlier_in_utc():
    assert london_datetime(date(2026, 7, 1), time(10)).astimezone(UTC) == datetime(
        2026, 7, 1, 9, tzinfo=UTC
    )


def test_winter_time_entry_is_stored_as_the_same_hour_in_utc():
    assert london_datetime(date(2026, 12, 1), time(10)).astimezone(UTC) == datetime(
        2026, 12, 1, 10, tzinfo=UTC
    )


def test_time_skipped_when_clocks_go_forward_is_refused():
    with pytest.raises(ValueError):
        london_datetime(date(2026, 3, 29), time(1, 30))


def test_repeated_hour_when_clocks_go_back_means_the_first_one():
    assert london_datetime(date(2026, 10, 25), time(1, 30)).astimezone(UTC) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_meeting_across_the_clock_change_keeps_its_length(group):
    form = MeetingForm(
        data={
            "working_group": group.pk,
            "title": "Late night",
            **date_fields("day", "2026-10-25"),
            "start_time": "00:30",
            "end_time": "03:30",
            "region": "london",
            "venue": "Hall",
            "reminder_days": "7, 1",
        },
        groups=type(group).objects.all(),
        processes=None,
    )
    assert form.is_valid(), form.errors
    # 00:30 BST to 03:30 GMT is four hours, not three.
    assert form.cleaned_data["ends_at"] - form.cleaned_data["starts_at"] == timedelta(hours=4)


def test_form_refuses_a_skipped_time_next_to_the_field(group):
    form = MeetingForm(
        data={
            "working_group": group.pk,
            "title": "x",
            **date_fields("day", "2026-03-29"),
            "start_time": "01:30",
            "end_time": "03:00",
            "region": "london",
        },
        groups=type(group).objects.all(),
        processes=None,
    )
    assert not form.is_valid()
    assert "clocks go forward" in form.errors["start_time"][0]


# --- Registration --------------------------------------------------------------------------


def test_in_person_places_beyond_capacity_go_to_the_waiting_list():
    meeting = MeetingFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    assert services.register(meeting, mode="in_person", by=first).status == "confirmed"
    assert services.register(meeting, mode="in_person", by=second).status == "waiting"


def test_remote_attendees_do_not_use_up_in_person_places():
    meeting = MeetingFactory(capacity=1)
    services.register(meeting, mode="remote", by=UserFactory())
    assert services.register(meeting, mode="in_person", by=UserFactory()).status == "confirmed"


def test_waiting_list_is_promoted_in_the_order_people_joined():
    meeting = MeetingFactory(capacity=1)
    holder, early, late = UserFactory(), UserFactory(), UserFactory()
    services.register(meeting, mode="in_person", by=holder)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        services.register(meeting, mode="in_person", by=early)
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        services.register(meeting, mode="in_person", by=late)
    services.register(meeting, mode="apologies", by=holder)
    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("user", "status"))
    assert statuses[early.pk] == "confirmed"
    assert statuses[late.pk] == "waiting"
    services.withdraw(meeting, by=early)
    assert Registration.objects.get(meeting=meeting, user=late).status == "confirmed"


def test_raising_capacity_promotes_people_waiting():
    meeting = MeetingFactory(capacity=1)
    services.register(meeting, mode="in_person", by=UserFactory())
    waiting = services.register(meeting, mode="in_person", by=UserFactory())
    services.update_meeting(meeting, by=UserFactory(is_superuser=True), capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_registering_twice_keeps_one_registration(participant):
    meeting = MeetingFactory()
    services.register(meeting, mode="remote", by=participant)
    services.register(meeting, mode="remote", by=participant)
    assert Registration.objects.filter(meeting=meeting).count() == 1


def test_registration_closes_when_the_meeting_starts(participant):
    meeting = MeetingFactory()
    with time_machine.travel(meeting.starts_at - timedelta(seconds=1)):
        services.register(meeting, mode="remote", by=participant)
    with (
        time_machine.travel(meeting.starts_at),
        pytest.raises(ValidationError, match="closed when the meeting started"),
    ):
        services.register(meeting, mode="in_person", by=participant)


def test_cannot_register_in_person_for_an_online_only_meeting(participant):
    meeting = MeetingFactory(region=Region.ONLINE, venue="")
    with pytest.raises(ValidationError):
        services.register(meeting, mode="in_person", by=participant)


# --- Rescheduling and cancelling ----------------------------------------------------------


def test_rescheduling_keeps_history_and_bumps_the_sequence(secretariat):
    meeting = MeetingFactory()
    old_start = meeting.starts_at
    services.update_meeting(
        meeting,
        by=secretariat,
        change_reason="The venue is closed for repairs.",
        starts_at=old_start + timedelta(days=7),
        ends_at=meeting.ends_at + timedelta(days=7),
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    revision = meeting.revisions.get()
    assert revision.previous_starts_at == old_start
    assert revision.reason == "The venue is closed for repairs."
    assert AuditEntry.objects.filter(action="meetings.rescheduled").exists()


def test_rescheduling_needs_a_reason(secretariat):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as error:
        services.update_meeting(
            meeting,
            by=secretariat,
            starts_at=meeting.starts_at + timedelta(days=1),
            ends_at=meeting.ends_at + timedelta(days=1),
        )
    assert "change_reason" in error.value.error_dict


def test_changing_the_title_is_not_a_reschedule(secretariat):
    meeting = MeetingFactory()
    services.update_meeting(meeting, by=secretariat, title="New title")
    meeting.refresh_from_db()
    assert meeting.title == "New title"
    assert meeting.sequence == 1
    assert not meeting.revisions.exists()


def test_cancelling_records_the_reason_and_twice_changes_nothing(secretariat):
    meeting = MeetingFactory()
    services.cancel_meeting(meeting, reason="The Minister is unavailable.", by=secretariat)
    services.cancel_meeting(meeting, reason="Again", by=secretariat)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.cancellation_reason == "The Minister is unavailable."
    assert meeting.sequence == 1


def test_cannot_register_for_a_cancelled_meeting(secretariat, participant):
    meeting = MeetingFactory()
    services.cancel_meeting(meeting, reason="Unavoidable.", by=secretariat)
    with pytest.raises(ValidationError):
        services.register(meeting, mode="remote", by=participant)


# --- Notes ---------------------------------------------------------------------------------


def test_notes_start_with_attendance_from_registrations(secretariat):
    meeting = MeetingFactory()
    attending = RegistrationFactory(meeting=meeting, mode="remote").user
    sorry = RegistrationFactory(meeting=meeting, mode="apologies").user
    notes = services.start_notes(meeting, by=secretariat)
    record = {a.name: a.mode for a in notes.attendees.all()}
    assert record == {str(attending): "remote", str(sorry): "apologies"}


def test_publication_is_refused_while_notes_attribute_a_comment(secretariat):
    notes = NotesFactory()
    services.add_attendee(
        notes, name="Anita Patel", organisation="ONS", mode="in_person", by=secretariat
    )
    services.save_notes(
        notes,
        summary="Patel argued for a delay.",
        discussion_points="",
        decisions="",
        by=secretariat,
    )
    with pytest.raises(ValidationError, match="attribute comments"):
        services.publish_notes(notes, by=secretariat)
    assert not NotesVersion.objects.exists()


def test_override_clears_one_finding_and_is_logged(secretariat):
    notes = NotesFactory(summary="The group thanked Patel for hosting.")
    services.add_attendee(
        notes, name="Anita Patel", organisation="", mode="in_person", by=secretariat
    )
    [checked] = services.check_notes(notes)
    services.override_finding(
        notes,
        matched=checked.finding.matched,
        sentence=checked.finding.sentence,
        reason="Thanks for hosting, not a view.",
        by=secretariat,
    )
    version = services.publish_notes(notes, by=secretariat)
    assert version.number == 1
    entry = AuditEntry.objects.get(action="meetings.finding_overridden")
    assert entry.payload["reason"] == "Thanks for hosting, not a view."


def test_override_does_not_clear_a_different_sentence(secretariat):
    notes = NotesFactory(summary="The group thanked Patel for hosting.")
    services.add_attendee(
        notes, name="Anita Patel", organisation="", mode="in_person", by=secretariat
    )
    [checked] = services.check_notes(notes)
    services.override_finding(
        notes,
        matched=checked.finding.matched,
        sentence=checked.finding.sentence,
        reason="Thanks.",
        by=secretariat,
    )
    services.save_notes(
        notes,
        summary="The group thanked Patel for hosting. Patel argued for a delay.",
        discussion_points="",
        decisions="",
        by=secretariat,
    )
    with pytest.raises(ValidationError):
        services.publish_notes(notes, by=secretariat)


def test_correction_after_publication_is_a_new_visible_version(secretariat):
    notes = NotesFactory()
    services.publish_notes(notes, by=secretariat)
    services.save_notes(
        notes, summary="Corrected summary.", discussion_points="", decisions="", by=secretariat
    )
    with pytest.raises(ValidationError) as error:
        services.publish_notes(notes, by=secretariat)
    assert "change_note" in error.value.error_dict
    version = services.publish_notes(notes, by=secretariat, change_note="Fixed the summary.")
    assert version.number == 2
    assert list(notes.versions.values_list("number", flat=True)) == [2, 1]


def test_publishing_the_same_draft_twice_creates_one_version(secretariat):
    notes = NotesFactory()
    services.publish_notes(notes, by=secretariat)
    services.publish_notes(notes, by=secretariat, change_note="Nothing")
    assert notes.versions.count() == 1


def test_notes_cannot_be_published_before_the_meeting(secretariat):
    notes = Notes.objects.create(meeting=MeetingFactory(), summary="Too early.")
    with pytest.raises(ValidationError):
        services.publish_notes(notes, by=secretariat)


def test_process_stats_count_meetings_held_outside_london_and_with_remote(group):
    past = timezone.now() - timedelta(days=10)
    MeetingFactory(starts_at=past, region=Region.LONDON, working_group=group)
    MeetingFactory(starts_at=past, region=Region.WALES, working_group=group)
    MeetingFactory(
        starts_at=past,
        region=Region.SCOTLAND,
        has_remote_participation=False,
        working_group=group,
    )
    MeetingFactory(starts_at=past, region=Region.ONLINE, venue="", working_group=group)
    MeetingFactory(
        starts_at=past,
        region=Region.WALES,
        status="cancelled",
        cancellation_reason="x",
        working_group=group,
    )
    MeetingFactory(region=Region.WALES, working_group=group)  # upcoming
    stats = Meeting.objects.filter(process=group.process).held_stats()
    assert stats == {"held": 4, "outside_london": 2, "with_remote": 3}


# --- Every part of the notes is checked ------------------------------------------------------


def add_action(notes, by, *, description="Draft options.", owner="Secretariat"):
    return services.add_action(
        notes.meeting, description=description, owner=owner, due_on=None, by=by
    )


def test_every_free_text_part_of_the_notes_is_checked(secretariat):
    notes = NotesFactory(
        summary="Jane Smith said the plan was flawed.",
        discussion_points="According to Raj, the data is already shared informally.",
        decisions="HMRC said it would decide.",
    )
    services.add_action(
        notes.meeting,
        description="The Minister asked for a costed option.",
        owner="Dr Patel",
        due_on=None,
        by=secretariat,
    )
    found = services.check_notes(notes, change_note="Greg from the LGA insisted on this.")
    assert {(c.field, c.finding.words) for c in found} == {
        ("summary", "Jane Smith said"),
        ("discussion_points", "According to Raj"),
        ("decisions", "HMRC said"),
        ("action_description", "The Minister asked"),
        ("action_owner", "Dr Patel"),
        ("change_note", "Greg from the LGA insisted"),
    }
    labels = {c.field: c.field_label for c in found}
    assert labels["action_owner"] == "the owner of action 1"
    assert labels["change_note"] == "what you corrected"


@pytest.mark.parametrize(
    ("owner", "identifies"),
    [
        ("The secretariat", False),
        ("Academic members", False),
        ("HMRC", False),
        ("The Cabinet Office", False),
        ("Citizens Advice", False),
        ("Cabinet Office officials", False),
        ("Jane Smith", True),
        ("Dr Patel", True),
        ("the Minister", True),
        ("The chair", True),
        ("The convenor", True),
        ("The Home Office official", True),
        ("The DWP representative", True),
        ("Ben Osei (ONS)", True),
    ],
)
def test_an_action_owner_may_be_an_organisation_or_role_but_not_someone(owner, identifies):
    notes = NotesFactory(summary="", discussion_points="", decisions="")
    notes.meeting.actions.create(description="Circulate the revised paper.", owner=owner)
    found = [c for c in services.check_notes(notes) if c.field == "action_owner"]
    assert bool(found) == identifies, found
    if found:
        assert found[0].finding.sentence == owner  # the owner stands in for the sentence


def test_the_databases_organisations_are_known_to_the_check():
    """ "The Foundry said" is not found by its shape ("the" and a capital is a thing, as in
    the Guardian), only because the database holds an organisation of that name."""
    from documents.models import Organisation

    notes = NotesFactory(summary="The Foundry said the plan was flawed.")
    assert services.check_notes(notes) == []
    for make in (
        lambda: UserFactory(organisation="The Foundry"),
        lambda: NotesFactory().attendees.create(
            name="Ann Lee", organisation="The Foundry", mode="remote"
        ),
        lambda: Organisation.objects.create(name="The Foundry", slug="the-foundry"),
    ):
        undo = make()
        [checked] = services.check_notes(notes)
        assert (checked.finding.matched, checked.finding.kind) == ("The Foundry", "organisation")
        undo.delete()


def test_organisations_are_read_once_per_check_not_per_part(django_assert_num_queries):
    notes = NotesFactory()
    for i in range(3):
        notes.meeting.actions.create(description=f"Action {i}", owner="Secretariat")
    # attendees, organisations (people, attendance records, documents), overrides, actions
    with django_assert_num_queries(6):
        services.check_notes(notes, change_note="Fixed a typo.")


def test_publication_is_refused_while_an_action_or_the_change_note_attributes(secretariat):
    notes = NotesFactory()
    services.publish_notes(notes, by=secretariat)
    action = add_action(notes, secretariat, owner="the Minister")
    with pytest.raises(ValidationError) as error:
        services.publish_notes(notes, by=secretariat, change_note="Jane Smith said to add it.")
    assert "1 place" in error.value.message_dict["__all__"][0]
    [change_note] = error.value.message_dict["change_note"]
    assert "“Jane Smith said”" in change_note
    services.remove_action(action, by=secretariat)
    add_action(notes, secretariat)
    version = services.publish_notes(notes, by=secretariat, change_note="Added an action.")
    assert version.number == 2


def test_override_is_audited_without_the_sentence_or_whom_it_names(secretariat):
    notes = NotesFactory(summary="The group thanked Patel for hosting.")
    notes.attendees.create(name="Anita Patel", organisation="", mode="in_person")
    [checked] = services.check_notes(notes)
    with pytest.raises(ValidationError) as error:
        services.override_finding(
            notes,
            matched=checked.finding.matched,
            sentence=checked.finding.sentence,
            reason="Anita Patel hosted; thanks are not a view.",
            by=secretariat,
        )
    assert "reason" in error.value.error_dict
    services.override_finding(
        notes,
        matched=checked.finding.matched,
        sentence=checked.finding.sentence,
        reason="Thanks to the host are not a view.",
        by=secretariat,
    )
    entry = AuditEntry.objects.get(action="meetings.finding_overridden")
    assert entry.payload == {
        "kind": "person",
        "field": "summary",
        "reason": "Thanks to the host are not a view.",
    }


# --- Actions are published with a version ------------------------------------------------


def test_actions_are_published_with_a_version_and_keep_their_words(secretariat):
    notes = NotesFactory()
    draft = add_action(notes, secretariat)
    v1 = services.publish_notes(notes, by=secretariat)
    [published] = v1.actions.all()
    assert (published.description, published.owner, published.action) == (
        "Draft options.",
        "Secretariat",
        draft,
    )
    services.set_action_status(draft, status="done", by=secretariat)
    published.refresh_from_db()
    assert published.status == "done"  # the status is live
    services.remove_action(draft, by=secretariat)
    published.refresh_from_db()
    assert (published.description, published.status) == ("Draft options.", "open")
    v2 = services.publish_notes(notes, by=secretariat, change_note="Took out an action.")
    assert not v2.actions.exists()
    assert v2.changes_from(v1) == [("Actions", "removed", "Draft options. (owner: Secretariat)")]


def test_a_status_change_alone_publishes_no_new_version(secretariat):
    notes = NotesFactory()
    action = add_action(notes, secretariat)
    services.publish_notes(notes, by=secretariat)
    services.set_action_status(action, status="done", by=secretariat)
    assert services.publish_notes(notes, by=secretariat, change_note="x").number == 1


# --- Withdrawing a version -----------------------------------------------------------------------


def breached_then_corrected(secretariat):
    """v1 attributes a comment (overridden with a reason) and has an action; v2 corrects it."""
    notes = NotesFactory(summary="Ottoline Vasquez said the Zephyr ledger should go.")
    notes.attendees.create(name="Ann Lee", organisation="Involve", mode="remote")
    action = add_action(notes, secretariat, description="Cost the Zephyr ledger.")
    [checked] = services.check_notes(notes)
    services.override_finding(
        notes,
        matched=checked.finding.matched,
        sentence=checked.finding.sentence,
        reason="Quoting a published letter.",
        by=secretariat,
    )
    v1 = services.publish_notes(notes, by=secretariat, change_note="")
    services.save_notes(
        notes,
        summary="One participant argued that the ledger should go.",
        discussion_points=notes.discussion_points,
        decisions=notes.decisions,
        by=secretariat,
    )
    services.remove_action(action, by=secretariat)
    v2 = services.publish_notes(notes, by=secretariat, change_note="Removed an attribution.")
    return notes, v1, v2


def test_withdrawing_erases_the_versions_words_and_stale_overrides(secretariat):
    notes, v1, v2 = breached_then_corrected(secretariat)
    services.withdraw_notes_version(v1, reason="attributed", by=secretariat)
    v1.refresh_from_db()
    assert v1.is_withdrawn and v1.withdrawn_by == secretariat
    assert (v1.summary, v1.discussion_points, v1.decisions, v1.change_note, v1.attendees) == (
        "",
        "",
        "",
        "",
        [],
    )
    assert not v1.actions.exists()
    assert not notes.overrides.exists()  # its sentence stands nowhere now
    v2.refresh_from_db()
    assert v2.summary == "One participant argued that the ledger should go."
    entry = AuditEntry.objects.get(action="meetings.notes_withdrawn")
    assert entry.actor == secretariat
    assert entry.payload == {"version": 1, "reason": "attributed", "note": ""}
    logged = str(list(AuditEntry.objects.values_list("payload", "target_repr")))
    assert "Zephyr" not in logged and "Ottoline" not in logged and "Vasquez" not in logged


def test_withdrawing_forgets_rendered_markdown_once_committed(
    secretariat, django_capture_on_commit_callbacks
):
    from policyhub import markup

    notes, v1, _ = breached_then_corrected(secretariat)
    with django_capture_on_commit_callbacks() as callbacks:
        services.withdraw_notes_version(v1, reason="attributed", by=secretariat)
    assert markup.forget_rendered in callbacks


def test_an_override_still_about_the_draft_or_a_standing_version_is_kept(secretariat):
    notes = NotesFactory(summary="The group thanked Patel for hosting.")
    notes.attendees.create(name="Anita Patel", organisation="", mode="in_person")
    [checked] = services.check_notes(notes)
    services.override_finding(
        notes,
        matched=checked.finding.matched,
        sentence=checked.finding.sentence,
        reason="Thanks to the host are not a view.",
        by=secretariat,
    )
    v1 = services.publish_notes(notes, by=secretariat)
    services.withdraw_notes_version(v1, reason="mistake", by=secretariat)
    assert notes.overrides.count() == 1  # the draft still says it


def test_withdrawing_twice_changes_nothing_and_cannot_be_undone(secretariat):
    notes, v1, _ = breached_then_corrected(secretariat)
    services.withdraw_notes_version(v1, reason="attributed", by=secretariat)
    withdrawn_at = NotesVersion.objects.get(pk=v1.pk).withdrawn_at
    again = services.withdraw_notes_version(v1, reason="mistake", by=secretariat)
    assert (again.withdrawal_reason, again.withdrawn_at) == ("attributed", withdrawn_at)
    assert AuditEntry.objects.filter(action="meetings.notes_withdrawn").count() == 1


def test_a_withdrawn_version_must_be_erased_says_the_database(secretariat):
    from django.db import IntegrityError, transaction

    notes, v1, _ = breached_then_corrected(secretariat)
    services.withdraw_notes_version(v1, reason="attributed", by=secretariat)
    with pytest.raises(IntegrityError), transaction.atomic():
        NotesVersion.objects.filter(pk=v1.pk).update(summary="Back again.")
    with pytest.raises(IntegrityError), transaction.atomic():
        NotesVersion.objects.filter(pk=v1.pk).update(withdrawal_reason="")


def test_another_reason_is_needed_published_and_may_not_say_who_said_what(secretariat):
    notes, v1, _ = breached_then_corrected(secretariat)
    for note, field in [
        ("", "note"),
        ("Jane Smith said it was wrong.", "note"),
        ("It quoted Ottoline Vasquez.", "note"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.withdraw_notes_version(v1, reason="other", note=note, by=secretariat)
        assert field in error.value.error_dict, note
    with pytest.raises(ValidationError) as error:
        services.withdraw_notes_version(v1, reason="forgot", by=secretariat)
    assert "reason" in error.value.error_dict
    services.withdraw_notes_version(
        v1, reason="other", note="It gave the wrong meeting date.", by=secretariat
    )
    v1.refresh_from_db()
    with time_machine.travel(v1.withdrawn_at):
        assert v1.withdrawal_notice.endswith(". The reason given: It gave the wrong meeting date.")


def test_the_notice_says_when_and_why_in_the_sites_date_format(secretariat):
    notes, v1, v2 = breached_then_corrected(secretariat)
    with time_machine.travel(datetime(2016, 5, 3, 23, 30, tzinfo=UTC)):  # 4 May in London
        services.withdraw_notes_version(v2, reason="attributed", by=secretariat)
    v2.refresh_from_db()
    assert v2.withdrawal_notice == (
        "Version 2 was withdrawn on 4 May 2016 because it attributed a comment "
        "(Chatham House Rule)."
    )


def test_after_a_withdrawal_the_next_version_is_compared_with_the_last_standing(secretariat):
    notes = NotesFactory(summary="First.")
    services.publish_notes(notes, by=secretariat)
    for summary in ("Second.", "Third."):
        services.save_notes(
            notes, summary=summary, discussion_points="", decisions="", by=secretariat
        )
        services.publish_notes(notes, by=secretariat, change_note=f"Now {summary}")
    v2 = notes.versions.get(number=2)
    services.withdraw_notes_version(v2, reason="mistake", by=secretariat)
    assert list(notes.versions.current().values_list("number", flat=True)) == [3]
    v3, v1 = notes.versions.get(number=3), notes.versions.get(number=1)
    assert ("Summary", "removed", "First.") in v3.changes_from(v1)
    services.withdraw_notes_version(v3, reason="mistake", by=secretariat)
    assert list(notes.versions.current().values_list("number", flat=True)) == [1]
    services.save_notes(
        notes, summary="Fourth.", discussion_points="", decisions="", by=secretariat
    )
    assert services.publish_notes(notes, by=secretariat, change_note="Again.").number == 4
