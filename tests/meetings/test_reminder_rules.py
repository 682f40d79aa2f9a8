"""Who a reminder reaches, and when it must not go, asserted on the emails sent and the
reminder rows, at explicit moments (docs/decisions/0200).

The sweep (`queue_due_reminders`) and the delivery (`deliver_reminders`) are called apart
where the rule is about what changes between them, as happens when a delivery task runs a
little after the sweep that queued it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem

from meetings import services
from meetings.models import SentReminder
from tests.factories import MembershipFactory
from tests.meetings.factories import MeetingFactory, NotesFactory

pytestmark = pytest.mark.django_db

STARTS_AT = datetime(2027, 5, 12, 9, 0, tzinfo=UTC)
WEEK_BEFORE = STARTS_AT - timedelta(days=7)  # when the 7-day reminder falls due
DAY_BEFORE = STARTS_AT - timedelta(days=1)
MINUTE = timedelta(minutes=1)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def meeting(group):
    return MeetingFactory(
        working_group=group, starts_at=STARTS_AT, announced_at=STARTS_AT - timedelta(days=30)
    )


def member_since(group, moment: datetime):
    return MembershipFactory(group=group, joined_at=moment).user


def test_member_who_joined_after_a_reminder_fell_due_is_not_sent_it(meeting, group):
    early = member_since(group, STARTS_AT - timedelta(days=30))
    late = member_since(group, WEEK_BEFORE + timedelta(hours=1))
    with at(WEEK_BEFORE + timedelta(hours=2)):  # the sweep runs after the late one joined
        services.send_due_reminders()
    assert recipients() == [early.email]
    with at(DAY_BEFORE + MINUTE):
        services.send_due_reminders()
    assert recipients() == sorted([early.email, early.email, late.email])


def test_deactivated_person_is_not_emailed(meeting, group):
    active = member_since(group, STARTS_AT - timedelta(days=30))
    gone = member_since(group, STARTS_AT - timedelta(days=30))
    gone.is_active = False
    gone.save()
    with at(WEEK_BEFORE + MINUTE):
        services.send_due_reminders()
    assert recipients() == [active.email]
    row = SentReminder.objects.get(user=gone)
    assert row.sent_at is None and row.claim_token == services.SKIPPED


def test_reminder_settled_as_skipped_is_not_sent_later(meeting, group):
    """Someone deactivated when their reminder was due and reactivated later gets the next
    reminder, not the one that was settled without sending (no back-dated reminders)."""
    person = member_since(group, STARTS_AT - timedelta(days=30))
    person.is_active = False
    person.save()
    with at(WEEK_BEFORE + MINUTE):
        services.send_due_reminders()
    person.is_active = True
    person.save()
    # Well past the lease of the delivery task that settled it.
    with at(WEEK_BEFORE + timedelta(hours=6)):
        services.send_due_reminders()
    assert mail.outbox == []
    assert SentReminder.objects.get(kind="before-7").sent_at is None
    with at(DAY_BEFORE + MINUTE):
        services.send_due_reminders()
    assert recipients() == [person.email]
    assert SentReminder.objects.get(sent_at__isnull=False).kind == "before-1"


def test_reminder_queued_before_the_meeting_moved_is_not_sent(meeting, group, secretariat):
    person = member_since(group, STARTS_AT - timedelta(days=30))
    moved = STARTS_AT + timedelta(days=3)
    with at(WEEK_BEFORE + MINUTE):
        queued = services.queue_due_reminders()
        assert len(queued) == 1
        services.update_meeting(
            meeting,
            by=secretariat,
            change_reason="The room is needed for an inquiry.",
            short_notice_reason="Moved by three days.",
            starts_at=moved,
            ends_at=moved + timedelta(hours=2),
        )
        assert services.deliver_reminders(queued) == 0
    assert mail.outbox == []
    with at(moved - timedelta(days=7) + MINUTE):
        services.send_due_reminders()
    [message] = mail.outbox
    assert message.to == [person.email]
    assert SentReminder.objects.get(sent_at__isnull=False).starts_at == moved


def test_delivery_that_lost_its_claim_does_not_send_that_reminder(meeting, group, monkeypatch):
    """A slow delivery task whose lease ran out mid-batch: another task has claimed the rest
    of the batch, so the slow one sends none of it and each person still gets one reminder."""
    first = member_since(group, STARTS_AT - timedelta(days=30))
    second = member_since(group, STARTS_AT - timedelta(days=30))
    send = locmem.EmailBackend.send_messages

    def taken_over_while_sending(backend, messages):
        """While the slow task sends its first message, another task claims the second."""
        SentReminder.objects.filter(user=second).update(
            claim_token="another-delivery-task", claimed_at=WEEK_BEFORE + MINUTE
        )
        return send(backend, messages)

    with at(WEEK_BEFORE + MINUTE):
        queued = services.queue_due_reminders()
        monkeypatch.setattr(locmem.EmailBackend, "send_messages", taken_over_while_sending)
        assert services.deliver_reminders(queued) == 1
        monkeypatch.setattr(locmem.EmailBackend, "send_messages", send)
    assert recipients() == [first.email]
    row = SentReminder.objects.get(user=second)
    assert row.sent_at is None and row.claim_token == "another-delivery-task"
    # That other task died before sending; once its lease runs out the next sweep sends it.
    with at(WEEK_BEFORE + timedelta(minutes=30)):
        services.send_due_reminders()
    assert recipients() == sorted([first.email, second.email])


def test_notes_reminder_is_not_sent_once_the_notes_are_published(group, secretariat):
    convenor = MembershipFactory(group=group, role="convenor").user
    held = MeetingFactory(
        working_group=group,
        starts_at=STARTS_AT,
        ends_at=STARTS_AT + timedelta(hours=2),
        announced_at=STARTS_AT - timedelta(days=30),
    )
    notes = NotesFactory(meeting=held)
    with at(held.ends_at + timedelta(days=3, hours=1)):
        queued = services.queue_due_reminders()
        assert len(queued) == 1
        services.publish_notes(notes, by=secretariat)
        assert services.deliver_reminders(queued) == 0
    assert mail.outbox == []
    # Without the publication, the same reminder goes to the convenor.
    unpublished = NotesFactory(
        meeting=MeetingFactory(
            working_group=group,
            starts_at=STARTS_AT + timedelta(days=1),
            announced_at=STARTS_AT - timedelta(days=30),
        )
    )
    with at(unpublished.meeting.ends_at + timedelta(days=3, hours=1)):
        services.send_due_reminders()
    assert recipients() == [convenor.email]
