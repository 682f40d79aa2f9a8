"""Forms validate and clean; views hand cleaned_data to a service in services.py."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from meetings.models import Meeting
from policyhub.forms import DateField, Form, date_hint
from policyhub.markup import (
    MARKDOWN_LONG,
    TEXT_PARAGRAPHS,
    TEXT_SUMMARY,
    too_long_message,
)
from process.models import Process, Step
from workinggroups.models import WorkingGroup

from .models import (
    MINIMUM_JUSTIFICATION_LENGTH,
    Document,
    Organisation,
    Restriction,
    step_mismatch,
)
from .services import max_review_days
from .uploads import ALLOWED_LIST, check_upload, max_upload_bytes

# Paths under /documents/ that a document's web address must not take.
RESERVED_SLUGS = {"new", "restricted", "access-log", "feed", "workplan"}


class StepChoiceField(forms.ModelChoiceField):
    """Steps are numbered within a process, so each choice names its process too."""

    def label_from_instance(self, step: Step) -> str:
        return f"{step.process.title}: step {step.number}, {step.title}"


class DocumentForm(Form):
    """Create or edit a document. Convenors may only attach their own groups."""

    process = forms.ModelChoiceField(
        queryset=Process.objects.all(),
        empty_label=None,
        error_messages={"required": "Select the process this document belongs to."},
    )
    title = forms.CharField(
        max_length=250, error_messages={"required": "Enter a title for the document."}
    )
    slug = forms.SlugField(
        label="Web address",
        max_length=120,
        required=False,
        help_text="Lower case words joined by hyphens. Leave empty to make it from the title.",
    )
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In plain words: what the document is and why it matters.",
        max_length=TEXT_SUMMARY,
        error_messages={
            "required": "Enter a summary of the document in plain words.",
            "max_length": too_long_message("Summary", TEXT_SUMMARY) + ".",
        },
    )
    body = forms.CharField(
        label="Text of the document",
        widget=forms.Textarea(attrs={"rows": 15}),
        required=False,
        max_length=MARKDOWN_LONG,
        error_messages={
            "max_length": too_long_message("Text of the document", MARKDOWN_LONG) + "."
        },
        help_text="Markdown. You can also attach files after saving.",
    )
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=Document.Kind.choices,
        error_messages={"required": "Select the kind of document."},
    )
    step = StepChoiceField(
        label="Step of the process (optional)",
        queryset=Step.objects.select_related("process"),
        required=False,
        empty_label="No step",
        help_text="A step of the process chosen above.",
    )
    working_groups = forms.ModelMultipleChoiceField(
        queryset=WorkingGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    meetings = forms.ModelMultipleChoiceField(
        label="Related meetings", queryset=Meeting.objects.all(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Written by",
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    change_note = forms.CharField(
        max_length=300,
        required=False,
        help_text="Required once the document is published: what changed, in a sentence.",
    )

    def __init__(self, *args, document: Document | None = None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = document
        if groups is not None:
            # A convenor: the document must belong to a group they convene.
            self.fields["working_groups"].queryset = groups
            self.fields["working_groups"].required = True
            self.fields["working_groups"].help_text = "Choose at least one group you convene."
            self.fields["working_groups"].error_messages["required"] = (
                "Select at least one working group you convene."
            )
        if document is None or document.status == Document.Status.DRAFT:
            del self.fields["change_note"]
        if document is not None:
            del self.fields["slug"]
            self.fields[
                "process"
            ].help_text = (
                "If you move the document to another process, choose one of its steps or no step."
            )

    def clean_slug(self) -> str:
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))[:120]
        if not slug and not self.data.get("title", "").strip():
            return ""  # the missing title is the error to fix; the address follows from it
        if not slug:
            raise ValidationError("Enter a web address, for example interim-policy-paper.")
        if slug in RESERVED_SLUGS:
            raise ValidationError("This web address is used by the service. Choose another.")
        if Document.objects.filter(slug=slug).exists():
            raise ValidationError("A document with this web address already exists.")
        return slug

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("process") is not None:
            message = step_mismatch(cleaned["process"].pk, cleaned.get("step"))
            if message:
                self.add_error("step", message)
        doc = self.document
        if doc is not None and doc.status == Document.Status.PUBLISHED:
            changed = any(
                name in cleaned and cleaned[name] != getattr(doc, name)
                for name in ("title", "summary", "body")
            )
            if changed and not cleaned.get("change_note", "").strip():
                self.add_error(
                    "change_note", "Enter a change note saying what changed in this version."
                )
        return cleaned


class FileUploadForm(Form):
    file = forms.FileField(
        error_messages={
            "required": "Select a file to attach.",
            "empty": "The selected file is empty.",
        },
        help_text=f"{ALLOWED_LIST}. Smaller than {max_upload_bytes() // (1024 * 1024)} MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.checked = check_upload(upload)
        return upload


class WithdrawForm(Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the document page, so readers know why it no longer applies.",
        max_length=TEXT_PARAGRAPHS,
        error_messages={
            "required": "Enter the reason for withdrawing the document.",
            "max_length": too_long_message("The reason", TEXT_PARAGRAPHS) + ".",
        },
    )


def _review_help() -> str:
    example = timezone.localdate() + timedelta(days=90)
    return (
        f"When the secretariat must decide again, at most {max_review_days()} days ahead. "
        f"{date_hint(example)}"
    )


class RestrictionForm(Form):
    """The written case for withholding a document: grounds, justification, review date."""

    grounds = forms.MultipleChoiceField(
        choices=Restriction.Ground.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one ground for restricting the document."},
    )
    justification = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown on the public register. Say why releasing it now would cause harm.",
        max_length=TEXT_PARAGRAPHS,
        error_messages={
            "required": "Enter the justification for restricting the document.",
            "max_length": too_long_message("The justification", TEXT_PARAGRAPHS) + ".",
        },
    )
    review_on = DateField(
        label="Review date",
        error_messages={"required": "Enter the date by which the restriction must be reviewed."},
    )
    public_title = forms.CharField(
        label="Title on the public register (optional)",
        max_length=250,
        required=False,
        help_text="Use a neutral title if the real one would itself reveal what is withheld.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_on"].help_text = _review_help()

    def clean_justification(self) -> str:
        text = self.cleaned_data["justification"].strip()
        if len(text) < MINIMUM_JUSTIFICATION_LENGTH:
            raise ValidationError(
                "Write the justification in at least one full sentence: why releasing this "
                "document now would cause harm."
            )
        return text

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        today = timezone.localdate()
        if review_on <= today:
            raise ValidationError("The review date must be in the future.")
        if review_on > today + timedelta(days=max_review_days()):
            raise ValidationError(
                f"The review date must be within {max_review_days()} days (about six months) "
                "of today."
            )
        return review_on


class ReviewRestrictionForm(RestrictionForm):
    """Keep the restriction: a fresh justification and the next review date."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["grounds"]
        del self.fields["public_title"]


