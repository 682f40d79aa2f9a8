"""Who may see and do what in working groups: the one place this app decides access.

Summary (docs/decisions/0100-workinggroups-who-sees-what.md has the reasons):
- Group pages, members (name, organisation, sector), the workplan, proposals past draft,
  sign-off states and wider issues are public.
- Draft proposals are seen by the group's members and the secretariat.
- Any participant who is not yet a member may ask to join; convenors of the group and the
  secretariat decide. Members may leave; the last convenor may not.
- Convenors of the group and the secretariat edit the group's workplan and proposals and
  record levels of agreement. Each sign-off track is recorded by its own signatories
  (government: the Cabinet Office side; civil society network: the Involve side), whom the
  secretariat appoints.
- Members of the group and the secretariat log wider issues; the secretariat decides them.
- A concern is seen by whoever raised it, the convenors of its group, its mediators and the
  secretariat: never by the public or by other members. Members raise them; the secretariat
  assigns mediators; mediators or the secretariat record the outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from policyhub import roles

from .models import (
    Concern,
    JoinRequest,
    Membership,
    Proposal,
    Signatory,
    SignOff,
    WiderIssue,
    WorkingGroup,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User

    Person = User | AnonymousUser


def memberships_of(user: Person) -> dict[int, str]:
    """The viewer's role in each group they belong to ({group id: "convenor" or
    "member"}), read in one query once per request: pages ask about roles again and again,
    and people belong to a handful of groups."""
    if not roles.is_participant(user):
        return {}
    if "_workinggroup_roles" not in user.__dict__:
        user.__dict__["_workinggroup_roles"] = dict(
            Membership.objects.filter(user_id=user.pk).order_by().values_list("group_id", "role")
        )
    return user.__dict__["_workinggroup_roles"]


def membership_role(user: Person, group: WorkingGroup) -> str | None:
    """The viewer's role in the group ("convenor", "member" or None)."""
    return memberships_of(user).get(group.pk)


def is_member(user: Person, group: WorkingGroup) -> bool:
    """A member of the working group (convenors are members too)."""
    return membership_role(user, group) is not None


def is_convenor(user: Person, group: WorkingGroup) -> bool:
    """Convenes this working group. Convening one group gives no power over another."""
    return membership_role(user, group) == Membership.Role.CONVENOR


def convenes_any_group(user: Person) -> bool:
    """Convenes at least one working group. Most participants convene nothing, and for
    them pages leave out every convenor-only clause and button."""
    return Membership.Role.CONVENOR in memberships_of(user).values()


def forget_roles(user: Person) -> None:
    """Drop the answers read for this request after a membership change within it."""
    user.__dict__.pop("_workinggroup_roles", None)


# --- Working groups and membership ---------------------------------------------------------


def groups_visible_to(user: Person) -> QuerySet[WorkingGroup]:
    """Every group page is public."""
    return WorkingGroup.objects.all()


def can_ask_to_join(user: Person, group: WorkingGroup) -> bool:
    """Open membership: any signed-in person not already in the group, while it runs."""
    return (
        roles.is_participant(user)
        and group.status != WorkingGroup.Status.CONCLUDED
        and not is_member(user, group)
    )


def can_leave(user: Person, group: WorkingGroup) -> bool:
    """Members may leave at any time. A convenor may leave only if another convenor stays,
    so a group is never left with nobody to decide join requests."""
    role = membership_role(user, group)
    if role is None:
        return False
    if role == Membership.Role.CONVENOR:
        return group.memberships.filter(role=Membership.Role.CONVENOR).count() > 1
    return True


def can_manage(user: Person, group: WorkingGroup) -> bool:
    """Convenors of this group and the secretariat run it: decide join requests, edit the
    workplan and proposals. Convening one group gives no power over another."""
    return roles.is_secretariat(user) or is_convenor(user, group)


can_decide_join_requests = can_manage

can_edit_workplan = can_manage
can_edit_group = can_manage


def join_requests_visible_to(user: Person) -> QuerySet[JoinRequest]:
    """A request to join, with its statement, is read by the person who made it and by
    those who decide it: the group's convenors and the secretariat."""
    if roles.is_secretariat(user):
        return JoinRequest.objects.all()
    if not roles.is_participant(user):
        return JoinRequest.objects.none()
    convenes = Membership.objects.filter(
        group_id=OuterRef("group_id"), user_id=user.pk, role=Membership.Role.CONVENOR
    )
    return JoinRequest.objects.filter(Q(user_id=user.pk) | Q(Exists(convenes)))


def can_create_group(user: Person) -> bool:
    """Groups are set up by the secretariat, who scope the process."""
    return roles.is_secretariat(user)


def can_appoint_convenor(user: Person, group: WorkingGroup) -> bool:
    """The secretariat appoints convenors; convenors cannot promote each other."""
    return roles.is_secretariat(user)


# --- Proposals ---------------------------------------------------------------------------


