"""Meeting and registration querysets that read like adjectives."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

FEED_DAYS_BEHIND = 92


def _standing_versions() -> models.QuerySet:
    """The standing versions of the outer meeting's notes, for EXISTS."""
    return apps.get_model("meetings", "NotesVersion").objects.filter(
        notes__meeting=OuterRef("pk"), withdrawn_at__isnull=True
    )


class MeetingQuerySet(models.QuerySet):
    def scheduled(self) -> MeetingQuerySet:
        return self.filter(status="scheduled")

    def upcoming(self, now: datetime | None = None) -> MeetingQuerySet:
        """Not yet finished, soonest first (a meeting under way is still "upcoming")."""
        return self.filter(ends_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None) -> MeetingQuerySet:
        """Finished, most recent first."""
        return self.filter(ends_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")

    def held(self, now: datetime | None = None) -> MeetingQuerySet:
        """Meetings that actually took place: finished and not cancelled."""
        return self.past(now).scheduled()

    def in_feeds(self, today: date | None = None) -> MeetingQuerySet:
        """What calendar feeds hold: every meeting still to come, and those that ended in
        the last FEED_DAYS_BEHIND days (older ones, with their notes, are on the site).
        Calendar programs fetch a feed all day, so it stays small; the boundary moves once a
        day, so a feed built today can be kept until a meeting changes."""
        today = today or timezone.localdate()
        since = datetime.combine(today - timedelta(days=FEED_DAYS_BEHIND), time.min)
        return self.filter(ends_at__gte=timezone.make_aware(since))

    def for_list(self) -> MeetingQuerySet:
        """What a list row shows, in a fixed number of queries whatever the length."""
        return self.select_related("working_group", "process", "notes").with_notes_flag()

    def with_notes_flag(self) -> MeetingQuerySet:
        """Each meeting with `has_published_notes`. Only versions still standing count.
        Asked per row (EXISTS), not by grouping: grouping joined and counted every
        meeting's versions before a page of 20 was cut from them."""
        return self.annotate(has_published_notes=Exists(_standing_versions()))

    def awaiting_notes(self, now: datetime | None = None) -> MeetingQuerySet:
        """Held, and no version of its notes standing (never published, or every version
        withdrawn): the notes its managers still owe readers. Most recent first."""
        return self.held(now).exclude(Exists(_standing_versions()))

    def held_stats(self, now: datetime | None = None) -> dict[str, int]:
        """The process page figure: meetings held, how many outside London (an online-only
        meeting is not counted as outside London), how many allowed remote participation."""
        return self.held(now).aggregate(
            held=Count("pk"),
            outside_london=Count("pk", filter=~Q(region__in=["london", "online"])),
            with_remote=Count("pk", filter=Q(has_remote_participation=True)),
        )


class RegistrationQuerySet(models.QuerySet):
    def attending(self) -> RegistrationQuerySet:
        return self.exclude(mode="apologies")

    def confirmed_in_person(self) -> RegistrationQuerySet:
        return self.filter(mode="in_person", status="confirmed")

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status="waiting").order_by("waiting_since", "pk")

    def counts(self) -> dict[str, int]:
        """What a meeting's page says of its registrations, counted by the database: places
        taken in person, people joining remotely, the waiting list, and apologies."""
        return self.aggregate(
            in_person=Count("pk", filter=Q(mode="in_person", status="confirmed")),
            remote=Count("pk", filter=Q(mode="remote")),
            waiting=Count("pk", filter=Q(status="waiting")),
            apologies=Count("pk", filter=Q(mode="apologies")),
        )


class NotesVersionQuerySet(models.QuerySet):
    def standing(self) -> NotesVersionQuerySet:
        """Not withdrawn: the versions readers may read."""
        return self.filter(withdrawn_at__isnull=True)

    def current(self) -> NotesVersionQuerySet:
        """The version readers see by default: for each set of notes, its latest version
        still standing (a withdrawn version hands back to the one before it)."""
        later = self.model.objects.filter(
            notes=OuterRef("notes"), number__gt=OuterRef("number"), withdrawn_at__isnull=True
        )
        return self.standing().exclude(Exists(later))


class PublishedActionQuerySet(models.QuerySet):
    def current(self) -> PublishedActionQuerySet:
        """Actions as the current version of their notes published them."""
        versions = self.model._meta.get_field("version").related_model.objects.current()
        return self.filter(version__in=versions)

    def open(self) -> PublishedActionQuerySet:
        """Still open: by the live action while the draft tracks it, else as published."""
        return self.filter(
            Q(action__status="open") | Q(action__isnull=True, published_status="open")
        )
