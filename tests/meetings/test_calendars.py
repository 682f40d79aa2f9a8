"""iCalendar output, parsed back with the icalendar library and checked field by field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.calendars import build_calendar
from tests.factories import MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_meeting_calendar_has_every_field(client):
    meeting = MeetingFactory(
        title="Evidence session, part 2; with breaks",
        starts_at=datetime(2026, 7, 1, 9, tzinfo=UTC),
        ends_at=datetime(2026, 7, 1, 11, tzinfo=UTC),
        purpose="Review the evidence.",
    )
    calendar = parse(client.get(reverse("meetings:meeting_calendar", args=[meeting.pk])))
    assert calendar["version"] == "2.0"
    assert str(calendar["prodid"]) == "-//PolicyHub//Meetings//EN"
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"meeting-{meeting.pk}@policyhub"
    assert str(event["summary"]) == "Evidence session, part 2; with breaks"
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/London"
    assert start.hour == 10  # 09:00 UTC is 10:00 BST
    assert start.astimezone(UTC) == meeting.starts_at
    assert event.decoded("dtend").astimezone(UTC) == meeting.ends_at
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"
    assert "Meeting room 1" in str(event["location"])
    assert str(event["url"]).endswith(meeting.get_absolute_url())
    assert "Review the evidence." in str(event["description"])
    assert event.get("dtstamp") is not None
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/London"


def test_winter_meeting_is_at_the_same_hour_in_utc(client):
    meeting = MeetingFactory(starts_at=datetime(2026, 12, 1, 10, tzinfo=UTC))
    [event] = parse(client.get(reverse("meetings:meeting_calendar", args=[meeting.pk]))).walk(
        "VEVENT"
    )
    assert event.decoded("dtstart").hour == 10


def test_change_bumps_sequence_and_keeps_the_uid(client, secretariat):
    meeting = MeetingFactory()
    url = reverse("meetings:meeting_calendar", args=[meeting.pk])
    before = parse(client.get(url)).walk("VEVENT")[0]
    services.update_meeting(meeting, by=secretariat, title="Renamed")
    services.cancel_meeting(meeting, reason="Room unavailable.", by=secretariat)
    after = parse(client.get(url)).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert int(after["sequence"]) == int(before["sequence"]) + 2
    assert str(after["status"]) == "CANCELLED"
    assert "Room unavailable." in str(after["description"])


def test_public_feed_lists_every_meeting_without_joining_details(client):
    first, second = MeetingFactory(), MeetingFactory(region="online", venue="")
    RegistrationFactory(meeting=first, mode="remote")
    content = client.get(reverse("meetings:calendar")).content.decode()
    assert "secret-room" not in content
    assert "PIN 4321" not in content
    assert set(events(Calendar.from_ical(content))) == {
        f"meeting-{first.pk}@policyhub",
        f"meeting-{second.pk}@policyhub",
    }


def test_public_feed_shows_a_change_to_a_meeting_at_once(client):
    meeting = MeetingFactory(title="Evidence session")
    client.get(reverse("meetings:calendar"))  # builds and caches the feed
    meeting.title = "Evidence session (moved)"
    meeting.save()
    calendar = parse(client.get(reverse("meetings:calendar")))
    assert str(events(calendar)[f"meeting-{meeting.pk}@policyhub"]["summary"]) == (
        "Evidence session (moved)"
    )


def test_public_feed_shows_added_and_removed_meetings_at_once(client):
    kept, removed = MeetingFactory(), MeetingFactory()
    client.get(reverse("meetings:calendar"))
    removed.delete()
    added = MeetingFactory()
    calendar = parse(client.get(reverse("meetings:calendar")))
    assert set(events(calendar)) == {
        f"meeting-{kept.pk}@policyhub",
        f"meeting-{added.pk}@policyhub",
    }


def test_feeds_hold_meetings_to_come_and_those_of_the_last_three_months(client, group):
    now = datetime.now(UTC)
    old = MeetingFactory(
        working_group=group, starts_at=now - timedelta(days=95), ends_at=now - timedelta(days=94)
    )
    recent = MeetingFactory(
        working_group=group, starts_at=now - timedelta(days=21), ends_at=now - timedelta(days=20)
    )
    coming = MeetingFactory(working_group=group)
    for url in (
        reverse("meetings:calendar"),
        reverse("meetings:group_calendar", args=[group.slug]),
    ):
        assert set(events(parse(client.get(url)))) == {
            f"meeting-{recent.pk}@policyhub",
            f"meeting-{coming.pk}@policyhub",
        }, url
    assert client.get(old.get_absolute_url()).status_code == 200  # still on the site


def test_public_feed_is_built_once_even_while_the_cache_fails(client, settings):
    """Building a calendar of every meeting is the costliest work of any page, so its result
    is also kept in each process: a failing Redis does not make it rebuilt on every poll."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    MeetingFactory.create_batch(3)
    with mock.patch("meetings.calendars.build_calendar", wraps=build_calendar) as build:
        first = client.get(reverse("meetings:calendar")).content
        again = client.get(reverse("meetings:calendar")).content
    assert build.call_count == 1 and again == first


