"""Adjectives for documents and restrictions. Access is decided in permissions.py; these
only describe state (published, restricted, matching a search)."""

from __future__ import annotations

from datetime import date

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

SEARCH_CONFIG = "english"
MAX_SEARCH_TERMS = 10


def search_terms(query: str) -> list[str]:
    """The words of a search, without quotes and operators, at most MAX_SEARCH_TERMS."""
    words = [w.strip("\"'()+-") for w in query.split()]
    return [w for w in words if w and w.lower() not in {"or", "and", "not"}][:MAX_SEARCH_TERMS]


class DocumentQuerySet(models.QuerySet):
    def published(self) -> DocumentQuerySet:
        return self.filter(status="published")

    def active_restriction_exists(self) -> Exists:
        restriction = apps.get_model("documents", "Restriction")
        return Exists(restriction.objects.filter(document=OuterRef("pk"), lifted_at__isnull=True))

    def restricted(self) -> DocumentQuerySet:
        """Documents withheld right now."""
        return self.filter(self.active_restriction_exists())

    def open(self) -> DocumentQuerySet:
        return self.exclude(self.active_restriction_exists())

    def with_access(self) -> DocumentQuerySet:
        """Annotate `is_restricted`, so lists can show a tag without a query per row."""
        return self.annotate(is_restricted=self.active_restriction_exists())

    def search(self, query: str) -> DocumentQuerySet:
        """Full-text search over title, summary, body and the text of text-based files.

        PostgreSQL uses the stored, GIN-indexed search vector (stemmed English, ranked);
        other databases fall back to every word appearing somewhere (case-insensitive).
        Always call it on a queryset already filtered by `documents_visible_to`.
        """
        terms = search_terms(query)
        if not terms:
            return self
        if connections[self.db].vendor == "postgresql":
            ts_query = SearchQuery(" ".join(terms), search_type="plain", config=SEARCH_CONFIG)
            return (
                self.filter(search_vector=ts_query)
                .annotate(rank=SearchRank(F("search_vector"), ts_query))
                .order_by("-rank", "-published_on", "-id")
            )
        document_file = apps.get_model("documents", "DocumentFile")
        matches = self
        for term in terms:
            in_files = Exists(
                document_file.objects.filter(document=OuterRef("pk"), text__icontains=term)
            )
            matches = matches.filter(
                Q(title__icontains=term)
                | Q(summary__icontains=term)
                | Q(body__icontains=term)
                | Q(in_files)
            )
        return matches


class RestrictionQuerySet(models.QuerySet):
    def active(self) -> RestrictionQuerySet:
        return self.filter(lifted_at__isnull=True)

    def review_due(self, today: date | None = None) -> RestrictionQuerySet:
        """Active restrictions whose review date has come: the secretariat must decide again."""
        today = today or timezone.localdate()
        return self.active().filter(review_on__lte=today)

    def reminder_not_sent(self) -> RestrictionQuerySet:
        """No email yet for the current review date (sent once per review due)."""
        return self.filter(Q(reminder_sent_for__isnull=True) | ~Q(reminder_sent_for=F("review_on")))
