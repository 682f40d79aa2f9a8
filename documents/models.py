"""Documents of the process: open unless restricted with a recorded case.

A Document is open by default. It is restricted exactly while it has an active
`Restriction` row, and the database refuses a Restriction without grounds, a written
justification, the person who decided and a review date (see docs/decisions/0300).
Lifted restrictions stay as rows, so the public register keeps its history.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone

from policyhub.markup import MARKDOWN_LONG, MARKDOWN_SHORT, TEXT_PARAGRAPHS, TEXT_SUMMARY
from policyhub.models import TimeStampedModel

from .querysets import DocumentQuerySet, RestrictionQuerySet

if TYPE_CHECKING:
    from process.models import Step

# The shortest justification the database accepts: roughly one short sentence.
MINIMUM_JUSTIFICATION_LENGTH = 20


class Organisation(TimeStampedModel):
    """An author of documents. A joint paper names several organisations."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Document(TimeStampedModel):
    """A paper, note or report of the process. Readable by anyone unless restricted."""

    class Kind(models.TextChoices):
        POLICY_PAPER = "policy_paper", "Policy paper"
        WHITE_PAPER = "white_paper", "White paper"
        WORKING_PAPER = "working_paper", "Working paper"
        EVIDENCE = "evidence", "Evidence"
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        MEETING_PAPERS = "meeting_papers", "Meeting papers"
        CONSULTATION_DOCUMENT = "consultation_document", "Consultation document"
        REPORT = "report", "Report"
        CORRESPONDENCE = "correspondence", "Correspondence"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(
        max_length=TEXT_SUMMARY, blank=True, help_text="Plain words: what this document is."
    )
    body = models.TextField(
        max_length=MARKDOWN_LONG, blank=True, help_text="Markdown. The text of the document."
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.WORKING_PAPER)
    step = models.ForeignKey(
        "process.Step",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The step of the process this document belongs to.",
    )
    working_groups = models.ManyToManyField(
        "workinggroups.WorkingGroup", blank=True, related_name="documents"
    )
    meetings = models.ManyToManyField("meetings.Meeting", blank=True, related_name="documents")
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="documents", help_text="Who wrote it."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(max_length=TEXT_PARAGRAPHS, blank=True)
    # Who may read the document while it is restricted, besides the secretariat.
    shared_with_people = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="documents_shared_with_me"
    )
    shared_with_groups = models.ManyToManyField(
        "workinggroups.WorkingGroup", blank=True, related_name="documents_shared_with_group"
    )
    # PostgreSQL full-text search: refreshed by services.refresh_search_index, GIN-indexed
    # by migration 0003 on PostgreSQL only. Unused (and empty) on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at"]
        # The document list: published documents, newest first, a page at a time. Without
        # them every page (and its count) read and sorted the whole archive; with them a
        # page is an index range scan, and its count an index-only scan, for the whole list
        # and for each kind of document (rows are wide: bodies are kept in them).
        indexes = [
            models.Index(fields=["status", "-published_on", "-id"], name="document_list_order"),
            models.Index(
                fields=["status", "kind", "-published_on", "-id"], name="document_kind_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="published_document_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawn_reason=""),
                name="withdrawn_document_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """A document is filed under one process: its step must be one of that process's,
        or the step's link would point at another process. (The database cannot compare
        the two rows; the service and every form ask this.)"""
        super().clean()
        message = step_mismatch(self.process_id, self.step)
        if message:
            raise ValidationError({"step": message})

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def step_mismatch(process_id: int | None, step: Step | None) -> str:
    """The message for a step that is not a step of the document's process, or ""."""
    if step is None or process_id is None or step.process_id == process_id:
        return ""
    return (
        f"Select a step of the process this document belongs to, or no step. "
        f"“{step.title}” is a step of {step.process.title}."
    )


