"""Registering to attend a meeting: in person, remotely or with apologies, and the waiting
list for in-person places beyond a meeting's capacity."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.models import Meeting, Registration
from policyhub import audit

if TYPE_CHECKING:
    from policyhub.models import User


@transaction.atomic
def register(meeting: Meeting, *, mode: str, by: User) -> Registration:
    """Attend in person, remotely, or send apologies. In-person places beyond capacity go on
    a waiting list. Registering again changes the answer (a double submit is harmless).

    The meeting row is locked so two people cannot take the last place at once."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if mode not in Registration.Mode.values:
        raise ValidationError({"mode": "Choose how you will attend."})
    if meeting.is_cancelled:
        raise ValidationError("This meeting has been cancelled.")
    if meeting.has_started:
        raise ValidationError("Registration closed when the meeting started.")
    if mode == Registration.Mode.REMOTE and not meeting.has_remote_participation:
        raise ValidationError({"mode": "This meeting cannot be joined remotely."})
    if mode == Registration.Mode.IN_PERSON and meeting.is_online_only:
        raise ValidationError({"mode": "This meeting is online only; register to join remotely."})
    registration = Registration.objects.filter(meeting=meeting, user=by).first()
    if registration is not None and registration.mode == mode:
        return registration
    now = timezone.now()
    status, waiting_since = Registration.Status.CONFIRMED, None
    if mode == Registration.Mode.IN_PERSON and meeting.capacity is not None:
        taken = meeting.registrations.confirmed_in_person().exclude(user=by).count()
        if taken >= meeting.capacity:
            status, waiting_since = Registration.Status.WAITING, now
    if registration is None:
        registration = Registration.objects.create(
            meeting=meeting, user=by, mode=mode, status=status, waiting_since=waiting_since
        )
    else:
        registration.mode, registration.status = mode, status
        registration.waiting_since = waiting_since
        registration.save()
    promote_waiting(meeting)
    audit.record("meetings.registered", actor=by, target=meeting, mode=mode, status=status)
    registration.refresh_from_db()
    return registration


@transaction.atomic
def withdraw(meeting: Meeting, *, by: User) -> None:
    """Withdraw a registration; a freed in-person place goes to the longest waiting."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.has_started:
        raise ValidationError("Registration closed when the meeting started.")
    deleted, _ = Registration.objects.filter(meeting=meeting, user=by).delete()
    if deleted:
        promote_waiting(meeting)
        audit.record("meetings.withdrew", actor=by, target=meeting)


def promote_waiting(meeting: Meeting) -> list[Registration]:
    """Fill free in-person places from the waiting list, in the order people joined it.
    Callers hold the meeting's row lock: withdrawing frees a place, and a change of capacity
    (scheduling.update_meeting) may free several."""
    waiting = list(meeting.registrations.waiting())
    if not waiting:
        return []
    if meeting.capacity is None:
        free = len(waiting)
    else:
        free = meeting.capacity - meeting.registrations.confirmed_in_person().count()
    promoted = waiting[: max(free, 0)]
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.waiting_since = None
        registration.save(update_fields=["status", "waiting_since", "updated_at"])
    return promoted
