"""Reminders: before a meeting, a cancellation notice instead when it is cancelled, and a
nudge to the convenors to publish the notes afterwards; and each person's one-click stop.

The periodic sweep is the schedule: nothing is queued days ahead with eta/countdown (with a
Redis broker such a task is redelivered after the visibility timeout). Each sweep writes
one SentReminder row per (meeting, person, kind, start time) with ignore_conflicts, so a
second sweep adds nothing, then hands unclaimed rows to small delivery tasks, which send each
exactly once (docs/decisions/0200).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings import calendars
from meetings.models import Meeting, NotesVersion, Registration, ReminderOptOut, SentReminder
from policyhub import audit
from policyhub.emails import subject_line
from policyhub.links import absolute_url
from policyhub.models import SecretariatMember, User
from workinggroups.models import Membership

STOP_REMINDERS_SALT = "meetings.stop-reminders"
NOTES_REMINDER_DAYS = (3, 7)
REMINDER_BATCH = 200
SHORT_NOTICE_REMINDER_AFTER = timedelta(hours=1)
"""How long after a short-notice announcement its reminder falls due, when every reminder
time had already passed: time for people answering the announcement to register first."""


# --- Stopping and restarting ----------------------------------------------------------------


def stop_reminders_token(user: User) -> str:
    """The key in a reminder's stop link: signed, so it works without signing in (mail
    programs' one-click unsubscribe cannot) and cannot be made up for someone else."""
    return signing.dumps(user.pk, salt=STOP_REMINDERS_SALT)


def user_for_stop_token(token: str) -> User | None:
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
    """Undo a stop, from the person's own calendar feed page (idempotent)."""
    ReminderOptOut.objects.filter(user=by).delete()


# --- Claims ----------------------------------------------------------------------------------


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


# --- The sweep -------------------------------------------------------------------------------


def _recipients_before(meeting: Meeting, due_at: datetime) -> set[int]:
    """People registered to attend, and for a group meeting its members who have not sent
    apologies, who were there by the time the reminder fell due (no back-dated reminders)."""
    registrations = Registration.objects.filter(meeting=meeting)
    people = set(
        registrations.attending().filter(created_at__lte=due_at).values_list("user_id", flat=True)
    )
    if meeting.working_group_id:
        apologies = registrations.filter(mode="apologies").values("user_id")
        people.update(
            Membership.objects.filter(group_id=meeting.working_group_id, joined_at__lte=due_at)
            .exclude(user_id__in=apologies)
            .values_list("user_id", flat=True)
        )
    return people


def _notes_recipients(meeting: Meeting) -> set[int]:
    """Whoever writes the notes: a group's convenors, or the secretariat for a meeting of
    the whole process."""
    if meeting.working_group_id:
        return set(
            Membership.objects.filter(
                group_id=meeting.working_group_id, role="convenor"
            ).values_list("user_id", flat=True)
        )
    return set(SecretariatMember.objects.values_list("user_id", flat=True))


def _due_reminder(meeting: Meeting, now: datetime) -> tuple[int, datetime] | None:
    """(days before, when it fell due) of the reminder of a meeting due at `now`, if any.

    Only the most recent due reminder counts. A reminder whose time had passed before the
    meeting was announced (short notice) is not sent late if another is still to come;
    when none is, the one reminder falls due a little after the announcement, and never
    later than halfway to the meeting, so the people who register on seeing the
    announcement are reminded once (reminders are not back-dated to before they
    registered)."""
    times = {days: meeting.starts_at - timedelta(days=days) for days in meeting.reminder_days or []}
    passed = [days for days, at in times.items() if at <= now]
    if not passed:
        return None
    days = min(passed)
    if times[days] >= meeting.announced_at:
        return days, times[days]
    if len(passed) < len(times):
        return None
    halfway = meeting.announced_at + (meeting.starts_at - meeting.announced_at) / 2
    due_at = min(meeting.announced_at + SHORT_NOTICE_REMINDER_AFTER, halfway)
    return (days, due_at) if due_at <= now else None


def due_reminders(now: datetime) -> Iterable[tuple[Meeting, str, datetime, set[int]]]:
    """(meeting, kind, due_at, recipient ids) for every reminder due at `now`. Only the most
    recent due reminder of each kind counts, so a worker that was down sends one reminder,
    not a backlog."""
    horizon = now + timedelta(days=61)
    upcoming = Meeting.objects.scheduled().filter(starts_at__gt=now, starts_at__lte=horizon)
    for meeting in upcoming:
        due = _due_reminder(meeting, now)
        if due:
            days, due_at = due
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
    # Notes whose only versions were withdrawn are not published: the convenor is reminded.
    standing = NotesVersion.objects.standing().filter(notes__meeting=OuterRef("pk"))
    finished = Meeting.objects.scheduled().filter(
        ~Exists(standing),
        ends_at__lte=now - timedelta(days=min(NOTES_REMINDER_DAYS)),
        ends_at__gt=now - timedelta(days=longest + 7),
    )
    for meeting in finished:
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


# --- Delivery --------------------------------------------------------------------------------


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
        NotesVersion.objects.standing()
        .filter(notes__meeting_id__in=meeting_ids)
        .values_list("notes__meeting_id", flat=True)
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
