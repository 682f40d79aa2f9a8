"""The meetings' access rules as people meet them, at explicit moments: the meeting page's
registration form, the schedule form's choice of groups, and the notes pages of a group
someone belongs to without convening it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings.models import Meeting, Registration
from tests import factories
from tests.meetings.factories import MeetingFactory, NotesFactory

pytestmark = pytest.mark.django_db

STARTS_AT = datetime(2027, 5, 12, 9, 0, tzinfo=UTC)
INSTANT = timedelta(microseconds=1)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- Registration closes when the meeting starts ----------------------------------------------


@pytest.fixture
def meeting(db):
    return MeetingFactory(starts_at=STARTS_AT, announced_at=STARTS_AT - timedelta(days=30))


def test_meeting_page_offers_registration_until_the_instant_it_starts(client, participant, meeting):
    register = reverse("meetings:register", args=[meeting.pk])
    with time_machine.travel(STARTS_AT - INSTANT, tick=False):
        client.force_login(participant)
        shown = page(client, meeting.get_absolute_url())
    assert f'action="{register}"' in shown
    assert "Registration closed when the meeting started." not in shown


def test_meeting_page_closes_registration_at_the_instant_it_starts(client, participant, meeting):
    register = reverse("meetings:register", args=[meeting.pk])
    with time_machine.travel(STARTS_AT, tick=False):
        client.force_login(participant)
        shown = page(client, meeting.get_absolute_url())
        assert f'action="{register}"' not in shown
        assert "Registration closed when the meeting started." in shown
        # Posting the form anyway is refused by the registration service too.
        answer = client.post(register, {"mode": Registration.Mode.REMOTE})
    assert "Registration closed when the meeting started." in answer.content.decode()
    assert not Registration.objects.filter(meeting=meeting).exists()


# --- Managing is convening, not belonging -----------------------------------------------------


@pytest.fixture
def convenes_a_belongs_to_b(db, group, other_group):
    """Convenor of one group and plain member of another: the person whose two roles
    show whether "manages" means convening or merely belonging."""
    person = factories.MembershipFactory(group=group, role="convenor").user
    factories.MembershipFactory(group=other_group, user=person)
    return person


def test_schedule_form_offers_only_the_groups_the_person_convenes(
    client, convenes_a_belongs_to_b, group, other_group
):
    with time_machine.travel(datetime(2027, 4, 1, tzinfo=UTC), tick=False):
        client.force_login(convenes_a_belongs_to_b)
        shown = page(client, reverse("meetings:schedule"))
        assert f'value="{group.pk}"' in shown and group.name in shown
        assert f'value="{other_group.pk}"' not in shown and other_group.name not in shown
        answer = client.post(
            reverse("meetings:schedule"),
            {
                "working_group": other_group.pk,
                "title": "Not theirs to call",
                **factories.date_fields("day", "2027-06-01"),
                "start_time": "10:00",
                "end_time": "11:00",
                "region": "wales",
                "venue": "Cardiff",
                "reminder_days": "7",
            },
        )
    assert answer.status_code == 200
    assert "Select the working group from the options given" in answer.content.decode()
    assert not Meeting.objects.filter(title="Not theirs to call").exists()


def test_a_member_who_convenes_another_group_reads_no_unpublished_notes_here(
    client, convenes_a_belongs_to_b, other_group
):
    notes = NotesFactory(meeting__working_group=other_group, summary="Not yet agreed wording")
    meeting = notes.meeting
    registered = factories.UserFactory(display_name="Registered Person")
    Registration.objects.create(meeting=meeting, user=registered, mode="remote")
    its_convenor = factories.MembershipFactory(group=other_group, role="convenor").user
    read, edit = (
        reverse(f"meetings:{name}", args=[meeting.pk]) for name in ("notes", "notes_edit")
    )
    client.force_login(its_convenor)
    assert client.get(read).status_code == 200
    assert "Not yet agreed wording" in page(client, edit)
    assert "Registered Person" in page(client, meeting.get_absolute_url())

    client.force_login(convenes_a_belongs_to_b)
    assert client.get(read).status_code == 404
    assert client.get(edit).status_code == 403
    assert "Registered Person" not in page(client, meeting.get_absolute_url())
