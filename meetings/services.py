"""Every write about meetings that matters: scheduling, rescheduling, cancelling,
registering, notes under the Chatham House Rule, and reminders.

Each service is atomic, takes the actor keyword-only, raises ValidationError with a sentence a
person can act on, and writes an audit entry when it changes what is published or who is in.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from policyhub import audit
from policyhub.emails import subject_line
from policyhub.links import absolute_url

from .chatham import Finding, find_attributions, fold
from .models import (
    Action,
    Attendee,
    CalendarToken,
    FindingOverride,
    Meeting,
    MeetingRevision,
    Notes,
    NotesVersion,
    Region,
    Registration,
    ReminderOptOut,
    SentReminder,
)

if TYPE_CHECKING:
    from policyhub.models import User

logger = logging.getLogger(__name__)

STOP_REMINDERS_SALT = "meetings.stop-reminders"
NOTES_REMINDER_DAYS = (3, 7)
REMINDER_BATCH = 200


# --- Scheduling ---------------------------------------------------------------------------


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
    process: Any,
    working_group: Any | None,
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
    from . import permissions

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
        _promote_waiting(meeting)
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


# --- Registration -------------------------------------------------------------------------


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
    _promote_waiting(meeting)
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
        _promote_waiting(meeting)
        audit.record("meetings.withdrew", actor=by, target=meeting)


def _promote_waiting(meeting: Meeting) -> list[Registration]:
    """Fill free in-person places from the waiting list, in the order people joined it.
    Callers hold the meeting's row lock."""
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


# --- Notes under the Chatham House Rule ----------------------------------------------------


@transaction.atomic
def start_notes(meeting: Meeting, *, by: User) -> Notes:
    """The convenor's draft, with the attendance record prefilled from registrations."""
    notes, created = Notes.objects.get_or_create(meeting=meeting)
    if created:
        mode_map = {
            Registration.Mode.IN_PERSON: Attendee.Mode.IN_PERSON,
            Registration.Mode.REMOTE: Attendee.Mode.REMOTE,
            Registration.Mode.APOLOGIES: Attendee.Mode.APOLOGIES,
        }
        registrations = meeting.registrations.filter(status="confirmed").select_related("user")
        Attendee.objects.bulk_create(
            [
                Attendee(
                    notes=notes,
                    user=r.user,
                    name=str(r.user),
                    organisation=r.user.organisation,
                    mode=mode_map[r.mode],
                )
                for r in registrations
            ]
        )
        audit.record("meetings.notes_started", actor=by, target=meeting)
    return notes


@transaction.atomic
def save_notes(
    notes: Notes, *, summary: str, discussion_points: str, decisions: str, by: User
) -> Notes:
    """Save the draft. Published versions are untouched until the convenor publishes."""
    notes.summary = summary
    notes.discussion_points = discussion_points
    notes.decisions = decisions
    notes.save()
    return notes


@transaction.atomic
def add_attendee(notes: Notes, *, name: str, organisation: str, mode: str, by: User) -> Attendee:
    if not name.strip():
        raise ValidationError({"name": "Enter the attendee’s name."})
    if mode not in Attendee.Mode.values:
        raise ValidationError({"mode": "Choose how they attended, or that they sent apologies."})
    attendee, _ = Attendee.objects.get_or_create(
        notes=notes, name=name.strip(), organisation=organisation.strip(), defaults={"mode": mode}
    )
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    attendee.delete()


@dataclass(frozen=True)
class CheckedFinding:
    finding: Finding
    field: str
    override: FindingOverride | None

    @property
    def blocks(self) -> bool:
        return self.override is None

    @property
    def field_label(self) -> str:
        return {"discussion_points": "discussion points"}.get(self.field, self.field)


