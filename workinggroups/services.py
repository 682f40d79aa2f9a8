"""Every write that matters in working groups, as a domain verb.

Each service is atomic, takes the actor as keyword-only `by`, refuses a broken rule with a
ValidationError whose message a person can read, and writes the audit log. Access (who may
call what) is decided by permissions.py in the views; the rules here hold for everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from policyhub import audit, roles
from policyhub.emails import send_after_commit, subject_line
from policyhub.links import absolute_url
from policyhub.models import SecretariatMember
from policyhub.your_data import when

from .models import (
    AgreementLevel,
    AgreementRecord,
    Alternative,
    Concern,
    DefaultTask,
    JoinRequest,
    Membership,
    Proposal,
    Signatory,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)

if TYPE_CHECKING:
    from django.db.models import Model

    from policyhub.models import User
    from process.models import Process, Step


# --- Working groups and membership ---------------------------------------------------------


@transaction.atomic
def add_default_tasks(group: WorkingGroup) -> list[Task]:
    """Give a group the secretariat's default workplan. Copies, so editing the default
    list later never rewrites a group's history; safe to call again (adds only missing)."""
    tasks = []
    for default in DefaultTask.objects.order_by("position"):
        task, _ = Task.objects.get_or_create(
            group=group,
            position=default.position,
            defaults={"title": default.title, "hint": default.hint},
        )
        tasks.append(task)
    return tasks


@transaction.atomic
def create_working_group(
    *,
    process: Process,
    name: str,
    slug: str,
    purpose: str = "",
    scope: str = "",
    step: Step | None = None,
    by: User | None,
) -> WorkingGroup:
    """A new group starts forming, with the default ten-task workplan."""
    if WorkingGroup.objects.filter(slug=slug).exists():
        raise ValidationError("A working group with this web address already exists.")
    group = WorkingGroup.objects.create(
        process=process, step=step, name=name, slug=slug, purpose=purpose, scope=scope
    )
    add_default_tasks(group)
    audit.record("workinggroups.group_created", actor=by, target=group)
    return group


@transaction.atomic
def update_working_group(
    group: WorkingGroup, *, name: str, purpose: str, scope: str, status: str, by: User
) -> WorkingGroup:
    """Convenors and the secretariat keep the group's purpose, scope and status current."""
    if status not in WorkingGroup.Status.values:
        raise ValidationError("Choose whether the group is forming, active or concluded.")
    group = WorkingGroup.objects.select_for_update().get(pk=group.pk)
    previous = group.status
    group.name, group.purpose, group.scope, group.status = name, purpose, scope, status
    group.save()
    audit.record(
        "workinggroups.group_edited", actor=by, target=group, status=status, previous=previous
    )
    return group


@transaction.atomic
def appoint_convenor(group: WorkingGroup, *, user: User, by: User) -> Membership:
    """The secretariat makes a member a convenor. Convenors come from the membership, so
    everyone who runs a group is listed on it; appointing twice changes nothing."""
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is None:
        raise ValidationError(f"{user} must be a member of the group before becoming a convenor.")
    if membership.role != Membership.Role.CONVENOR:
        membership.role = Membership.Role.CONVENOR
        membership.save()
        audit.record("workinggroups.convenor_appointed", actor=by, target=group, user_id=user.pk)
    return membership


@transaction.atomic
def ask_to_join(group: WorkingGroup, *, statement: str, by: User) -> JoinRequest:
    """Open membership: anyone signed in may ask. Asking twice returns the request that is
    already waiting, so a double submit creates nothing twice."""
    if not roles.is_participant(by):
        raise ValidationError("Sign in to ask to join a working group.")
    if group.status == WorkingGroup.Status.CONCLUDED:
        raise ValidationError("This working group has concluded and is not taking new members.")
    if Membership.objects.filter(group=group, user=by).exists():
        raise ValidationError("You are already a member of this working group.")
    statement = statement.strip()
    if not statement:
        raise ValidationError("Tell the convenors about your interest and expertise.")
    existing = JoinRequest.objects.pending().filter(group=group, user=by).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(group=group, user=by, statement=statement)
    except IntegrityError:  # a simultaneous submit won the race
        return JoinRequest.objects.pending().get(group=group, user=by)
    audit.record("workinggroups.join_requested", actor=by, target=group)
    send_after_commit("workinggroups.tasks.send_join_request_email", join_request.pk)
    return join_request


