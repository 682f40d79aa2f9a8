"""The demo shows every part of working groups: the seed's groups of 2014 and 2016, and the
practice process's groups that can still be joined."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from workinggroups import services
from workinggroups.models import Proposal, SignOff, WorkingGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_every_demo_group_has_the_ten_tasks_and_members_from_each_sector(demo):
    groups = WorkingGroup.objects.all()
    assert groups.count() == 11
    for group in groups:
        assert group.tasks.count() == 10
    sectors = set(
        WorkingGroup.objects.get(slug="research-and-statistics").memberships.values_list(
            "user__sector", flat=True
        )
    )
    assert {"government", "civil_society", "expert"} <= sectors


def test_demo_has_proposals_at_every_level_with_alternatives_and_history(demo):
    levels = set(Proposal.objects.values_list("agreement_level", flat=True))
    assert {1, 2, 3, 4} <= levels
    fraud = Proposal.objects.get(title__startswith="Time-limited pilots")
    assert fraud.alternatives.count() == 2
    assert all(a.pros and a.cons for a in fraud.alternatives.all())
    assert fraud.history.count() == 2


def test_demo_has_a_proposal_signed_off_in_one_track_only(demo):
    one_track = [
        p
        for p in Proposal.objects.prefetch_related("sign_offs")
        if sorted(s.state for s in p.sign_offs.all()).count("signed_off") == 1
    ]
    assert one_track
    assert not any(services.jointly_signed_off(p) for p in one_track)


def test_demo_group_pages_answer(client, demo):
    for group in WorkingGroup.objects.all():
        assert client.get(group.get_absolute_url()).status_code == 200
        for proposal in Proposal.objects.public().filter(group=group):
            assert client.get(proposal.get_absolute_url()).status_code == 200


def test_each_demo_sign_off_is_recorded_by_a_signatory_of_its_own_side(demo, client):
    """The government track by the Cabinet Office side, the civil society network track by
    the Involve side; the demo's people can record only their own side's track."""
    sides = {"government": "Cabinet Office", "civil_society": "Involve"}
    sign_offs = SignOff.objects.select_related("recorded_by")
    assert {s.track for s in sign_offs} == set(sides)
    for sign_off in sign_offs:
        assert sign_off.recorded_by.signatory_roles.filter(track=sign_off.track).exists()
        assert sign_off.recorded_by.organisation == sides[sign_off.track]
    statistics = Proposal.objects.get(title="Identifiable data for official statistics")
    for email, own, other in [
        ("secretariat@demo.policyhub.test", "government", "civil_society"),
        ("convenor@demo.policyhub.test", "civil_society", "government"),
    ]:
        client.force_login(get_user_model().objects.get(email=email))
        page = client.get(statistics.get_absolute_url()).content.decode()
        assert f"/sign-off/{own}/" in page and f"/sign-off/{other}/" not in page
    declined = Proposal.objects.get(title__startswith="Time-limited pilots")
    page = client.get(declined.get_absolute_url()).content.decode()
    assert "6 February 2015 by Priya Hale" in page
    assert "30 January 2015 by Sam Okafor" in page


def test_public_sees_a_proposal_of_each_new_2016_group(client, demo):
    for slug in ["debt-owed-to-government", "fuel-poverty", "civil-registration"]:
        group = WorkingGroup.objects.get(slug=slug)
        proposals = list(Proposal.objects.public().filter(group=group))
        assert proposals, slug
        page = client.get(group.get_absolute_url()).content.decode()
        for item in proposals:
            assert item.get_absolute_url() in page
            assert client.get(item.get_absolute_url()).status_code == 200
    registration = client.get(
        WorkingGroup.objects.get(slug="civil-registration").get_absolute_url()
    ).content.decode()
    assert "Sharing civil registration information to assist public bodies" in registration
