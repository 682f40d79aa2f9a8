"""Each role is what the foundation says, and roles for one group or consultation give no
power over another."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from policyhub import roles
from policyhub.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_is_only_the_public(group, consultation):
    anonymous = AnonymousUser()
    assert roles.roles_for(anonymous) == {Role.PUBLIC}
    assert not roles.is_participant(anonymous)
    assert not roles.is_secretariat(anonymous)
    assert not roles.is_member(anonymous, group)
    assert not roles.is_analyst(anonymous, consultation)


def test_registered_person_is_a_participant(participant):
    assert roles.roles_for(participant) == {Role.PUBLIC, Role.PARTICIPANT}


def test_inactive_account_has_no_participant_role(participant):
    participant.is_active = False
    assert roles.roles_for(participant) == {Role.PUBLIC}


def test_member_is_member_of_their_group_only(member, group, other_group):
    assert roles.is_member(member, group)
    assert not roles.is_convenor(member, group)
    assert not roles.is_member(member, other_group)
    assert Role.MEMBER in roles.roles_for(member, group)
    assert Role.MEMBER not in roles.roles_for(member, other_group)


def test_convenor_convenes_their_group_only(convenor, group, other_group):
    assert roles.is_convenor(convenor, group)
    assert roles.is_member(convenor, group)
    assert not roles.is_convenor(convenor, other_group)
    assert roles.roles_for(convenor, group) >= {Role.MEMBER, Role.CONVENOR}


def test_analyst_analyses_their_consultation_only(analyst, consultation):
    other = factories.ConsultationFactory()
    assert roles.is_analyst(analyst, consultation)
    assert not roles.is_analyst(analyst, other)
    assert Role.ANALYST in roles.roles_for(analyst, consultation)
    assert Role.ANALYST not in roles.roles_for(analyst, other)


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
    assert not roles.is_member(superuser, group)


def test_secretariat_answer_is_cached_for_the_request(secretariat, django_assert_num_queries):
    roles.is_secretariat(secretariat)
    with django_assert_num_queries(0):
        assert roles.is_secretariat(secretariat)


def test_every_role_has_a_label():
    assert {role.label for role in Role} == set(roles.ROLE_LABELS.values())


@pytest.mark.parametrize(
    ("person", "runs_the_process", "convenes"),
    [("participant", False, False), ("convenor", False, True), ("secretariat", True, False)],
)
def test_the_signed_in_person_is_loaded_with_their_standing(
    request, django_assert_num_queries, person, runs_the_process, convenes
):
    """One query loads the person and answers both questions every signed-in page asks."""
    from policyhub.auth import StandingAllauthBackend, StandingModelBackend

    user = request.getfixturevalue(person)
    for backend in (StandingModelBackend(), StandingAllauthBackend()):
        with django_assert_num_queries(1):
            loaded = backend.get_user(str(user.pk))  # as the session holds it
            assert roles.is_secretariat(loaded) is runs_the_process
            assert roles.convenes_any_group(loaded) is convenes
        assert loaded == user and loaded.email == user.email


def test_a_deactivated_or_unknown_person_is_not_loaded(participant):
    from policyhub.auth import StandingAllauthBackend

    backend = StandingAllauthBackend()
    assert backend.get_user(participant.pk + 1000) is None
    assert backend.get_user("not a number") is None
    participant.is_active = False
    participant.save()
    assert backend.get_user(participant.pk) is None


def test_a_signed_in_page_asks_no_role_question_twice(client, participant):
    """The documents list, signed in: the session and the person, nothing else (warm)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(participant)
    client.get("/documents/")  # builds the shared fragments
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/documents/").status_code == 200
    session, person = (q["sql"] for q in queries.captured_queries)
    assert 'FROM "django_session"' in session and 'FROM "policyhub_user"' in person
