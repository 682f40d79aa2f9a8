"""The one place the consultation app decides access.

- Anyone (no account needed) may read a consultation and respond while it accepts responses.
- Analysts see the responses of the consultations they are assigned to, and no other's.
- The secretariat sees every consultation's responses, enters postal and email responses,
  redacts, and publishes the summary once the consultation has closed.
- The public sees responses only after publication, and only those whose respondent consented.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from documents.permissions import documents_visible_to
from policyhub.roles import is_participant, is_secretariat

from .models import Analyst, Consultation, Response, Theme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User

    AnyUser = User | AnonymousUser


def is_analyst(user: AnyUser, consultation: Consultation) -> bool:
    """Assigned to analyse this consultation's responses (and no other's); read once per
    request and consultation, as a page asks often."""
    if not is_participant(user):
        return False
    answers = user.__dict__.setdefault("_analyst_of", {})
    if consultation.pk not in answers:
        answers[consultation.pk] = Analyst.objects.filter(
            user_id=user.pk, consultation_id=consultation.pk
        ).exists()
    return answers[consultation.pk]


def consultations_visible_to(user: AnyUser) -> QuerySet[Consultation]:
    """Every consultation is public: upcoming ones are announced, closed ones stay on record."""
    return Consultation.objects.select_related("process")


def documents_of(user: AnyUser, consultation: Consultation) -> QuerySet:
    """The documents a consultation consults on that this person may read: the documents
    app decides (a restricted or draft document is not even named to others)."""
    return (
        documents_visible_to(user)
        .filter(consultations=consultation)
        .defer("body", "search_vector")
        .order_by("title", "pk")
    )


def consultations_analysable_by(user: AnyUser) -> QuerySet[Consultation]:
    """The consultations whose responses this person may read and code."""
    if is_secretariat(user):
        return Consultation.objects.all()
    if not is_participant(user):
        return Consultation.objects.none()
    return Consultation.objects.filter(analysts__user_id=user.pk)


def themes_visible_to(user: AnyUser) -> QuerySet[Theme]:
    """A consultation's codebook is for its analysts (and the secretariat) while they
    analyse; once the summary is published its themes are counted in public."""
    analysable = consultations_analysable_by(user)
    return Theme.objects.filter(
        Q(question__section__consultation__in=analysable)
        | Q(question__section__consultation__summary_published_at__isnull=False)
    )


def can_respond(user: AnyUser, consultation: Consultation, now: datetime | None = None) -> bool:
    """Anyone, signed in or not, while open or inside the late-response window."""
    return consultation.accepts_responses(now)


def can_analyse(user: AnyUser, consultation: Consultation) -> bool:
    """Assigned analysts of this consultation, and the secretariat."""
    return is_secretariat(user) or is_analyst(user, consultation)


def can_export(user: AnyUser, consultation: Consultation) -> bool:
    """Exports hold every answer (not emails), so only those who analyse may take them."""
    return can_analyse(user, consultation)


def can_manage_responses(user: AnyUser, consultation: Consultation) -> bool:
    """Enter postal/email responses and redact passages: the secretariat's job."""
    return is_secretariat(user)


def can_publish(user: AnyUser, consultation: Consultation, now: datetime | None = None) -> bool:
    """The secretariat publishes, and only once responses can no longer arrive: closed, and
    past the late-response window if there is one (what `services.publish_summary` accepts,
    so the page never offers what the service refuses)."""
    now = now or timezone.now()
    return (
        is_secretariat(user)
        and consultation.state(now) == "closed"
        and not consultation.in_late_window(now)
    )


def responses_visible_to(user: AnyUser, consultation: Consultation) -> QuerySet[Response]:
    """Submitted responses for those who analyse this consultation; otherwise none.
    Drafts are never shown: they belong to their respondent until submitted."""
    if not can_analyse(user, consultation):
        return Response.objects.none()
    return Response.objects.filter(consultation=consultation).submitted()


def responses_analysable_by(user: AnyUser) -> QuerySet[Response]:
    """Every response this person may read, across consultations: what the admin lists.
    The secretariat runs the process, drafts included; anyone else (a staff account
    included) only the submitted responses of consultations they analyse."""
    if is_secretariat(user):
        return Response.objects.all()
    return Response.objects.filter(consultation__in=consultations_analysable_by(user)).submitted()


def published_responses(consultation: Consultation) -> QuerySet[Response]:
    """What the public may read, for every visitor alike."""
    return Response.objects.filter(consultation=consultation).published()
