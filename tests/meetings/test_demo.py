"""The demo meetings tell the seed's story and obey the app's own rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Region
from process.models import Process

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_has_the_planning_meeting_with_published_notes_and_attendees(demo):
    meeting = Meeting.objects.get(title="Planning the open policy process")
    assert timezone.localtime(meeting.starts_at).date() == date(2014, 3, 31)
    version = meeting.notes.versions.get()
    assert len(version.attended) >= 5
    assert version.apologies


def test_demo_holds_meetings_around_the_uk_with_remote_participation(demo):
    stats = Meeting.objects.filter(process__slug="data-sharing-2014").held_stats()
    assert stats["outside_london"] >= 3
    assert stats["with_remote"] == stats["held"]
    assert Meeting.objects.filter(title__contains="Minister").exists()
    assert (
        Meeting.objects.filter(
            process=Process.objects.get(slug="data-sharing-reconvened-2016"),
            title__startswith="Consultation event",
        ).count()
        == 3
    )
    assert Meeting.objects.filter(region=Region.ONLINE).exists()


def test_demo_has_upcoming_meetings_to_register_for(demo):
    upcoming = Meeting.objects.upcoming()
    assert upcoming.filter(working_group__isnull=False).exists()
    assert upcoming.count() >= 2


def test_demo_notes_pass_the_chatham_house_checker(demo):
    for meeting in Meeting.objects.filter(notes__isnull=False):
        assert [c.finding for c in services.check_notes(meeting.notes)] == [], meeting


def test_demo_participant_gets_the_first_reminder_of_a_meeting_they_registered_for():
    """The demo's registrations are dated when the participant registered (the day after the
    meeting was announced), so the reminder already due when the demo is loaded reaches them
    instead of being skipped as if they had registered too late for it."""
    wednesday = datetime(2026, 12, 9, 9, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(wednesday, tick=False):
        call_command("load_demo", verbosity=0)
        catch_up = Meeting.objects.get(title="Open network catch-up (online)")
        assert catch_up.starts_at - timezone.now() < timedelta(days=7)  # 7-day reminder due
        services.send_due_reminders()
    to_participant = [m.subject for m in mail.outbox if m.to == ["participant@demo.policyhub.test"]]
    assert "Reminder: Open network catch-up (online)" in to_participant


def test_demo_names_the_minister_among_those_who_attended_the_concluding_meeting(client, demo):
    meeting = Meeting.objects.get(title__startswith="Concluding meeting with the Minister")
    notes = client.get(meeting.notes.get_absolute_url()).content.decode()
    assert "Francis Maude" in notes
    assert "Minister for the Cabinet Office, Francis Maude" in meeting.purpose
