"""Querysets that read like adjectives: `Response.objects.submitted()`, `.published()`."""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Q


class ResponseQuerySet(models.QuerySet):
    def submitted(self) -> ResponseQuerySet:
        return self.filter(status="submitted")

    def drafts(self) -> ResponseQuerySet:
        return self.filter(status="draft")

    def consented(self) -> ResponseQuerySet:
        """Submitted responses whose respondent agreed to publication (named or anonymous)."""
        return self.submitted().filter(publication__in=["named", "anonymous"])

    def published(self) -> ResponseQuerySet:
        """What the public may read: consented responses of consultations whose summary
        has been published. Unconsented responses never appear, whatever else changes."""
        return self.consented().filter(consultation__summary_published_at__isnull=False)

    def filtered(
        self,
        *,
        respondent_type: str = "",
        late: str = "",
        published: str = "",
        theme: int | None = None,
        question: int | None = None,
        option: str = "",
    ) -> ResponseQuerySet:
        """The analysts' list filters. Empty values mean "any"."""
        qs = self
        if respondent_type:
            qs = qs.filter(respondent_type=respondent_type)
        if late in {"yes", "no"}:
            qs = qs.filter(is_late=(late == "yes"))
        if published == "yes":
            qs = qs.filter(publication__in=["named", "anonymous"])
        elif published == "no":
            qs = qs.filter(publication="none")
        if theme:
            qs = qs.filter(answers__reviews__themes__id=theme)
        if question and option:
            # The JSON text holds each option in quotes; matching the quoted option works on
            # SQLite and PostgreSQL alike (JSON containment is PostgreSQL-only).
            qs = qs.filter(
                answers__question_id=question, answers__selected__icontains=json.dumps(option)
            )
        return qs.distinct() if theme or (question and option) else qs


class ResponseManager(models.Manager.from_queryset(ResponseQuerySet)):
    """Reads of one response by key, on every page a respondent sees."""

    def draft(self, pk: int, consultation_id: int) -> models.Model | None:
        """The draft `pk` of this consultation, or None (sent, another consultation's, gone)."""
        return self.filter(pk=pk, consultation_id=consultation_id, status="draft").first()

    def locked(self, pk: int) -> models.Model:
        """The response `pk`, locked until the transaction ends."""
        return self.select_for_update().get(pk=pk)


class AnswerQuerySet(models.QuerySet):
    def submitted(self) -> AnswerQuerySet:
        return self.filter(response__status="submitted")

    def not_empty(self) -> AnswerQuerySet:
        return self.exclude(Q(text="") & Q(selected=[]))
