"""Reminders: due ones are sent, each (meeting, person, reminder) exactly once, whatever
happens to the sweep and the delivery tasks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from meetings import services, tasks
from meetings.models import ReminderOptOut, SentReminder
from tests.factories import MembershipFactory, ProcessFactory, UserFactory
from tests.meetings.factories import MeetingFactory, NotesFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(group):
    start = timezone.now() + timedelta(days=20)
    return MeetingFactory(working_group=group, starts_at=start)


def at_reminder(meeting, days: int, after: timedelta = timedelta(minutes=1)):
    return time_machine.travel(meeting.starts_at - timedelta(days=days) + after, tick=False)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_nothing_is_sent_before_a_reminder_is_due(meeting, member):
    with time_machine.travel(meeting.starts_at - timedelta(days=8), tick=False):
        assert services.send_due_reminders() == 0
    assert mail.outbox == []


def test_reminder_goes_to_attendees_and_group_members_but_not_apologies(meeting, member):
    remote = RegistrationFactory(meeting=meeting, mode="remote").user
    sorry = MembershipFactory(group=meeting.working_group).user
    RegistrationFactory(meeting=meeting, user=sorry, mode="apologies")
    with at_reminder(meeting, 7):
        services.send_due_reminders()
    assert recipients() == sorted([member.email, remote.email])


def test_sweep_running_twice_sends_each_reminder_once(meeting, member):
    with at_reminder(meeting, 7):
        tasks.send_due_meeting_reminders.delay()
        tasks.send_due_meeting_reminders.delay()
    assert recipients() == [member.email]
    assert SentReminder.objects.get().sent_at is not None


def test_duplicated_delivery_task_sends_once(meeting, member):
    with at_reminder(meeting, 7):
        ids = services.queue_due_reminders()
        tasks.deliver_meeting_reminders.delay(ids)
        tasks.deliver_meeting_reminders.delay(ids)
    assert len(mail.outbox) == 1


def test_retried_delivery_after_a_failure_sends_once(meeting, member):
    with at_reminder(meeting, 7):
        ids = services.queue_due_reminders()
        with (
            mock.patch(
                "django.core.mail.message.EmailMessage.send", side_effect=OSError("SMTP down")
            ),
            pytest.raises(OSError),
        ):
            services.deliver_reminders(ids)
        assert SentReminder.objects.get().claimed_at is None  # released for a retry
        services.deliver_reminders(ids)
        services.deliver_reminders(ids)
    assert len(mail.outbox) == 1


def test_reminder_claimed_by_a_worker_that_died_is_sent_once_when_its_lease_runs_out(
    meeting, member
):
    """Exactly once (docs/decisions/0200): a live claim is respected; an abandoned one (the
    worker died before sending) is taken over after the lease, and the reminder goes once."""
    with at_reminder(meeting, 7):
        ids = services.queue_due_reminders()
        SentReminder.objects.filter(pk__in=ids).update(
            claimed_at=timezone.now(), claim_token="dead-worker"
        )
        services.send_due_reminders()
        assert mail.outbox == []  # the claim is still live
    later = timedelta(minutes=1) + services.reminder_lease() + timedelta(seconds=1)
    with at_reminder(meeting, 7, after=later):
        services.send_due_reminders()
        services.send_due_reminders()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == services.reminder_message_id(
        SentReminder.objects.get()
    )
    assert SentReminder.objects.get().sent_at is not None


def test_seven_and_one_day_reminders_are_each_sent_once(meeting, member):
    with at_reminder(meeting, 7):
        services.send_due_reminders()
    with at_reminder(meeting, 7, after=timedelta(hours=3)):
        services.send_due_reminders()
    with at_reminder(meeting, 1):
        services.send_due_reminders()
    with at_reminder(meeting, 1, after=timedelta(hours=3)):
        services.send_due_reminders()
    assert sorted(SentReminder.objects.values_list("kind", flat=True)) == ["before-1", "before-7"]
    assert len(mail.outbox) == 2


def test_worker_back_after_an_outage_sends_the_latest_due_reminder_only(meeting, member):
    with at_reminder(meeting, 1):  # the 7-day reminder was missed while Redis was down
        services.send_due_reminders()
    assert list(SentReminder.objects.values_list("kind", flat=True)) == ["before-1"]
    assert len(mail.outbox) == 1


def test_someone_registering_after_a_reminder_time_gets_no_back_dated_reminder(meeting):
    with at_reminder(meeting, 7, after=timedelta(hours=1)):
        late = UserFactory()
        services.register(meeting, mode="remote", by=late)
        services.send_due_reminders()
    assert mail.outbox == []
    with at_reminder(meeting, 1):
        services.send_due_reminders()
    assert recipients() == [late.email]


def announce_at_short_notice(by, announced: datetime, notice: timedelta):
    with time_machine.travel(announced, tick=False):
        return services.schedule_meeting(
            process=ProcessFactory(),
            working_group=None,
            title="Urgent review of the draft",
            starts_at=announced + notice,
            ends_at=announced + notice + timedelta(hours=1),
            region="online",
            joining_link="https://meet.example.org/x",
            short_notice_reason="The minister asked for advice by Friday.",
            reminder_days=[7, 1],
            by=by,
        )


def test_a_meeting_announced_after_all_its_reminder_times_reminds_registrants_once_soon_after(
    secretariat,
):
    """Scheduled 19 hours ahead, after both reminder times had passed: people who register
    on seeing the announcement are reminded once, soon after; later sweeps add nothing."""
    announced = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    meeting = announce_at_short_notice(secretariat, announced, timedelta(hours=19))
    early = UserFactory()
    with time_machine.travel(announced + timedelta(minutes=20), tick=False):
        services.register(meeting, mode="remote", by=early)
        services.send_due_reminders()
    assert mail.outbox == []  # not yet: others may still be registering
    with time_machine.travel(announced + timedelta(hours=1, minutes=5), tick=False):
        services.send_due_reminders()
        services.send_due_reminders()
    assert recipients() == [early.email]
    with time_machine.travel(announced + timedelta(hours=18), tick=False):
        services.register(meeting, mode="remote", by=UserFactory())
        services.send_due_reminders()
    assert recipients() == [early.email]


def test_a_reminder_time_passed_before_the_announcement_is_not_sent_late_when_another_follows(
    secretariat,
):
    """Announced 3 days ahead: the 7-day reminder is not sent late on top of the 1-day one."""
    announced = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    meeting = announce_at_short_notice(secretariat, announced, timedelta(days=3))
    early = UserFactory()
    with time_machine.travel(announced + timedelta(minutes=20), tick=False):
        services.register(meeting, mode="remote", by=early)
    for after in (timedelta(hours=2), timedelta(days=2, minutes=1), timedelta(days=2, hours=5)):
        with time_machine.travel(announced + after, tick=False):
            services.send_due_reminders()
    assert recipients() == [early.email]
    assert list(SentReminder.objects.values_list("kind", flat=True)) == ["before-1"]


def test_rescheduled_meeting_gets_fresh_reminders_at_its_new_time(meeting, member, secretariat):
    with at_reminder(meeting, 7):
        services.send_due_reminders()
        services.update_meeting(
            meeting,
            by=secretariat,
            change_reason="Clash with a select committee.",
            short_notice_reason="Moved within the week.",
            starts_at=meeting.starts_at + timedelta(days=7),
            ends_at=meeting.ends_at + timedelta(days=7),
        )
    meeting.refresh_from_db()
    with at_reminder(meeting, 7):
        services.send_due_reminders()
    assert len(mail.outbox) == 2
    assert SentReminder.objects.filter(starts_at=meeting.starts_at).count() == 1


def test_cancelled_meeting_gets_one_cancellation_notice_instead(meeting, member, secretariat):
    services.cancel_meeting(meeting, reason="The venue flooded.", by=secretariat)
    services.send_due_reminders()
    services.send_due_reminders()
    with at_reminder(meeting, 1):
        services.send_due_reminders()
    [message] = mail.outbox
    assert message.subject.startswith("Cancelled:")
    assert "The venue flooded." in message.body


def test_people_who_stopped_reminders_get_none(meeting, member):
    ReminderOptOut.objects.create(user=member)
    with at_reminder(meeting, 7):
        services.send_due_reminders()
    assert mail.outbox == []


def test_reminder_email_has_uk_time_venue_region_ics_and_stop_link(client, group):
    meeting = MeetingFactory(
        working_group=group,
        starts_at=datetime(2027, 7, 1, 9, tzinfo=UTC),
        ends_at=datetime(2027, 7, 1, 11, tzinfo=UTC),
    )
    remote = RegistrationFactory(meeting=meeting, mode="remote").user
    in_person = RegistrationFactory(meeting=meeting, mode="in_person").user
    with at_reminder(meeting, 7):
        services.send_due_reminders()
    by_person = {m.to[0]: m for m in mail.outbox}
    message = by_person[remote.email]
    assert "10:00 to 12:00" in message.body  # 09:00 UTC shown as 10:00 BST
    assert "Meeting room 1" in message.body
    assert "Yorkshire and The Humber" in message.body
    assert "https://meet.example.org/secret-room" in message.body
    assert "https://meet.example.org/secret-room" not in by_person[in_person.email].body
    [(name, content, mimetype)] = message.attachments
    assert mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text and f"meeting-{meeting.pk}@policyhub" in text
    stop_url = message.extra_headers["List-Unsubscribe"].strip("<>")
    path = urlsplit(stop_url).path
    assert client.get(path).status_code == 200
    assert not ReminderOptOut.objects.filter(user=remote).exists()  # GET alone does nothing
    client.post(path)
    assert ReminderOptOut.objects.filter(user=remote).exists()


def test_convenor_is_reminded_to_publish_notes_after_three_and_seven_days(group, convenor):
    notes = NotesFactory(meeting__working_group=group)
    meeting = notes.meeting
    with time_machine.travel(meeting.ends_at + timedelta(days=2), tick=False):
        services.send_due_reminders()
    assert mail.outbox == []
    with time_machine.travel(meeting.ends_at + timedelta(days=3, hours=1), tick=False):
        services.send_due_reminders()
        services.send_due_reminders()
    with time_machine.travel(meeting.ends_at + timedelta(days=7, hours=1), tick=False):
        services.send_due_reminders()
    assert [m.to for m in mail.outbox] == [[convenor.email], [convenor.email]]
    assert "publish the notes" in mail.outbox[0].subject


def test_no_notes_reminder_once_notes_are_published(group, convenor, secretariat):
    notes = NotesFactory(meeting__working_group=group)
    services.publish_notes(notes, by=secretariat)
    with time_machine.travel(notes.meeting.ends_at + timedelta(days=3, hours=1), tick=False):
        services.send_due_reminders()
    assert mail.outbox == []


def test_notes_whose_only_version_was_withdrawn_are_reminded_again(group, convenor, secretariat):
    notes = NotesFactory(meeting__working_group=group)
    version = services.publish_notes(notes, by=secretariat)
    services.withdraw_notes_version(version, reason="mistake", by=secretariat)
    with time_machine.travel(notes.meeting.ends_at + timedelta(days=3, hours=1), tick=False):
        services.send_due_reminders()
    assert [m.to for m in mail.outbox] == [[convenor.email]]
    assert "publish the notes" in mail.outbox[0].subject


def test_reminders_for_many_people_are_split_into_small_tasks(meeting, settings):
    for _ in range(5):
        MembershipFactory(group=meeting.working_group)
    with (
        mock.patch.object(services, "REMINDER_BATCH", 2),
        mock.patch.object(tasks.deliver_meeting_reminders, "delay") as delay,
        at_reminder(meeting, 7),
    ):
        assert tasks.send_due_meeting_reminders() == 5
    assert [len(call.args[0]) for call in delay.call_args_list] == [2, 2, 1]
