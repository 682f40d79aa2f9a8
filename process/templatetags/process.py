"""`{% load process %}`: what the process says about a person, for pages of other apps."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from process.models import SectorEngagement

register = template.Library()


@register.simple_tag
def engagements_for(sector: str) -> QuerySet[SectorEngagement]:
    """Who engages people of `sector` in each process (the seed: Involve engages civil
    society and experts, the Cabinet Office government departments)."""
    return SectorEngagement.objects.filter(sector=sector).select_related("process")
