"""The database is the last line of defence: constraints that hold even if a service is
bypassed (admin, shell, a bug)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from workinggroups.models import AgreementLevel, JoinRequest, SignOff

from .factories import JoinRequestFactory, SignOffFactory

pytestmark = pytest.mark.django_db


def test_a_person_has_at_most_one_waiting_request_per_group(group, participant):
    JoinRequestFactory(group=group, user=participant)
    with pytest.raises(IntegrityError):
        JoinRequestFactory(group=group, user=participant)


def test_a_person_may_ask_again_after_being_declined(group, participant):
    JoinRequestFactory(group=group, user=participant, status="declined", reason="Full.")
    JoinRequestFactory(group=group, user=participant)
    assert JoinRequest.objects.filter(group=group, user=participant).count() == 2


def test_a_declined_request_must_have_a_reason(group):
    with pytest.raises(IntegrityError):
        JoinRequestFactory(group=group, status="declined", reason="")


def test_a_track_is_recorded_once_per_proposal(agreed):
    SignOffFactory(proposal=agreed, track=SignOff.Track.GOVERNMENT)
    with pytest.raises(IntegrityError):
        SignOffFactory(proposal=agreed, track=SignOff.Track.GOVERNMENT)


def test_every_level_has_a_plain_words_meaning():
    for level in AgreementLevel.values:
        assert AgreementLevel.meaning(level).endswith(".")
    assert AgreementLevel.meaning(None) == "No level of agreement has been recorded yet."


def test_default_tasks_migration_reverses_without_touching_edited_tasks():
    from importlib import import_module

    from django.apps import apps

    from workinggroups.models import DefaultTask

    migration = import_module("workinggroups.migrations.0003_default_tasks")
    DefaultTask.objects.filter(position=1).update(title="Agree the purpose (edited)")
    migration.remove_seed_tasks(apps, None)
    assert list(DefaultTask.objects.values_list("title", flat=True)) == [
        "Agree the purpose (edited)"
    ]
    migration.add_seed_tasks(apps, None)
    assert DefaultTask.objects.count() == 10


PLAIN_TEXT_LIMITS = [
    ("JoinRequest", "statement", 3_000),
    ("JoinRequest", "reason", 3_000),
    ("AgreementRecord", "note", 500),
]


@pytest.mark.parametrize(("model", "name", "limit"), PLAIN_TEXT_LIMITS)
def test_every_plain_text_field_has_a_length_a_real_text_needs(model, name, limit):
    from django.apps import apps

    field = apps.get_model("workinggroups", model)._meta.get_field(name)
    assert field.max_length == limit
