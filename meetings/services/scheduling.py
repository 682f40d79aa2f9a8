"""Scheduling meetings: announcing, changing, rescheduling and cancelling them, and the
notice rules the terms of reference set.

A change of time or place is a reschedule: it needs a reason and keeps the previous
arrangement as history. Attendees hear of changes and cancellations through the reminder
sweep (reminders.py), which is keyed on the start time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings import permissions
from meetings.models import Meeting, MeetingRevision, Region
from policyhub import audit

from .registration import promote_waiting

if TYPE_CHECKING:
    from policyhub.models import User
    from process.models import Process
    from workinggroups.models import WorkingGroup


def _check_meeting(
    *,
    starts_at: datetime,
    ends_at: datetime,
    region: str,
    venue: str,
    has_remote_participation: bool,
    joining_link: str,
    dial_in: str,
    capacity: int | None,
    reminder_days: list[int],
) -> None:
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = "The meeting must end after it starts."
    if region == Region.ONLINE and not has_remote_participation:
        errors["has_remote_participation"] = (
            "An online-only meeting must allow remote participation."
        )
    if region != Region.ONLINE and not venue.strip():
        errors["venue"] = "Enter the venue, or choose “Online only” as the region."
    if has_remote_participation and not (joining_link.strip() or dial_in.strip()):
        errors["joining_link"] = "Enter a joining link or dial-in details for remote attendees."
    if capacity is not None and capacity < 1:
        errors["capacity"] = "Enter at least 1 in-person place, or leave it empty for no limit."
    if any(not isinstance(d, int) or d < 1 or d > 60 for d in reminder_days):
        errors["reminder_days"] = "Reminder days must be whole numbers from 1 to 60."
    if errors:
        raise ValidationError(errors)


def _check_notice(starts_at: datetime, short_notice_reason: str, now: datetime) -> None:
    """The terms of reference ask for meetings to be set well in advance; less than the
    minimum notice needs a reason, which is then shown publicly."""
    if starts_at <= now:
        raise ValidationError({"starts_at": "The meeting must start in the future."})
    minimum = timedelta(days=settings.MEETING_MINIMUM_NOTICE_DAYS)
    if starts_at - now < minimum and not short_notice_reason.strip():
        raise ValidationError(
            {
                "short_notice_reason": (
                    f"This gives less than {settings.MEETING_MINIMUM_NOTICE_DAYS} days’ notice. "
                    "Explain why it cannot wait; the reason is shown on the meeting page."
                )
            }
        )


@transaction.atomic
def schedule_meeting(
    *,
    process: Process | None,
    working_group: WorkingGroup | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    purpose: str = "",
    venue: str = "",
    address: str = "",
    region: str = Region.LONDON,
    has_remote_participation: bool = True,
    joining_link: str = "",
    dial_in: str = "",
    capacity: int | None = None,
    short_notice_reason: str = "",
    reminder_days: list[int] | None = None,
    by: User,
) -> Meeting:
    """Announce a meeting. Notice is measured from now, the moment it is announced."""
    if not permissions.can_schedule(by, group=working_group):
        raise ValidationError("You cannot schedule meetings for this group.")
    if working_group is not None:
        process = working_group.process
    reminder_days = [7, 1] if reminder_days is None else reminder_days
    now = timezone.now()
    _check_meeting(
        starts_at=starts_at,
        ends_at=ends_at,
        region=region,
        venue=venue,
        has_remote_participation=has_remote_participation,
        joining_link=joining_link,
        dial_in=dial_in,
        capacity=capacity,
        reminder_days=reminder_days,
    )
    _check_notice(starts_at, short_notice_reason, now)
    meeting = Meeting.objects.create(
        process=process,
        working_group=working_group,
        title=title,
        purpose=purpose,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        address=address,
        region=region,
        has_remote_participation=has_remote_participation,
        joining_link=joining_link,
        dial_in=dial_in,
        capacity=capacity,
        announced_at=now,
        short_notice_reason=short_notice_reason if starts_at - now < _minimum() else "",
        reminder_days=sorted(set(reminder_days), reverse=True),
    )
    audit.record("meetings.scheduled", actor=by, target=meeting, starts_at=starts_at.isoformat())
    return meeting


def _minimum() -> timedelta:
    return timedelta(days=settings.MEETING_MINIMUM_NOTICE_DAYS)


@transaction.atomic
def update_meeting(
    meeting: Meeting, *, by: User, change_reason: str = "", **fields: Any
) -> Meeting:
    """Change a meeting's details. Moving its time or place is a reschedule: it needs a
    reason, keeps the previous arrangement as history, restarts the notice clock and gives
    attendees fresh reminders (reminders are keyed on the start time)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        raise ValidationError("A cancelled meeting cannot be changed.")
    if meeting.has_started:
        raise ValidationError("This meeting has started, so it can no longer be changed.")
    allowed = {
        "title",
        "purpose",
        "starts_at",
        "ends_at",
        "venue",
        "address",
        "region",
        "has_remote_participation",
        "joining_link",
        "dial_in",
        "capacity",
        "short_notice_reason",
        "reminder_days",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    merged = {name: fields.get(name, getattr(meeting, name)) for name in allowed}
    _check_meeting(
        starts_at=merged["starts_at"],
        ends_at=merged["ends_at"],
        region=merged["region"],
        venue=merged["venue"],
        has_remote_participation=merged["has_remote_participation"],
        joining_link=merged["joining_link"],
        dial_in=merged["dial_in"],
        capacity=merged["capacity"],
        reminder_days=merged["reminder_days"] or [],
    )
    rescheduled = (
        merged["starts_at"] != meeting.starts_at
        or merged["ends_at"] != meeting.ends_at
        or merged["venue"] != meeting.venue
        or merged["region"] != meeting.region
    )
    now = timezone.now()
    if rescheduled:
        if not change_reason.strip():
            raise ValidationError(
                {"change_reason": "Explain why the time or place has changed; attendees see it."}
            )
        if merged["starts_at"] != meeting.starts_at:
            _check_notice(merged["starts_at"], merged["short_notice_reason"], now)
        MeetingRevision.objects.create(
            meeting=meeting,
            previous_starts_at=meeting.starts_at,
            previous_ends_at=meeting.ends_at,
            previous_venue=meeting.venue,
            previous_region=meeting.region,
            reason=change_reason.strip(),
            changed_at=now,
            changed_by=by,
        )
        if merged["starts_at"] != meeting.starts_at:
            meeting.announced_at = now
    changed = [name for name in allowed if merged[name] != getattr(meeting, name)]
    if not changed:
        return meeting
    previous_capacity = meeting.capacity
    for name in changed:
        setattr(meeting, name, merged[name])
    if meeting.starts_at - meeting.announced_at >= _minimum():
        meeting.short_notice_reason = ""
    meeting.sequence += 1
    meeting.save()
    if meeting.capacity != previous_capacity:
        promote_waiting(meeting)
    audit.record(
        "meetings.rescheduled" if rescheduled else "meetings.updated",
        actor=by,
        target=meeting,
        fields=sorted(changed),
        reason=change_reason.strip(),
    )
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, by: User) -> Meeting:
    """Cancel with a public reason. Attendees get one cancellation notice from the next
    reminder sweep instead of their reminders. Cancelling twice changes nothing."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    if not reason.strip():
        raise ValidationError({"reason": "Explain why the meeting is cancelled."})
    if meeting.has_started:
        raise ValidationError("This meeting has already started, so it cannot be cancelled.")
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.sequence += 1
    meeting.save()
    audit.record("meetings.cancelled", actor=by, target=meeting, reason=meeting.cancellation_reason)
    return meeting