@transaction.atomic
def decide_join_request(
    join_request: JoinRequest, *, approve: bool, reason: str = "", by: User
) -> JoinRequest:
    """A convenor approves (the person becomes a member) or declines with a reason. Either
    way the person is told by email."""
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(
            f"This request has already been {join_request.get_status_display().lower()}."
        )
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError("Give a reason for declining, so the person knows why.")
    join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    join_request.reason = "" if approve else reason
    join_request.decided_by = by
    join_request.decided_at = timezone.now()
    join_request.save()
    if approve:
        Membership.objects.get_or_create(
            group=join_request.group,
            user=join_request.user,
            defaults={"role": Membership.Role.MEMBER},
        )
        audit.record(
            "workinggroups.member_joined",
            actor=by,
            target=join_request.group,
            user_id=join_request.user_id,
        )
    else:
        audit.record(
            "workinggroups.join_declined",
            actor=by,
            target=join_request.group,
            user_id=join_request.user_id,
            reason=reason,
        )
    send_after_commit("workinggroups.tasks.send_join_decision_email", join_request.pk)
    return join_request


@transaction.atomic
def leave_group(group: WorkingGroup, *, by: User) -> None:
    """Members may leave at any time; the last convenor must hand over first."""
    membership = Membership.objects.select_for_update().filter(group=group, user=by).first()
    if membership is None:
        raise ValidationError("You are not a member of this working group.")
    if membership.role == Membership.Role.CONVENOR:
        convenors = Membership.objects.select_for_update().filter(
            group=group, role=Membership.Role.CONVENOR
        )
        if convenors.count() <= 1:
            raise ValidationError(
                "You are the only convenor of this group. Ask the secretariat to appoint "
                "another convenor before you leave."
            )
    membership.delete()
    audit.record("workinggroups.member_left", actor=by, target=group, user_id=by.pk)


# --- The workplan ---------------------------------------------------------------------------


@transaction.atomic
def update_task(task: Task, *, status: str, summary: str, by: User) -> Task:
    """Record progress on a workplan task. A task marked done needs a summary of what the
    group found, so the public page is never an empty "done"."""
    if status not in Task.Status.values:
        raise ValidationError("Choose whether the task is not started, in progress or done.")
    if status == Task.Status.DONE and not summary.strip():
        raise ValidationError("Summarise what the group found before marking the task done.")
    task = Task.objects.select_for_update().get(pk=task.pk)
    previous = task.status
    task.status = status
    task.summary = summary
    task.updated_by = by
    task.save()
    audit.record(
        "workinggroups.task_updated", actor=by, target=task, status=status, previous=previous
    )
    return task


@transaction.atomic
def save_default_task(
    *, position: int, title: str, hint: str = "", by: User, task: DefaultTask | None = None
) -> DefaultTask:
    """Add or change a task of the default workplan. Groups that already exist keep theirs."""
    clash = DefaultTask.objects.filter(position=position)
    if task is not None:
        clash = clash.exclude(pk=task.pk)
    if clash.exists():
        raise ValidationError(f"Task {position} already exists. Choose another number.")
    if task is None:
        task = DefaultTask(position=position)
    task.position = position
    task.title = title
    task.hint = hint
    task.save()
    audit.record("workinggroups.default_task_saved", actor=by, target=task)
    return task


# --- Proposals ----------------------------------------------------------------------------