@pytest.mark.parametrize("count", [3, 12])
def test_public_feed_costs_one_query_once_built(client, django_assert_max_num_queries, count):
    MeetingFactory.create_batch(count)
    client.get(reverse("meetings:calendar"))
    with django_assert_max_num_queries(1):
        calendar = parse(client.get(reverse("meetings:calendar")))
    assert len(events(calendar)) == count


def test_group_feed_lists_only_that_groups_meetings(client, group, other_group):
    mine = MeetingFactory(working_group=group)
    MeetingFactory(working_group=other_group)
    calendar = parse(client.get(reverse("meetings:group_calendar", args=[group.slug])))
    assert set(events(calendar)) == {f"meeting-{mine.pk}@policyhub"}


def test_private_feed_has_joining_details_only_for_meetings_attended(client):
    person = UserFactory()
    attending = MeetingFactory(title="Attending")
    sorry = MeetingFactory(title="Apologies")
    RegistrationFactory(meeting=attending, user=person, mode="remote")
    RegistrationFactory(meeting=sorry, user=person, mode="apologies")
    token = services.calendar_token_for(person)
    calendar = parse(client.get(reverse("meetings:private_calendar", args=[token.token])))
    found = events(calendar)
    assert "secret-room" in str(found[f"meeting-{attending.pk}@policyhub"]["description"])
    assert "secret-room" not in str(found[f"meeting-{sorry.pk}@policyhub"]["description"])


def test_private_feed_includes_group_meetings(client, group):
    person = MembershipFactory(group=group).user
    meeting = MeetingFactory(working_group=group)
    token = services.calendar_token_for(person)
    calendar = parse(client.get(reverse("meetings:private_calendar", args=[token.token])))
    assert f"meeting-{meeting.pk}@policyhub" in events(calendar)


def test_revoked_private_feed_stops_working(client):
    person = UserFactory()
    old = services.calendar_token_for(person).token
    new = services.revoke_calendar_token(by=person).token
    assert client.get(reverse("meetings:private_calendar", args=[old])).status_code == 404
    assert client.get(reverse("meetings:private_calendar", args=[new])).status_code == 200


def test_calendar_spans_the_clock_change(client):
    meeting = MeetingFactory(
        starts_at=datetime(2026, 10, 24, 23, 30, tzinfo=UTC),  # 00:30 BST on 25 October
        ends_at=datetime(2026, 10, 25, 3, 30, tzinfo=UTC),  # 03:30 GMT
    )
    [event] = parse(client.get(reverse("meetings:meeting_calendar", args=[meeting.pk]))).walk(
        "VEVENT"
    )
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.hour, end.hour) == (0, 3)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=4)
