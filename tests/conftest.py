"""Shared fixtures: one person per role, so every app's permission tests speak alike."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

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


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in Welsh leaves Welsh active in the thread that made it (LocaleMiddleware
    activates a language per request and nothing resets it); each test starts in the site's
    own language, as a fresh process does."""
    yield
    translation.deactivate()


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
def other_member(db, other_group):
    return factories.MembershipFactory(group=other_group).user


@pytest.fixture
def other_convenor(db, other_group):
    return factories.MembershipFactory(group=other_group, role="convenor").user


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


# --- people holding roles in two places: a right must stay where it was given ----------------


@pytest.fixture
def convenor_and_other_member(db, group, other_group):
    """Convenes `group` and is an ordinary member of `other_group`."""
    person = factories.MembershipFactory(group=group, role="convenor").user
    factories.MembershipFactory(group=other_group, user=person)
    return person


@pytest.fixture
def member_and_other_convenor(db, group, other_group):
    """An ordinary member of `group` who convenes `other_group`."""
    person = factories.MembershipFactory(group=group).user
    factories.MembershipFactory(group=other_group, user=person, role="convenor")
    return person


@pytest.fixture
def other_consultation(db, consultation):
    return factories.ConsultationFactory(process=consultation.process)


@pytest.fixture
def other_analyst(db, other_consultation):
    return factories.AnalystFactory(consultation=other_consultation).user


@pytest.fixture
def analyst_of_both(db, consultation, other_consultation):
    """Analyses `consultation` and `other_consultation`."""
    person = factories.AnalystFactory(consultation=consultation).user
    factories.AnalystFactory(consultation=other_consultation, user=person)
    return person
