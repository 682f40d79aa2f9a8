"""Querysets that read like adjectives: `JoinRequest.objects.pending()`."""

from __future__ import annotations

from django.db import models


class WorkingGroupQuerySet(models.QuerySet):
    def with_counts(self) -> WorkingGroupQuerySet:
        """Members, tasks done and tasks in all, in the same query as the groups."""
        return self.annotate(
            member_count=models.Count("memberships", distinct=True),
            task_count=models.Count("tasks", distinct=True),
            tasks_done=models.Count("tasks", filter=models.Q(tasks__status="done"), distinct=True),
        )


class JoinRequestQuerySet(models.QuerySet):
    def pending(self) -> JoinRequestQuerySet:
        """Waiting for a convenor's decision."""
        return self.filter(status="pending")


class ProposalQuerySet(models.QuerySet):
    def public(self) -> ProposalQuerySet:
        """Everything past draft: drafts are the group's working copy."""
        return self.exclude(status="draft")


class WiderIssueQuerySet(models.QuerySet):
    def open(self) -> WiderIssueQuerySet:
        """Not yet taken forward or parked by the secretariat."""
        return self.filter(status="open")


class ConcernQuerySet(models.QuerySet):
    def unresolved(self) -> ConcernQuerySet:
        """Still waiting for an outcome."""
        return self.exclude(status="resolved")
