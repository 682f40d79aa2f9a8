"""What meetings hold about one person, for "Your data" (policyhub.your_data): their
registrations, their lines on attendance records, actions owned in their name, their
calendar feed and reminders; and how meetings forget them when their account is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from meetings.models import (
    Action,
    Attendee,
    CalendarToken,
    NotesVersion,
    PublishedAction,
    Registration,
    ReminderOptOut,
    SentReminder,
)
from policyhub.your_data import FORMER_PARTICIPANT, when

from .registration import withdraw

if TYPE_CHECKING:
    from policyhub.models import User


def your_data(user: User) -> dict:
    """Only the person's own lines: an attendance record's other attendees are not theirs."""
    return {
        "registrations": [
            {
                "meeting": r.meeting.title,
                "starts_at": when(r.meeting.starts_at),
                "attending": r.get_mode_display(),
                "status": r.get_status_display(),
                "registered_at": when(r.created_at),
            }
            for r in Registration.objects.filter(user=user).select_related("meeting")
        ],
        "attendance_records": [
            {
                "meeting": a.notes.meeting.title,
                "name": a.name,
                "organisation": a.organisation,
                "attended": a.get_mode_display(),
            }
            for a in Attendee.objects.filter(user=user).select_related("notes__meeting")
        ],
        "actions_owned": [
            {
                "meeting": a.meeting.title,
                "description": a.description,
                "due_on": a.due_on.isoformat() if a.due_on else None,
                "status": a.get_status_display(),
            }
            for a in Action.objects.filter(owner__iexact=user.display_name).select_related(
                "meeting"
            )
        ],
        "private_calendar_feed": CalendarToken.objects.filter(user=user).exists(),
        "reminders_stopped": ReminderOptOut.objects.filter(user=user).exists(),
        "reminders_sent": [
            {"meeting": r.meeting.title, "kind": r.kind, "sent_at": when(r.sent_at)}
            for r in SentReminder.objects.filter(user=user).select_related("meeting")
        ],
    }


def forget_person(user: User) -> None:
    """Before the account goes: give up places at meetings still to come (so the waiting
    list moves up), and let attendance records and actions say "A former participant"
    instead of the name, in the draft and in every published version, so the record still
    counts who came without saying who they were."""
    now = timezone.now()
    for registration in Registration.objects.filter(user=user, meeting__starts_at__gt=now):
        withdraw(registration.meeting, by=user)
    for attendee in Attendee.objects.filter(user=user):
        for version in NotesVersion.objects.filter(notes=attendee.notes):
            changed = False
            for line in version.attendees:
                if (line.get("name"), line.get("organisation")) == (
                    attendee.name,
                    attendee.organisation,
                ):
                    line["name"], changed = FORMER_PARTICIPANT, True
            if changed:
                version.save(update_fields=["attendees"])
        attendee.name = FORMER_PARTICIPANT
        attendee.save(update_fields=["name"])
    if user.display_name.strip():
        Action.objects.filter(owner__iexact=user.display_name).update(owner=FORMER_PARTICIPANT)
        PublishedAction.objects.filter(owner__iexact=user.display_name).update(
            owner=FORMER_PARTICIPANT
        )
