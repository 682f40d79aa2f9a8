"""Forms validate and clean; views hand cleaned_data to a service. Every message is a
sentence that tells the person what to do."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from policyhub.forms import Form, ModelForm
from policyhub.markup import (
    MARKDOWN_MEDIUM,
    MARKDOWN_SHORT,
    TEXT_NOTE,
    TEXT_PARAGRAPHS,
    too_long_message,
)

from .models import (
    AgreementLevel,
    AgreementRecord,
    Alternative,
    DefaultTask,
    Proposal,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)
from .services import next_sign_off_states


def _required(message: str) -> dict[str, str]:
    return {"required": message}


def _markdown_errors(name: str, limit: int, required: str | None = None) -> dict[str, str]:
    """Error messages for a Markdown field: its length limit, and what to enter if needed."""
    messages = {"max_length": too_long_message(name, limit)}
    if required:
        messages["required"] = required
    return messages


_GROUP_TEXT_ERRORS = {
    "purpose": _markdown_errors("Purpose", MARKDOWN_SHORT),
    "scope": _markdown_errors("Scope", MARKDOWN_SHORT),
}


class WorkingGroupForm(ModelForm):
    status = forms.ChoiceField(
        label="Status",
        choices=WorkingGroup.Status.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the group's status"),
    )

    class Meta:
        model = WorkingGroup
        fields = ["name", "purpose", "scope", "status"]
        labels = {"name": "Name", "purpose": "Purpose", "scope": "Scope"}
        help_texts = {
            "purpose": "The problem the group works on. You can use Markdown.",
            "scope": "What is in and out of scope. You can use Markdown.",
        }
        error_messages = {"name": _required("Enter the group's name"), **_GROUP_TEXT_ERRORS}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "scope": forms.Textarea(attrs={"rows": 5}),
        }


class NewWorkingGroupForm(ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["process", "step", "name", "slug", "purpose", "scope"]
        labels = {
            "process": "Process",
            "step": "Step (optional)",
            "name": "Name",
            "slug": "Web address",
            "purpose": "Purpose",
            "scope": "Scope",
        }
        help_texts = {
            "slug": "Lower-case letters, numbers and hyphens, for example fuel-poverty.",
            "purpose": "You can use Markdown.",
            "scope": "You can use Markdown.",
        }
        error_messages = {
            "process": _required("Choose the process the group belongs to"),
            "name": _required("Enter the group's name"),
            "slug": {
                "required": "Enter a web address for the group",
                "invalid": "Use only lower-case letters, numbers and hyphens",
                "unique": "A working group with this web address already exists",
            },
            **_GROUP_TEXT_ERRORS,
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "scope": forms.Textarea(attrs={"rows": 5}),
        }

    # Words used by the app's own pages under /working-groups/.
    RESERVED_SLUGS = frozenset({"new", "wider-issues", "concerns", "default-tasks"})

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in self.RESERVED_SLUGS:
            raise forms.ValidationError("This web address is used by the service. Choose another")
        return slug

    def clean(self) -> dict:
        cleaned = super().clean()
        step, process = cleaned.get("step"), cleaned.get("process")
        if step and process and step.process_id != process.pk:
            self.add_error("step", "Choose a step of the chosen process")
        return cleaned


class JoinRequestForm(Form):
    statement = forms.CharField(
        label="Tell the convenors about your interest and expertise",
        help_text=(
            "For example, your role, what you know about this area and what you hope to "
            "contribute. Convenors read this; it is not published."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_PARAGRAPHS,
        error_messages={
            **_required("Tell the convenors about your interest and expertise"),
            "max_length": too_long_message("What you tell the convenors", TEXT_PARAGRAPHS),
        },
    )


class JoinDecisionForm(Form):
    decision = forms.ChoiceField(
        label="Do you want to approve this request?",
        choices=[("approve", "Approve: they become a member"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages=_required("Select whether to approve or decline the request"),
    )
    reason = forms.CharField(
        label="Reason for declining (if you decline)",
        help_text="The person is sent this reason by email.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_PARAGRAPHS,
        error_messages={"max_length": too_long_message("Reason for declining", TEXT_PARAGRAPHS)},
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give a reason for declining, so the person knows why")
        return cleaned


class TaskForm(ModelForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Task.Status.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select the status of the task"),
    )

    class Meta:
        model = Task
        fields = ["status", "summary"]
        labels = {"summary": "What the group found"}
        help_texts = {
            "summary": "You can use Markdown. Needed before you mark the task done.",
        }
        error_messages = {"summary": _markdown_errors("What the group found", MARKDOWN_MEDIUM)}
        widgets = {"summary": forms.Textarea(attrs={"rows": 8})}

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("status") == Task.Status.DONE and not cleaned.get("summary", "").strip():
            self.add_error("summary", "Summarise what the group found before marking it done")
        return cleaned


class ProposalForm(ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "problem", "conditions", "safeguards"]
        labels = {
            "title": "Title",
            "problem": "The problem it solves",
            "conditions": "The proposed conditions for data sharing",
            "safeguards": "The safeguards required",
        }
        help_texts = {
            "problem": "You can use Markdown.",
            "conditions": "When data may be shared, by whom and for what. You can use Markdown.",
            "safeguards": "You can use Markdown.",
        }
        error_messages = {
            "title": _required("Enter a title for the proposal"),
            "problem": _markdown_errors(
                "The problem", MARKDOWN_SHORT, "Describe the problem the proposal solves"
            ),
            "conditions": _markdown_errors(
                "The conditions",
                MARKDOWN_SHORT,
                "Describe the proposed conditions for data sharing",
            ),
            "safeguards": _markdown_errors("The safeguards", MARKDOWN_SHORT),
        }
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 5}),
            "conditions": forms.Textarea(attrs={"rows": 8}),
            "safeguards": forms.Textarea(attrs={"rows": 6}),
        }


class ProposalStatusForm(Form):
    status = forms.ChoiceField(
        label="Move the proposal to",
        choices=Proposal.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a status",
            "invalid_choice": "Select one of the statuses offered",
        },
    )

    def __init__(self, *args, allowed: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (value, label) for value, label in Proposal.Status.choices if value in allowed
        ]


class AlternativeForm(ModelForm):
    class Meta:
        model = Alternative
        fields = ["title", "text", "pros", "cons"]
        labels = {
            "title": "Title",
            "text": "The alternative proposal",
            "pros": "Pros",
            "cons": "Cons",
        }
        help_texts = {
            "text": "You can use Markdown.",
            "pros": "Its advantages. You can use Markdown.",
            "cons": "Its disadvantages. You can use Markdown.",
        }
        error_messages = {
            "title": _required("Enter a title for the alternative"),
            "text": _markdown_errors(
                "The alternative proposal", MARKDOWN_SHORT, "Describe the alternative proposal"
            ),
            "pros": _markdown_errors("Pros", TEXT_PARAGRAPHS, "List the pros of the alternative"),
            "cons": _markdown_errors("Cons", TEXT_PARAGRAPHS, "List the cons of the alternative"),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "pros": forms.Textarea(attrs={"rows": 4}),
            "cons": forms.Textarea(attrs={"rows": 4}),
        }


class AgreementForm(ModelForm):
    """The level reached, and optionally the meeting where it was reached. The meeting
    choice comes from `AgreementRecord.meeting`, narrowed to this group's and the whole
    process's meetings, so this app never imports meetings (docs/decisions/0102)."""

    level = forms.TypedChoiceField(
        label="What level of agreement did the group reach?",
        choices=AgreementLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_required("Select the level of agreement"),
    )
    note = forms.CharField(
        label="What changed (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_NOTE,
        error_messages={"max_length": too_long_message("What changed", TEXT_NOTE)},
    )

    class Meta:
        model = AgreementRecord
        fields = ["level", "meeting", "note"]
        labels = {"meeting": "At which meeting? (optional)"}

    def __init__(self, *args, group: WorkingGroup, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        # The service checks this again: a meeting of the group, or of its whole process.
        meeting.queryset = meeting.queryset.filter(
            Q(working_group=group) | Q(working_group__isnull=True), process_id=group.process_id
        ).order_by("-starts_at")
        meeting.empty_label = "Not at a meeting"
        meeting.label_from_instance = lambda m: (
            f"{m.title} ({timezone.localtime(m.starts_at):%d %B %Y})"
        )


class SignOffForm(Form):
    """Offers only the states the track may move to from where it is now, so nothing
    offered is then refused (services.SIGN_OFF_TRANSITIONS)."""

    state = forms.ChoiceField(
        label="What is this track's sign-off state now?",
        choices=SignOff.State.choices,
        widget=forms.RadioSelect,
        error_messages=_required("Select a sign-off state"),
    )
    reasons = forms.CharField(
        label="Reasons (if declined)",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_PARAGRAPHS,
        error_messages=_markdown_errors("Reasons", TEXT_PARAGRAPHS),
    )

    def __init__(self, *args, current: str = SignOff.State.NOT_STARTED, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = next_sign_off_states(current)
        self.fields["state"].choices = [(state.value, state.label) for state in allowed]
        if SignOff.State.DECLINED not in allowed:
            del self.fields["reasons"]  # only a track that declines gives reasons
        self.fields["state"].error_messages["invalid_choice"] = (
            f"Select one of the states a track that is “{SignOff.State(current).label.lower()}” "
            "can move to"
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        declined = cleaned.get("state") == SignOff.State.DECLINED
        if declined and not cleaned.get("reasons", "").strip():
            self.add_error("reasons", "Give the reasons the track declined")
        return cleaned


class WiderIssueForm(ModelForm):
    class Meta:
        model = WiderIssue
        fields = ["title", "description"]
        labels = {"title": "Title", "description": "The issue, and why it matters"}
        help_texts = {"description": "You can use Markdown."}
        error_messages = {
            "title": _required("Enter a title for the issue"),
            "description": _markdown_errors("Description", TEXT_PARAGRAPHS, "Describe the issue"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}


class WiderIssueDecisionForm(Form):
    status = forms.ChoiceField(
        label="What should happen to this issue?",
        choices=[
            (WiderIssue.Status.TAKEN_FORWARD, "Take it forward"),
            (WiderIssue.Status.PARKED, "Park it"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Select whether to take the issue forward or park it"),
    )
    note = forms.CharField(
        label="Note",
        help_text="Shown in public beside the issue. You can use Markdown.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_PARAGRAPHS,
        error_messages=_markdown_errors("Note", TEXT_PARAGRAPHS, "Add a note saying why"),
    )


class ConcernForm(Form):
    title = forms.CharField(
        label="Summary of your concern",
        max_length=250,
        error_messages=_required("Enter a summary of your concern"),
    )
    description = forms.CharField(
        label="Describe your concern",
        help_text=(
            "Only the group's convenors, the secretariat and the mediators will see this. "
            "You can use Markdown."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MARKDOWN_SHORT,
        error_messages=_markdown_errors("Description", MARKDOWN_SHORT, "Describe your concern"),
    )


def mediator_candidates() -> QuerySet:
    """The secretariat and convenors of any group: Involve and Cabinet Office staff in the
    seed. Chosen from people already trusted with a role, never any account at all."""
    return (
        get_user_model()
        .objects.filter(
            Q(secretariat_membership__isnull=False) | Q(memberships__role="convenor"),
            is_active=True,
        )
        .distinct()
        .order_by("display_name")
    )


class MediatorsForm(Form):
    mediators = forms.ModelMultipleChoiceField(
        label="Who will mediate?",
        help_text=(
            "Choose from the secretariat and the convenors of other groups. The person who "
            "raised the concern and the convenors of its group are not offered."
        ),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_required("Choose at least one mediator"),
    )

    def __init__(self, *args, concern, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Not the person who raised it, nor anyone who convenes the group it is about.
        candidates = mediator_candidates().exclude(pk=concern.raised_by_id)
        candidates = candidates.exclude(
            memberships__group_id=concern.group_id, memberships__role="convenor"
        )
        self.fields["mediators"].queryset = candidates
        self.fields["mediators"].label_from_instance = lambda u: (
            f"{u}, {u.organisation}" if u.organisation else str(u)
        )


class OutcomeForm(Form):
    outcome = forms.CharField(
        label="What was the outcome?",
        help_text="Seen by the person who raised it, the convenors and the secretariat.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_PARAGRAPHS,
        error_messages=_markdown_errors(
            "Outcome", TEXT_PARAGRAPHS, "Describe the outcome of the mediation"
        ),
    )


class DefaultTaskForm(ModelForm):
    class Meta:
        model = DefaultTask
        fields = ["position", "title", "hint"]
        labels = {"position": "Number", "title": "Task", "hint": "Hint"}
        help_texts = {"position": "Tasks are shown in this order.", "hint": "One sentence."}
        error_messages = {
            "position": _required("Enter the task's number"),
            "title": _required("Enter the task"),
        }