class LiftRestrictionForm(Form):
    reason = forms.CharField(
        label="Why can the document be opened now?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_PARAGRAPHS,
        error_messages={
            "required": "Enter why the document can now be opened.",
            "max_length": too_long_message("The reason", TEXT_PARAGRAPHS) + ".",
        },
    )


class ShareForm(Form):
    people = forms.CharField(
        label="People (email addresses)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One email address a line. They must already have an account.",
    )
    groups = forms.ModelMultipleChoiceField(
        label="Working groups",
        queryset=WorkingGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every member of a chosen group may read the document.",
    )

    def clean_people(self):
        emails = [line.strip().lower() for line in self.cleaned_data["people"].splitlines()]
        emails = [e for e in emails if e]
        users = list(get_user_model().objects.filter(email__in=emails, is_active=True))
        missing = sorted(set(emails) - {u.email.lower() for u in users})
        if missing:
            raise ValidationError(
                "There is no account for " + ", ".join(missing) + ". Ask them to register first."
            )
        return users


class EvidenceForm(Form):
    """Evidence for a task: a web page, or a document of the process this person may read."""

    title = forms.CharField(
        label="Title",
        max_length=250,
        error_messages={"required": "Enter a title for the evidence"},
    )
    url = forms.URLField(
        label="Web address (optional if you choose a document)",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address, like https://www.example.org/report"},
    )
    document = forms.ModelChoiceField(
        label="Or a document of the process",
        queryset=None,
        required=False,
        empty_label="No document",
    )

    def __init__(self, *args, documents: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents

    def clean(self) -> dict:
        cleaned = super().clean()
        url, document = cleaned.get("url"), cleaned.get("document")
        if not url and document is None and "url" not in self.errors:
            self.add_error("url", "Enter a web address or choose a document")
        elif url and document is not None:
            self.add_error("document", "Choose a document or give a web address, not both")
        return cleaned
