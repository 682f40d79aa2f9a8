"""Small display helpers for working group templates: which GOV.UK tag colour a state gets."""

from __future__ import annotations

from django import template

register = template.Library()

# One colour per meaning, so a state looks the same wherever it appears.
TAG_COLOURS = {
    # tasks
    "not_started": "govuk-tag--grey",
    "in_progress": "govuk-tag--light-blue",
    "done": "govuk-tag--green",
    # proposals
    "draft": "govuk-tag--grey",
    "under_discussion": "govuk-tag--light-blue",
    "agreed": "govuk-tag--green",
    "published": "govuk-tag--blue",
    "withdrawn": "govuk-tag--red",
    # sign-off
    "in_review": "govuk-tag--yellow",
    "signed_off": "govuk-tag--green",
    "declined": "govuk-tag--red",
    # wider issues
    "open": "govuk-tag--light-blue",
    "taken_forward": "govuk-tag--green",
    "parked": "govuk-tag--grey",
    # concerns and join requests
    "raised": "govuk-tag--yellow",
    "in_mediation": "govuk-tag--light-blue",
    "resolved": "govuk-tag--green",
    "pending": "govuk-tag--yellow",
    "approved": "govuk-tag--green",
    # groups
    "forming": "govuk-tag--yellow",
    "active": "govuk-tag--green",
    "concluded": "govuk-tag--grey",
}

LEVEL_COLOURS = {1: "govuk-tag--green", 2: "govuk-tag--turquoise", 3: "govuk-tag--yellow"}


@register.filter
def tag_colour(state: str) -> str:
    return TAG_COLOURS.get(state, "govuk-tag--grey")


@register.filter
def level_colour(level: int | None) -> str:
    """Levels 1 and 2 are what groups work towards; 4 is the least agreement."""
    if level is None:
        return "govuk-tag--grey"
    return LEVEL_COLOURS.get(level, "govuk-tag--orange")
