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
from tests.factories import UserFactory
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
    meeting = schedule(convenor, group)
    assert meeting.process == group.process
    assert meeting.notice_days == 29 or meeting.notice_days == 30
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
            "day": "2026-10-25",
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
            "day": "2026-03-29",
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
