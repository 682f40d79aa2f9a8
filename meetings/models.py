"""Meetings of the process or of one working group. Times are stored in UTC and shown in
Europe/London. Later work adds venues, attendance, notes and reminders."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from policyhub.models import TimeStampedModel


class Meeting(TimeStampedModel):
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
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return self.title
