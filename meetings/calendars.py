"""iCalendar (RFC 5545) files for meetings: one meeting, the public feed, a group's feed,
and a person's private feed.

UIDs are stable per meeting, SEQUENCE is the meeting's own counter (bumped on every change),
cancellations carry STATUS:CANCELLED, and times are given in Europe/London with its VTIMEZONE
so calendar programs show the right local time on both sides of a clock change. The remote
joining details go only into a private feed, and only for meetings the owner attends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from policyhub.cache import memoised
from policyhub.links import absolute_url

from .models import Meeting, Registration

if TYPE_CHECKING:
    from policyhub.models import User

PRODID = "-//PolicyHub//Meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@policyhub"


def _location(meeting: Meeting) -> str:
    if meeting.is_online_only:
        return "Online"
    parts = [meeting.venue, " ".join(meeting.address.split())]
    return ", ".join(p for p in parts if p)


def _event(meeting: Meeting, *, remote_details: bool) -> Event:
    london = ZoneInfo(settings.TIME_ZONE)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", meeting.sequence)
    event.add("summary", meeting.title)
    event.add("dtstart", meeting.starts_at.astimezone(london))
    event.add("dtend", meeting.ends_at.astimezone(london))
    url = absolute_url(meeting.get_absolute_url())
    event.add("url", url)
    location = _location(meeting)
    if location:
        event.add("location", location)
    description = [meeting.purpose.strip(), f"Meeting page: {url}"]
    if meeting.is_cancelled:
        event.add("status", "CANCELLED")
        description.insert(0, f"Cancelled: {meeting.cancellation_reason}")
    else:
        event.add("status", "CONFIRMED")
    if meeting.has_remote_participation:
        if remote_details:
            if meeting.joining_link:
                description.append(f"Join online: {meeting.joining_link}")
                event.add("conference", meeting.joining_link, parameters={"VALUE": "URI"})
            if meeting.dial_in:
                description.append(f"Dial in: {meeting.dial_in}")
        else:
            description.append("Remote participation: register on the meeting page for details.")
    event.add("description", "\n\n".join(d for d in description if d))
    return event


def meeting_calendar(
    meetings: Iterable[Meeting], *, include_remote_for: User | None = None, name: str = ""
) -> bytes:
    """A VCALENDAR of the meetings. With `include_remote_for`, meetings that person is
    registered to attend carry the joining details; every other meeting does not."""
    meetings = list(meetings)
    attending: set[int] = set()
    if include_remote_for is not None:
        attending = set(
            Registration.objects.filter(user=include_remote_for, meeting__in=meetings)
            .attending()
            .values_list("meeting_id", flat=True)
        )
    return build_calendar(meetings, with_remote=attending, name=name)


def public_calendar(meetings: QuerySet[Meeting], *, name: str) -> bytes:
    """A public feed (no joining details, the same for everyone), built once per change.

    Building thousands of events takes far longer than any page, and calendar programs poll
    the feed all day. An event shows only its meeting's own fields, so the feed is a pure
    function of which meetings it holds and when the last of them changed (every change
    bumps `updated_at`): kept by that, it is never stale.
    """
    state = meetings.order_by().aggregate(count=Count("pk"), changed=Max("updated_at"))
    return memoised(
        "public-calendar",
        (name, str(meetings.query), state["count"], state["changed"]),
        lambda: build_calendar(list(meetings), with_remote=set(), name=name),
        in_process=True,
    )


def build_calendar(meetings: list[Meeting], *, with_remote: set[int], name: str = "") -> bytes:
    """The VCALENDAR itself; joining details only for meeting ids in `with_remote`."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        calendar.add_component(_event(meeting, remote_details=meeting.pk in with_remote))
    calendar.add_missing_timezones()
    return calendar.to_ical()
