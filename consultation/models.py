"""Public consultations: their questions, the responses people send, and the analysis of
those responses by the analysts assigned to each consultation.

Time rules (open, closed, late) are derived from `opens_at`, `closes_at` and
`accepts_late_until` at the moment of asking, never stored, so they cannot go stale.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policyhub.markup import MARKDOWN_LONG, MARKDOWN_MEDIUM, MARKDOWN_SHORT
from policyhub.models import TimeStampedModel

from .querysets import AnswerQuerySet, ResponseManager

ANSWER_MAX_LENGTH = 20_000
"""The longest free-text answer any question may allow: about 3,000 words, a long letter."""

OPTIONS_MAX_LENGTH = 5_000
"""A choice question's options, one per line: dozens of options of a sentence each."""


class Consultation(TimeStampedModel):
    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=250, help_text="Up to 250 characters.")
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(
        max_length=MARKDOWN_MEDIUM, blank=True, help_text="Markdown. Up to 20,000 characters."
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    documents = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="consultations",
        help_text="The documents this consultation consults on.",
    )
    run_by = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who runs it, e.g. Cabinet Office. Up to 200 characters.",
    )
    contact_email = models.EmailField(
        blank=True,
        help_text="The team's address for questions about the consultation, shown on its "
        "pages, including once it has closed. Leave empty to show the site's consultation "
        "address (CONSULTATION_CONTACT_EMAIL).",
    )
    other_ways_to_respond = models.TextField(
        max_length=MARKDOWN_SHORT,
        blank=True,
        help_text="Markdown. How to respond other than online (email, post). "
        "Up to 5,000 characters.",
    )
    privacy_notice = models.TextField(
        max_length=MARKDOWN_MEDIUM,
        blank=True,
        help_text="Markdown. Who holds responses and why. Up to 20,000 characters. The page "
        "adds how long email addresses are kept (CONSULTATION_RETENTION_DAYS) and the "
        "contact address, so do not repeat them here.",
    )
    late_response_policy = models.TextField(
        max_length=MARKDOWN_SHORT,
        blank=True,
        help_text="Markdown. Shown after closing when late responses are accepted. "
        "Up to 5,000 characters.",
    )
    accepts_late_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Leave empty to refuse every response after closing. If set, responses "
        "until then are accepted and marked late.",
    )
    summary_of_responses = models.TextField(
        max_length=MARKDOWN_LONG,
        blank=True,
        help_text="Markdown. The published summary of responses. Up to 100,000 characters.",
    )
    summary_published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_it_opens",
            ),
            models.CheckConstraint(
                condition=Q(accepts_late_until__isnull=True)
                | Q(accepts_late_until__gt=F("closes_at")),
                name="consultation_late_window_after_closing",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation:detail", kwargs={"slug": self.slug})

    def state(self, now: datetime | None = None) -> str:
        """ "upcoming", "open" or "closed" at `now` (the current moment by default).
        Open includes `opens_at` and excludes `closes_at`: it closes at that instant."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    def is_open(self, now: datetime | None = None) -> bool:
        return self.state(now) == "open"

    def in_late_window(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.accepts_late_until and self.closes_at <= now < self.accepts_late_until)

    def accepts_responses(self, now: datetime | None = None) -> bool:
        """Open, or closed but inside the late-response window."""
        return self.is_open(now) or self.in_late_window(now)

    def responses_end_at(self) -> datetime:
        """The last moment a response (or a save-and-return link) is good for."""
        return self.accepts_late_until or self.closes_at

    @property
    def is_summary_published(self) -> bool:
        return self.summary_published_at is not None

    @property
    def contact_address(self) -> str:
        """Where to write about this consultation: its own team's address, else the site's."""
        return self.contact_email or settings.CONSULTATION_CONTACT_EMAIL


class Analyst(models.Model):
    """A person assigned to analyse one consultation's responses: the analyst role."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="analysts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="analyst_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "user"], name="one_analyst_row_per_consultation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} analyses {self.consultation}"


class Section(TimeStampedModel):
    """A group of questions shown on one page, e.g. one per data-sharing proposal."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sections"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250, help_text="Up to 250 characters.")
    introduction = models.TextField(
        max_length=MARKDOWN_MEDIUM,
        blank=True,
        help_text="Markdown, shown above the questions. Up to 20,000 characters.",
    )

    class Meta:
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="section_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        FREE_TEXT = "free_text", "Free text"
        SINGLE_CHOICE = "single_choice", "Single choice"
        MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
        AGREEMENT_SCALE = "agreement_scale", "Agree–disagree scale"

    # The agree–disagree scale is fixed so answers are comparable across questions: stored as
    # the English words (the values), shown in the respondent's language (the labels).
    SCALE = [
        ("Strongly agree", _("Strongly agree")),
        ("Agree", _("Agree")),
        ("Neither agree nor disagree", _("Neither agree nor disagree")),
        ("Disagree", _("Disagree")),
        ("Strongly disagree", _("Strongly disagree")),
        ("Don't know", _("Don't know")),
    ]

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500, help_text="Up to 500 characters.")
    hint = models.CharField(max_length=500, blank=True, help_text="Up to 500 characters.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FREE_TEXT)
    options = models.TextField(
        max_length=OPTIONS_MAX_LENGTH,
        blank=True,
        help_text="Single and multiple choice only: one option per line. "
        "Up to 5,000 characters in all.",
    )
    max_length = models.PositiveIntegerField(
        default=2000,
        help_text="Free text only: the most characters an answer may have, from 1 to "
        "20,000 (about 3,000 words).",
    )
    is_required = models.BooleanField(default=False)

    class Meta:
        ordering = ["section__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="question_number_unique"),
            models.CheckConstraint(
                condition=Q(max_length__gte=1) & Q(max_length__lte=ANSWER_MAX_LENGTH),
                name="question_max_length_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Q{self.label}: {self.text}"

    @property
    def label(self) -> str:
        return f"{self.section.number}.{self.number}"

    @property
    def is_choice(self) -> bool:
        return self.kind != self.Kind.FREE_TEXT

    def choices(self) -> list[tuple[str, str]]:
        if self.kind == self.Kind.AGREEMENT_SCALE:
            return list(self.SCALE)
        lines = [line.strip() for line in self.options.splitlines()]
        return [(line, line) for line in lines if line]


class QuestionVersion(models.Model):
    """The wording a question had before an edit made after responses arrived, so every
    answer can be read against the words its respondent saw."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["question", "-replaced_at"]

    def __str__(self) -> str:
        return f"Earlier wording of {self.question_id}: {self.text}"


class Response(TimeStampedModel):
    """One respondent's response. A draft until submitted; then immutable for the
    respondent. No account: the browser session (or a save-and-return link) holds it."""

    class RespondentType(models.TextChoices):
        INDIVIDUAL = "individual", _("As an individual")
        ORGANISATION = "organisation", _("On behalf of an organisation")

    class Publication(models.TextChoices):
        NAMED = "named", _("Publish my response with my name or organisation")
        ANONYMOUS = "anonymous", _("Publish my response anonymously")
        NONE = "none", _("Do not publish my response")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    class Channel(models.TextChoices):
        ONLINE = "online", "Online"
        EMAIL = "email", "Email"
        POST = "post", "Post"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    reference = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    respondent_type = models.CharField(max_length=20, choices=RespondentType.choices, blank=True)
    name = models.CharField(max_length=150, blank=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    publication = models.CharField(max_length=10, choices=Publication.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(
        null=True, blank=True, help_text="Email and post: the day it arrived."
    )
    is_late = models.BooleanField(default=False)
    # Save and return: only a hash of the emailed token is stored (see decision 0401).
    resume_token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    resume_token_expires_at = models.DateTimeField(null=True, blank=True)
    # The one browser session holding this draft: a hash of a key that session keeps. Opening
    # a save-and-return link gives the draft a new key, so every other session loses it.
    holder_key_hash = models.CharField(max_length=64, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Postal/email entry: one key per entry form, so sending it twice stores one response.
    entry_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ResponseManager()

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            # The analysts' list, and next/previous on a response, in their order (with the
            # id, so responses sent in the same instant need no sort).
            models.Index(fields=["consultation", "status", "submitted_at", "id"]),
            # The newest change among the sent responses, which keys the statistics.
            models.Index(fields=["consultation", "status", "updated_at"]),
            # Counting the sent responses (every page of the analysts' list): a narrow index
            # the count reads alone, where the table itself is many times wider.
            models.Index(
                fields=["consultation"],
                condition=Q(status="submitted"),
                name="consultation_sent_responses",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="submitted_response_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | ~Q(respondent_type="organisation")
                | ~Q(organisation_name=""),
                name="organisation_response_names_organisation",
            ),
            # One draft per session and consultation: presses of "Start now" sent together,
            # before the session could remember the first draft, start one draft between them.
            models.UniqueConstraint(
                fields=["consultation", "holder_key_hash"],
                condition=Q(status="draft") & ~Q(holder_key_hash=""),
                name="one_draft_per_session",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def public_name(self) -> str:
        """What may be published as the author: nothing unless they chose "named"."""
        if self.publication != self.Publication.NAMED:
            return "Anonymous"
        if self.respondent_type == self.RespondentType.ORGANISATION:
            return self.organisation_name
        return self.name or "Anonymous"

    def answers_by_question(self) -> dict[int, Answer]:
        """This response's answers by question id (unordered: they are looked up by key)."""
        answers = Answer.objects.filter(response_id=self.pk).select_related("question")
        return {a.question_id: a for a in answers.order_by()}


class Answer(models.Model):
    """A respondent's answer to one question: free text in `text`, choices in `selected`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Bounded by the question's own `max_length`, which is at most this.
    text = models.TextField(max_length=ANSWER_MAX_LENGTH, blank=True)
    selected = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["question__section__number", "question__number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.response} / {self.question_id}"

    @property
    def is_empty(self) -> bool:
        return not self.text.strip() and not self.selected

    def display(self) -> str:
        """The answer as the respondent chose it, each option by its label (the fixed scale
        in the active language; people's own options as written)."""
        if self.text:
            return self.text
        labels = dict(self.question.choices())
        return ", ".join(str(labels.get(value, value)) for value in self.selected)


class Theme(TimeStampedModel):
    """One code of a question's codebook, managed by the analysts."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["question", "name"]
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="theme_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AnswerReview(models.Model):
    """An analyst has coded this answer (possibly with no theme at all). Needed for
    agreement: "coded with nothing" differs from "not looked at"."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="reviews")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="answer_reviews"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="reviews")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["answer", "analyst"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "analyst"], name="one_review_per_analyst")
        ]

    def __str__(self) -> str:
        return f"{self.analyst} coded {self.answer}"


class Redaction(TimeStampedModel):
    """A passage of an answer hidden from the public, with the reason recorded.
    Analysts still see the original."""

    class Reason(models.TextChoices):
        THIRD_PARTY = "third_party", "Personal data about someone else"
        DEFAMATORY = "defamatory", "Potentially defamatory"
        OFFENSIVE = "offensive", "Offensive language"
        OTHER = "other", "Other"

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="redactions")
    passage = models.CharField(max_length=2000)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["answer", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "passage"], name="one_redaction_per_passage")
        ]

    def __str__(self) -> str:
        return f"Redaction in {self.answer} ({self.get_reason_display()})"
