"""Granting and removing the secretariat role is recorded in the audit log."""

import pytest

from policyhub import roles, services
from policyhub.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_adding_to_secretariat_grants_the_role_and_is_audited(participant, superuser):
    services.add_to_secretariat(participant, note="Cabinet Office team", by=superuser)
    participant = type(participant).objects.get(pk=participant.pk)  # fresh role cache
    assert roles.is_secretariat(participant)
    entry = AuditEntry.objects.get(action="policyhub.secretariat_added")
    assert entry.actor == superuser
    assert entry.target_id == str(participant.pk)
    assert entry.payload == {"note": "Cabinet Office team"}


def test_adding_twice_changes_nothing(participant, superuser):
    services.add_to_secretariat(participant, by=superuser)
    services.add_to_secretariat(participant, by=superuser)
    assert AuditEntry.objects.filter(action="policyhub.secretariat_added").count() == 1


def test_removing_from_secretariat_is_audited(secretariat, superuser):
    services.remove_from_secretariat(secretariat, by=superuser)
    secretariat = type(secretariat).objects.get(pk=secretariat.pk)
    assert not roles.is_secretariat(secretariat)
    assert AuditEntry.objects.filter(action="policyhub.secretariat_removed").count() == 1


def test_admin_grant_goes_through_the_audited_service(client, superuser, participant):
    client.force_login(superuser)
    response = client.post(
        "/admin/policyhub/secretariatmember/add/", {"user": participant.pk, "note": "New"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(
        action="policyhub.secretariat_added", actor=superuser, target_id=str(participant.pk)
    ).exists()


def test_audit_log_cannot_be_edited_in_the_admin(client, superuser, participant):
    services.add_to_secretariat(participant, by=superuser)
    entry = AuditEntry.objects.get()
    client.force_login(superuser)
    assert client.get("/admin/policyhub/auditentry/").status_code == 200
    response = client.post(f"/admin/policyhub/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
