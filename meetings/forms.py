"""Forms validate and clean; services decide. Times are entered in UK time (Europe/London)
and turned into aware datetimes here, refusing clock times that do not exist."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings

from policyhub.forms import DateField, Form, ModelForm
from policyhub.markup import MARKDOWN_MEDIUM, MARKDOWN_SHORT, too_long_message

from .models import (
    ADDRESS_LENGTH,
    Action,
    Attendee,
    Meeting,
    Notes,
    NotesVersion,
    Region,
    Registration,
)


def london_datetime(day: date, clock: time) -> datetime:
    """The UK wall-clock time on that day as an aware datetime. Raises ValueError for a
    time skipped when the clocks go forward (e.g. 01:30 on the last Sunday of March). In
    the repeated hour when clocks go back, the first (BST) occurrence is used.

    Returned in UTC: Python subtracts two datetimes sharing one tzinfo by wall clock, which
    would make a meeting across a clock change an hour too short or long."""
    london = ZoneInfo(settings.TIME_ZONE)
    aware = datetime.combine(day, clock).replace(tzinfo=london)
    round_trip = aware.astimezone(ZoneInfo("UTC")).astimezone(london)
    if round_trip.replace(tzinfo=None) != aware.replace(tzinfo=None):
        raise ValueError("That time does not exist in the UK on that day (the clocks go forward).")
    return aware.astimezone(ZoneInfo("UTC"))


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def up_to(limit: int, hint: str = "") -> str:
    """A field's hint ending with its length limit, so nobody learns of it from an error."""
    return f"{hint} Up to {limit:,} characters.".strip()


def _time_field(label: str, verb: str, noun: str, example: str) -> forms.TimeField:
    """A meeting time, with messages that say which time is missing or wrong."""
    return forms.TimeField(
        label=label,
        widget=TimeInput,
        error_messages={
            "required": f"Enter the time the meeting {verb}.",
            "invalid": f"Enter the {noun} time as hours and minutes, for example {example}.",
        },
    )


class MeetingForm(Form):
    """Schedule or change a meeting. Whether a change needs a reason is decided by the
    service, which knows whether time or place moved."""

    working_group = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Working group",
        empty_label="The whole process",
        help_text="Leave as “The whole process” for a meeting of everyone taking part.",
    )
    process = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Process",
        empty_label="Choose a process",
        help_text="Only needed for a meeting of the whole process.",
    )
    title = forms.CharField(
        max_length=200,
        help_text=up_to(200),
        error_messages={"required": "Enter a title for the meeting."},
    )
    purpose = forms.CharField(
        label="Purpose and agenda",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=MARKDOWN_MEDIUM,
        error_messages={
            "max_length": too_long_message("Purpose and agenda", MARKDOWN_MEDIUM) + "."
        },
        help_text=up_to(MARKDOWN_MEDIUM, "You can use Markdown."),
    )
    day = DateField(label="Date", error_messages={"required": "Enter the date of the meeting."})
    start_time = _time_field("Start time (UK time)", "starts", "start", "10:00")
    end_time = _time_field("End time (UK time)", "ends", "end", "13:00")
    region = forms.ChoiceField(choices=Region.choices, initial=Region.LONDON)
    venue = forms.CharField(max_length=200, required=False, help_text=up_to(200))
    address = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=ADDRESS_LENGTH,
        help_text=up_to(ADDRESS_LENGTH),
    )
    has_remote_participation = forms.BooleanField(
        label="People can join remotely", required=False, initial=True
    )
    joining_link = forms.URLField(
        label="Joining link",
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=up_to(500, "Shown only to people registered to attend."),
    )
    dial_in = forms.CharField(
        label="Dial-in details",
        max_length=200,
        required=False,
        help_text=up_to(200, "Shown only to people registered to attend."),
    )
    capacity = forms.IntegerField(
        label="In-person places",
        min_value=1,
        required=False,
        help_text="Leave empty for no limit. When full, people join a waiting list.",
    )
    reminder_days = forms.CharField(
        label="Send reminders this many days before",
        initial="7, 1",
        required=False,
        max_length=50,
        help_text="Whole numbers separated by commas. Leave empty for no reminders.",
    )
    short_notice_reason = forms.CharField(
        label="Reason for short notice",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MARKDOWN_SHORT,
        help_text=up_to(
            MARKDOWN_SHORT,
            f"Needed when the meeting is less than {settings.MEETING_MINIMUM_NOTICE_DAYS} days "
            "away. Shown publicly on the meeting page.",
        ),
    )
    change_reason = forms.CharField(
        label="Reason for changing the time or place",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MARKDOWN_SHORT,
        help_text=up_to(
            MARKDOWN_SHORT, "Needed when you move the meeting. Shown in the meeting’s history."
        ),
    )

    def __init__(self, *args, groups, processes, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["working_group"].queryset = groups
        if processes is None:
            # A convenor schedules meetings of the groups they convene only, so the hint
            # offers nothing else.
            del self.fields["process"]
            self.fields["working_group"].required = True
            self.fields["working_group"].empty_label = None
            self.fields["working_group"].help_text = "Choose one of the groups you convene."
        else:
            self.fields["process"].queryset = processes
        if meeting is None:
            del self.fields["change_reason"]
        else:
            del self.fields["working_group"]
            self.fields.pop("process", None)

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data.get("reminder_days") or ""
        try:
            return sorted({int(p) for p in raw.replace(" ", "").split(",") if p}, reverse=True)
        except ValueError:
            raise forms.ValidationError(
                "Enter whole numbers separated by commas, like 7, 1."
            ) from None

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        if day and start:
            try:
                cleaned["starts_at"] = london_datetime(day, start)
            except ValueError as exc:
                self.add_error("start_time", str(exc))
        if day and end:
            try:
                cleaned["ends_at"] = london_datetime(day, end)
            except ValueError as exc:
                self.add_error("end_time", str(exc))
        missing_process = not cleaned.get("working_group") and not cleaned.get("process")
        if self.meeting is None and "process" in self.fields and missing_process:
            self.add_error("process", "Choose the process this meeting belongs to.")
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "title",
                "purpose",
                "starts_at",
                "ends_at",
                "region",
                "venue",
                "address",
                "has_remote_participation",
                "joining_link",
                "dial_in",
                "capacity",
                "reminder_days",
                "short_notice_reason",
            )
        }
        return fields

    @staticmethod
    def initial_for(meeting: Meeting) -> dict:
        london = ZoneInfo(settings.TIME_ZONE)
        starts, ends = meeting.starts_at.astimezone(london), meeting.ends_at.astimezone(london)
        return {
            "title": meeting.title,
            "purpose": meeting.purpose,
            "day": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "region": meeting.region,
            "venue": meeting.venue,
            "address": meeting.address,
            "has_remote_participation": meeting.has_remote_participation,
            "joining_link": meeting.joining_link,
            "dial_in": meeting.dial_in,
            "capacity": meeting.capacity,
            "reminder_days": ", ".join(str(d) for d in meeting.reminder_days or []),
            "short_notice_reason": meeting.short_notice_reason,
        }


