"""Working groups and everything they develop.

Membership rows are the member and convenor roles (read by policyhub.roles), so a join
request is its own model and becomes a Membership only when a convenor approves it. Each
group works through a workplan of tasks copied from the secretariat's default list, develops
proposals whose level of agreement keeps its history, logs wider issues for the future, and
raises concerns for mediation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from policyhub.markup import (
    MARKDOWN_MEDIUM,
    MARKDOWN_SHORT,
    TEXT_NOTE,
    TEXT_PARAGRAPHS,
)
from policyhub.models import TimeStampedModel

from .querysets import (
    ConcernQuerySet,
    JoinRequestQuerySet,
    ProposalQuerySet,
    WiderIssueQuerySet,
    WorkingGroupQuerySet,
)


class WorkingGroup(TimeStampedModel):
    """A strand of the process, e.g. "Research & Statistics"."""

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        CONCLUDED = "concluded", _("Concluded")

    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="working_groups"
    )
    step = models.ForeignKey(
        "process.Step",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="working_groups",
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    purpose = models.TextField(
        max_length=MARKDOWN_SHORT,
        blank=True,
        help_text="Markdown. The problem the group works on.",
    )
    scope = models.TextField(
        max_length=MARKDOWN_SHORT, blank=True, help_text="Markdown. What is in and out of scope."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FORMING)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["process", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:detail", kwargs={"slug": self.slug})


class Membership(TimeStampedModel):
    """A person's place in a working group: a member, or a convenor who runs it.
    Only approved people have a row; requests to join are JoinRequest rows."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        CONVENOR = "convenor", "Convenor"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["group", "-role", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_group")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} of {self.group}"


class JoinRequest(TimeStampedModel):
    """Someone asking to join a group, with their interest and expertise. Membership is
    open, but a convenor looks at each request so the group stays balanced and on topic."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    statement = models.TextField(
        max_length=TEXT_PARAGRAPHS, help_text="Plain text. Their interest and expertise."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        max_length=TEXT_PARAGRAPHS, blank=True, help_text="Why the request was declined."
    )

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # A double submit cannot leave two requests waiting for the same person.
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_group",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""),
                name="declined_join_request_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.group}"


class DefaultTask(TimeStampedModel):
    """One of the tasks every new working group starts with (the seed's ten). The
    secretariat edits this list; existing groups keep the copy they were given."""

    position = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200)
    hint = models.CharField(max_length=300, blank=True, help_text="One plain sentence.")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Task(TimeStampedModel):
    """One task of a group's workplan, with what the group found. Its evidence
    (documents.Evidence) links it to documents and web pages."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    hint = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    summary = models.TextField(
        max_length=MARKDOWN_MEDIUM, blank=True, help_text="Markdown. What the group found."
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["group", "position"], name="one_task_per_position")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "workinggroups:task", kwargs={"slug": self.group.slug, "position": self.position}
        )


class AgreementLevel(models.IntegerChoices):
    """The seed's four levels of agreement; groups work towards 1 or 2."""

    APPROACH_AND_DETAIL = 1, "Level 1: agreement on approach and detail"
    APPROACH_NOT_DETAIL = 2, "Level 2: agreement on approach, alternative proposals on some detail"
    PROS_AND_CONS = 3, "Level 3: alternative proposals, agreement on the pros and cons"
    ALTERNATIVES = 4, "Level 4: alternative proposals"

    @classmethod
    def meaning(cls, level: int | None) -> str:
        """The level in plain words, for everywhere the level is shown."""
        if level is None:
            return "No level of agreement has been recorded yet."
        return LEVEL_MEANINGS[cls(level)]

    @classmethod
    def needs_alternatives(cls, level: int) -> bool:
        return level >= cls.APPROACH_NOT_DETAIL


LEVEL_MEANINGS = {
    AgreementLevel.APPROACH_AND_DETAIL: "Everyone agrees on both the approach and the detail.",
    AgreementLevel.APPROACH_NOT_DETAIL: (
        "Everyone agrees on the approach, but there are alternative proposals on some of the "
        "detail."
    ),
    AgreementLevel.PROS_AND_CONS: (
        "There are alternative proposals, but everyone agrees on the pros and cons of each."
    ),
    AgreementLevel.ALTERNATIVES: "There are alternative proposals and no agreement between them.",
}


