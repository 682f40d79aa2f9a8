"""The working groups' access rules as people meet them: the buttons a page offers, what the
URL behind each button answers, and what a list shows. Each test has a person who may act
next to one who may not, so it fails if the rule is loosened as well as if it is broken.

Where a service refuses the same action again (a withdrawn proposal, a concluded group, a
concern without mediators or with an outcome), the page must not even offer it: the
permission decides the button and the form page, the service only the write.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from workinggroups.models import Concern, JoinRequest, Proposal, WorkingGroup

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Proposals -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Proposal.Status.PUBLISHED, Proposal.Status.WITHDRAWN])
def test_convenor_cannot_edit_a_published_or_withdrawn_proposal(client, convenor, group, status):
    editable = ProposalFactory(group=group, status=Proposal.Status.UNDER_DISCUSSION)
    closed = ProposalFactory(group=group, status=status, title="What the paper said")
    client.force_login(convenor)

    def urls(proposal):
        return {
            name: reverse(f"workinggroups:{name}", args=[group.slug, proposal.pk])
            for name in ("proposal", "proposal-edit", "alternative-add")
        }

    open_urls, closed_urls = urls(editable), urls(closed)
    assert open_urls["proposal-edit"] in page(client, open_urls["proposal"])
    assert client.get(open_urls["proposal-edit"]).status_code == 200

    shown = page(client, closed_urls["proposal"])
    assert "Edit the proposal" not in shown and closed_urls["proposal-edit"] not in shown
    assert closed_urls["alternative-add"] not in shown
    assert client.get(closed_urls["proposal-edit"]).status_code == 403
    assert client.get(closed_urls["alternative-add"]).status_code == 403
    changed = {"title": "Rewritten after the event", "problem": "x", "conditions": "y"}
    assert client.post(closed_urls["proposal-edit"], changed).status_code == 403
    closed.refresh_from_db()
    assert closed.title == "What the paper said"


# --- Joining -------------------------------------------------------------------------------


def test_concluded_group_offers_no_way_to_ask_to_join(client, participant, group, other_group):
    other_group.status = WorkingGroup.Status.CONCLUDED
    other_group.save()
    client.force_login(participant)
    running_join = reverse("workinggroups:join", args=[group.slug])
    assert running_join in page(client, group.get_absolute_url())

    join = reverse("workinggroups:join", args=[other_group.slug])
    shown = page(client, other_group.get_absolute_url())
    assert "This group has concluded its work." in shown
    assert join not in shown and "Ask to join" not in shown
    assert client.get(join).status_code == 403
    statement = {"statement": "I would like to contribute after all."}
    assert client.post(join, statement).status_code == 403
    assert not JoinRequest.objects.filter(group=other_group).exists()


# --- Concerns ------------------------------------------------------------------------------


def test_outcome_cannot_be_recorded_before_mediation_begins(client, secretariat, concern):
    assert concern.status == Concern.Status.RAISED
    client.force_login(secretariat)
    outcome = reverse("workinggroups:concern-outcome", args=[concern.pk])
    mediators = reverse("workinggroups:concern-mediators", args=[concern.pk])
    shown = page(client, concern.get_absolute_url())
    assert mediators in shown  # what comes first is offered
    assert outcome not in shown and "Record the outcome" not in shown
    assert client.get(outcome).status_code == 403
    assert client.post(outcome, {"outcome": "Agreed to differ."}).status_code == 403
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RAISED and concern.outcome == ""


def test_outcome_is_offered_once_mediation_has_begun(client, secretariat, concern):
    """The other side of the rule above, so that test cannot pass on a page that never
    offers the outcome."""
    mediator = factories.SecretariatMemberFactory().user
    concern.mediators.add(mediator)
    concern.status = Concern.Status.IN_MEDIATION
    concern.save()
    outcome = reverse("workinggroups:concern-outcome", args=[concern.pk])
    client.force_login(mediator)
    assert outcome in page(client, concern.get_absolute_url())
    assert client.post(outcome, {"outcome": "Papers a week ahead."}).status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED


def test_mediators_cannot_be_assigned_to_a_concern_with_an_outcome(client, secretariat, concern):
    mediator = factories.SecretariatMemberFactory().user
    concern.mediators.add(mediator)
    concern.status = Concern.Status.RESOLVED
    concern.outcome = "Papers a week ahead."
    concern.save()
    newcomer = factories.SecretariatMemberFactory().user
    client.force_login(secretariat)
    assign = reverse("workinggroups:concern-mediators", args=[concern.pk])
    shown = page(client, concern.get_absolute_url())
    assert "Papers a week ahead." in shown
    assert assign not in shown and "Assign mediators" not in shown
    assert client.get(assign).status_code == 403
    assert client.post(assign, {"mediators": [newcomer.pk]}).status_code == 403
    assert list(concern.mediators.all()) == [mediator]


def test_members_do_not_see_concerns_others_raised_about_their_group(
    client, group, other_group, convenor, concern
):
    """A member of the group, and someone who is a member here and convenes another
    group, see neither the list entry nor the page; the group's convenor sees both."""
    member = factories.MembershipFactory(group=group).user
    convenes_elsewhere = factories.MembershipFactory(group=other_group, role="convenor").user
    factories.MembershipFactory(group=group, user=convenes_elsewhere)
    concerns = reverse("workinggroups:concerns")

    link = "Concerns about this group"

    client.force_login(convenor)
    assert link in page(client, group.get_absolute_url())
    assert concern.title in page(client, concerns)
    assert client.get(concern.get_absolute_url()).status_code == 200

    for person in (member, convenes_elsewhere):
        client.force_login(person)
        shown = page(client, group.get_absolute_url())
        assert "Raise a concern" in shown and link not in shown
        assert concern.title not in page(client, concerns)
        assert client.get(concern.get_absolute_url()).status_code == 404
        assert (
            client.get(reverse("workinggroups:concern-outcome", args=[concern.pk])).status_code
            == 404
        )
