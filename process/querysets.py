from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone


class ProcessQuerySet(models.QuerySet):
    def with_steps(self) -> ProcessQuerySet:
        """Steps in one extra query, so `current_step()` costs nothing more per process."""
        return self.prefetch_related("steps")


class StepQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> StepQuerySet:
        """Steps whose dates include today (at most one per process)."""
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today)
