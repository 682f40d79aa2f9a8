"""The people admin: who may grant rights there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from policyhub.models import User
from tests.factories import SecretariatMemberFactory, UserFactory

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


@pytest.fixture
def staff_who_may_edit_people(db):
    """Staff who may view, change and delete people (and so what deleting a person deletes
    with them: their email addresses, memberships…), but who are not superusers."""
    staff = UserFactory(is_staff=True)
    may = Q(codename__in=["view_user", "change_user"]) | Q(codename__startswith="delete_")
    staff.user_permissions.set(Permission.objects.filter(may))
    return staff


@pytest.mark.parametrize("holder", ["superuser", "other staff", "secretariat"])
def test_staff_who_may_edit_people_cannot_take_over_or_delete_an_account_with_rights(
    client, staff_who_may_edit_people, superuser, holder
):
    """A new email address or password would hand the account's rights over, so only a
    superuser may change or delete an account that holds any (inactive ones included)."""
    person = {
        "superuser": superuser,
        "other staff": UserFactory(is_staff=True),
        "secretariat": SecretariatMemberFactory(user=UserFactory(is_active=False)).user,
    }[holder]
    client.force_login(staff_who_may_edit_people)
    change = reverse("admin:policyhub_user_change", args=[person.pk])
    taken = _change(person, email="staff-owned@example.org")
    assert client.post(change, taken).status_code == 403
    password = reverse("admin:auth_user_password_change", args=[person.pk])
    assert client.get(password).status_code == 403
    delete = reverse("admin:policyhub_user_delete", args=[person.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    # Nor through the list's "delete selected", alone or among people they may delete.
    plain = UserFactory()
    selected = {"action": "delete_selected", "_selected_action": [person.pk, plain.pk]}
    client.post(reverse("admin:policyhub_user_changelist"), {**selected, "post": "yes"})
    person.refresh_from_db()
    assert person.email != "staff-owned@example.org"
    assert User.objects.filter(pk__in=[person.pk, plain.pk]).count() == 2
    assert client.get(change).status_code == 200  # they may still see the account


def test_staff_who_may_edit_people_still_edit_and_delete_people_without_rights(
    client, staff_who_may_edit_people
):
    person = UserFactory()
    client.force_login(staff_who_may_edit_people)
    change = reverse("admin:policyhub_user_change", args=[person.pk])
    assert client.post(change, _change(person, display_name="Renamed")).status_code == 302
    person.refresh_from_db()
    assert person.display_name == "Renamed"
    selected = {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"}
    assert client.post(reverse("admin:policyhub_user_changelist"), selected).status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()


def test_a_superuser_grants_rights(client, superuser, all_permissions):
    person = UserFactory()
    client.force_login(superuser)
    url = reverse("admin:policyhub_user_change", args=[person.pk])
    grab = {"is_staff": "on", "groups": [all_permissions.pk]}
    assert client.post(url, _change(person, **grab)).status_code == 302
    person.refresh_from_db()
    assert person.is_staff and list(person.groups.all()) == [all_permissions]
