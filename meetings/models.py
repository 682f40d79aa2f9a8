"""Meetings of the process or of one working group: announced in advance, held around the UK
with remote participation, attended by registered people, and written up as notes under the
Chatham House Rule (an attendance record, but no comment attributed to anyone).

Times are stored in UTC and entered and shown in Europe/London (settings.TIME_ZONE).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from policyhub.diff import compare_lines
from policyhub.markup import MARKDOWN_MEDIUM, MARKDOWN_SHORT
from policyhub.models import TimeStampedModel

from .querysets import (
    MeetingQuerySet,
    NotesVersionQuerySet,
    PublishedActionQuerySet,
    RegistrationQuerySet,
)

ADDRESS_LENGTH = 500
"""A postal address with directions to the room: a few lines."""


def default_reminder_days() -> list[int]:
    """Reminders go 7 days and 1 day before a meeting unless its convenor says otherwise."""
    return [7, 1]


class Region(models.TextChoices):
    """The twelve ITL1 regions of the UK, plus meetings held only online."""

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and The Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST_OF_ENGLAND = "east_of_england", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    ONLINE = "online", "Online only"


class Meeting(TimeStampedModel):
    """A meeting announced to everyone. Meetings are public; only the remote joining details
    are kept for registered attendees (see permissions.can_see_remote_details)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="meetings"
    )
    working_group = models.ForeignKey(
        "workinggroups.WorkingGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text="Leave empty for a meeting of the whole process.",
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(
        max_length=MARKDOWN_MEDIUM, blank=True, help_text="Markdown. The purpose and agenda."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.CharField(max_length=200, blank=True)
    address = models.TextField(max_length=ADDRESS_LENGTH, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, default=Region.LONDON)
    has_remote_participation = models.BooleanField(
        "remote participation", default=True, help_text="People can join from anywhere."
    )
    joining_link = models.URLField(blank=True, max_length=500)
    dial_in = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="In-person places. Leave empty for no limit."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(max_length=MARKDOWN_SHORT, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(
        default=timezone.now, help_text="When the current date and time were announced."
    )
    short_notice_reason = models.TextField(
        max_length=MARKDOWN_SHORT,
        blank=True,
        help_text="Shown publicly when the meeting is announced at short notice.",
    )
    reminder_days = models.JSONField(default=default_reminder_days, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="iCalendar SEQUENCE: bumped on every change to the meeting."
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancellation_reason=""),
                name="meeting_cancellation_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_online_only(self) -> bool:
        return self.region == Region.ONLINE

    @property
    def has_started(self) -> bool:
        return timezone.now() >= self.starts_at

    @property
    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at

    @property
    def is_awaiting_notes(self) -> bool:
        """Held and without published notes, for pages that say "Notes not yet published".
        Needs `has_published_notes` (MeetingQuerySet.with_notes_flag)."""
        return self.has_ended and not self.is_cancelled and not self.has_published_notes

    @property
    def notice(self) -> timedelta:
        """How far in advance the current date and time were announced."""
        return self.starts_at - self.announced_at

    @property
    def notice_days(self) -> int:
        return self.notice.days

    @property
    def notice_in_words(self) -> str:
        """The notice as the meeting page says it: whole days, or hours when it was under a
        day ("0 days" would tell a reader nothing about a meeting called 19 hours ahead)."""
        days = self.notice.days
        if days >= 1:
            return f"{days} day{'s' if days != 1 else ''}"
        hours = int(self.notice.total_seconds() // 3600)
        if hours >= 1:
            return f"{hours} hour{'s' if hours != 1 else ''}"
        return "less than an hour"

    @property
    def is_short_notice(self) -> bool:
        return self.notice < timedelta(days=settings.MEETING_MINIMUM_NOTICE_DAYS)


class MeetingRevision(models.Model):
    """What a meeting looked like before a reschedule: rescheduling keeps its history."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    previous_starts_at = models.DateTimeField()
    previous_ends_at = models.DateTimeField()
    previous_venue = models.CharField(max_length=200, blank=True)
    previous_region = models.CharField(max_length=20, choices=Region.choices)
    reason = models.TextField(max_length=MARKDOWN_SHORT)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting} rescheduled on {self.changed_at:%Y-%m-%d}"


class Registration(TimeStampedModel):
    """A person's answer to a meeting: attending in person, remotely, or apologies.

    In-person places are limited by the meeting's capacity; when full, people wait and are
    promoted in the order they joined the waiting list (`waiting_since`)."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Remotely"
        APOLOGIES = "apologies", "Sending apologies"

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        WAITING = "waiting", "On the waiting list"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    waiting_since = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_each"),
            models.CheckConstraint(
                condition=Q(status="confirmed")
                | (Q(mode="in_person") & Q(waiting_since__isnull=False)),
                name="only_in_person_places_wait",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_mode_display()} – {self.meeting}"

    @property
    def is_attending(self) -> bool:
        return self.mode != self.Mode.APOLOGIES


class Notes(TimeStampedModel):
    """The convenor's draft of a meeting's notes. Publishing copies the draft into a
    NotesVersion, so a correction after publication is a new, visible version."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="notes")
    summary = models.TextField(max_length=MARKDOWN_MEDIUM, blank=True, help_text="Markdown.")
    discussion_points = models.TextField(
        max_length=MARKDOWN_MEDIUM,
        blank=True,
        help_text="One main discussion point per line, in order.",
    )
    decisions = models.TextField(
        max_length=MARKDOWN_MEDIUM, blank=True, help_text="Markdown. Decisions taken."
    )

    class Meta:
        verbose_name_plural = "notes"

    def __str__(self) -> str:
        return f"Notes of {self.meeting}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:notes", kwargs={"pk": self.meeting_id})

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.discussion_points.splitlines() if line.strip()]


class NotesVersion(models.Model):
    """A published version of the notes, frozen with its attendance record and its actions
    (PublishedAction), so what readers saw stays as it was when the draft changes.

    A version that breached the Chatham House Rule (or was published by mistake) is
    withdrawn: its words are erased from the database, and only its number, dates and the
    reason remain, for the sentence readers see where it was (docs/decisions/0203)."""

    class WithdrawalReason(models.TextChoices):
        ATTRIBUTED = "attributed", "It attributed a comment (Chatham House Rule)"
        MISTAKE = "mistake", "It was published by mistake"
        OTHER = "other", "Another reason"

    notes = models.ForeignKey(Notes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    summary = models.TextField(max_length=MARKDOWN_MEDIUM, blank=True)
    discussion_points = models.TextField(max_length=MARKDOWN_MEDIUM, blank=True)
    decisions = models.TextField(max_length=MARKDOWN_MEDIUM, blank=True)
    attendees = models.JSONField(default=list, help_text="[{name, organisation, mode}]")
    change_note = models.TextField(
        max_length=MARKDOWN_SHORT, blank=True, help_text="What changed since the last version."
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.CharField(
        max_length=20, choices=WithdrawalReason.choices, blank=True
    )
    withdrawal_note = models.TextField(
        max_length=MARKDOWN_SHORT,
        blank=True,
        help_text="The reason in the convenor's words, for another reason.",
    )

    objects = NotesVersionQuerySet.as_manager()

    class Meta:
        ordering = ["notes", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["notes", "number"], name="notes_version_unique"),
            # Withdrawn means erased, with a reason; standing means no reason at all.
            models.CheckConstraint(
                condition=(
                    Q(withdrawn_at__isnull=True, withdrawal_reason="", withdrawal_note="")
                    | (
                        Q(withdrawn_at__isnull=False)
                        & ~Q(withdrawal_reason="")
                        & Q(summary="", discussion_points="", decisions="", change_note="")
                    )
                ),
                name="notes_version_withdrawn_is_erased",
            ),
            models.CheckConstraint(
                condition=~Q(withdrawal_reason="other") | ~Q(withdrawal_note=""),
                name="notes_version_other_reason_is_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notes} (version {self.number})"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def withdrawal_notice(self) -> str:
        """What readers see where a withdrawn version was, in the site's date format:
        Version 2 was withdrawn on 3 May 2016 because it attributed a comment (Chatham
        House Rule)."""
        if not self.is_withdrawn:
            return ""
        day = date_format(timezone.localtime(self.withdrawn_at), "j F Y")
        said = f"Version {self.number} was withdrawn on {day}"
        if self.withdrawal_reason == self.WithdrawalReason.OTHER:
            return f"{said}. The reason given: {self.withdrawal_note}"
        reason = self.WithdrawalReason(self.withdrawal_reason).label
        return f"{said} because {reason[0].lower()}{reason[1:]}."

    @property
    def points(self) -> list[str]:
        return [line.strip() for line in self.discussion_points.splitlines() if line.strip()]

    def changes_from(self, previous: NotesVersion) -> list[tuple[str, str, str]]:
        """(part, "added" or "removed", line) for every line that differs from `previous`,
        so readers can see exactly what a correction changed. `previous` is the last
        version still standing: a withdrawn version has no words to compare."""
        changes = []
        for part, label in [
            ("summary", "Summary"),
            ("discussion_points", "Discussion points"),
            ("decisions", "Decisions"),
        ]:
            before = getattr(previous, part).splitlines()
            after = getattr(self, part).splitlines()
            for line in compare_lines(before, after):
                if line.change != "same" and line.text.strip():
                    changes.append((label, line.change, line.text))
        old = {(a["name"], a["organisation"], a["mode"]) for a in previous.attendees}
        new = {(a["name"], a["organisation"], a["mode"]) for a in self.attendees}
        for name, organisation, mode in sorted(new - old):
            changes.append(("Attendance", "added", f"{name}, {organisation} ({mode})"))
        for name, organisation, mode in sorted(old - new):
            changes.append(("Attendance", "removed", f"{name}, {organisation} ({mode})"))
        old_actions = [str(a) for a in previous.actions.all()]
        new_actions = [str(a) for a in self.actions.all()]
        changes += [("Actions", "added", a) for a in new_actions if a not in old_actions]
        changes += [("Actions", "removed", a) for a in old_actions if a not in new_actions]
        return changes

    @property
    def attended(self) -> list[dict]:
        return [a for a in self.attendees if a.get("mode") != Attendee.Mode.APOLOGIES]

    @property
    def apologies(self) -> list[dict]:
        return [a for a in self.attendees if a.get("mode") == Attendee.Mode.APOLOGIES]


class Attendee(models.Model):
    """One line of the attendance record: who attended (name, organisation, how), or sent
    apologies. Deliberately no link to any statement in the notes."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        REMOTE = "remote", "Remotely"
        APOLOGIES = "apologies", "Sent apologies"

    notes = models.ForeignKey(Notes, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=200, blank=True)
    mode = models.CharField(max_length=20, choices=Mode.choices)

    class Meta:
        ordering = ["notes", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notes", "user"],
                condition=Q(user__isnull=False),
                name="attendee_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name


class FindingOverride(models.Model):
    """A convenor's written reason why one finding of the Chatham House checker is not an
    attribution (e.g. thanking a host). It clears that finding only, and is audited."""

    notes = models.ForeignKey(Notes, on_delete=models.CASCADE, related_name="overrides")
    matched = models.CharField(max_length=200)
    sentence = models.TextField(max_length=MARKDOWN_MEDIUM)
    reason = models.TextField(max_length=MARKDOWN_SHORT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["notes", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notes", "matched", "sentence"], name="one_override_per_finding"
            )
        ]

    def __str__(self) -> str:
        return f"Override for {self.matched!r}"


class Action(TimeStampedModel):
    """An action agreed at a meeting, as the draft of the notes holds it, with its live
    status. The owner is an organisation or a role, never a statement's author.

    Its words are the draft's: readers see them only as a version of the notes published
    them (PublishedAction). They are never edited; to reword one, remove it and add it
    again, so a row's words are always those of any standing version that published it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=MARKDOWN_SHORT)
    owner = models.CharField(max_length=200, help_text="An organisation or a role.")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["status", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class PublishedAction(models.Model):
    """An action as one version of the notes published it: its words are the version's
    (frozen, and erased with it if it is withdrawn); its status is the live action's for as
    long as the draft still tracks it, else the status it had when published."""

    version = models.ForeignKey(NotesVersion, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications"
    )
    description = models.TextField(max_length=MARKDOWN_SHORT)
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    published_status = models.CharField(max_length=10, choices=Action.Status.choices)

    objects = PublishedActionQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]  # the draft's order when it was published

    def __str__(self) -> str:
        due = f", due {date_format(self.due_on, 'j F Y')}" if self.due_on else ""
        return f"{self.description} (owner: {self.owner}{due})"

    @property
    def status(self) -> str:
        return self.action.status if self.action_id else self.published_status

    def get_status_display(self) -> str:
        return Action.Status(self.status).label


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed URL. Revoking replaces it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class ReminderOptOut(models.Model):
    """A person who asked, with one click from an email, to stop meeting reminders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_reminder_opt_out"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} stopped meeting reminders"


class SentReminder(models.Model):
    """The once-only guarantee for reminder emails, held by the database.

    One row per (meeting, recipient, kind, meeting start): the unique constraint means a
    duplicate sweep cannot queue it twice, and `claimed_at` is set by a conditional UPDATE
    before sending, so a duplicate or retried task cannot send it twice. `starts_at` is part
    of the key so a rescheduled meeting gets fresh reminders."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sent_reminders")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_reminders"
    )
    kind = models.CharField(max_length=30, help_text='e.g. "before-7", "cancelled", "notes-3".')
    starts_at = models.DateTimeField()
    due_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(
        max_length=32, blank=True, db_index=True, help_text="Which delivery task claimed it."
    )
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "kind", "starts_at"], name="reminder_sent_once"
            )
        ]
        indexes = [models.Index(fields=["claimed_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.meeting} to {self.user}"
