"""Roles as people meet them on the site: convening is a role held in one group, not any
membership; and a deactivated account holds no role, superuser or not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meetings.models import Meeting
from tests import factories
from tests.documents.factories import DocumentFactory, RestrictionFactory
from tests.meetings.test_views import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def convenes_a_belongs_to_b(group, other_group):
    """Convenor of one group and a plain member of another."""
    person = factories.MembershipFactory(group=group, role="convenor").user
    factories.MembershipFactory(group=other_group, user=person)
    return person


def test_convening_one_group_gives_no_say_over_a_group_one_only_belongs_to(
    client, convenes_a_belongs_to_b, group, other_group
):
    client.force_login(convenes_a_belongs_to_b)

    def join_requests(g):
        return client.get(reverse("workinggroups:join-requests", args=[g.slug]))

    assert join_requests(group).status_code == 200
    assert join_requests(other_group).status_code == 403

    form = client.get(reverse("meetings:schedule")).content.decode()
    assert f'value="{group.pk}"' in form
    assert f'value="{other_group.pk}"' not in form

    refused = client.post(reverse("meetings:schedule"), form_data(other_group))
    assert refused.status_code == 200
    assert "Select the working group from the options given" in refused.content.decode()
    assert not Meeting.objects.exists()
    assert client.post(reverse("meetings:schedule"), form_data(group)).status_code == 302
    assert Meeting.objects.get().working_group == group


def test_a_member_who_convenes_nothing_is_not_offered_scheduling(client, member, other_group):
    factories.MembershipFactory(group=other_group, user=member)
    client.force_login(member)

    assert "Schedule a meeting" not in client.get(reverse("meetings:list")).content.decode()
    assert client.get(reverse("meetings:schedule")).status_code == 403


def test_a_superuser_deactivated_while_signed_in_loses_every_right_at_the_next_request(
    client, superuser
):
    """Two layers hold this: Django's sign-in treats a deactivated account's session as
    signed out, and the roles answer nothing but "public" for a deactivated account (for
    code that holds a person outside a request: tests/policyhub/test_roles.py)."""
    DocumentFactory(title="Open evidence on prices")
    withheld = DocumentFactory(title="Negotiation position on prices")
    RestrictionFactory(document=withheld)
    client.force_login(superuser)
    assert client.get(withheld.get_absolute_url()).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 200

    superuser.is_active = False
    superuser.save()

    assert client.get(withheld.get_absolute_url()).status_code == 404
    assert client.get(reverse("admin:index")).status_code == 302
    listed = client.get(reverse("documents:list")).content.decode()
    assert "Negotiation position on prices" not in listed
    assert "Open evidence on prices" in listed
