"""The permission matrix: role x URL x method -> status, for one working group's meeting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from meetings import permissions, services
from meetings.models import Notes
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, NotesFactory, published

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
MANAGERS = {"convenor", "secretariat", "superuser"}


@pytest.fixture
def people(participant, member, convenor, secretariat, superuser, other_group):
    return {
        "anonymous": None,
        "participant": participant,
        "member": member,
        "other_member": MembershipFactory(group=other_group).user,
        "convenor": convenor,
        "other_convenor": MembershipFactory(group=other_group, role="convenor").user,
        "secretariat": secretariat,
        "superuser": superuser,
    }


@pytest.fixture
def meetings(group):
    upcoming = MeetingFactory(working_group=group)
    draft = NotesFactory(meeting__working_group=group)
    published = NotesFactory(meeting__working_group=group)
    published.versions.create(number=1, summary="x", attendees=[])
    action = draft.meeting.actions.create(description="Draft options.", owner="Secretariat")
    return {
        "upcoming": upcoming,
        "draft": draft.meeting,
        "published": published.meeting,
        "action": action,
    }


def expect(role: str, *, public=None, signed_in=None, managers=None, schedulers=None):
    """Status for a role: public pages for all; signed-out people are sent to sign in; a
    manager-only page is 403 to everyone else, who may see the meeting (all are public)."""
    if public is not None:
        return public
    if role == "anonymous":
        return 302
    if schedulers is not None:
        return schedulers if role in MANAGERS | {"other_convenor"} else 403
    if managers is not None:
        return managers if role in MANAGERS else 403
    return signed_in


CASES = [
    # (name, method, url builder, expected(role))
    ("list", "get", lambda m: reverse("meetings:list"), lambda r: 200),
    ("past", "get", lambda m: reverse("meetings:past"), lambda r: 200),
    ("detail", "get", lambda m: m["upcoming"].get_absolute_url(), lambda r: 200),
    (
        "meeting ics",
        "get",
        lambda m: reverse("meetings:meeting_calendar", args=[m["upcoming"].pk]),
        lambda r: 200,
    ),
    ("public ics", "get", lambda m: reverse("meetings:calendar"), lambda r: 200),
    (
        "schedule",
        "get",
        lambda m: reverse("meetings:schedule"),
        lambda r: expect(r, schedulers=200),
    ),
    (
        "edit",
        "get",
        lambda m: reverse("meetings:edit", args=[m["upcoming"].pk]),
        lambda r: expect(r, managers=200),
    ),
    (
        "cancel form",
        "get",
        lambda m: reverse("meetings:cancel", args=[m["upcoming"].pk]),
        lambda r: expect(r, managers=200),
    ),
    (
        "register",
        "post",
        lambda m: reverse("meetings:register", args=[m["upcoming"].pk]),
        lambda r: expect(r, signed_in=302),
    ),
    (
        "register by GET",
        "get",
        lambda m: reverse("meetings:register", args=[m["upcoming"].pk]),
        lambda r: 405,
    ),
    (
        "draft notes",
        "get",
        lambda m: reverse("meetings:notes", args=[m["draft"].pk]),
        lambda r: 200 if r in MANAGERS else 404,
    ),
    (
        "published notes",
        "get",
        lambda m: reverse("meetings:notes", args=[m["published"].pk]),
        lambda r: 200,
    ),
    (
        "edit notes",
        "get",
        lambda m: reverse("meetings:notes_edit", args=[m["draft"].pk]),
        lambda r: expect(r, managers=200),
    ),
    (
        "publish notes",
        "post",
        lambda m: reverse("meetings:notes_publish", args=[m["draft"].pk]),
        lambda r: expect(r, managers=302),
    ),
    (
        "withdraw a version",
        "get",
        lambda m: reverse("meetings:notes_withdraw", args=[m["published"].pk, 1]),
        lambda r: expect(r, managers=200),
    ),
    (
        "withdraw a version, sent empty",
        "post",
        lambda m: reverse("meetings:notes_withdraw", args=[m["published"].pk, 1]),
        lambda r: expect(r, managers=200),
    ),
    (
        "withdraw a version that does not exist",
        "get",
        lambda m: reverse("meetings:notes_withdraw", args=[m["published"].pk, 2]),
        lambda r: 404,
    ),
    (
        "remove a draft's action",
        "post",
        lambda m: reverse("meetings:action_remove", args=[m["draft"].pk, m["action"].pk]),
        lambda r: expect(r, managers=302),
    ),
    (
        "calendar feed page",
        "get",
        lambda m: reverse("meetings:calendar_feed"),
        lambda r: expect(r, signed_in=200),
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "url", "expected"), CASES, ids=[c[0] for c in CASES])
def test_permission_matrix(client, people, meetings, role, name, method, url, expected):
    if people[role] is not None:
        client.force_login(people[role])
    data = {"mode": "remote"} if name == "register" else {}
    response = getattr(client, method)(url(meetings), data)
    assert response.status_code == expected(role), (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_remote_joining_details_are_shown_only_to_attendees_and_managers(
    client, people, meetings, role
):
    meeting = meetings["upcoming"]
    if people[role] is not None:
        client.force_login(people[role])
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert ("secret-room" in page) == (role in MANAGERS)


def test_registered_attendee_sees_joining_details_but_apologies_do_not(client, participant):
    meeting = MeetingFactory()
    client.force_login(participant)
    services.register(meeting, mode="apologies", by=participant)
    assert "secret-room" not in client.get(meeting.get_absolute_url()).content.decode()
    services.register(meeting, mode="in_person", by=participant)
    assert "secret-room" in client.get(meeting.get_absolute_url()).content.decode()


def test_convenor_of_another_group_cannot_edit_notes_of_this_group(client, people, meetings):
    client.force_login(people["other_convenor"])
    url = reverse("meetings:notes_edit", args=[meetings["draft"].pk])
    assert client.post(url, {"summary": "Hijack"}).status_code == 403
    assert Notes.objects.get(meeting=meetings["draft"]).summary != "Hijack"


def test_registration_is_closed_once_the_meeting_has_started(client, participant):
    meeting = MeetingFactory(starts_at=timezone.now() - timedelta(minutes=5))
    client.force_login(participant)
    response = client.post(reverse("meetings:register", args=[meeting.pk]), {"mode": "remote"})
    assert response.status_code == 200
    assert "Registration closed when the meeting started" in response.content.decode()
    assert not meeting.registrations.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_groups_convenors_and_the_secretariat_withdraw_notes(people, role, group):
    group_meeting = MeetingFactory(working_group=group)
    process_meeting = MeetingFactory(process=group.process)
    user = people[role] or AnonymousUser()
    assert permissions.can_withdraw_notes(user, group_meeting) == (role in MANAGERS)
    # A whole-process meeting: the secretariat only.
    expected = role in {"secretariat", "superuser"}
    assert permissions.can_withdraw_notes(user, process_meeting) == expected


def test_withdrawing_is_refused_to_a_convenor_of_another_group(client, people, meetings):
    client.force_login(people["other_convenor"])
    url = reverse("meetings:notes_withdraw", args=[meetings["published"].pk, 1])
    assert client.post(url, {"reason": "attributed"}).status_code == 403
    assert not meetings["published"].notes.versions.get().is_withdrawn


def _staff_who_may_view_everything():
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return staff


def test_admin_shows_staff_published_actions_but_never_a_drafts(client, superuser, secretariat):
    notes = NotesFactory()
    shown = published(notes.meeting.actions.create(description="Published one", owner="ONS"))
    notes.meeting.actions.create(description="Drafted one", owner="ONS")
    withdrawn = NotesFactory()
    gone = withdrawn.meeting.actions.create(description="Withdrawn one", owner="ONS")
    published(gone)
    services.withdraw_notes_version(withdrawn.versions.get(), reason="mistake", by=secretariat)
    changelist = reverse("admin:meetings_action_changelist")
    client.force_login(_staff_who_may_view_everything())
    page = client.get(changelist).content.decode()
    assert shown.description in page
    assert "Drafted one" not in page and "Withdrawn one" not in page
    client.force_login(superuser)
    page = client.get(changelist).content.decode()
    assert "Drafted one" in page and "Withdrawn one" in page


def test_admin_shows_a_published_notes_draft_only_to_its_managers(client, superuser):
    """The draft may already hold the next correction: staff outside the secretariat see
    what versions published (NotesVersion), not the draft or its attendance record."""
    notes = NotesFactory(summary="Next correction in progress")
    notes.versions.create(number=1, summary="As published", attendees=[])
    attendee = notes.attendees.create(name="Added since", organisation="", mode="remote")
    links = {
        "notes": reverse("admin:meetings_notes_change", args=[notes.pk]),
        "attendee": reverse("admin:meetings_attendee_change", args=[attendee.pk]),
    }
    for user, shown in ((_staff_who_may_view_everything(), False), (superuser, True)):
        client.force_login(user)
        for model, link in links.items():
            page = client.get(reverse(f"admin:meetings_{model}_changelist")).content.decode()
            assert (link in page) == shown, (model, user)
