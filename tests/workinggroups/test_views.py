"""What a person sees and does on working group pages: forms, messages, privacy of emails,
the workplan task list, levels in plain words, and query budgets at two data sizes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories
from workinggroups import services
from workinggroups.models import (
    Concern,
    JoinRequest,
    Membership,
    Proposal,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)
from workinggroups.views import MEMBERS_PER_PAGE

from .factories import (
    AgreementRecordFactory,
    AlternativeFactory,
    ConcernFactory,
    JoinRequestFactory,
    ProposalFactory,
    SignOffFactory,
    WiderIssueFactory,
)

pytestmark = pytest.mark.django_db


def test_group_page_lists_members_with_organisation_and_sector_but_never_email(client, group):
    person = factories.MembershipFactory(
        group=group, user__display_name="Ada Lovelace", user__organisation="Analytical Society"
    ).user
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Ada Lovelace" in html
    assert "Analytical Society" in html
    assert "Civil society organisation" in html
    assert person.email not in html


def test_group_page_counts_members_from_each_sector_and_flags_a_missing_one(client, group):
    factories.MembershipFactory(group=group, user__sector="government")
    factories.MembershipFactory(group=group, user__sector="government")
    factories.MembershipFactory(group=group, user__sector="civil_society")
    response = client.get(group.get_absolute_url())
    balance = {row["sector"]: row["count"] for row in response.context["details"].balance}
    assert balance == {"government": 2, "civil_society": 1, "expert": 0, "public": 0}
    assert "Missing" in response.content.decode()


def test_group_page_lists_members_fifty_at_a_time_and_counts_them_all(client, group):
    for n in range(MEMBERS_PER_PAGE + 2):
        factories.MembershipFactory(
            group=group, user__display_name=f"Member {n:03}", user__sector="expert"
        )
    first = client.get(group.get_absolute_url()).content.decode()
    assert "Member 000" in first and f"Member {MEMBERS_PER_PAGE - 1:03}" in first
    assert f"Member {MEMBERS_PER_PAGE:03}" not in first
    assert f"{MEMBERS_PER_PAGE + 2} members, 1 to {MEMBERS_PER_PAGE} shown" in first
    assert 'href="?page=2#members" rel="next"' in first
    second = client.get(group.get_absolute_url(), {"page": 2})
    html = second.content.decode()
    assert "Member 000" not in html
    assert f"Member {MEMBERS_PER_PAGE:03}" in html and f"Member {MEMBERS_PER_PAGE + 1:03}" in html
    assert 'href="?page=1#members" rel="prev"' in html
    # The sector balance counts every member, whichever page of the table is shown.
    balance = {row["sector"]: row["count"] for row in second.context["details"].balance}
    assert balance["expert"] == MEMBERS_PER_PAGE + 2


def test_group_page_shows_the_workplan_as_a_task_list_with_progress(client, group):
    services.add_default_tasks(group)
    Task.objects.filter(group=group, position__lte=3).update(status="done", summary="Found.")
    Task.objects.filter(group=group, position=4).update(status="in_progress")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "govuk-task-list" in html
    assert "completed <strong>3 of 10</strong> tasks" in html
    assert "In progress" in html
    assert "Agree the intended purpose of data sharing" in html


def test_proposal_level_is_shown_with_its_plain_words_meaning_on_group_and_proposal_pages(
    client, group
):
    proposal = ProposalFactory(group=group, agreement_level=3)
    meaning = "There are alternative proposals, but everyone agrees on the pros and cons of each."
    assert meaning in client.get(group.get_absolute_url()).content.decode()
    assert meaning in client.get(proposal.get_absolute_url()).content.decode()


def test_proposal_page_shows_alternatives_with_pros_and_cons_and_history(client, group):
    proposal = ProposalFactory(group=group, agreement_level=2)
    AlternativeFactory(proposal=proposal, title="Court orders", pros="Independent", cons="Slow")
    AgreementRecordFactory(proposal=proposal, level=2, recorded_by__display_name="Priya Hale")
    html = client.get(proposal.get_absolute_url()).content.decode()
    for text in ("Court orders", "Independent", "Slow", "recorded by Priya Hale", "Level 2"):
        assert text in html


def test_proposal_page_says_jointly_signed_off_only_when_both_tracks_have(client, group):
    proposal = ProposalFactory(group=group, status="published", agreement_level=1)
    SignOffFactory(proposal=proposal, track="government", state="signed_off")
    assert "Jointly signed off" not in client.get(proposal.get_absolute_url()).content.decode()
    SignOffFactory(proposal=proposal, track="civil_society", state="signed_off")
    assert "Jointly signed off" in client.get(proposal.get_absolute_url()).content.decode()


def test_history_dates_are_shown_in_london_time(client, group):
    proposal = ProposalFactory(group=group, agreement_level=1)
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    AgreementRecordFactory(proposal=proposal, recorded_at=datetime(2014, 6, 30, 23, 30, tzinfo=UTC))
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert "1 July 2014" in html
    assert "30 June 2014" not in html


def test_draft_proposal_is_hidden_from_the_public_list(client, group, draft, proposal):
    html = client.get(group.get_absolute_url()).content.decode()
    assert proposal.title in html
    assert draft.title not in html


# --- Forms -------------------------------------------------------------------------------


def test_asking_to_join_sends_the_request_and_says_what_happens_next(client, group, participant):
    client.force_login(participant)
    url = reverse("workinggroups:join", args=[group.slug])
    response = client.post(url, {"statement": "I research privacy law."}, follow=True)
    assert JoinRequest.objects.filter(group=group, user=participant, status="pending").exists()
    assert "The convenors will email you their decision" in response.content.decode()
    # A second submit (double click) changes nothing and is not an error.
    client.post(url, {"statement": "I research privacy law."})
    assert JoinRequest.objects.filter(group=group, user=participant).count() == 1


def test_empty_join_statement_shows_error_summary_and_title_prefix(client, group, participant):
    client.force_login(participant)
    response = client.post(reverse("workinggroups:join", args=[group.slug]), {"statement": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Ask to join" in html
    assert "govuk-error-summary" in html
    assert html.count("Tell the convenors about your interest and expertise</") >= 1
    assert 'class="govuk-error-message"' in html


def test_declining_without_reason_keeps_the_choice_and_shows_the_error(client, group, convenor):
    join_request = JoinRequestFactory(group=group)
    client.force_login(convenor)
    url = reverse("workinggroups:join-request-decide", args=[group.slug, join_request.pk])
    response = client.post(url, {"decision": "decline", "reason": ""})
    html = response.content.decode()
    assert "Give a reason for declining" in html
    assert 'value="decline" checked' in html
    join_request.refresh_from_db()
    assert join_request.status == "pending"


def test_convenor_approves_a_request_and_the_person_is_emailed(
    client, group, convenor, django_capture_on_commit_callbacks
):
    join_request = JoinRequestFactory(group=group)
    client.force_login(convenor)
    url = reverse("workinggroups:join-request-decide", args=[group.slug, join_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert Membership.objects.filter(group=group, user=join_request.user).exists()
    assert mail.outbox[-1].to == [join_request.user.email]


def test_deciding_an_already_decided_request_is_refused_in_the_summary(client, group, convenor):
    join_request = JoinRequestFactory(group=group)
    services.decide_join_request(join_request, approve=True, by=convenor)
    client.force_login(convenor)
    url = reverse("workinggroups:join-request-decide", args=[group.slug, join_request.pk])
    response = client.post(url, {"decision": "decline", "reason": "Changed my mind"})
    assert "This request has already been approved." in response.content.decode()


def test_member_leaves_and_is_told(client, group, member):
    client.force_login(member)
    response = client.post(reverse("workinggroups:leave", args=[group.slug]), follow=True)
    assert "You have left the working group." in response.content.decode()
    assert not Membership.objects.filter(group=group, user=member).exists()


def test_last_convenor_trying_to_leave_is_told_why_not(client, group, convenor):
    client.force_login(convenor)
    response = client.post(reverse("workinggroups:leave", args=[group.slug]))
    assert "only convenor of this group" in response.content.decode()


def test_marking_a_task_done_without_summary_shows_the_error_next_to_the_field(
    client, group, convenor
):
    services.add_default_tasks(group)
    client.force_login(convenor)
    url = reverse("workinggroups:task-edit", args=[group.slug, 1])
    response = client.post(url, {"status": "done", "summary": ""})
    assert "Summarise what the group found before marking it done" in response.content.decode()
    response = client.post(url, {"status": "done", "summary": "We agreed the purpose."})
    assert response.status_code == 302
    assert group.tasks.get(position=1).status == "done"


def test_recording_level_three_without_alternatives_is_refused_with_a_clear_message(
    client, group, convenor, proposal
):
    client.force_login(convenor)
    url = reverse("workinggroups:proposal-agreement", args=[group.slug, proposal.pk])
    response = client.post(url, {"level": "3", "note": "Two views."})
    html = response.content.decode()
    assert "Level 3 means there are alternative proposals" in html
    assert "Two views." in html  # typed input is kept
    AlternativeFactory(proposal=proposal)
    response = client.post(url, {"level": "3", "note": "Two views."}, follow=True)
    assert "Level 3 recorded." in response.content.decode()


def test_agreement_form_offers_the_groups_and_the_whole_processs_meetings_only(
    client, group, other_group, convenor, proposal
):
    from tests.meetings.factories import MeetingFactory

    ours = MeetingFactory(process=group.process, working_group=group, title="Our meeting")
    plenary = MeetingFactory(process=group.process, working_group=None, title="Plenary")
    theirs = MeetingFactory(process=group.process, working_group=other_group, title="Theirs")
    client.force_login(convenor)
    url = reverse("workinggroups:proposal-agreement", args=[group.slug, proposal.pk])
    html = client.get(url).content.decode()
    assert "Not at a meeting" in html
    assert f"Our meeting ({timezone.localtime(ours.starts_at):%d %B %Y})" in html
    assert "Plenary" in html and "Theirs" not in html
    refused = client.post(url, {"level": "1", "meeting": theirs.pk})
    assert "Select the answer to “At which meeting?” from the options given" in (
        refused.content.decode()
    )
    assert not proposal.history.exists()
    assert client.post(url, {"level": "1", "meeting": plenary.pk}).status_code == 302
    assert proposal.history.get().meeting == plenary


def test_invalid_status_change_is_not_offered(client, group, convenor, draft):
    client.force_login(convenor)
    url = reverse("workinggroups:proposal-status", args=[group.slug, draft.pk])
    response = client.post(url, {"status": "published"})
    assert "Select one of the statuses offered" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_a_signatory_records_one_track_without_the_other(
    client, group, civil_society_signatory, agreed
):
    client.force_login(civil_society_signatory)
    url = reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, "civil_society"])
    client.post(url, {"state": "in_review"})
    response = client.post(url, {"state": "declined", "reasons": "Needs more safeguards."})
    assert response.status_code == 302
    assert SignOff.objects.get(proposal=agreed, track="civil_society").state == "declined"
    assert not SignOff.objects.filter(proposal=agreed, track="government").exists()


def test_sign_off_form_offers_only_the_moves_the_track_may_make(
    client, group, government_signatory, agreed
):
    client.force_login(government_signatory)
    url = reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, "government"])
    page = client.get(url).content.decode()
    assert 'value="in_review"' in page
    for refused in ("not_started", "signed_off", "declined"):
        assert f'value="{refused}"' not in page
    assert 'name="reasons"' not in page  # only a track in review can decline
    response = client.post(url, {"state": "signed_off"})
    assert response.status_code == 200
    assert "Select one of the states a track that is “not started” can move to" in (
        response.content.decode()
    )
    assert not agreed.sign_offs.exists()
    client.post(url, {"state": "in_review"})
    page = client.get(url).content.decode()
    assert [f'value="{s}"' in page for s in ("not_started", "signed_off", "declined")] == [
        True,
        True,
        True,
    ]
    assert 'value="in_review"' not in page and 'name="reasons"' in page


def test_proposal_page_offers_each_signatory_only_their_own_track(
    client, group, agreed, civil_society_signatory
):
    client.force_login(civil_society_signatory)
    html = client.get(agreed.get_absolute_url()).content.decode()
    assert (
        reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, "civil_society"])
        in html
    )
    assert (
        reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, "government"])
        not in html
    )


def test_unknown_sign_off_track_is_not_found(client, group, secretariat, agreed):
    client.force_login(secretariat)
    url = reverse("workinggroups:proposal-sign-off", args=[group.slug, agreed.pk, "media"])
    assert client.get(url).status_code == 404


def test_member_logs_a_wider_issue_that_appears_in_the_public_list(client, group, member):
    client.force_login(member)
    client.post(
        reverse("workinggroups:wider-issue-add", args=[group.slug]),
        {"title": "Commercial reuse", "description": "Outside scope."},
    )
    client.logout()
    html = client.get(reverse("workinggroups:wider-issues")).content.decode()
    assert "Commercial reuse" in html


def test_wider_issues_filter_by_group_and_status(client, group, other_group):
    WiderIssueFactory(group=group, title="Ours and open")
    WiderIssueFactory(group=other_group, title="Theirs and open")
    WiderIssueFactory(group=group, title="Ours and parked", status="parked", note="Later.")
    url = reverse("workinggroups:wider-issues")
    html = client.get(url, {"group": group.pk, "status": "open"}).content.decode()
    assert "Ours and open" in html
    assert "Theirs and open" not in html
    assert "Ours and parked" not in html


def test_secretariat_parks_an_issue_with_a_note(client, group, secretariat):
    issue = WiderIssueFactory(group=group)
    client.force_login(secretariat)
    url = reverse("workinggroups:wider-issue-decide", args=[issue.pk])
    response = client.post(url, {"status": "parked", "note": ""})
    assert "Add a note saying why" in response.content.decode()
    client.post(url, {"status": "parked", "note": "Revisit next year."})
    issue.refresh_from_db()
    assert issue.status == WiderIssue.Status.PARKED


def test_member_raises_a_concern_that_the_public_cannot_open(client, group, member):
    client.force_login(member)
    response = client.post(
        reverse("workinggroups:concern-add", args=[group.slug]),
        {"title": "Papers late", "description": "Too late to read."},
    )
    concern = Concern.objects.get(title="Papers late")
    assert response.url == concern.get_absolute_url()
    client.logout()
    other = factories.MembershipFactory(group=group).user
    client.force_login(other)
    assert client.get(concern.get_absolute_url()).status_code == 404


def test_secretariat_assigns_mediators_and_a_mediator_records_the_outcome(
    client, group, secretariat, concern, other_group
):
    mediator = factories.MembershipFactory(group=other_group, role="convenor").user
    client.force_login(secretariat)
    client.post(
        reverse("workinggroups:concern-mediators", args=[concern.pk]), {"mediators": [mediator.pk]}
    )
    client.force_login(mediator)
    response = client.post(
        reverse("workinggroups:concern-outcome", args=[concern.pk]), {"outcome": "Agreed."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESOLVED


def test_secretariat_sets_up_a_group_that_starts_with_the_default_workplan(client, secretariat):
    process = factories.ProcessFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("workinggroups:add"),
        {"process": process.pk, "name": "Health data", "slug": "health-data", "purpose": "P"},
    )
    assert response.status_code == 302
    assert "completed <strong>0 of 10</strong> tasks" in client.get(response.url).content.decode()


def test_a_group_cannot_take_a_web_address_the_service_uses(client, secretariat):
    process = factories.ProcessFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("workinggroups:add"),
        {"process": process.pk, "name": "Issues", "slug": "wider-issues"},
    )
    assert "used by the service" in response.content.decode()


def test_convenor_edits_the_group_status_and_purpose(client, group, convenor):
    client.force_login(convenor)
    response = client.post(
        reverse("workinggroups:edit", args=[group.slug]),
        {"name": group.name, "purpose": "New purpose.", "scope": "", "status": "concluded"},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.purpose, group.status) == ("New purpose.", "concluded")


def test_person_who_already_asked_is_told_their_request_is_waiting(client, group, participant):
    JoinRequestFactory(group=group, user=participant)
    client.force_login(participant)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "The convenors will email you their decision." in html
    assert "Ask to join</a>" not in html


def test_secretariat_edits_the_default_workplan(client, secretariat):
    from workinggroups.models import DefaultTask

    task = DefaultTask.objects.get(position=2)
    client.force_login(secretariat)
    url = reverse("workinggroups:default-task-edit", args=[task.pk])
    response = client.post(url, {"position": 2, "title": "Agree the scope", "hint": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Agree the scope"


# --- Query budgets ------------------------------------------------------------------------


def _grow_group(group, size: int) -> Proposal:
    """A group with `size` members, tasks, proposals, wider issues, documents, meetings (past
    and upcoming, with open actions) and history."""
    from meetings.models import Action
    from tests.documents.factories import DocumentFactory
    from tests.meetings.factories import MeetingFactory, NotesFactory

    services.add_default_tasks(group)
    for _ in range(size):
        factories.MembershipFactory(group=group)
        DocumentFactory(process=group.process).working_groups.add(group)
        MeetingFactory(working_group=group)
        past = NotesFactory(meeting__working_group=group).meeting
        Action.objects.create(meeting=past, description="Circulate options", owner="Involve")
        WiderIssueFactory(group=group)
        proposal = ProposalFactory(group=group, agreement_level=2)
        SignOffFactory(proposal=proposal, track="government", state="in_review")
    proposal = ProposalFactory(group=group, agreement_level=2)
    for level in range(size):
        AgreementRecordFactory(proposal=proposal, level=1 + level % 4)
        AlternativeFactory(proposal=proposal)
    for track in SignOff.Track.values:
        SignOffFactory(proposal=proposal, track=track, state="in_review")
    return proposal


def _count_queries(client, url, django_assert_max_num_queries, budget: int) -> None:
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


# Budgets measured on SQLite with an empty cache (the page built, not served from the page
# cache): same count at both sizes. Members cost three (sector counts, convenors, the table);
# signed-in viewers cost more (session, user, secretariat row, their membership, their join
# request, requests waiting, which documents they may read); the group's documents section
# costs one query (two for a signed-in viewer: whether they convene any group, which keeps
# that clause out of the query when they do not), the meetings section three (upcoming,
# recent, actions).
@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("viewer", "budget"), [("anonymous", 12), ("convenor", 20)])
def test_group_page_takes_a_constant_number_of_queries(
    client, request, group, size, viewer, budget, django_assert_max_num_queries
):
    _grow_group(group, size)
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    _count_queries(client, group.get_absolute_url(), django_assert_max_num_queries, budget)


def test_member_table_costs_the_same_queries_however_many_pages_it_has(client, group):
    def queries_for_page_two() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(group.get_absolute_url(), {"page": 2}).status_code == 200
        return len(queries)

    for _ in range(2):
        factories.MembershipFactory(group=group)
    one_page = queries_for_page_two()
    for _ in range(2 * MEMBERS_PER_PAGE):
        factories.MembershipFactory(group=group)
    assert queries_for_page_two() == one_page


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("viewer", "budget"), [("anonymous", 5), ("secretariat", 8)])
def test_proposal_page_takes_a_constant_number_of_queries(
    client, request, group, size, viewer, budget, django_assert_max_num_queries
):
    proposal = _grow_group(group, size)
    if viewer != "anonymous":
        client.force_login(request.getfixturevalue(viewer))
    _count_queries(client, proposal.get_absolute_url(), django_assert_max_num_queries, budget)


@pytest.mark.parametrize("size", [2, 20])
def test_group_list_takes_a_constant_number_of_queries(
    client, group, size, django_assert_max_num_queries
):
    for _ in range(size):
        other = factories.WorkingGroupFactory(process=group.process)
        services.add_default_tasks(other)
        factories.MembershipFactory(group=other)
    # The groups, and their count for the pagination.
    _count_queries(client, reverse("workinggroups:list"), django_assert_max_num_queries, 2)


def test_group_list_shows_fifty_groups_a_page(client, group):
    for number in range(50):
        factories.WorkingGroupFactory(process=group.process, name=f"Strand {number:02}")
    first = client.get(reverse("workinggroups:list")).content.decode()
    assert first.count('class="govuk-table__row"') - first.count("<thead") == 50
    assert 'rel="next"' in first
    names = sorted(WorkingGroup.objects.values_list("name", flat=True))  # 51, one process
    second = client.get(reverse("workinggroups:list"), {"page": 2}).content.decode()
    assert names[-1] in second and names[0] not in second


def test_join_requests_are_listed_fifty_a_page_oldest_first(client, group, convenor):
    waiting = [JoinRequestFactory(group=group) for _ in range(51)]
    client.force_login(convenor)
    url = reverse("workinggroups:join-requests", args=[group.slug])
    first = client.get(url).content.decode()
    assert str(waiting[0].user) in first and str(waiting[50].user) not in first
    assert 'rel="next"' in first
    second = client.get(url, {"page": 2}).content.decode()
    assert str(waiting[50].user) in second and str(waiting[0].user) not in second


@pytest.mark.parametrize("size", [2, 20])
def test_wider_issue_list_takes_a_constant_number_of_queries(
    client, group, secretariat, size, django_assert_max_num_queries
):
    for _ in range(size):
        WiderIssueFactory(group=group, status="parked", note="Later.", decided_by=secretariat)
    client.force_login(secretariat)
    url = reverse("workinggroups:wider-issues")
    _count_queries(client, url, django_assert_max_num_queries, 7)


@pytest.mark.parametrize("size", [2, 20])
def test_concern_list_takes_a_constant_number_of_queries(
    client, group, secretariat, size, django_assert_max_num_queries
):
    for _ in range(size):
        ConcernFactory(group=group)
    client.force_login(secretariat)
    _count_queries(client, reverse("workinggroups:concerns"), django_assert_max_num_queries, 5)


def test_mediator_choices_leave_out_the_raiser_and_the_groups_convenors(
    client, group, concern, member, convenor, other_convenor, secretariat
):
    client.force_login(secretariat)
    response = client.get(reverse("workinggroups:concern-mediators", args=[concern.pk]))
    offered = set(response.context["form"].fields["mediators"].queryset)
    assert {other_convenor, secretariat} <= offered
    assert member not in offered
    assert convenor not in offered


@pytest.mark.parametrize("size", [2, 20])
def test_join_request_list_takes_a_constant_number_of_queries(
    client, group, convenor, size, django_assert_max_num_queries
):
    for _ in range(size):
        JoinRequestFactory(group=group)
        services.decide_join_request(JoinRequestFactory(group=group), approve=True, by=convenor)
    client.force_login(convenor)
    url = reverse("workinggroups:join-requests", args=[group.slug])
    # Seven, and the count of waiting requests for the pagination.
    _count_queries(client, url, django_assert_max_num_queries, 8)


@pytest.mark.parametrize("size", [2, 20])
def test_task_page_takes_a_constant_number_of_queries(
    client, group, size, django_assert_max_num_queries
):
    from tests.documents.factories import EvidenceFactory

    services.add_default_tasks(group)
    task = group.tasks.get(position=1)
    for n in range(size):
        EvidenceFactory(task=task, title=f"Report {n}")
    url = reverse("workinggroups:task", args=[group.slug, 1])
    _count_queries(client, url, django_assert_max_num_queries, 3)


@pytest.mark.parametrize("size", [2, 20])
def test_concern_page_takes_a_constant_number_of_queries(
    client, concern, secretariat, size, django_assert_max_num_queries
):
    for _ in range(size):
        concern.mediators.add(factories.UserFactory())
    client.force_login(secretariat)
    _count_queries(client, concern.get_absolute_url(), django_assert_max_num_queries, 5)


def test_an_unknown_group_in_the_wider_issue_filter_is_an_error_not_a_crash(client):
    response = client.get(reverse("workinggroups:wider-issues"), {"group": "999999"})
    assert response.status_code == 200
    assert "<title>Error: Wider issues" in response.content.decode()


# --- Length limits said next to the field ---------------------------------------------------


def test_pros_over_their_limit_are_refused_beside_the_field_with_the_count_shown(
    client, group, convenor, proposal
):
    client.force_login(convenor)
    url = reverse("workinggroups:alternative-add", args=[group.slug, proposal.pk])
    page = client.get(url).content.decode()
    pros_group = page.split('for="id_pros"', 1)[0].rsplit("<div", 1)[1]
    assert 'data-module="govuk-character-count" data-maxlength="3000"' in pros_group
    assert "You can enter up to 3,000 characters" in page
    pros = "A real advantage. " + "x" * 3_000
    response = client.post(
        url, {"title": "Consent first", "text": "Ask first.", "pros": pros, "cons": "Slower."}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pros must be 3,000 characters or fewer" in html
    assert 'id="id_pros-error"' in html
    assert pros in html  # kept, not cut off by the browser or the server
    assert ' maxlength="3000"' not in html  # the count says how far over; nothing is cut off
    assert not proposal.alternatives.exists()
