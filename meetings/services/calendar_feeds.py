"""Private calendar feeds: each person's secret feed address, and replacing it when it has
leaked. The feeds themselves are built by meetings/calendars.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from meetings.models import CalendarToken
from policyhub import audit

if TYPE_CHECKING:
    from policyhub.models import User


@transaction.atomic
def calendar_token_for(user: User) -> CalendarToken:
    """The person's feed address, made on first use (idempotent)."""
    token, _ = CalendarToken.objects.get_or_create(user=user)
    return token


@transaction.atomic
def revoke_calendar_token(*, by: User) -> CalendarToken:
    """Replace the private feed's secret: the old URL stops working at once."""
    CalendarToken.objects.filter(user=by).delete()
    token = CalendarToken.objects.create(user=by)
    audit.record("meetings.calendar_token_revoked", actor=by, target=None)
    return token