def check_notes(notes: Notes) -> list[CheckedFinding]:
    """Run the checker over the summary, discussion points and decisions against this
    meeting's attendance record, pairing each finding with any override on record."""
    attendees = [(a.name, a.organisation) for a in notes.attendees.all()]
    overrides = {(o.matched, fold(o.sentence)): o for o in notes.overrides.all()}
    checked: list[CheckedFinding] = []
    for field in ("summary", "discussion_points", "decisions"):
        for finding in find_attributions(getattr(notes, field), attendees):
            override = overrides.get((finding.matched, fold(finding.sentence)))
            checked.append(CheckedFinding(finding, field, override))
    return checked


@transaction.atomic
def override_finding(
    notes: Notes, *, matched: str, sentence: str, reason: str, by: User
) -> FindingOverride:
    """Clear one finding by recording why it is not an attribution. Logged, because it
    lets a name through into published notes."""
    if not reason.strip():
        raise ValidationError({"reason": "Explain why this sentence does not attribute a view."})
    current = {(c.finding.matched, c.finding.sentence) for c in check_notes(notes)}
    if (matched, sentence) not in current:
        raise ValidationError("That finding is no longer in the notes; check them again.")
    override, created = FindingOverride.objects.get_or_create(
        notes=notes,
        matched=matched,
        sentence=sentence,
        defaults={"reason": reason.strip(), "created_by": by},
    )
    if created:
        audit.record(
            "meetings.finding_overridden",
            actor=by,
            target=notes.meeting,
            matched=matched,
            sentence=sentence,
            reason=override.reason,
        )
    return override


@transaction.atomic
def publish_notes(notes: Notes, *, by: User, change_note: str = "") -> NotesVersion:
    """Publish the draft as a new version, refused while the checker's findings stand.
    A correction after publication is a new version with a note saying what changed."""
    notes = Notes.objects.select_for_update().get(pk=notes.pk)
    if notes.meeting.starts_at > timezone.now():
        raise ValidationError("Notes can be published once the meeting has taken place.")
    if not (notes.summary.strip() or notes.points or notes.decisions.strip()):
        raise ValidationError("Write a summary, discussion points or decisions first.")
    blocking = [c for c in check_notes(notes) if c.blocks]
    if blocking:
        raise ValidationError(
            f"The notes attribute comments to named people or organisations in "
            f"{len(blocking)} place{'s' if len(blocking) != 1 else ''}. Reword them, or record "
            "why a finding is not an attribution."
        )
    latest = notes.versions.order_by("-number").first()
    if latest is not None and not change_note.strip():
        raise ValidationError({"change_note": "Say what you corrected in this new version."})
    attendees = [
        {"name": a.name, "organisation": a.organisation, "mode": a.mode}
        for a in notes.attendees.order_by("name", "id")
    ]
    if latest is not None and (
        latest.summary,
        latest.discussion_points,
        latest.decisions,
        latest.attendees,
    ) == (notes.summary, notes.discussion_points, notes.decisions, attendees):
        return latest
    version = NotesVersion.objects.create(
        notes=notes,
        number=(latest.number + 1) if latest else 1,
        summary=notes.summary,
        discussion_points=notes.discussion_points,
        decisions=notes.decisions,
        attendees=attendees,
        change_note=change_note.strip(),
        published_by=by,
    )
    audit.record("meetings.notes_published", actor=by, target=notes.meeting, version=version.number)
    return version


@transaction.atomic
def add_action(
    meeting: Meeting, *, description: str, owner: str, due_on: date | None, by: User
) -> Action:
    """An action from the meeting, owned by an organisation or role (never a quote)."""
    if not description.strip():
        raise ValidationError({"description": "Describe the action."})
    if not owner.strip():
        raise ValidationError({"owner": "Enter the organisation or role that owns the action."})
    action, _ = Action.objects.get_or_create(
        meeting=meeting,
        description=description.strip(),
        owner=owner.strip(),
        defaults={"due_on": due_on},
    )
    return action


@transaction.atomic
def set_action_status(action: Action, *, status: str, by: User) -> Action:
    if status not in Action.Status.values:
        raise ValidationError("Choose open or done.")
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    return action