class Proposal(TimeStampedModel):
    """A proposal for the conditions under which data sharing should be allowed and the
    safeguards required. Its current level of agreement is kept here for cheap display; the
    history of every change is in AgreementRecord."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        UNDER_DISCUSSION = "under_discussion", "Under discussion"
        AGREED = "agreed", "Agreed"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=250)
    problem = models.TextField(
        max_length=MARKDOWN_SHORT, help_text="Markdown. The problem the proposal solves."
    )
    conditions = models.TextField(
        max_length=MARKDOWN_SHORT,
        help_text="Markdown. The proposed conditions under which data may be shared.",
    )
    safeguards = models.TextField(
        max_length=MARKDOWN_SHORT, blank=True, help_text="Markdown. The safeguards required."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    agreement_level = models.PositiveSmallIntegerField(
        choices=AgreementLevel.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["group", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_level__isnull=True)
                | Q(agreement_level__gte=1, agreement_level__lte=4),
                name="proposal_agreement_level_is_one_to_four",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:proposal", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def agreement_meaning(self) -> str:
        return AgreementLevel.meaning(self.agreement_level)


class Alternative(TimeStampedModel):
    """An alternative proposal recorded beside the main one, with its pros and cons.
    Levels 2 to 4 cannot be recorded without at least one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="alternatives")
    title = models.CharField(max_length=250)
    text = models.TextField(
        max_length=MARKDOWN_SHORT, help_text="Markdown. The alternative proposal."
    )
    pros = models.TextField(max_length=TEXT_PARAGRAPHS, help_text="Markdown. Its advantages.")
    cons = models.TextField(max_length=TEXT_PARAGRAPHS, help_text="Markdown. Its disadvantages.")

    class Meta:
        ordering = ["proposal", "created_at"]

    def __str__(self) -> str:
        return self.title


class AgreementRecord(models.Model):
    """One change of a proposal's level of agreement: append-only history, so anyone can
    follow how agreement grew (or fell) and at which meeting."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    level = models.PositiveSmallIntegerField(choices=AgreementLevel.choices)
    previous_level = models.PositiveSmallIntegerField(
        choices=AgreementLevel.choices, null=True, blank=True
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement_records",
    )
    note = models.TextField(
        max_length=TEXT_NOTE, blank=True, help_text="Plain text. What changed, in a sentence."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal}: level {self.level}"

    @property
    def meaning(self) -> str:
        return AgreementLevel.meaning(self.level)


class SignOff(TimeStampedModel):
    """One of the two parallel sign-off tracks of a proposal for the joint paper. Each track
    records its own view; neither waits for, or blocks, the other."""

    class Track(models.TextChoices):
        GOVERNMENT = "government", "Government"
        CIVIL_SOCIETY = "civil_society", "Civil society network"

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_REVIEW = "in_review", "In review"
        SIGNED_OFF = "signed_off", "Signed off"
        DECLINED = "declined", "Declined"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sign_offs")
    track = models.CharField(max_length=20, choices=Track.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_STARTED)
    reasons = models.TextField(
        max_length=TEXT_PARAGRAPHS, blank=True, help_text="Why the track declined."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "track"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "track"], name="one_sign_off_per_track"),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(reasons=""),
                name="declined_sign_off_has_reasons",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_track_display()} {self.get_state_display()}"


class Signatory(models.Model):
    """A person who records one sign-off track's decisions: the signatory role, a row like
    every role (docs/decisions/0001). The government track is recorded by the Cabinet Office
    side and the civil society network track by the Involve side (docs/decisions/0103), so
    neither side writes the other's view. The secretariat appoints signatories."""

    track = models.CharField(max_length=20, choices=SignOff.Track.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signatory_roles"
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Which side they sign for, e.g. Involve."
    )
    appointed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["track", "appointed_at"]
        verbose_name_plural = "signatories"
        constraints = [
            models.UniqueConstraint(fields=["track", "user"], name="one_signatory_row_per_track")
        ]

    def __str__(self) -> str:
        return f"{self.user} records the {self.get_track_display().lower()} track"


class WiderIssue(TimeStampedModel):
    """An issue outside a group's scope, logged "for further exploration in future".
    The list is public; the secretariat decides what is taken forward."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        TAKEN_FORWARD = "taken_forward", "Taken forward"
        PARKED = "parked", "Parked"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="wider_issues")
    title = models.CharField(max_length=250)
    description = models.TextField(
        max_length=TEXT_PARAGRAPHS, help_text="Markdown. The issue, and why it matters."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(
        max_length=TEXT_PARAGRAPHS, blank=True, help_text="Markdown. The secretariat's decision."
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = WiderIssueQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(note=""), name="decided_wider_issue_has_note"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Concern(TimeStampedModel):
    """A member's concern about a group's work, raised early for mediation (terms of
    reference: Involve and the Cabinet Office mediate significant disagreement). Never
    public: see permissions.concerns_visible_to."""

    class Status(models.TextChoices):
        RAISED = "raised", "Raised"
        IN_MEDIATION = "in_mediation", "In mediation"
        RESOLVED = "resolved", "Outcome recorded"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="concerns")
    title = models.CharField(max_length=250)
    description = models.TextField(
        max_length=MARKDOWN_SHORT, help_text="Markdown. What the concern is."
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="concerns_raised",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RAISED)
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="concerns_mediated"
    )
    outcome = models.TextField(
        max_length=TEXT_PARAGRAPHS, blank=True, help_text="Markdown. What was agreed."
    )
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | ~Q(outcome=""),
                name="resolved_concern_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:concern", kwargs={"pk": self.pk})
