"""Consultation wording helpers: closing moments without ambiguity, and time left."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext, pgettext

register = template.Library()


@register.filter
def moment(value: datetime | None) -> str:
    """ "11:59pm on Friday 22 April 2016" in UK time (GOV.UK style: never just a date,
    never "midnight", which people read as either end of the day). Day and month names come
    from the active language's own locale."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    suffix = pgettext("time of day", "am") if local.hour < 12 else pgettext("time of day", "pm")
    clock = f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"
    if local.hour == 0 and local.minute == 0:
        clock = gettext("12am (the start of the day)")
    return gettext("{clock} on {date}").format(
        clock=clock, date=dateformat.format(local, "l j F Y")
    )


@register.filter
def time_left(value: timedelta | None) -> str:
    """Plain words for the time remaining: "12 days", "5 hours", "40 minutes"."""
    if value is None or value.total_seconds() <= 0:
        return gettext("no time")
    seconds = int(value.total_seconds())
    days, hours, minutes = seconds // 86400, seconds // 3600, max(1, seconds // 60)
    if days >= 2:
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if hours >= 1:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, [])


@register.filter
def kappa(value: float | None) -> str:
    return "not defined" if value is None else f"{value:.2f}"