# --- Calendars and reminder preferences ---------------------------------------------------


@transaction.atomic
def calendar_token_for(user: User) -> CalendarToken:
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def revoke_calendar_token(*, by: User) -> CalendarToken:
    """Replace the private feed's secret: the old URL stops working at once."""
    CalendarToken.objects.filter(user=by).delete()
    token = CalendarToken.objects.create(user=by)
    audit.record("meetings.calendar_token_revoked", actor=by, target=None)
    return token


def stop_reminders_token(user: User) -> str:
    return signing.dumps(user.pk, salt=STOP_REMINDERS_SALT)


def user_for_stop_token(token: str) -> User | None:
    from policyhub.models import User

    try:
        pk = signing.loads(token, salt=STOP_REMINDERS_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@transaction.atomic
def stop_reminders(user: User) -> None:
    """One click from any reminder email stops them all (idempotent)."""
    _, created = ReminderOptOut.objects.get_or_create(user=user)
    if created:
        audit.record("meetings.reminders_stopped", actor=user, target=None)


@transaction.atomic
def restart_reminders(*, by: User) -> None:
    ReminderOptOut.objects.filter(user=by).delete()


# --- Reminders ------------------------------------------------------------------------------
# The periodic sweep is the schedule: nothing is queued days ahead with eta/countdown (with a
# Redis broker such a task is redelivered after the visibility timeout). Each sweep writes
# one SentReminder row per (meeting, person, kind, start time) with ignore_conflicts, so a
# second sweep adds nothing, then hands unclaimed rows to small delivery tasks.


def _recipients_before(meeting: Meeting, due_at: datetime) -> set[int]:
    """People registered to attend, and for a group meeting its members who have not sent
    apologies, who were there by the time the reminder fell due (no back-dated reminders)."""
    registrations = Registration.objects.filter(meeting=meeting)
    people = set(
        registrations.attending().filter(created_at__lte=due_at).values_list("user_id", flat=True)
    )
    if meeting.working_group_id:
        from workinggroups.models import Membership

        apologies = registrations.filter(mode="apologies").values("user_id")
        people.update(
            Membership.objects.filter(group_id=meeting.working_group_id, joined_at__lte=due_at)
            .exclude(user_id__in=apologies)
            .values_list("user_id", flat=True)
        )
    return people


def _notes_recipients(meeting: Meeting) -> set[int]:
    if meeting.working_group_id:
        from workinggroups.models import Membership

        return set(
            Membership.objects.filter(
                group_id=meeting.working_group_id, role="convenor"
            ).values_list("user_id", flat=True)
        )
    from policyhub.models import SecretariatMember

    return set(SecretariatMember.objects.values_list("user_id", flat=True))


def due_reminders(now: datetime) -> Iterable[tuple[Meeting, str, datetime, set[int]]]:
    """(meeting, kind, due_at, recipient ids) for every reminder due at `now`. Only the most
    recent due reminder of each kind counts, so a worker that was down sends one reminder,
    not a backlog."""
    horizon = now + timedelta(days=61)
    upcoming = Meeting.objects.scheduled().filter(starts_at__gt=now, starts_at__lte=horizon)
    for meeting in upcoming:
        due = [
            d for d in meeting.reminder_days or [] if meeting.starts_at - timedelta(days=d) <= now
        ]
        if due:
            days = min(due)
            due_at = meeting.starts_at - timedelta(days=days)
            yield meeting, f"before-{days}", due_at, _recipients_before(meeting, due_at)
    cancelled = Meeting.objects.filter(
        status=Meeting.Status.CANCELLED, starts_at__gt=now, cancelled_at__isnull=False
    )
    for meeting in cancelled:
        yield (
            meeting,
            "cancelled",
            meeting.cancelled_at,
            _recipients_before(meeting, meeting.cancelled_at),
        )
    longest = max(NOTES_REMINDER_DAYS)
    finished = Meeting.objects.scheduled().filter(
        ends_at__lte=now - timedelta(days=min(NOTES_REMINDER_DAYS)),
        ends_at__gt=now - timedelta(days=longest + 7),
        notes__versions__isnull=True,
    )
    for meeting in finished.distinct():
        due = [d for d in NOTES_REMINDER_DAYS if meeting.ends_at + timedelta(days=d) <= now]
        days = max(due)
        yield (
            meeting,
            f"notes-{days}",
            meeting.ends_at + timedelta(days=days),
            _notes_recipients(meeting),
        )


def queue_due_reminders(now: datetime | None = None) -> list[int]:
    """Record every reminder due now (once, enforced by the database) and return the ids
    still waiting to be sent, including any a previous sweep queued but nobody delivered."""
    now = now or timezone.now()
    opted_out = set(ReminderOptOut.objects.values_list("user_id", flat=True))
    pending: list[int] = []
    for meeting, kind, due_at, people in due_reminders(now):
        rows = [
            SentReminder(
                meeting=meeting, user_id=pk, kind=kind, starts_at=meeting.starts_at, due_at=due_at
            )
            for pk in sorted(people - opted_out)
        ]
        with transaction.atomic():
            SentReminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        pending.extend(
            SentReminder.objects.filter(
                _claimable(now), meeting=meeting, kind=kind, starts_at=meeting.starts_at
            ).values_list("pk", flat=True)
        )
    return pending


def reminder_lease() -> timedelta:
    """How long a delivery task owns a claimed reminder. Past it, with the reminder still
    unsent, the claim counts as abandoned (the worker died) and the next sweep takes it."""
    return timedelta(seconds=getattr(settings, "MEETINGS_REMINDER_LEASE_SECONDS", 600))


SKIPPED = "skipped"  # claim_token of a reminder settled without sending (no longer relevant)


def _claimable(now: datetime) -> Q:
    """Not sent, not settled, and nobody holds a live claim on it."""
    return (
        Q(sent_at__isnull=True)
        & ~Q(claim_token=SKIPPED)
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - reminder_lease()))
    )


