"""Pages as a person uses them: forms keep what was typed and explain errors, lists filter,
notes show the checker's findings inline, and pages stay within query budgets."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import CalendarToken, Meeting, Notes, NotesVersion, Region
from meetings.views import REGISTRATIONS_PER_PAGE
from tests.factories import UserFactory, WorkingGroupFactory, date_fields
from tests.meetings.factories import (
    MeetingFactory,
    NotesFactory,
    RegistrationFactory,
    published,
)

pytestmark = pytest.mark.django_db


def form_data(group, **overrides):
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    data = {
        "working_group": group.pk if group else "",
        "title": "Evidence session in Newcastle",
        "purpose": "Review the evidence.",
        "day": day,
        "start_time": "10:00",
        "end_time": "12:30",
        "region": "north_east",
        "venue": "Newcastle Civic Centre",
        "address": "Barras Bridge",
        "has_remote_participation": "on",
        "joining_link": "https://meet.example.org/ncl",
        "reminder_days": "7, 1",
    }
    data.update(overrides)
    data.update(date_fields("day", data.pop("day")))
    return data


def test_convenor_schedules_a_meeting_through_the_form(client, convenor, group):
    client.force_login(convenor)
    response = client.post(reverse("meetings:schedule"), form_data(group))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert meeting.working_group == group
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "has been scheduled" in page
    assert "North East" in page


def test_short_notice_without_reason_shows_error_and_keeps_input(client, convenor, group):
    client.force_login(convenor)
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("meetings:schedule"), form_data(group, day=soon))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Schedule a meeting" in page
    assert "There is a problem" in page
    assert 'href="#id_short_notice_reason"' in page
    assert 'id="id_short_notice_reason-error"' in page
    assert 'value="Evidence session in Newcastle"' in page
    assert not Meeting.objects.exists()


def test_convenor_is_only_offered_groups_they_convene(client, convenor, group, other_group):
    client.force_login(convenor)
    response = client.post(reverse("meetings:schedule"), form_data(other_group))
    assert "Select the working group from the options given" in response.content.decode()
    assert not Meeting.objects.exists()


def test_convenor_is_not_told_to_choose_the_whole_process(client, convenor, group):
    client.force_login(convenor)
    page = client.get(reverse("meetings:schedule")).content.decode()
    assert "whole process" not in page.lower()
    assert "Choose one of the groups you convene." in page


def test_schedule_form_says_which_date_and_time_is_missing_or_wrong(client, secretariat):
    client.force_login(secretariat)
    page = client.post(reverse("meetings:schedule"), {"title": "", "day": ""}).content.decode()
    assert "There is a problem" in page
    for message in (
        "Enter a title for the meeting.",
        "Enter the date of the meeting.",
        "Enter the time the meeting starts.",
        "Enter the time the meeting ends.",
    ):
        assert page.count(message) == 2  # in the summary and beside the field
    page = client.post(
        reverse("meetings:schedule"),
        {"day_day": "31", "day_month": "2", "day_year": "2027", "start_time": "25:99"},
    ).content.decode()
    assert "Date must be a real date" in page
    assert "Enter the start time as hours and minutes" in page
    assert 'name="day_day" type="text" inputmode="numeric" value="31"' in page  # kept


def test_rescheduling_through_the_form_shows_the_history(client, secretariat):
    meeting = MeetingFactory()
    client.force_login(secretariat)
    later = (timezone.localtime(meeting.starts_at) + timedelta(days=7)).date().isoformat()
    data = form_data(None, day=later, change_reason="The venue is closed.")
    del data["working_group"]
    response = client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Changes to this meeting" in page
    assert "The venue is closed." in page


def test_cancel_form_needs_a_reason(client, secretariat):
    meeting = MeetingFactory()
    client.force_login(secretariat)
    response = client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": ""})
    assert "<title>Error: Cancel" in response.content.decode()
    client.post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Snow."})
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "This meeting has been cancelled: Snow." in page


def test_full_meeting_puts_a_newcomer_on_the_waiting_list(client, participant):
    meeting = MeetingFactory(capacity=1)
    RegistrationFactory(meeting=meeting, mode="in_person")
    client.force_login(participant)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), {"mode": "in_person"}, follow=True
    )
    assert "you are on the waiting list" in response.content.decode()


def test_notes_page_shows_findings_inline_and_refuses_publication(client, secretariat):
    notes = NotesFactory()
    notes.attendees.create(
        name="Anita Patel", organisation="Office for National Statistics", mode="in_person"
    )
    client.force_login(secretariat)
    edit_url = reverse("meetings:notes_edit", args=[notes.meeting.pk])
    client.post(
        edit_url,
        {"summary": "The ONS argued for a delay.", "discussion_points": "", "decisions": ""},
    )
    page = client.get(edit_url).content.decode()
    assert "The ONS argued for a delay." in page
    assert "Office for National Statistics" in page
    assert "You cannot publish while 1 finding stands" in page
    assert "1 sentence attributes a comment to someone" in page  # counted in the summary
    response = client.post(reverse("meetings:notes_publish", args=[notes.meeting.pk]), {})
    refused = response.content.decode()
    assert "attribute comments to named people" in refused
    assert "attributes a comment to someone" not in refused  # said once, not twice
    assert not NotesVersion.objects.exists()
    client.post(
        reverse("meetings:notes_override", args=[notes.meeting.pk]),
        {
            "matched": "Office for National Statistics",
            "sentence": "The ONS argued for a delay.",
            "reason": "Quoting the published ONS position paper.",
        },
    )
    response = client.post(reverse("meetings:notes_publish", args=[notes.meeting.pk]), {})
    assert response.status_code == 302
    public = client.get(reverse("meetings:notes", args=[notes.meeting.pk])).content.decode()
    assert "Anita Patel" in public  # the attendance record is public


def test_attendee_and_action_can_be_added_to_the_record(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    meeting = notes.meeting
    client.post(
        reverse("meetings:attendee_add", args=[meeting.pk]),
        {"attendee-name": "Ben Osei", "attendee-organisation": "ONS", "attendee-mode": "remote"},
    )
    client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"action-description": "Draft options", "action-owner": "The secretariat"},
    )
    assert notes.attendees.get().name == "Ben Osei"
    action = meeting.actions.get()
    client.post(reverse("meetings:action_status", args=[meeting.pk, action.pk]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"


def test_attendee_form_errors_are_shown(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:attendee_add", args=[notes.meeting.pk]), {"attendee-name": ""}
    )
    assert "<title>Error: Write the notes" in response.content.decode()


def test_list_filters_by_region_group_and_attendance(client, group):
    leeds = MeetingFactory(working_group=group, title="Leeds meeting")
    MeetingFactory(title="Cardiff meeting", region=Region.WALES)
    online = MeetingFactory(
        title="Online meeting", region=Region.ONLINE, venue="", has_remote_participation=True
    )
    MeetingFactory(title="No remote", region=Region.LONDON, has_remote_participation=False)
    url = reverse("meetings:list")
    assert "Leeds meeting" in client.get(url, {"working_group": group.pk}).content.decode()
    page = client.get(url, {"region": "wales"}).content.decode()
    assert "Cardiff meeting" in page and "Leeds meeting" not in page
    page = client.get(url, {"attendance": "remote"}).content.decode()
    assert "No remote" not in page and online.title in page
    page = client.get(url, {"attendance": "in_person"}).content.decode()
    assert online.title not in page and leeds.title in page


def test_an_impossible_filter_lists_nothing_and_says_what_is_wrong(client):
    """An unknown region is a mistake to point out, not a reason to list every meeting."""
    MeetingFactory(title="Leeds meeting")
    page = client.get(reverse("meetings:list"), {"region": "atlantis"}).content.decode()
    assert "Leeds meeting" not in page
    assert "Select a valid choice" in page
    again = client.get(reverse("meetings:list"), {"region": "wales"}).content.decode()
    assert "Select a valid choice" not in again  # the form is not shared across choices


def test_upcoming_and_past_lists_split_on_now(client):
    MeetingFactory(title="Next month")
    MeetingFactory(title="Last month", starts_at=timezone.now() - timedelta(days=30))
    upcoming = client.get(reverse("meetings:list")).content.decode()
    past = client.get(reverse("meetings:past")).content.decode()
    assert "Next month" in upcoming and "Last month" not in upcoming
    assert "Last month" in past and "Next month" not in past


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_budget(client, django_assert_max_num_queries, size):
    group = WorkingGroupFactory()
    for _ in range(size):
        notes = NotesFactory(meeting__working_group=group)
        notes.versions.create(number=1, attendees=[])
    with django_assert_max_num_queries(4):
        response = client.get(reverse("meetings:past"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_detail_query_budget_for_a_manager(
    client, secretariat, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    for _ in range(size):
        RegistrationFactory(meeting=meeting)
    client.force_login(secretariat)
    with django_assert_max_num_queries(11):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200


def test_managers_see_who_registered_a_page_at_a_time(client, secretariat):
    meeting = MeetingFactory(capacity=None)
    people = [
        RegistrationFactory(meeting=meeting, user__display_name=f"Registrant {i:03d}").user
        for i in range(REGISTRATIONS_PER_PAGE + 1)
    ]
    client.force_login(secretariat)
    first = client.get(meeting.get_absolute_url()).content.decode()
    assert f"<li>{people[0]} (" in first
    assert f"<li>{people[-1]} (" not in first
    assert 'rel="next"' in first
    second = client.get(meeting.get_absolute_url(), {"page": 2}).content.decode()
    assert f"<li>{people[-1]} (" in second
    assert f"<li>{people[0]} (" not in second
    assert f"{REGISTRATIONS_PER_PAGE + 1} registered" in second  # counts cover every page


@pytest.mark.parametrize("size", [2, 20])
def test_notes_query_budget(client, django_assert_max_num_queries, size):
    notes = NotesFactory()
    notes.versions.create(
        number=1,
        summary="s",
        attendees=[{"name": f"P{i}", "organisation": "O", "mode": "remote"} for i in range(size)],
    )
    for i in range(size):
        published(notes.meeting.actions.create(description=f"Action {i}", owner="Secretariat"))
    with django_assert_max_num_queries(5):
        response = client.get(reverse("meetings:notes", args=[notes.meeting.pk]))
    assert "P1" in response.content.decode()
    assert f"Action {size - 1}" in response.content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_group_meetings_include_lists_meetings_and_open_actions(
    django_assert_max_num_queries, size
):
    group = WorkingGroupFactory()
    for i in range(size):
        meeting = MeetingFactory(working_group=group, title=f"Upcoming {i}")
        published(meeting.actions.create(description=f"Open action {i}", owner="Secretariat"))
        meeting.actions.create(description=f"Drafted action {i}", owner="Secretariat")
    done = meeting.actions.create(description="Finished action", owner="Secretariat")
    published(done)
    done.status = "done"
    done.save()
    MeetingFactory(title="Another group's meeting")
    template = Template('{% include "meetings/includes/group_meetings.html" with group=group %}')
    with django_assert_max_num_queries(3):
        html = template.render(Context({"group": group}))
    assert "Upcoming 0" in html and "Open action 0" in html
    assert "Another group" not in html
    assert "Drafted action" not in html  # the draft's, until a version publishes it
    assert "Finished action" not in html  # done since it was published: the live status


def test_process_stats_include_says_how_many_were_outside_london_and_remote(group):
    past = timezone.now() - timedelta(days=40)
    MeetingFactory(working_group=group, starts_at=past, region=Region.LONDON)
    MeetingFactory(
        working_group=group, starts_at=past, region=Region.WALES, has_remote_participation=False
    )
    html = Template(
        '{% include "meetings/includes/process_meeting_stats.html" with process=process %}'
    ).render(Context({"process": group.process}))
    assert "2 meetings held. 1 was held outside London, and 1 allowed remote participation." in html


def test_private_calendar_page_creates_and_revokes_the_address(client):
    person = UserFactory()
    client.force_login(person)
    client.post(reverse("meetings:calendar_feed_create"))
    first = person.meeting_calendar.token
    assert first in client.get(reverse("meetings:calendar_feed")).content.decode()
    client.post(reverse("meetings:calendar_feed_create"), {"revoke": "1"})
    assert CalendarToken.objects.get(user=person).token != first


def test_corrected_notes_show_what_changed_and_keep_the_old_version(client, secretariat):
    notes = NotesFactory(summary="The group agreed the scope.")
    services.publish_notes(notes, by=secretariat)
    services.save_notes(
        notes,
        summary="The group agreed the scope and the timetable.",
        discussion_points=notes.discussion_points,
        decisions=notes.decisions,
        by=secretariat,
    )
    services.publish_notes(notes, by=secretariat, change_note="Added the timetable.")
    url = reverse("meetings:notes", args=[notes.meeting.pk])
    page = client.get(url).content.decode()
    assert "Added the timetable." in page
    assert "<ins>added “The group agreed the scope and the timetable.”</ins>" in page
    assert "<del>removed “The group agreed the scope.”</del>" in page
    old = client.get(url, {"version": 1}).content.decode()
    assert "which has been corrected" in old


def test_notes_must_be_started_with_a_post(client, secretariat):
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(days=1))
    RegistrationFactory(meeting=meeting, mode="remote")
    client.force_login(secretariat)
    page = client.get(reverse("meetings:notes_edit", args=[meeting.pk])).content.decode()
    assert "Start the notes" in page
    assert not Notes.objects.filter(meeting=meeting).exists()
    client.post(reverse("meetings:notes_start", args=[meeting.pk]))
    client.post(reverse("meetings:notes_start", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.notes.attendees.count() == 1


def test_action_status_refuses_to_redirect_off_site(client, secretariat):
    meeting = MeetingFactory()
    action = meeting.actions.create(description="Do it", owner="Secretariat")
    client.force_login(secretariat)
    response = client.post(
        reverse("meetings:action_status", args=[meeting.pk, action.pk]),
        {"status": "done", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == meeting.get_absolute_url()


def test_end_before_start_is_explained_next_to_the_end_time(client, convenor, group):
    client.force_login(convenor)
    response = client.post(
        reverse("meetings:schedule"), form_data(group, start_time="14:00", end_time="13:00")
    )
    page = response.content.decode()
    assert 'id="id_end_time-error"' in page
    assert "The meeting must end after it starts." in page
    assert 'href="#id_end_time"' in page


def test_purpose_is_rendered_as_markdown_without_raw_html(client):
    meeting = MeetingFactory(purpose="**Agenda**\n\n<script>alert(1)</script>")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Agenda</strong>" in page
    assert "<script>alert(1)</script>" not in page


def test_meeting_page_lists_its_papers_but_never_a_restricted_one(client, secretariat):
    from datetime import timedelta

    from django.utils import timezone

    from documents import services as document_services
    from tests.documents.factories import DocumentFactory
    from tests.meetings.factories import MeetingFactory

    meeting = MeetingFactory()
    paper = DocumentFactory(process=meeting.process, title="Agenda and options paper")
    withheld = DocumentFactory(process=meeting.process, title="Supplier pricing annex")
    for document in (paper, withheld):
        document.meetings.add(meeting)
    document_services.restrict_document(
        withheld,
        grounds=["commercial"],
        justification="Pricing from suppliers given in confidence during procurement.",
        review_on=timezone.localdate() + timedelta(days=60),
        by=secretariat,
    )
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert "Agenda and options paper" in html
    assert "Supplier pricing annex" not in html


# --- Drafts, published versions and withdrawn ones ------------------------------------------


def _publish(notes, by, summary=None, change_note=""):
    if summary is not None:
        services.save_notes(notes, summary=summary, discussion_points="", decisions="", by=by)
    return services.publish_notes(notes, by=by, change_note=change_note)


def test_a_drafts_actions_are_shown_nowhere_public_until_published(client, secretariat, group):
    notes = NotesFactory(meeting__working_group=group)
    _publish(notes, secretariat)
    services.add_action(
        notes.meeting,
        description="Zqxw draft action",
        owner="Secretariat",
        due_on=None,
        by=secretariat,
    )
    public = [
        notes.meeting.get_absolute_url(),
        reverse("meetings:notes", args=[notes.meeting.pk]),
        reverse("meetings:past"),
        reverse("workinggroups:detail", args=[group.slug]),
    ]
    for user in (None, UserFactory()):
        client.logout()
        if user:
            client.force_login(user)
        for path in public:
            assert "Zqxw" not in client.get(path).content.decode(), path
    client.force_login(secretariat)
    assert (
        "Zqxw"
        in client.get(reverse("meetings:notes_edit", args=[notes.meeting.pk])).content.decode()
    )
    _publish(notes, secretariat, change_note="Added an action.")
    client.logout()
    for path in public[:2] + public[3:]:
        assert "Zqxw draft action" in client.get(path).content.decode(), path


def test_an_action_can_be_removed_from_the_draft(client, secretariat):
    notes = NotesFactory()
    action = notes.meeting.actions.create(description="Wrong action", owner="Secretariat")
    client.force_login(secretariat)
    response = client.post(reverse("meetings:action_remove", args=[notes.meeting.pk, action.pk]))
    assert response["Location"] == reverse("meetings:notes_edit", args=[notes.meeting.pk])
    assert not notes.meeting.actions.exists()


def test_the_editor_counts_blocking_findings_in_the_error_summary_and_links_to_them(
    client, secretariat
):
    notes = NotesFactory(
        summary="Jane Smith said the plan was flawed. The group thanked the hosts.",
        decisions="HMRC said it would decide.",
    )
    notes.meeting.actions.create(description="Draft options.", owner="the Minister")
    client.force_login(secretariat)
    page = client.get(reverse("meetings:notes_edit", args=[notes.meeting.pk])).content.decode()
    assert page.count("govuk-error-summary__title") == 1
    assert "<title>Error: Write the notes" in page
    assert "3 sentences attribute a comment to someone." in page
    for number, words in enumerate(("Jane Smith said", "HMRC said", "the Minister"), start=1):
        assert f'<a href="#finding-{number}">' in page
        assert f'id="finding-{number}"' in page
        assert f"<mark>{words}</mark>" in page
    assert "In the owner of action 1: “the Minister”" in page


def test_the_change_notes_findings_are_shown_next_to_it(client, secretariat):
    notes = NotesFactory()
    _publish(notes, secretariat)
    _publish_url = reverse("meetings:notes_publish", args=[notes.meeting.pk])
    client.force_login(secretariat)
    page = client.post(
        _publish_url, {"change_note": "Added that Jane Smith argued for a delay."}
    ).content.decode()
    error = page.split('id="id_change_note-error"', 1)[1].split("</p>", 1)[0]
    # The quoted words are the checker's span; the rule is that the note names Jane Smith.
    assert "Reword what you corrected: “" in error and "Jane Smith" in error, error
    assert 'href="#id_change_note"' in page
    assert "Added that Jane Smith argued for a delay." in page  # what was typed is kept
    assert notes.versions.count() == 1


def test_withdrawing_through_the_page_leaves_only_when_and_why(client, secretariat):
    notes = NotesFactory(summary="First wording.")
    _publish(notes, secretariat)
    services.save_notes(
        notes,
        summary="Jane Smith said the timetable was tight.",
        discussion_points="",
        decisions="",
        by=secretariat,
    )
    [finding] = services.check_notes(notes)
    services.override_finding(
        notes,
        matched=finding.finding.matched,
        sentence=finding.finding.sentence,
        reason="Quoting a published letter.",
        by=secretariat,
    )
    _publish(notes, secretariat, change_note="Second.")
    _publish(notes, secretariat, "Some members felt the timetable was tight.", "Third.")
    url = reverse("meetings:notes_withdraw", args=[notes.meeting.pk, 2])
    client.force_login(secretariat)
    form = client.get(url).content.decode()
    assert "Withdraw version 2 of the notes" in form
    assert "It attributed a comment (Chatham House Rule)" in form
    page = client.post(url, {}).content.decode()
    assert "Choose why you are withdrawing this version." in page
    page = client.post(url, {"reason": "other"}).content.decode()
    assert "Enter the other reason for withdrawing this version." in page
    response = client.post(url, {"reason": "attributed"})
    notes_url = reverse("meetings:notes", args=[notes.meeting.pk])
    assert response["Location"] == f"{notes_url}?version=2"
    notice = notes.versions.get(number=2).withdrawal_notice
    client.logout()
    withdrawn = client.get(notes_url, {"version": 2}).content.decode()
    assert notice in withdrawn and "Jane Smith" not in withdrawn
    assert "Read the current notes (version 3)" in withdrawn
    current = client.get(notes_url).content.decode()
    assert "corrects version 1" in current  # the last version still standing
    assert "<del>removed “First wording.”</del>" in current
    assert notice in current  # where version 2 was, in the list of versions
    assert "Jane Smith" not in current
    client.force_login(secretariat)
    again = client.get(url, follow=True)
    assert again.redirect_chain[-1][0] == f"{notes_url}?version=2"
    assert notice in again.content.decode()


def test_the_meeting_page_says_when_its_only_version_was_withdrawn(client, secretariat):
    notes = NotesFactory()
    version = _publish(notes, secretariat)
    services.withdraw_notes_version(version, reason="mistake", by=secretariat)
    page = client.get(notes.meeting.get_absolute_url()).content.decode()
    assert "Version 1 was withdrawn on" in page
    assert "because it was published by mistake." in page
    assert "Read the notes of this meeting" not in page
    notes_page = client.get(reverse("meetings:notes", args=[notes.meeting.pk])).content.decode()
    assert "Version 1 was withdrawn on" in notes_page
    assert "Read the current notes" not in notes_page  # there are none
    published = NotesFactory(meeting__title="Evidence session")
    _publish(published, secretariat)
    past = client.get(reverse("meetings:past")).content.decode()
    assert past.count("Read the notes") == 1
    assert 'Read the notes<span class="govuk-visually-hidden"> of Evidence session' in past


@pytest.mark.parametrize(
    "notice, said",
    [
        (timedelta(hours=19, minutes=40), "19 hours before the meeting"),
        (timedelta(minutes=45), "less than an hour before the meeting"),
        (timedelta(days=1, hours=2), "1 day before the meeting"),
        (timedelta(days=30), "30 days before the meeting"),
    ],
)
def test_the_meeting_page_says_how_much_notice_was_given_in_hours_under_a_day(client, notice, said):
    starts = timezone.now() + timedelta(days=2)
    meeting = MeetingFactory(starts_at=starts, announced_at=starts - notice)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert said in page
    assert ", 0 days before" not in page


def test_the_attended_radios_offer_only_ways_of_attending_and_none_is_chosen(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    page = client.get(reverse("meetings:notes_edit", args=[notes.meeting.pk])).content.decode()
    radios = re.findall(r'<input[^>]*name="attendee-mode"[^>]*>', page)
    assert [re.search(r'value="([^"]*)"', r).group(1) for r in radios] == [
        "in_person",
        "remote",
        "apologies",
    ]
    assert not any("checked" in r for r in radios)
    assert "---------" not in page
    response = client.post(
        reverse("meetings:attendee_add", args=[notes.meeting.pk]), {"attendee-name": "Ben Osei"}
    )
    assert "Select how they attended" in response.content.decode()


def _held(**fields):
    starts = timezone.now() - timedelta(days=5)
    return MeetingFactory(starts_at=starts, **fields)


def test_a_held_meeting_without_published_notes_says_so_on_its_page_and_in_lists(client):
    waiting = _held(title="Held, no notes")
    with_notes = _held(title="Held, with notes")
    NotesVersion.objects.create(notes=Notes.objects.create(meeting=with_notes), number=1)
    coming = MeetingFactory(title="Still to come")
    assert "Notes not yet published" in client.get(waiting.get_absolute_url()).content.decode()
    for meeting in (with_notes, coming):
        assert "Notes not yet published" not in (
            client.get(meeting.get_absolute_url()).content.decode()
        )
    past = client.get(reverse("meetings:past")).content.decode()
    assert past.count("Notes not yet published") == 1
    assert past.index("Held, no notes") < past.index("Notes not yet published")


def test_convenors_see_their_meetings_waiting_for_notes_where_they_schedule_and_on_the_group(
    client, convenor, group, other_group
):
    waiting = _held(working_group=group, title="Our evidence session")
    _held(working_group=other_group, title="Another group's session")
    done = _held(working_group=group, title="Written up")
    NotesVersion.objects.create(notes=Notes.objects.create(meeting=done), number=1)
    client.force_login(convenor)
    page = client.get(reverse("meetings:list")).content.decode()
    section = page[page.index('id="awaiting-notes"') :]
    assert "Our evidence session" in section
    assert reverse("meetings:notes_edit", args=[waiting.pk]) in section
    assert "Another group" not in section and "Written up" not in section
    group_page = client.get(group.get_absolute_url()).content.decode()
    assert "1 meeting of this group is waiting for its notes" in group_page
    client.force_login(UserFactory())
    assert 'id="awaiting-notes"' not in client.get(reverse("meetings:list")).content.decode()
    assert "waiting for its notes" not in client.get(group.get_absolute_url()).content.decode()


def _visible_text_fields():
    """Every text field a person types into on the meetings forms, by form and name."""
    from django import forms as django_forms

    from meetings import forms as meeting_forms

    for form_name in dir(meeting_forms):
        form_class = getattr(meeting_forms, form_name)
        if not (isinstance(form_class, type) and issubclass(form_class, django_forms.BaseForm)):
            continue
        for name, field in form_class.base_fields.items():
            if isinstance(field, django_forms.CharField) and not isinstance(
                field.widget, django_forms.HiddenInput
            ):
                yield pytest.param(field, id=f"{form_name}.{name}")


@pytest.mark.parametrize("field", list(_visible_text_fields()))
def test_every_text_field_of_the_meetings_forms_has_a_limit_said_next_to_it(field):
    assert field.max_length, "no length limit"
    if field.max_length > 100:  # not a short list of numbers
        assert f"Up to {field.max_length:,} characters." in str(field.help_text)


def test_notes_longer_than_their_limit_are_refused_next_to_the_field_and_kept(client, secretariat):
    notes = NotesFactory()
    client.force_login(secretariat)
    path = reverse("meetings:notes_edit", args=[notes.meeting.pk])
    page = client.get(path).content.decode()
    assert "Up to 20,000 characters." in page
    too_long = "A point the group discussed at length.\n" * 600
    page = client.post(path, {"discussion_points": too_long}).content.decode()
    assert page.count("Main discussion points must be 20,000 characters or fewer") == 2
    assert "A point the group discussed at length." in page
    notes.refresh_from_db()
    assert notes.discussion_points != too_long