def proposals_visible_to(user: Person) -> QuerySet[Proposal]:
    """Proposals past draft are public; drafts are seen by the group's members and the
    secretariat. Lists and detail pages both start here, so they cannot disagree."""
    proposals = Proposal.objects.all()
    if roles.is_secretariat(user):
        return proposals
    if not roles.is_participant(user):
        return proposals.public()
    in_group = Membership.objects.filter(group_id=OuterRef("group_id"), user_id=user.pk)
    return proposals.filter(~Q(status=Proposal.Status.DRAFT) | Q(Exists(in_group)))


def can_add_proposal(user: Person, group: WorkingGroup) -> bool:
    return can_manage(user, group) and group.status != WorkingGroup.Status.CONCLUDED


def can_edit_proposal(user: Person, proposal: Proposal) -> bool:
    """Convenors and the secretariat edit; a published or withdrawn proposal is not edited
    (reopen it first), so what the paper said stays what the page shows."""
    return can_manage(user, proposal.group) and proposal.status not in {
        Proposal.Status.PUBLISHED,
        Proposal.Status.WITHDRAWN,
    }


def can_change_status(user: Person, proposal: Proposal) -> bool:
    return can_manage(user, proposal.group)


def can_record_agreement(user: Person, proposal: Proposal) -> bool:
    return can_edit_proposal(user, proposal)


def signatory_tracks(user: Person) -> set[str]:
    """The sign-off tracks this person records ({"government"}, {"civil_society"}, ...),
    read once per request like their memberships."""
    if not roles.is_participant(user):
        return set()
    if "_signatory_tracks" not in user.__dict__:
        user.__dict__["_signatory_tracks"] = set(
            Signatory.objects.filter(user_id=user.pk).values_list("track", flat=True)
        )
    return user.__dict__["_signatory_tracks"]


def tracks_recordable_by(user: Person, proposal: Proposal) -> set[str]:
    """The tracks whose decision this person may record on this proposal: each track is
    recorded by its own signatories (government: the Cabinet Office side; civil society
    network: the Involve side), once the group has agreed the proposal. Sign-off happens
    outside the group, so neither convenors nor the secretariat record it as such; the
    secretariat appoints the signatories (docs/decisions/0103)."""
    if proposal.status not in {Proposal.Status.AGREED, Proposal.Status.PUBLISHED}:
        return set()
    return signatory_tracks(user)


def can_record_sign_off(user: Person, proposal: Proposal, track: str) -> bool:
    return track in tracks_recordable_by(user, proposal)


def can_appoint_signatories(user: Person) -> bool:
    """Who records each track is the secretariat's call, like who convenes a group."""
    return roles.is_secretariat(user)


def sign_off_tracks() -> list[str]:
    return [track.value for track in SignOff.Track]


# --- Wider issues -------------------------------------------------------------------------


def wider_issues_visible_to(user: Person) -> QuerySet[WiderIssue]:
    """The list of wider issues is public."""
    return WiderIssue.objects.all()


def can_log_wider_issue(user: Person, group: WorkingGroup) -> bool:
    """Anyone in the group (and the secretariat) can log an issue outside its scope."""
    return roles.is_secretariat(user) or is_member(user, group)


def can_decide_wider_issue(user: Person, issue: WiderIssue | None = None) -> bool:
    """Taking an issue forward, or parking it, is the secretariat's call."""
    return roles.is_secretariat(user)


# --- Concerns -----------------------------------------------------------------------------


def concerns_visible_to(user: Person) -> QuerySet[Concern]:
    """Not public. The secretariat sees all; others see a concern they raised, one they
    mediate, or one about a group they convene."""
    concerns = Concern.objects.all()
    if roles.is_secretariat(user):
        return concerns
    if not roles.is_participant(user):
        return concerns.none()
    convenes = Membership.objects.filter(
        group_id=OuterRef("group_id"), user_id=user.pk, role=Membership.Role.CONVENOR
    )
    mediates = Concern.mediators.through.objects.filter(concern_id=OuterRef("pk"), user_id=user.pk)
    return concerns.filter(Q(raised_by_id=user.pk) | Q(Exists(convenes)) | Q(Exists(mediates)))


def can_raise_concern(user: Person, group: WorkingGroup) -> bool:
    """Members (convenors included) raise concerns about their group's work."""
    return is_member(user, group)


def can_see_concerns_of(user: Person, group: WorkingGroup) -> bool:
    """Whether to show the group's concerns link (the list itself is filtered)."""
    return roles.is_secretariat(user) or is_convenor(user, group)


def can_assign_mediators(user: Person, concern: Concern) -> bool:
    """Involve and the Cabinet Office mediate; the secretariat assigns who."""
    return roles.is_secretariat(user) and concern.status != Concern.Status.RESOLVED


def is_mediator(user: Person, concern: Concern) -> bool:
    return roles.is_participant(user) and any(m.pk == user.pk for m in concern.mediators.all())


def can_record_outcome(user: Person, concern: Concern) -> bool:
    """Mediators, or the secretariat, record what was agreed once mediation has begun."""
    return concern.status == Concern.Status.IN_MEDIATION and (
        roles.is_secretariat(user) or is_mediator(user, concern)
    )


# --- The default workplan -------------------------------------------------------------------


def can_edit_default_tasks(user: Person) -> bool:
    """The list new groups start from belongs to the secretariat."""
    return roles.is_secretariat(user)