def reminder_message_id(reminder: SentReminder) -> str:
    """The idempotency key of one reminder, as its Message-ID: if a worker dies after the
    mail server accepted a message but before the row was marked sent, the one message sent
    again carries the same Message-ID, which mail servers and programs treat as the same
    message. Stable for the row, unique across rows."""
    domain = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"<reminder-{reminder.pk}-{int(reminder.starts_at.timestamp())}@{domain}>"


def _still_relevant(reminder: SentReminder, now: datetime, published: set[int]) -> bool:
    meeting = reminder.meeting
    if reminder.kind.startswith("before-"):
        return (
            not meeting.is_cancelled
            and meeting.starts_at == reminder.starts_at
            and meeting.starts_at > now
        )
    if reminder.kind == "cancelled":
        return meeting.is_cancelled and meeting.starts_at > now
    if reminder.kind.startswith("notes-"):
        return meeting.pk not in published
    return False


def deliver_reminders(ids: Iterable[int], now: datetime | None = None) -> int:
    """Send the given reminders, each exactly once (docs/decisions/0200).

    claim, send, mark: the batch is claimed with one conditional UPDATE (rows that are
    unsent and unclaimed, or whose claim's lease has run out) tagged with a fresh token.
    Before each message the claim is renewed for that one row, and only if this task still
    holds it; right after the mail server accepts the message, the row is marked sent (its
    own small commit). So a duplicate or retried task sends nothing; a worker killed
    mid-batch leaves at most one message in doubt, and its unsent rows are taken again by
    the next sweep once the lease expires; the one in doubt goes again with the same
    Message-ID (reminder_message_id), so the person still sees one reminder."""
    now = now or timezone.now()
    token = uuid.uuid4().hex
    SentReminder.objects.filter(_claimable(now), pk__in=list(ids)).update(
        claimed_at=timezone.now(), claim_token=token
    )
    reminders = list(
        SentReminder.objects.filter(claim_token=token, sent_at__isnull=True)
        .select_related("meeting", "user", "meeting__working_group")
        .order_by("pk")
    )
    if not reminders:
        return 0
    meeting_ids = {r.meeting_id for r in reminders}
    registrations = {
        (r.meeting_id, r.user_id): r
        for r in Registration.objects.filter(
            meeting_id__in=meeting_ids, user_id__in={r.user_id for r in reminders}
        )
    }
    published = set(
        NotesVersion.objects.filter(notes__meeting_id__in=meeting_ids).values_list(
            "notes__meeting_id", flat=True
        )
    )
    ics_cache: dict[tuple[int, int, bool], bytes] = {}
    sent = 0
    done: set[int] = set()
    connection = get_connection()
    try:
        connection.open()
        for reminder in reminders:
            still_ours = SentReminder.objects.filter(
                pk=reminder.pk, claim_token=token, sent_at__isnull=True
            ).update(claimed_at=timezone.now())  # renews the lease
            if not still_ours:
                done.add(reminder.pk)
                continue
            if not _still_relevant(reminder, now, published) or not reminder.user.is_active:
                # Nothing to send, ever: settled, so no later sweep looks at it again.
                SentReminder.objects.filter(pk=reminder.pk).update(claim_token=SKIPPED)
                done.add(reminder.pk)
                continue
            registration = registrations.get((reminder.meeting_id, reminder.user_id))
            message = _reminder_email(reminder, registration, ics_cache)
            message.connection = connection
            message.send()
            SentReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
            done.add(reminder.pk)
            sent += 1
    except Exception:
        unsent = [r.pk for r in reminders if r.pk not in done]
        SentReminder.objects.filter(pk__in=unsent, claim_token=token).update(
            claimed_at=None, claim_token=""
        )
        raise
    finally:
        connection.close()
    return sent


