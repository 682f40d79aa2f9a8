"""The people admin: who may grant rights there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _change(person, **values) -> dict:
    """The fields of a person's change form in the admin, as the page posts them."""
    joined = timezone.localtime(person.date_joined)
    return {
        "email": person.email,
        "display_name": person.display_name,
        "organisation": person.organisation,
        "sector": person.sector,
        "is_active": "on",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        **values,
    }


@pytest.fixture
def all_permissions(db) -> Group:
    group = Group.objects.create(name="Every permission")
    group.permissions.set(Permission.objects.all())
    return group


def test_staff_who_may_edit_people_cannot_give_themselves_more_rights(client, all_permissions):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(staff)
    url = reverse("admin:policyhub_user_change", args=[staff.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    grab = {"is_superuser": "on", "is_staff": "on", "groups": [all_permissions.pk]}
    response = client.post(url, _change(staff, display_name="Renamed", **grab))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.display_name == "Renamed"  # what they may change is saved
    assert not staff.is_superuser and not staff.groups.exists()
    other = UserFactory()
    url = reverse("admin:policyhub_user_change", args=[other.pk])
    assert client.post(url, _change(other, **grab)).status_code == 302
    other.refresh_from_db()
    assert not other.is_superuser and not other.is_staff and not other.groups.exists()


def test_staff_who_may_edit_people_cannot_take_over_or_delete_a_superuser(client, superuser):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"])
    )
    client.force_login(staff)
    change = reverse("admin:policyhub_user_change", args=[superuser.pk])
    taken = _change(superuser, email="staff-owned@example.org")
    assert client.post(change, taken).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[superuser.pk])
    assert client.get(password).status_code == 403
    delete = reverse("admin:policyhub_user_delete", args=[superuser.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    superuser.refresh_from_db()
    assert superuser.email != "staff-owned@example.org"
    assert client.get(change).status_code == 200  # they may still see the account


def test_a_superuser_grants_rights(client, superuser, all_permissions):
    person = UserFactory()
    client.force_login(superuser)
    url = reverse("admin:policyhub_user_change", args=[person.pk])
    grab = {"is_staff": "on", "groups": [all_permissions.pk]}
    assert client.post(url, _change(person, **grab)).status_code == 302
    person.refresh_from_db()
    assert person.is_staff and list(person.groups.all()) == [all_permissions]