class CancelForm(Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MARKDOWN_SHORT,
        help_text=up_to(
            MARKDOWN_SHORT, "Shown publicly on the meeting page and sent to attendees."
        ),
        error_messages={"required": "Explain why the meeting is cancelled."},
    )


class RegistrationForm(Form):
    mode = forms.ChoiceField(
        label="How will you attend?",
        choices=Registration.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you will attend, or send your apologies."},
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        choices = list(Registration.Mode.choices)
        if meeting.is_online_only:
            choices = [c for c in choices if c[0] != Registration.Mode.IN_PERSON]
        if not meeting.has_remote_participation:
            choices = [c for c in choices if c[0] != Registration.Mode.REMOTE]
        self.fields["mode"].choices = choices


class NotesForm(Form):
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=MARKDOWN_MEDIUM,
        error_messages={"max_length": too_long_message("Summary", MARKDOWN_MEDIUM) + "."},
        help_text=up_to(MARKDOWN_MEDIUM, "You can use Markdown."),
    )
    discussion_points = forms.CharField(
        label="Main discussion points",
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=MARKDOWN_MEDIUM,
        help_text=up_to(MARKDOWN_MEDIUM, "One point per line, in order. Do not say who said what."),
    )
    decisions = forms.CharField(
        label="Decisions taken",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MARKDOWN_MEDIUM,
        error_messages={"max_length": too_long_message("Decisions taken", MARKDOWN_MEDIUM) + "."},
        help_text=up_to(MARKDOWN_MEDIUM, "You can use Markdown."),
    )

    @staticmethod
    def initial_for(notes: Notes) -> dict[str, str]:
        return {
            "summary": notes.summary,
            "discussion_points": notes.discussion_points,
            "decisions": notes.decisions,
        }


class PublishForm(Form):
    change_note = forms.CharField(
        label="What did you correct?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MARKDOWN_SHORT,
        help_text=up_to(
            MARKDOWN_SHORT,
            "Needed when the notes are already published. Shown with the new version.",
        ),
    )


class WithdrawNotesForm(Form):
    """Why a published version is withdrawn. The reason is shown to readers where the
    version was, so a reason in the convenor's own words must not say who said what (the
    service checks it)."""

    reason = forms.ChoiceField(
        label="Why are you withdrawing this version?",
        choices=NotesVersion.WithdrawalReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you are withdrawing this version."},
    )
    note = forms.CharField(
        label="The other reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MARKDOWN_SHORT,
        help_text=up_to(
            MARKDOWN_SHORT,
            "Only if you chose “Another reason”. It is shown to everyone, so do not say who "
            "said what.",
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            cleaned.get("reason") == NotesVersion.WithdrawalReason.OTHER
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", "Enter the other reason for withdrawing this version.")
        return cleaned


class OverrideForm(Form):
    matched = forms.CharField(widget=forms.HiddenInput, max_length=200)
    sentence = forms.CharField(widget=forms.HiddenInput, max_length=MARKDOWN_MEDIUM)
    reason = forms.CharField(
        label="Why is this not an attribution?",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MARKDOWN_SHORT,
        help_text=up_to(MARKDOWN_SHORT),
        error_messages={"required": "Explain why this sentence does not attribute a view."},
    )


class AttendeeForm(ModelForm):
    # Declared, not generated from the model: a generated choice field offers a blank
    # "---------" radio, selected at first, which is not a way of attending.
    mode = forms.ChoiceField(
        label="Attended",
        choices=Attendee.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how they attended, or that they sent apologies"},
    )

    class Meta:
        model = Attendee
        fields = ["name", "organisation", "mode"]
        error_messages = {"name": {"required": "Enter the name of the attendee"}}
        help_texts = {"name": up_to(150), "organisation": up_to(200)}


class ActionForm(ModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_on"]
        labels = {
            "description": "Action agreed",
            "due_on": "Due date",
            "owner": "Owner (organisation or role)",
        }
        error_messages = {
            "description": {"required": "Enter the action agreed"},
            "owner": {"required": "Enter who owns the action: an organisation or a role"},
        }
        field_classes = {"due_on": DateField}
        help_texts = {
            "description": up_to(MARKDOWN_SHORT),
            "owner": up_to(200, "An organisation or a role."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
