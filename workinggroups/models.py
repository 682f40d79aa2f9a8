"""Working groups and their membership. Membership rows are the member and convenor roles
(see policyhub.roles). Later work adds the workplan, proposals and agreement levels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from policyhub.models import TimeStampedModel


class WorkingGroup(TimeStampedModel):
    """A strand of the process, e.g. "Research & Statistics"."""

    class Status(models.TextChoices):
        FORMING = "forming", "Forming"
        ACTIVE = "active", "Active"
        CONCLUDED = "concluded", "Concluded"

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
    purpose = models.TextField(blank=True, help_text="Markdown. The problem the group works on.")
    scope = models.TextField(blank=True, help_text="Markdown. What is in and out of scope.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.FORMING)

    class Meta:
        ordering = ["process", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workinggroups:detail", kwargs={"slug": self.slug})


class Membership(TimeStampedModel):
    """A person's place in a working group: a member, or a convenor who runs it."""

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
