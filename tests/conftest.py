"""Shared fixtures: one person per role, so every app's permission tests speak alike."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from policyhub import cache as policyhub_cache
from tests import factories


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and memoised work live in the cache (and the process), and a
    failure seen by one test would leave a circuit breaker open; each test starts with
    none."""
    cache.clear()
    policyhub_cache._in_process.clear()
    policyhub_cache._breakers.clear()
    yield
    cache.clear()
    policyhub_cache._in_process.clear()
    policyhub_cache._breakers.clear()


@pytest.fixture
def participant(db):
    return factories.UserFactory(sector="public")


@pytest.fixture
def secretariat(db):
    return factories.SecretariatMemberFactory().user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def group(db):
    return factories.WorkingGroupFactory()


@pytest.fixture
def other_group(db, group):
    return factories.WorkingGroupFactory(process=group.process)


@pytest.fixture
def member(db, group):
    return factories.MembershipFactory(group=group).user


@pytest.fixture
def convenor(db, group):
    return factories.MembershipFactory(group=group, role="convenor").user


@pytest.fixture
def consultation(db):
    return factories.ConsultationFactory()


@pytest.fixture
def analyst(db, consultation):
    return factories.AnalystFactory(consultation=consultation).user