# Which status a proposal may move to from each status. Anything else is refused.
PROPOSAL_TRANSITIONS: dict[str, set[str]] = {
    Proposal.Status.DRAFT: {Proposal.Status.UNDER_DISCUSSION, Proposal.Status.WITHDRAWN},
    Proposal.Status.UNDER_DISCUSSION: {
        Proposal.Status.DRAFT,
        Proposal.Status.AGREED,
        Proposal.Status.WITHDRAWN,
    },
    Proposal.Status.AGREED: {
        Proposal.Status.UNDER_DISCUSSION,
        Proposal.Status.PUBLISHED,
        Proposal.Status.WITHDRAWN,
    },
    Proposal.Status.PUBLISHED: {Proposal.Status.WITHDRAWN},
    Proposal.Status.WITHDRAWN: {Proposal.Status.DRAFT},
}


@transaction.atomic
def create_proposal(
    group: WorkingGroup,
    *,
    title: str,
    problem: str,
    conditions: str,
    safeguards: str = "",
    by: User,
) -> Proposal:
    """A new proposal starts as a draft that only the group and the secretariat see. The same
    title submitted twice by the same person (a double click) returns the first draft."""
    if group.status == WorkingGroup.Status.CONCLUDED:
        raise ValidationError("This working group has concluded. It cannot add proposals.")
    existing = Proposal.objects.filter(
        group=group, title=title, created_by=by, status=Proposal.Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    proposal = Proposal.objects.create(
        group=group,
        title=title,
        problem=problem,
        conditions=conditions,
        safeguards=safeguards,
        created_by=by,
    )
    audit.record("workinggroups.proposal_created", actor=by, target=proposal)
    return proposal


@transaction.atomic
def update_proposal(
    proposal: Proposal, *, title: str, problem: str, conditions: str, safeguards: str, by: User
) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status in {Proposal.Status.PUBLISHED, Proposal.Status.WITHDRAWN}:
        raise ValidationError(
            f"A {proposal.get_status_display().lower()} proposal cannot be edited. "
            "Move it back to draft or under discussion first."
        )
    proposal.title = title
    proposal.problem = problem
    proposal.conditions = conditions
    proposal.safeguards = safeguards
    proposal.save()
    audit.record("workinggroups.proposal_edited", actor=by, target=proposal)
    return proposal


@transaction.atomic
def change_proposal_status(proposal: Proposal, *, status: str, by: User) -> Proposal:
    """Move a proposal along its life: draft, under discussion, agreed, published (or
    withdrawn). Agreed needs a recorded level of agreement."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in Proposal.Status.values:
        raise ValidationError("Choose a status for the proposal.")
    current = Proposal.Status(proposal.status)
    target = Proposal.Status(status)
    if target == current:
        raise ValidationError(f"The proposal is already {current.label.lower()}.")
    if target not in PROPOSAL_TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.label.lower() for s in PROPOSAL_TRANSITIONS[current]))
        raise ValidationError(
            f"A {current.label.lower()} proposal cannot become {target.label.lower()}. "
            f"It can become: {allowed}."
        )
    if target == Proposal.Status.AGREED and proposal.agreement_level is None:
        raise ValidationError(
            "Record the level of agreement the group reached before marking it agreed."
        )
    proposal.status = target
    proposal.save()
    audit.record(
        "workinggroups.proposal_status_changed",
        actor=by,
        target=proposal,
        previous=current.value,
        status=target.value,
    )
    return proposal


@transaction.atomic
def add_alternative(
    proposal: Proposal, *, title: str, text: str, pros: str, cons: str, by: User
) -> Alternative:
    """An alternative proposal, with its pros and cons (needed for levels 2 to 4). The same
    alternative submitted twice is stored once."""
    if not (text.strip() and pros.strip() and cons.strip()):
        raise ValidationError("An alternative needs its text, its pros and its cons.")
    alternative, _ = Alternative.objects.get_or_create(
        proposal=proposal, title=title, text=text, defaults={"pros": pros, "cons": cons}
    )
    audit.record(
        "workinggroups.alternative_added",
        actor=by,
        target=proposal,
        alternative_id=alternative.pk,
    )
    return alternative


@transaction.atomic
def update_alternative(
    alternative: Alternative, *, title: str, text: str, pros: str, cons: str, by: User
) -> Alternative:
    if not (text.strip() and pros.strip() and cons.strip()):
        raise ValidationError("An alternative needs its text, its pros and its cons.")
    alternative.title, alternative.text = title, text
    alternative.pros, alternative.cons = pros, cons
    alternative.save()
    audit.record(
        "workinggroups.alternative_edited",
        actor=by,
        target=alternative.proposal,
        alternative_id=alternative.pk,
    )
    return alternative


@transaction.atomic
def record_agreement_level(
    proposal: Proposal,
    *,
    level: int,
    meeting: Model | None = None,  # a meetings.Meeting, reached through the relation only
    note: str = "",
    by: User,
    recorded_at=None,
) -> AgreementRecord:
    """Record the level of agreement the group reached, keeping the history: who, when and
    at which meeting. Levels 2 to 4 mean there are alternatives, so at least one must be
    recorded (with its pros and cons) first."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if level not in AgreementLevel.values:
        raise ValidationError("Choose a level of agreement from 1 to 4.")
    if proposal.status in {Proposal.Status.PUBLISHED, Proposal.Status.WITHDRAWN}:
        raise ValidationError(
            f"The level of a {proposal.get_status_display().lower()} proposal cannot change."
        )
    if proposal.agreement_level == level:
        raise ValidationError(f"The proposal is already at level {level}. Choose another level.")
    if AgreementLevel.needs_alternatives(level) and not proposal.alternatives.exists():
        raise ValidationError(
            f"Level {level} means there are alternative proposals. Add at least one "
            "alternative, with its pros and cons, before recording this level."
        )
    if meeting is not None and (
        meeting.process_id != proposal.group.process_id
        or meeting.working_group_id not in (None, proposal.group_id)
    ):
        raise ValidationError("Choose a meeting of this working group or of its whole process.")
    record = AgreementRecord.objects.create(
        proposal=proposal,
        level=level,
        previous_level=proposal.agreement_level,
        meeting=meeting,
        note=note.strip(),
        recorded_by=by,
        recorded_at=recorded_at or timezone.now(),
    )
    proposal.agreement_level = level
    proposal.save()
    audit.record(
        "workinggroups.agreement_recorded",
        actor=by,
        target=proposal,
        level=level,
        previous=record.previous_level,
        meeting_id=meeting.pk if meeting else None,
    )
    return record


# Which sign-off state a track may move to from each state.
SIGN_OFF_TRANSITIONS: dict[str, set[str]] = {
    SignOff.State.NOT_STARTED: {SignOff.State.IN_REVIEW},
    SignOff.State.IN_REVIEW: {
        SignOff.State.SIGNED_OFF,
        SignOff.State.DECLINED,
        SignOff.State.NOT_STARTED,
    },
    SignOff.State.SIGNED_OFF: {SignOff.State.IN_REVIEW},
    SignOff.State.DECLINED: {SignOff.State.IN_REVIEW},
}


def next_sign_off_states(current: str) -> list[SignOff.State]:
    """The states a track in `current` may move to, in the order the form offers them."""
    allowed = SIGN_OFF_TRANSITIONS[SignOff.State(current)]
    return [state for state in SignOff.State if state in allowed]


@transaction.atomic
def appoint_signatory(track: str, *, user: User, note: str = "", by: User | None) -> Signatory:
    """The secretariat names who records a sign-off track's decisions (the Cabinet Office
    side for government, the Involve side for the civil society network). Recorded,
    because it decides who may write a track's view; appointing twice changes nothing."""
    if track not in SignOff.Track.values:
        raise ValidationError("Choose the government track or the civil society network track.")
    signatory, created = Signatory.objects.get_or_create(
        track=track, user=user, defaults={"note": note}
    )
    if created:
        audit.record(
            "workinggroups.signatory_appointed", actor=by, target=user, track=track, note=note
        )
    return signatory


@transaction.atomic
def remove_signatory(signatory: Signatory, *, by: User | None) -> None:
    """Take the role away; recorded like the appointment."""
    track, user = signatory.track, signatory.user
    deleted, _ = Signatory.objects.filter(pk=signatory.pk).delete()
    if deleted:
        audit.record("workinggroups.signatory_removed", actor=by, target=user, track=track)


@transaction.atomic
def record_sign_off(
    proposal: Proposal, *, track: str, state: str, reasons: str = "", by: User
) -> SignOff:
    """Record one track's view of a proposal for the joint paper. The two tracks are
    independent: either may decline without stopping the other recording its view. A
    proposal is jointly signed off only when both say signed off (see jointly_signed_off)."""
    if track not in SignOff.Track.values:
        raise ValidationError("Choose the government track or the civil society network track.")
    if state not in SignOff.State.values:
        raise ValidationError("Choose a sign-off state.")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in {Proposal.Status.AGREED, Proposal.Status.PUBLISHED}:
        raise ValidationError(
            "Only an agreed or published proposal can be signed off. "
            f"This one is {proposal.get_status_display().lower()}."
        )
    sign_off, _ = SignOff.objects.select_for_update().get_or_create(proposal=proposal, track=track)
    current = SignOff.State(sign_off.state)
    target = SignOff.State(state)
    if target == current:
        raise ValidationError(
            f"The {sign_off.get_track_display().lower()} track is already "
            f"“{current.label.lower()}”."
        )
    if target not in SIGN_OFF_TRANSITIONS[current]:
        allowed = ", ".join(sorted(f"“{s.label.lower()}”" for s in SIGN_OFF_TRANSITIONS[current]))
        raise ValidationError(
            f"A track that is “{current.label.lower()}” cannot become "
            f"“{target.label.lower()}”. It can become: {allowed}."
        )
    reasons = reasons.strip()
    if target == SignOff.State.DECLINED and not reasons:
        raise ValidationError("Give the reasons the track declined.")
    sign_off.state = target
    sign_off.reasons = reasons if target == SignOff.State.DECLINED else ""
    sign_off.recorded_by = by
    sign_off.recorded_at = timezone.now()
    sign_off.save()
    audit.record(
        "workinggroups.sign_off_recorded",
        actor=by,
        target=proposal,
        track=track,
        state=target.value,
        previous=current.value,
    )
    return sign_off


def sign_off_states(proposal: Proposal) -> dict[str, SignOff]:
    """Both tracks, from prefetched rows when there are any; a track nobody has touched
    reads as "not started"."""
    rows = {s.track: s for s in proposal.sign_offs.all()}
    return {
        track: rows.get(track) or SignOff(proposal=proposal, track=track)
        for track in SignOff.Track.values
    }


def jointly_signed_off(proposal: Proposal) -> bool:
    """The seed's parallel sign-off: joint only when government AND the civil society
    network have both signed off."""
    return all(s.state == SignOff.State.SIGNED_OFF for s in sign_off_states(proposal).values())


# --- Wider issues -------------------------------------------------------------------------


@transaction.atomic
def log_wider_issue(group: WorkingGroup, *, title: str, description: str, by: User) -> WiderIssue:
    """An issue outside the group's scope, kept "for further exploration in future". The
    same issue logged twice by the same person is stored once."""
    issue, created = WiderIssue.objects.get_or_create(
        group=group, title=title.strip(), raised_by=by, defaults={"description": description}
    )
    if created:
        audit.record("workinggroups.wider_issue_logged", actor=by, target=issue)
    return issue


@transaction.atomic
def decide_wider_issue(issue: WiderIssue, *, status: str, note: str, by: User) -> WiderIssue:
    """The secretariat takes an issue forward or parks it, always with a note saying why."""
    if status not in {WiderIssue.Status.TAKEN_FORWARD, WiderIssue.Status.PARKED}:
        raise ValidationError("Choose whether to take the issue forward or park it.")
    if not note.strip():
        raise ValidationError("Add a note saying why, so everyone can follow the decision.")
    issue = WiderIssue.objects.select_for_update().get(pk=issue.pk)
    previous = issue.status
    issue.status = status
    issue.note = note.strip()
    issue.decided_by = by
    issue.decided_at = timezone.now()
    issue.save()
    audit.record(
        "workinggroups.wider_issue_decided",
        actor=by,
        target=issue,
        status=status,
        previous=previous,
    )
    return issue


# --- Concerns -----------------------------------------------------------------------------


@transaction.atomic
def raise_concern(group: WorkingGroup, *, title: str, description: str, by: User) -> Concern:
    """A member raises a concern about the group's work, early, for mediation. Raising the
    same concern twice stores it once."""
    if not Membership.objects.filter(group=group, user=by).exists():
        raise ValidationError("Only members of this working group can raise a concern about it.")
    concern, created = Concern.objects.get_or_create(
        group=group, title=title.strip(), raised_by=by, defaults={"description": description}
    )
    if created:
        audit.record("workinggroups.concern_raised", actor=by, target=concern)
    return concern


@transaction.atomic
def assign_mediators(concern: Concern, *, mediators: Iterable[User], by: User) -> Concern:
    """The secretariat names who mediates (Involve and the Cabinet Office, in the seed).
    Mediators stand outside the disagreement: neither the person who raised the concern nor
    a convenor of the group it is about."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Concern.Status.RESOLVED:
        raise ValidationError("This concern already has an outcome. Its mediators cannot change.")
    mediators = list(mediators)
    if not mediators:
        raise ValidationError("Choose at least one mediator.")
    if any(m.pk == concern.raised_by_id for m in mediators):
        raise ValidationError("The person who raised the concern cannot mediate it.")
    convenor_ids = set(
        Membership.objects.filter(
            group_id=concern.group_id, role=Membership.Role.CONVENOR
        ).values_list("user_id", flat=True)
    )
    if any(m.pk in convenor_ids for m in mediators):
        raise ValidationError("A convenor of the group cannot mediate a concern about it.")
    concern.mediators.set(mediators)
    concern.status = Concern.Status.IN_MEDIATION
    concern.save()
    audit.record(
        "workinggroups.mediators_assigned",
        actor=by,
        target=concern,
        mediator_ids=sorted(m.pk for m in mediators),
    )
    return concern


@transaction.atomic
def record_concern_outcome(concern: Concern, *, outcome: str, by: User) -> Concern:
    """What mediation agreed. Once recorded, the concern is closed."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status == Concern.Status.RAISED:
        raise ValidationError("Assign mediators before recording an outcome.")
    if concern.status == Concern.Status.RESOLVED:
        raise ValidationError("An outcome has already been recorded for this concern.")
    if not outcome.strip():
        raise ValidationError("Describe the outcome of the mediation.")
    concern.outcome = outcome.strip()
    concern.status = Concern.Status.RESOLVED
    concern.outcome_recorded_by = by
    concern.outcome_recorded_at = timezone.now()
    concern.save()
    audit.record("workinggroups.concern_resolved", actor=by, target=concern)
    return concern


# --- Emails (sent by the tasks in tasks.py) ----------------------------------------------


def send_join_decision_email(join_request_id: int) -> None:
    """Tell the person whether they were approved or declined, and why if declined."""
    join_request = (
        JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status == JoinRequest.Status.PENDING:
        return
    context = {
        "join_request": join_request,
        "group_url": absolute_url(join_request.group.get_absolute_url()),
        "site_name": settings.SITE_NAME,
    }
    subject = render_to_string("workinggroups/email/join_decision_subject.txt", context)
    body = render_to_string("workinggroups/email/join_decision.txt", context)
    send_mail(subject_line(subject), body, None, [join_request.user.email])


def send_join_request_email(join_request_id: int) -> None:
    """Tell the group's convenors (or, while it has none, the secretariat) that someone is
    waiting for a decision."""
    join_request = (
        JoinRequest.objects.select_related("group", "user").filter(pk=join_request_id).first()
    )
    if join_request is None or join_request.status != JoinRequest.Status.PENDING:
        return
    recipients = list(
        Membership.objects.filter(
            group=join_request.group, role=Membership.Role.CONVENOR
        ).values_list("user__email", flat=True)
    )
    if not recipients:  # a group without convenors yet: the secretariat decides
        recipients = list(SecretariatMember.objects.values_list("user__email", flat=True))
    if not recipients:
        return
    context = {
        "join_request": join_request,
        "requests_url": absolute_url(
            reverse("workinggroups:join-requests", kwargs={"slug": join_request.group.slug})
        ),
        "site_name": settings.SITE_NAME,
    }
    subject = subject_line(f"{join_request.user} asks to join {join_request.group}")
    body = render_to_string("workinggroups/email/join_request.txt", context)
    send_mail(subject, body, None, recipients)


def your_data(user: User) -> dict:
    """What working groups hold about one person, for their download (policyhub.your_data):
    their places in groups, their requests to join, their signatory roles, and what they
    wrote or recorded. Other people are never named: not who decided a request, nor who
    mediated a concern."""
    return {
        "memberships": [
            {"group": m.group.name, "role": m.get_role_display(), "joined_at": when(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("group")
        ],
        "join_requests": [
            {
                "group": r.group.name,
                "statement": r.statement,
                "status": r.get_status_display(),
                "asked_at": when(r.created_at),
                "decided_at": when(r.decided_at),
                "reason": r.reason,
            }
            for r in JoinRequest.objects.filter(user=user).select_related("group")
        ],
        "signatory_roles": [
            {"track": s.get_track_display(), "note": s.note, "appointed_at": when(s.appointed_at)}
            for s in Signatory.objects.filter(user=user)
        ],
        "proposals_written": [
            {"group": p.group.name, "title": p.title, "created_at": when(p.created_at)}
            for p in Proposal.objects.filter(created_by=user).select_related("group")
        ],
        "concerns_raised": [
            {
                "group": c.group.name,
                "title": c.title,
                "description": c.description,
                "status": c.get_status_display(),
                "raised_at": when(c.created_at),
            }
            for c in Concern.objects.filter(raised_by=user).select_related("group")
        ],
        "concerns_mediated": [
            {"group": c.group.name, "title": c.title}
            for c in Concern.objects.filter(mediators=user).select_related("group")
        ],
        "wider_issues_raised": [
            {"group": i.group.name, "title": i.title, "raised_at": when(i.created_at)}
            for i in WiderIssue.objects.filter(raised_by=user).select_related("group")
        ],
        "sign_offs_recorded": [
            {
                "proposal": s.proposal.title,
                "track": s.get_track_display(),
                "state": s.get_state_display(),
                "recorded_at": when(s.recorded_at),
            }
            for s in SignOff.objects.filter(recorded_by=user).select_related("proposal")
        ],
        "agreement_changes_recorded": [
            {"proposal": a.proposal.title, "level": a.level, "recorded_at": when(a.recorded_at)}
            for a in AgreementRecord.objects.filter(recorded_by=user).select_related("proposal")
        ],
        "workplan_tasks_updated": [
            {"group": t.group.name, "task": t.title}
            for t in Task.objects.filter(updated_by=user).select_related("group")
        ],
    }
