"""Every state change of working groups, including refused transitions, and the rules
behind them (tested through the services, against the real database)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from policyhub.models import AuditEntry
from tests import factories
from workinggroups import services
from workinggroups.models import (
    AgreementRecord,
    Concern,
    DefaultTask,
    JoinRequest,
    Membership,
    Proposal,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)

from .factories import (
    AlternativeFactory,
    JoinRequestFactory,
    MeetingFactory,
    ProposalFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db


# --- Membership ---------------------------------------------------------------------------


def test_asking_to_join_waits_for_a_convenor_and_tells_them(
    group, participant, convenor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        join_request = services.ask_to_join(group, statement="I study privacy.", by=participant)
    assert join_request.status == JoinRequest.Status.PENDING
    assert not Membership.objects.filter(group=group, user=participant).exists()
    assert mail.outbox[0].to == [convenor.email]
    assert "I study privacy." in mail.outbox[0].body


def test_asking_twice_keeps_one_request(group, participant):
    first = services.ask_to_join(group, statement="Interested.", by=participant)
    second = services.ask_to_join(group, statement="Interested.", by=participant)
    assert first.pk == second.pk
    assert JoinRequest.objects.filter(group=group, user=participant).count() == 1


def test_member_cannot_ask_to_join_again(group, member):
    with pytest.raises(ValidationError, match="already a member"):
        services.ask_to_join(group, statement="Again.", by=member)


def test_concluded_group_takes_no_join_requests(group, participant):
    group.status = WorkingGroup.Status.CONCLUDED
    group.save()
    with pytest.raises(ValidationError, match="concluded"):
        services.ask_to_join(group, statement="Late.", by=participant)


def test_approving_makes_a_member_and_emails_the_person(
    group, convenor, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_join_request(join_request, approve=True, by=convenor)
    assert Membership.objects.get(group=group, user=join_request.user).role == "member"
    assert mail.outbox[-1].to == [join_request.user.email]
    assert "You are now a member" in mail.outbox[-1].subject
    assert AuditEntry.objects.filter(action="workinggroups.member_joined").exists()


def test_declining_needs_a_reason(group, convenor):
    join_request = JoinRequestFactory(group=group)
    with pytest.raises(ValidationError, match="reason"):
        services.decide_join_request(join_request, approve=False, reason=" ", by=convenor)
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING


def test_declining_emails_the_reason_and_makes_no_member(
    group, convenor, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(group=group)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_join_request(
            join_request, approve=False, reason="We are full until May.", by=convenor
        )
    assert not Membership.objects.filter(group=group, user=join_request.user).exists()
    assert "We are full until May." in mail.outbox[-1].body


def test_a_request_cannot_be_decided_twice(group, convenor):
    join_request = JoinRequestFactory(group=group)
    services.decide_join_request(join_request, approve=True, by=convenor)
    with pytest.raises(ValidationError, match="already been approved"):
        services.decide_join_request(join_request, approve=False, reason="No.", by=convenor)


def test_member_can_leave(group, member):
    services.leave_group(group, by=member)
    assert not Membership.objects.filter(group=group, user=member).exists()
    assert AuditEntry.objects.filter(action="workinggroups.member_left").exists()


def test_the_only_convenor_cannot_leave(group, convenor):
    with pytest.raises(ValidationError, match="only convenor"):
        services.leave_group(group, by=convenor)


def test_a_convenor_can_leave_when_another_stays(group, convenor):
    factories.MembershipFactory(group=group, role="convenor")
    services.leave_group(group, by=convenor)
    assert not Membership.objects.filter(group=group, user=convenor).exists()


def test_leaving_a_group_you_are_not_in_is_refused(group, participant):
    with pytest.raises(ValidationError, match="not a member"):
        services.leave_group(group, by=participant)


# --- Workplan -----------------------------------------------------------------------------


def test_the_seed_ten_tasks_are_the_default_workplan():
    titles = list(DefaultTask.objects.order_by("position").values_list("title", flat=True))
    assert len(titles) == 10
    assert titles[0] == "Agree the intended purpose of data sharing"
    assert titles[-1] == "Make proposals"


def test_new_group_starts_with_the_default_tasks(secretariat):
    process = factories.ProcessFactory()
    group = services.create_working_group(
        process=process, name="Health data", slug="health-data", by=secretariat
    )
    assert group.tasks.count() == 10
    assert group.tasks.get(position=7).title == "Explore options"
    assert all(t.status == Task.Status.NOT_STARTED for t in group.tasks.all())


def test_editing_the_default_list_changes_new_groups_not_existing_ones(secretariat):
    process = factories.ProcessFactory()
    old = services.create_working_group(process=process, name="Old", slug="old", by=secretariat)
    default = DefaultTask.objects.get(position=1)
    services.save_default_task(
        position=1, title="Agree the purpose", hint="", task=default, by=secretariat
    )
    new = services.create_working_group(process=process, name="New", slug="new", by=secretariat)
    assert old.tasks.get(position=1).title == "Agree the intended purpose of data sharing"
    assert new.tasks.get(position=1).title == "Agree the purpose"


def test_two_default_tasks_cannot_share_a_number(secretariat):
    with pytest.raises(ValidationError, match="Task 3 already exists"):
        services.save_default_task(position=3, title="Another", by=secretariat)


def test_default_tasks_are_added_once_however_often_asked(group):
    services.add_default_tasks(group)
    services.add_default_tasks(group)
    assert group.tasks.count() == 10


def test_a_task_marked_done_needs_a_summary(group, convenor):
    task = TaskFactory(group=group)
    with pytest.raises(ValidationError, match="Summarise"):
        services.update_task(task, status="done", summary="", by=convenor)
    updated = services.update_task(task, status="done", summary="We found it.", by=convenor)
    assert updated.status == Task.Status.DONE


# --- Proposals and agreement ----------------------------------------------------------------


def test_join_request_to_a_group_without_convenors_goes_to_the_secretariat(
    group, participant, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.ask_to_join(group, statement="Keen.", by=participant)
    assert mail.outbox[0].to == [secretariat.email]


def test_the_same_draft_submitted_twice_is_created_once(group, convenor):
    fields = {"title": "T", "problem": "P", "conditions": "C", "safeguards": ""}
    first = services.create_proposal(group, by=convenor, **fields)
    second = services.create_proposal(group, by=convenor, **fields)
    assert first.pk == second.pk


def test_new_proposal_is_a_draft(group, convenor):
    proposal = services.create_proposal(
        group, title="T", problem="P", conditions="C", safeguards="S", by=convenor
    )
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.agreement_level is None


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "under_discussion"),
        ("under_discussion", "draft"),
        ("agreed", "published"),
        ("published", "withdrawn"),
        ("withdrawn", "draft"),
    ],
)
def test_allowed_status_changes_happen(group, convenor, start, target):
    proposal = ProposalFactory(group=group, status=start, agreement_level=1)
    assert services.change_proposal_status(proposal, status=target, by=convenor).status == target


@pytest.mark.parametrize(
    ("start", "target"),
    [("draft", "agreed"), ("draft", "published"), ("under_discussion", "published"),
     ("published", "draft"), ("withdrawn", "published")],
)  # fmt: skip
def test_invalid_status_changes_are_refused_with_a_clear_message(group, convenor, start, target):
    proposal = ProposalFactory(group=group, status=start, agreement_level=1)
    with pytest.raises(ValidationError, match="cannot become"):
        services.change_proposal_status(proposal, status=target, by=convenor)
    proposal.refresh_from_db()
    assert proposal.status == start


def test_agreed_needs_a_recorded_level(proposal, convenor):
    with pytest.raises(ValidationError, match="Record the level of agreement"):
        services.change_proposal_status(proposal, status="agreed", by=convenor)


def test_level_one_needs_no_alternative_and_keeps_history(proposal, convenor):
    record = services.record_agreement_level(proposal, level=1, note="At last.", by=convenor)
    proposal.refresh_from_db()
    assert proposal.agreement_level == 1
    assert record.previous_level is None
    assert record.recorded_by == convenor


@pytest.mark.parametrize("level", [2, 3, 4])
def test_levels_two_to_four_need_an_alternative(proposal, convenor, level):
    with pytest.raises(ValidationError, match="Add at least one alternative"):
        services.record_agreement_level(proposal, level=level, by=convenor)
    AlternativeFactory(proposal=proposal)
    services.record_agreement_level(proposal, level=level, by=convenor)
    proposal.refresh_from_db()
    assert proposal.agreement_level == level


def test_every_change_of_level_is_kept_with_who_when_and_which_meeting(proposal, convenor):
    AlternativeFactory(proposal=proposal)
    meeting = MeetingFactory(process=proposal.group.process, working_group=proposal.group)
    services.record_agreement_level(proposal, level=4, by=convenor)
    services.record_agreement_level(proposal, level=2, meeting=meeting, by=convenor)
    services.record_agreement_level(proposal, level=1, by=convenor)
    history = list(AgreementRecord.objects.filter(proposal=proposal).order_by("recorded_at", "id"))
    assert [(r.previous_level, r.level) for r in history] == [(None, 4), (4, 2), (2, 1)]
    assert history[1].meeting == meeting
    assert all(r.recorded_by == convenor for r in history)


def test_recording_the_same_level_again_is_refused(proposal, convenor):
    services.record_agreement_level(proposal, level=1, by=convenor)
    with pytest.raises(ValidationError, match="already at level 1"):
        services.record_agreement_level(proposal, level=1, by=convenor)
    assert proposal.history.count() == 1


def test_a_meeting_of_another_group_cannot_be_the_source(proposal, convenor, other_group):
    meeting = MeetingFactory(process=other_group.process, working_group=other_group)
    with pytest.raises(ValidationError, match="meeting of this working group"):
        services.record_agreement_level(proposal, level=1, meeting=meeting, by=convenor)


def test_a_meeting_of_the_whole_process_can_be_the_source(proposal, convenor):
    meeting = MeetingFactory(process=proposal.group.process, working_group=None)
    record = services.record_agreement_level(proposal, level=1, meeting=meeting, by=convenor)
    assert record.meeting == meeting


def test_an_alternative_needs_its_pros_and_cons(proposal, convenor):
    with pytest.raises(ValidationError, match="pros and its cons"):
        services.add_alternative(proposal, title="A", text="B", pros="", cons="D", by=convenor)


def test_published_proposal_cannot_be_edited(group, convenor):
    proposal = ProposalFactory(group=group, status="published", agreement_level=1)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.update_proposal(
            proposal, title="New", problem="P", conditions="C", safeguards="", by=convenor
        )


# --- Parallel sign-off -------------------------------------------------------------------------


def _sign(proposal, track, *states, by, reasons=""):
    for state in states:
        services.record_sign_off(proposal, track=track, state=state, reasons=reasons, by=by)


def test_jointly_signed_off_only_when_both_tracks_sign_off(agreed, secretariat):
    _sign(agreed, "government", "in_review", "signed_off", by=secretariat)
    agreed.refresh_from_db()
    assert not services.jointly_signed_off(agreed)
    _sign(agreed, "civil_society", "in_review", "signed_off", by=secretariat)
    agreed.refresh_from_db()
    assert services.jointly_signed_off(agreed)


def test_one_track_declining_does_not_stop_the_other(agreed, secretariat):
    _sign(agreed, "civil_society", "in_review", by=secretariat)
    _sign(
        agreed, "civil_society", "declined", reasons="Needs independent approval.", by=secretariat
    )
    _sign(agreed, "government", "in_review", "signed_off", by=secretariat)
    states = {s.track: s.state for s in SignOff.objects.filter(proposal=agreed)}
    assert states == {"government": "signed_off", "civil_society": "declined"}
    assert not services.jointly_signed_off(agreed)


def test_declining_needs_reasons(agreed, secretariat):
    _sign(agreed, "government", "in_review", by=secretariat)
    with pytest.raises(ValidationError, match="reasons"):
        _sign(agreed, "government", "declined", by=secretariat)


def test_a_track_cannot_jump_from_not_started_to_signed_off(agreed, secretariat):
    with pytest.raises(ValidationError, match="cannot become"):
        _sign(agreed, "government", "signed_off", by=secretariat)


def test_sign_off_records_who_and_when(agreed, secretariat):
    sign_off = services.record_sign_off(
        agreed, track="government", state="in_review", by=secretariat
    )
    assert sign_off.recorded_by == secretariat
    assert sign_off.recorded_at is not None


def test_a_proposal_under_discussion_cannot_be_signed_off(proposal, secretariat):
    with pytest.raises(ValidationError, match="Only an agreed or published proposal"):
        services.record_sign_off(proposal, track="government", state="in_review", by=secretariat)


def test_untouched_tracks_read_as_not_started(agreed):
    states = services.sign_off_states(agreed)
    assert [s.state for s in states.values()] == ["not_started", "not_started"]


# --- Wider issues and concerns ----------------------------------------------------------------


def test_wider_issue_logged_twice_is_stored_once(group, member):
    services.log_wider_issue(group, title="Local data", description="D", by=member)
    services.log_wider_issue(group, title="Local data", description="D", by=member)
    assert WiderIssue.objects.filter(group=group).count() == 1


def test_parking_an_issue_needs_a_note(group, member, secretariat):
    issue = services.log_wider_issue(group, title="Local data", description="D", by=member)
    with pytest.raises(ValidationError, match="Add a note"):
        services.decide_wider_issue(issue, status="parked", note="", by=secretariat)
    decided = services.decide_wider_issue(issue, status="parked", note="Later.", by=secretariat)
    assert decided.status == WiderIssue.Status.PARKED
    assert decided.decided_by == secretariat


def test_an_issue_cannot_be_decided_back_to_open(group, member, secretariat):
    issue = services.log_wider_issue(group, title="Local data", description="D", by=member)
    with pytest.raises(ValidationError, match="take the issue forward or park it"):
        services.decide_wider_issue(issue, status="open", note="x", by=secretariat)


def test_only_members_raise_concerns(group, participant):
    with pytest.raises(ValidationError, match="Only members"):
        services.raise_concern(group, title="T", description="D", by=participant)


def test_concern_goes_from_raised_to_mediation_to_outcome(concern, secretariat, convenor):
    with pytest.raises(ValidationError, match="Assign mediators"):
        services.record_concern_outcome(concern, outcome="Agreed.", by=secretariat)
    services.assign_mediators(concern, mediators=[secretariat], by=secretariat)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_MEDIATION
    services.record_concern_outcome(concern, outcome="Papers a week ahead.", by=secretariat)
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED
    with pytest.raises(ValidationError, match="already been recorded"):
        services.record_concern_outcome(concern, outcome="Again.", by=secretariat)


def test_the_person_who_raised_a_concern_cannot_mediate_it(concern, member, secretariat):
    with pytest.raises(ValidationError, match="cannot mediate"):
        services.assign_mediators(concern, mediators=[member], by=secretariat)


def test_a_convenor_of_the_group_cannot_mediate_a_concern_about_it(concern, convenor, secretariat):
    with pytest.raises(ValidationError, match="convenor of the group cannot mediate"):
        services.assign_mediators(concern, mediators=[convenor], by=secretariat)


def test_appointing_and_removing_a_signatory_is_audited(secretariat, participant):
    signatory = services.appoint_signatory(
        "civil_society", user=participant, note="Involve", by=secretariat
    )
    services.appoint_signatory("civil_society", user=participant, by=secretariat)
    services.remove_signatory(signatory, by=secretariat)
    actions = list(AuditEntry.objects.order_by("created_at", "id").values_list("action", "payload"))
    assert actions == [
        ("workinggroups.signatory_appointed", {"track": "civil_society", "note": "Involve"}),
        ("workinggroups.signatory_removed", {"track": "civil_society"}),
    ]
