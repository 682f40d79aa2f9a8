"""Template tags other apps' pages use to show meetings (see templates/meetings/includes)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import F
from django.utils import dateformat, timezone

from meetings import permissions
from meetings.models import Meeting, PublishedAction

register = template.Library()


@register.inclusion_tag("meetings/includes/_group_meetings_panel.html", takes_context=True)
def group_meetings_panel(context: template.Context, group: Any) -> dict:
    """A working group's next meetings, recent past ones, and its open actions: as the
    current version of each meeting's notes published them, never from a draft. Its
    managers are also told how many of its meetings still wait for their notes."""
    now = timezone.now()
    request = context.get("request")
    user = getattr(request, "user", None)
    awaiting = 0
    if user is not None and permissions.can_schedule(user, group=group):
        awaiting = Meeting.objects.filter(working_group=group).awaiting_notes(now).count()
    # Only what the panel shows: meeting rows and published notes are wide.
    meetings = Meeting.objects.filter(working_group=group).only(
        "title", "starts_at", "ends_at", "status"
    )
    return {
        "group": group,
        "awaiting_notes": awaiting,
        "upcoming": list(meetings.upcoming(now)[:5]),
        "recent": list(meetings.past(now).with_notes_flag()[:5]),
        "open_actions": list(
            PublishedAction.objects.current()
            .open()
            .filter(version__notes__meeting__working_group=group)
            .annotate(
                meeting_id=F("version__notes__meeting_id"),
                meeting_title=F("version__notes__meeting__title"),
            )
            .only("description", "owner", "due_on")
            .order_by("due_on", "pk")
        ),
    }


@register.inclusion_tag("meetings/includes/_process_meeting_stats_panel.html")
def process_meeting_stats(process: Any) -> dict:
    """The process page figure: meetings held, outside London, with remote participation."""
    return {"process": process, "stats": Meeting.objects.filter(process=process).held_stats()}


@register.filter
def london_range(meeting: Meeting) -> str:
    """ "Monday 31 March 2014, 10:00 to 13:00" in UK time."""
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    # Day and month names from the active language's locale, never Python's (always English).
    day, end_day = dateformat.format(start, "l j F Y"), dateformat.format(end, "l j F Y")
    if start.date() == end.date():
        return f"{day}, {start:%H:%M} to {end:%H:%M}"
    return f"{day}, {start:%H:%M} to {end_day}, {end:%H:%M}"
