"""Documents of the process: open unless restricted with a recorded case. Later work adds
files, versions, restrictions and search."""

from __future__ import annotations

from django.db import models

from policyhub.models import TimeStampedModel


class Document(TimeStampedModel):
    process = models.ForeignKey(
        "process.Process", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField(max_length=250)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="Plain words: what this document is.")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
