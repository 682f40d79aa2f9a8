"""Factories for the meetings app's own models."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import (
    Action,
    Meeting,
    Notes,
    NotesVersion,
    PublishedAction,
    Region,
    Registration,
)
from tests.factories import ProcessFactory, UserFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    process = factory.LazyAttribute(
        lambda o: o.working_group.process if o.working_group else ProcessFactory()
    )
    working_group = None
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    announced_at = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=30))
    venue = "Meeting room 1"
    address = "1 High Street, Leeds"
    region = Region.YORKSHIRE
    has_remote_participation = True
    joining_link = "https://meet.example.org/secret-room"
    dial_in = "0300 000 0000 PIN 4321"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    mode = Registration.Mode.IN_PERSON


class NotesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notes

    meeting = factory.SubFactory(
        MeetingFactory,
        starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
    )
    summary = "The group agreed the scope."
    discussion_points = "Some members felt the timetable was tight."
    decisions = "- Draft options."


def published(action: Action, number: int = 1) -> PublishedAction:
    """`action` as version `number` of its meeting's notes published it, written directly
    (the service publishes only once a meeting has taken place)."""
    notes, _ = Notes.objects.get_or_create(meeting=action.meeting)
    version, _ = NotesVersion.objects.get_or_create(notes=notes, number=number)
    return PublishedAction.objects.create(
        version=version,
        action=action,
        description=action.description,
        owner=action.owner,
        due_on=action.due_on,
        published_status=action.status,
    )
