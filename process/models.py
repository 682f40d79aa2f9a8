"""A Process runs through ordered, dated Steps. Which step is current is derived from
today's date (see querysets), never stored, so it cannot go stale."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from policyhub.markup import MARKDOWN_LONG, TEXT_SUMMARY
from policyhub.models import Sector, TimeStampedModel

from .querysets import ProcessQuerySet, StepQuerySet


class Process(TimeStampedModel):
    """One open policy making process, e.g. the original 2014-2015 process on data sharing."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    summary = models.TextField(
        max_length=TEXT_SUMMARY, help_text="Markdown. What the process is for, in plain words."
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    terms_of_reference = models.TextField(
        max_length=MARKDOWN_LONG,
        blank=True,
        help_text="Markdown. How everyone taking part agrees to work.",
    )

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "title"]
        verbose_name_plural = "processes"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="process_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("process:detail", kwargs={"slug": self.slug})

    def current_step(self, today: date | None = None) -> Step | None:
        """The step whose dates include today, from prefetched steps when there are any."""
        today = today or timezone.localdate()
        return next((s for s in self.steps.all() if s.starts_on <= today <= s.ends_on), None)

    def state(self, today: date | None = None) -> str:
        today = today or timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        if today > self.ends_on:
            return "concluded"
        return "running"


class Step(TimeStampedModel):
    """A dated step of a process, e.g. "Working groups develop proposals"."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(
        max_length=TEXT_SUMMARY, help_text="Markdown. What happens in this step."
    )
    produces = models.TextField(
        max_length=TEXT_SUMMARY,
        blank=True,
        help_text="Markdown. What the step produces, e.g. an interim policy paper.",
    )
    starts_on = models.DateField()
    ends_on = models.DateField()

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["process", "number"]
        constraints = [
            models.UniqueConstraint(fields=["process", "number"], name="step_number_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="step_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"Step {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return f"{self.process.get_absolute_url()}#step-{self.number}"

    def state(self, today: date | None = None) -> str:
        """ "past", "current" or "upcoming" for the given day (today by default)."""
        today = today or timezone.localdate()
        if today < self.starts_on:
            return "upcoming"
        if today > self.ends_on:
            return "past"
        return "current"


class SectorEngagement(models.Model):
    """Which body engages each sector in a process. In the seed, Involve engages civil
    society and experts, and the Cabinet Office engages government departments."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="engagements")
    sector = models.CharField(max_length=20, choices=Sector.choices)
    body = models.CharField(max_length=200)

    class Meta:
        ordering = ["process", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "sector"], name="one_engaging_body_per_sector"
            )
        ]

    def __str__(self) -> str:
        return f"{self.body} engages {self.sector_plural}"

    @property
    def sector_plural(self) -> str:
        return Sector(self.sector).plural
