"""Public consultations and the analysts assigned to each. Later work adds questions,
responses and their analysis."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from policyhub.models import TimeStampedModel


class Consultation(TimeStampedModel):
    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="consultations"
    )
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="Markdown.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title


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