def send_due_reminders(now: datetime | None = None) -> int:
    """Queue and send in one go: what `make run` and tests use without a broker."""
    return deliver_reminders(queue_due_reminders(now), now)


def _reminder_email(
    reminder: SentReminder,
    registration: Registration | None,
    ics_cache: dict[tuple[int, int, bool], bytes],
) -> EmailMultiAlternatives:
    """The reminder, cancellation notice or notes reminder for one person. The .ics file is
    the same for everyone of a kind (with or without joining details), so it is built once
    per batch."""
    from . import calendars

    meeting, user = reminder.meeting, reminder.user
    show_remote = (
        registration is not None
        and registration.mode == Registration.Mode.REMOTE
        and meeting.has_remote_participation
    )
    stop_url = absolute_url(reverse("meetings:stop_reminders", args=[stop_reminders_token(user)]))
    context = {
        "meeting": meeting,
        "user": user,
        "kind": reminder.kind.split("-")[0],
        "days": reminder.kind.split("-")[1] if "-" in reminder.kind else "",
        "registration": registration,
        "show_remote": show_remote,
        "meeting_url": absolute_url(meeting.get_absolute_url()),
        "notes_url": absolute_url(reverse("meetings:notes_edit", args=[meeting.pk])),
        "stop_url": stop_url,
        "site_name": settings.SITE_NAME,
    }
    subject = subject_line(render_to_string("meetings/email/reminder_subject.txt", context))
    body = render_to_string("meetings/email/reminder_body.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[user.email],
        headers={
            "Message-ID": reminder_message_id(reminder),
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if reminder.kind != "cancelled" and not reminder.kind.startswith("notes-"):
        key = (meeting.pk, meeting.sequence, show_remote)
        if key not in ics_cache:
            ics_cache[key] = calendars.build_calendar(
                [meeting], with_remote={meeting.pk} if show_remote else set()
            )
        message.attach(f"meeting-{meeting.pk}.ics", ics_cache[key], "text/calendar")
    return message
