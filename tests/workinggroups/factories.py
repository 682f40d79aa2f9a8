"""Factories for working-group models beyond the shared ones in tests/factories.py."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from meetings.models import Meeting
from tests.factories import MembershipFactory, UserFactory, WorkingGroupFactory
from workinggroups.models import (
    AgreementRecord,
    Alternative,
    Concern,
    JoinRequest,
    Proposal,
    Signatory,
    SignOff,
    Task,
    WiderIssue,
)


class JoinRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinRequest

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    statement = "I work on data protection and would like to contribute."


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    group = factory.SubFactory(WorkingGroupFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Task {n}")


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Proposal {n}")
    problem = "Data cannot be shared for research."
    conditions = "Share de-identified data with accredited researchers."
    safeguards = "Criminal penalty for re-identification."
    status = Proposal.Status.UNDER_DISCUSSION


class AlternativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alternative

    proposal = factory.SubFactory(ProposalFactory)
    title = factory.Sequence(lambda n: f"Alternative {n}")
    text = "Ask each department separately."
    pros = "No new body."
    cons = "Slow."


class AgreementRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementRecord

    proposal = factory.SubFactory(ProposalFactory)
    level = 1
    recorded_by = factory.SubFactory(UserFactory)


class SignOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SignOff

    proposal = factory.SubFactory(ProposalFactory, status=Proposal.Status.AGREED)
    track = SignOff.Track.GOVERNMENT


class SignatoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signatory

    track = SignOff.Track.GOVERNMENT
    user = factory.SubFactory(UserFactory)


class WiderIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WiderIssue

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Wider issue {n}")
    description = "Outside our scope, worth exploring."


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    group = factory.SubFactory(WorkingGroupFactory)
    title = factory.Sequence(lambda n: f"Concern {n}")
    description = "Papers arrive too late to read."
    raised_by = factory.LazyAttribute(lambda o: MembershipFactory(group=o.group).user)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    process = factory.SubFactory("tests.factories.ProcessFactory")
    title = factory.Sequence(lambda n: f"Meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
