"""Working-group fixtures on top of tests/conftest.py: the other group's people and the
things a group makes."""

from __future__ import annotations

import pytest

from tests import factories
from workinggroups.models import Proposal

from .factories import ConcernFactory, ProposalFactory, SignatoryFactory


@pytest.fixture
def other_member(db, other_group):
    return factories.MembershipFactory(group=other_group).user


@pytest.fixture
def other_convenor(db, other_group):
    return factories.MembershipFactory(group=other_group, role="convenor").user


@pytest.fixture
def proposal(db, group):
    return ProposalFactory(group=group, status=Proposal.Status.UNDER_DISCUSSION)


@pytest.fixture
def draft(db, group):
    return ProposalFactory(group=group, status=Proposal.Status.DRAFT)


@pytest.fixture
def agreed(db, group):
    return ProposalFactory(group=group, status=Proposal.Status.AGREED, agreement_level=1)


@pytest.fixture
def concern(db, group, member):
    return ConcernFactory(group=group, raised_by=member)


@pytest.fixture
def government_signatory(db):
    """Records the government track: the Cabinet Office side."""
    user = factories.UserFactory(organisation="Cabinet Office", sector="government")
    return SignatoryFactory(track="government", user=user).user


@pytest.fixture
def civil_society_signatory(db):
    """Records the civil society network track: the Involve side."""
    user = factories.UserFactory(organisation="Involve", sector="civil_society")
    return SignatoryFactory(track="civil_society", user=user).user