class Restriction(TimeStampedModel):
    """A period during which a document is withheld, with the case for withholding it.

    Active while `lifted_at` is empty. Never deleted: a lifted restriction is history on
    the public register ("restricted from ... to ...").
    """

    class Ground(models.TextChoices):
        PERSONAL_DATA = "personal_data", "Personal data"
        COMMERCIAL = "commercial", "Commercially confidential"
        SECURITY = "security", "Security"
        NEGOTIATION = "negotiation", "Draft under negotiation that would be harmed by early release"
        LEGAL_PRIVILEGE = "legal_privilege", "Legal privilege"
        OTHER = "other", "Other"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="restrictions")
    # Codes from Ground, comma separated, so the database can insist there is at least one.
    grounds = models.CharField(max_length=200)
    justification = models.TextField(max_length=TEXT_PARAGRAPHS)
    public_title = models.CharField(
        max_length=250,
        blank=True,
        help_text="Shown on the public register instead of the real title, when set.",
    )
    # Who restricted or lifted it: kept while they have an account; a deleted account leaves
    # the restriction and its written case standing, without the person.
    restricted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    restricted_at = models.DateTimeField(default=timezone.now)
    review_on = models.DateField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # The review date a reminder was emailed for: one email per review due.
    reminder_sent_for = models.DateField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lift_reason = models.TextField(max_length=TEXT_PARAGRAPHS, blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        ordering = ["-restricted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    GreaterThanOrEqual(Length(Trim("justification")), MINIMUM_JUSTIFICATION_LENGTH)
                ),
                name="restriction_has_justification",
            ),
            models.CheckConstraint(condition=~Q(grounds=""), name="restriction_has_grounds"),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | ~Q(lift_reason=""),
                name="lifted_restriction_says_why",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_restriction_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"Restriction of {self.document}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    @property
    def ground_codes(self) -> list[str]:
        return [code for code in self.grounds.split(",") if code]

    @property
    def ground_labels(self) -> list[str]:
        labels = dict(self.Ground.choices)
        return [labels.get(code, code) for code in self.ground_codes]

    @property
    def register_title(self) -> str:
        """The neutral title the public sees on the register."""
        return self.public_title or self.document.title

    def is_review_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.review_on <= today


class DocumentVersion(models.Model):
    """What a published document said at one point, with a note saying what changed."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=250)
    # A copy of what the document said then: summaries written before today's shorter limit
    # are kept whole.
    summary = models.TextField(max_length=MARKDOWN_SHORT, blank=True)
    body = models.TextField(max_length=MARKDOWN_LONG, blank=True)
    change_note = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=~Q(change_note=""), name="version_has_change_note"),
        ]

    def __str__(self) -> str:
        return f"{self.document} – version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "documents:version", kwargs={"slug": self.document.slug, "number": self.number}
        )


def unguessable_file_name(instance: DocumentFile, filename: str) -> str:
    """Stored names say nothing about the document and cannot be guessed or traversed."""
    return str(PurePosixPath("documents") / uuid.uuid4().hex)


class DocumentFile(models.Model):
    """A file attached to a document, served only through the download view."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=unguessable_file_name, max_length=200)
    name = models.CharField(max_length=200, help_text="Sanitised file name shown to readers.")
    file_type = models.CharField(max_length=10, help_text="Checked type, e.g. pdf or csv.")
    size = models.PositiveBigIntegerField()
    text = models.TextField(blank=True, help_text="Text of text-based files, for search.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["document", "name"], name="file_name_unique_per_doc")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "documents:download",
            kwargs={"slug": self.document.slug, "pk": self.pk, "filename": self.name},
        )

    @property
    def type_label(self) -> str:
        from .uploads import FILE_TYPES

        return FILE_TYPES[self.file_type].label if self.file_type in FILE_TYPES else "File"


class Evidence(TimeStampedModel):
    """A link from a task of a working group's workplan to what supports it: a document of
    the process or a web page. It lives with documents, which depend on working groups, so
    the workplan never needs to know about documents (docs/decisions/0102)."""

    task = models.ForeignKey(
        "workinggroups.Task", on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(max_length=250)
    url = models.URLField(blank=True, max_length=500)
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence_links",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["task", "created_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=~Q(url="") | Q(document__isnull=False),
                name="evidence_links_somewhere",
            )
        ]

    def __str__(self) -> str:
        return self.title
