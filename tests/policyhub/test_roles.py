"""Each role is what the foundation says, and roles for one group or consultation give no
power over another."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from consultation.permissions import is_analyst
from policyhub import roles
from policyhub.roles import Role
from tests import factories
from workinggroups.permissions import convenes_any_group, is_convenor, is_member

pytestmark = pytest.mark.django_db


def test_anonymous_is_only_the_public(group, consultation):
    anonymous = AnonymousUser()
    assert roles.roles_for(anonymous) == {Role.PUBLIC}
    assert not roles.is_participant(anonymous)
    assert not roles.is_secretariat(anonymous)
    assert not is_member(anonymous, group)
    assert not is_analyst(anonymous, consultation)


def test_registered_person_is_a_participant(participant):
    assert roles.roles_for(participant) == {Role.PUBLIC, Role.PARTICIPANT}


def test_inactive_account_has_no_participant_role(participant):
    participant.is_active = False
    assert roles.roles_for(participant) == {Role.PUBLIC}


def test_member_is_member_of_their_group_only(member, group, other_group):
    assert is_member(member, group)
    assert not is_convenor(member, group)
    assert not is_member(member, other_group)
    assert not convenes_any_group(member)


def test_convenor_convenes_their_group_only(convenor, group, other_group):
    assert is_convenor(convenor, group)
    assert is_member(convenor, group)
    assert not is_convenor(convenor, other_group)
    assert convenes_any_group(convenor)


def test_analyst_analyses_their_consultation_only(analyst, consultation):
    other = factories.ConsultationFactory()
    assert is_analyst(analyst, consultation)
    assert not is_analyst(analyst, other)


def test_secretariat_is_a_row_not_a_staff_flag(secretariat, participant):
    assert roles.is_secretariat(secretariat)
    participant.is_staff = True
    assert not roles.is_secretariat(participant)


def test_superuser_counts_as_secretariat(superuser, group):
    assert roles.roles_for(superuser) == {
        Role.PUBLIC,
        Role.PARTICIPANT,
        Role.SECRETARIAT,
        Role.SUPERUSER,
    }
    # Being a superuser does not make someone a member of a group.
    assert not is_member(superuser, group)


def test_an_inactive_superuser_holds_no_right(superuser, group):
    superuser.is_active = False
    assert roles.roles_for(superuser) == {Role.PUBLIC}
    assert not roles.is_secretariat(superuser)


def test_secretariat_answer_is_cached_for_the_request(secretariat, django_assert_num_queries):
    roles.is_secretariat(secretariat)
    with django_assert_num_queries(0):
        assert roles.is_secretariat(secretariat)


def test_every_role_has_a_label():
    assert {role.label for role in Role} == set(roles.ROLE_LABELS.values())
