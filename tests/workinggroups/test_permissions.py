"""The permission matrix: role x URL x method -> status. One table for the whole app, so a
rule that changes shows up here. 404 means "you may not know it exists"; 403 means "you
can see it but may not do this"; 302 sends a signed-out person to sign in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from workinggroups import permissions
from workinggroups.models import Concern, Membership, Proposal

from .factories import (
    ConcernFactory,
    JoinRequestFactory,
    ProposalFactory,
    TaskFactory,
    WiderIssueFactory,
)

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "member",
    "other_member",
    "convenor",
    "other_convenor",
    "secretariat",
    "superuser",
]


@pytest.fixture
def world(group, other_group, member, other_member, convenor, other_convenor, secretariat):
    """One of everything, in `group` unless named "other"."""
    TaskFactory(group=group, position=1)
    proposal = ProposalFactory(group=group, status=Proposal.Status.UNDER_DISCUSSION)
    draft = ProposalFactory(group=group, status=Proposal.Status.DRAFT)
    other_draft = ProposalFactory(group=other_group, status=Proposal.Status.DRAFT)
    agreed = ProposalFactory(group=group, status=Proposal.Status.AGREED, agreement_level=1)
    join_request = JoinRequestFactory(group=group)
    other_join_request = JoinRequestFactory(group=other_group)
    issue = WiderIssueFactory(group=group)
    concern = ConcernFactory(group=group, raised_by=member)
    mediated = ConcernFactory(group=group, raised_by=member, status=Concern.Status.IN_MEDIATION)
    mediated.mediators.add(other_convenor)  # mediators come from outside the group
    g, o = group.slug, other_group.slug
    return {
        "list": reverse("workinggroups:list"),
        "detail": reverse("workinggroups:detail", args=[g]),
        "join": reverse("workinggroups:join", args=[g]),
        "leave": reverse("workinggroups:leave", args=[g]),
        "join-requests": reverse("workinggroups:join-requests", args=[g]),
        "other-join-requests": reverse("workinggroups:join-requests", args=[o]),
        "join-request-decide": reverse(
            "workinggroups:join-request-decide", args=[g, join_request.pk]
        ),
        "other-join-request-decide": reverse(
            "workinggroups:join-request-decide", args=[o, other_join_request.pk]
        ),
        "task": reverse("workinggroups:task", args=[g, 1]),
        "task-edit": reverse("workinggroups:task-edit", args=[g, 1]),
        "proposal": reverse("workinggroups:proposal", args=[g, proposal.pk]),
        "draft": reverse("workinggroups:proposal", args=[g, draft.pk]),
        "other-draft": reverse("workinggroups:proposal", args=[o, other_draft.pk]),
        "draft-edit": reverse("workinggroups:proposal-edit", args=[g, draft.pk]),
        "proposal-add": reverse("workinggroups:proposal-add", args=[g]),
        "proposal-edit": reverse("workinggroups:proposal-edit", args=[g, proposal.pk]),
        "proposal-status": reverse("workinggroups:proposal-status", args=[g, proposal.pk]),
        "proposal-agreement": reverse("workinggroups:proposal-agreement", args=[g, proposal.pk]),
        "alternative-add": reverse("workinggroups:alternative-add", args=[g, proposal.pk]),
        "sign-off": reverse("workinggroups:proposal-sign-off", args=[g, agreed.pk, "government"]),
        "sign-off-not-agreed": reverse(
            "workinggroups:proposal-sign-off", args=[g, proposal.pk, "government"]
        ),
        "wider-issues": reverse("workinggroups:wider-issues"),
        "wider-issue-add": reverse("workinggroups:wider-issue-add", args=[g]),
        "wider-issue-decide": reverse("workinggroups:wider-issue-decide", args=[issue.pk]),
        "concerns": reverse("workinggroups:concerns"),
        "concern": reverse("workinggroups:concern", args=[concern.pk]),
        "mediated-concern": reverse("workinggroups:concern", args=[mediated.pk]),
        "concern-add": reverse("workinggroups:concern-add", args=[g]),
        "concern-mediators": reverse("workinggroups:concern-mediators", args=[concern.pk]),
        "concern-outcome": reverse("workinggroups:concern-outcome", args=[mediated.pk]),
        "add": reverse("workinggroups:add"),
        "edit": reverse("workinggroups:edit", args=[g]),
        "other-edit": reverse("workinggroups:edit", args=[o]),
        "default-tasks": reverse("workinggroups:default-tasks"),
        "default-task-add": reverse("workinggroups:default-task-add"),
    }


# url key, method, expected status for each role in ROLES order:
#  anonymous, participant, member, other_member, convenor, other_convenor, secretariat, superuser
MANAGE = (302, 403, 403, 403, 200, 403, 200, 200)
SECRETARIAT = (302, 403, 403, 403, 403, 403, 200, 200)
PUBLIC = (200,) * 8
MATRIX = [
    ("list", "get", PUBLIC),
    ("detail", "get", PUBLIC),
    ("add", "get", SECRETARIAT),
    ("edit", "get", MANAGE),
    ("other-edit", "get", (302, 403, 403, 403, 403, 200, 200, 200)),
    ("join", "get", (302, 200, 403, 200, 403, 200, 200, 200)),
    ("leave", "get", (302, 403, 200, 403, 200, 403, 403, 403)),
    ("join-requests", "get", MANAGE),
    ("other-join-requests", "get", (302, 403, 403, 403, 403, 200, 200, 200)),
    ("join-request-decide", "get", MANAGE),
    ("other-join-request-decide", "get", (302, 403, 403, 403, 403, 200, 200, 200)),
    ("task", "get", PUBLIC),
    ("task-edit", "get", MANAGE),
    ("proposal", "get", PUBLIC),
    ("draft", "get", (404, 404, 200, 404, 200, 404, 200, 200)),
    ("other-draft", "get", (404, 404, 404, 200, 404, 200, 200, 200)),
    ("draft-edit", "get", (404, 404, 403, 404, 200, 404, 200, 200)),
    ("proposal-add", "get", MANAGE),
    ("proposal-edit", "get", MANAGE),
    ("proposal-status", "get", MANAGE),
    ("proposal-agreement", "get", MANAGE),
    ("alternative-add", "get", MANAGE),
    # Each track is recorded by its own signatories only: see the sign-off matrix below.
    ("sign-off", "get", (302,) + (403,) * 7),
    ("sign-off-not-agreed", "get", (302,) + (403,) * 7),
    ("wider-issues", "get", PUBLIC),
    ("wider-issue-add", "get", (302, 403, 200, 403, 200, 403, 200, 200)),
    ("wider-issue-decide", "get", SECRETARIAT),
    ("concerns", "get", (302, 200, 200, 200, 200, 200, 200, 200)),
    ("concern", "get", (302, 404, 200, 404, 200, 404, 200, 200)),
    ("mediated-concern", "get", (302, 404, 200, 404, 200, 200, 200, 200)),
    ("concern-add", "get", (302, 403, 200, 403, 200, 403, 403, 403)),
    ("concern-mediators", "get", (302, 404, 403, 404, 403, 404, 200, 200)),
    ("concern-outcome", "get", (302, 404, 403, 404, 403, 200, 200, 200)),
    ("default-tasks", "get", SECRETARIAT),
    ("default-task-add", "get", SECRETARIAT),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("key", "method", "expected"), MATRIX, ids=[row[0] for row in MATRIX])
def test_permission_matrix(client, request, world, role, key, method, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = getattr(client, method)(world[key])
    assert response.status_code == expected[ROLES.index(role)]


def test_concerns_list_shows_only_concerns_this_person_may_see(
    client, world, group, other_group, other_member
):
    ConcernFactory(group=other_group, raised_by=other_member, title="About the other group")
    client.force_login(other_member)
    html = client.get(world["concerns"]).content.decode()
    assert "About the other group" in html
    assert "Concern " not in html.replace("About the other group", "")


def test_public_cannot_see_any_concern(world, participant):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.concerns_visible_to(AnonymousUser()).exists()
    assert not permissions.concerns_visible_to(participant).exists()


def test_convenor_of_another_group_sees_only_concerns_they_mediate(world, other_convenor):
    visible = permissions.concerns_visible_to(other_convenor)
    assert [c.status for c in visible] == [Concern.Status.IN_MEDIATION]


def test_the_last_convenor_is_not_offered_to_leave(group, convenor):
    assert not permissions.can_leave(convenor, group)


def test_members_of_a_concluded_group_can_no_longer_add_proposals(group, convenor):
    group.status = "concluded"
    group.save()
    assert not permissions.can_add_proposal(convenor, group)


@pytest.mark.parametrize(
    ("role", "expected", "is_convenor"),
    [
        ("anonymous", 302, False),
        ("member", 403, False),
        ("convenor", 403, False),
        ("other_convenor", 403, False),
        ("secretariat", 302, True),
    ],
)
def test_only_the_secretariat_appoints_convenors(
    client, request, group, member, convenor, role, expected, is_convenor
):
    target = MembershipFactory(group=group)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    url = reverse("workinggroups:appoint-convenor", args=[group.slug, target.pk])
    assert client.post(url).status_code == expected
    assert (Membership.objects.get(pk=target.pk).role == "convenor") is is_convenor


SIGNATORIES = ["government_signatory", "civil_society_signatory", "secretariat", "convenor"]


@pytest.mark.parametrize("role", SIGNATORIES)
@pytest.mark.parametrize("track", ["government", "civil_society"])
def test_each_sign_off_track_is_recorded_only_by_its_own_signatories(
    client, request, group, agreed, role, track
):
    """The government track by the Cabinet Office side, the civil society network track by
    the Involve side: neither, nor the secretariat, writes the other's view."""
    client.force_login(request.getfixturevalue(role))
    url = reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, track])
    allowed = role == f"{track}_signatory"
    assert client.get(url).status_code == (200 if allowed else 403)
    response = client.post(url, {"state": "in_review"})
    assert response.status_code == (302 if allowed else 403)
    assert agreed.sign_offs.filter(track=track).exists() is allowed


def test_a_signatory_cannot_record_a_proposal_the_group_has_not_agreed(
    client, group, proposal, government_signatory
):
    client.force_login(government_signatory)
    url = reverse("workinggroups:proposal-sign-off", args=[group.slug, proposal.pk, "government"])
    assert client.get(url).status_code == 403
