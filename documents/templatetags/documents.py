"""`{% load documents %}`: document lists for other apps' pages, filtered by who may read."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from documents.models import Document
from documents.permissions import documents_visible_to

register = template.Library()


def _viewer(context: template.Context):
    """The person viewing the page; the public when the template has no request."""
    user = getattr(context.get("request"), "user", None)
    return user if user is not None else AnonymousUser()


@register.simple_tag(takes_context=True)
def group_documents(context: template.Context, group) -> QuerySet[Document]:
    """Published documents of a working group that the person viewing the page may read."""
    return (
        documents_visible_to(_viewer(context))
        .filter(status=Document.Status.PUBLISHED, working_groups=group)
        .order_by("-published_on", "-id")
    )


@register.simple_tag(takes_context=True)
def meeting_documents(context: template.Context, meeting) -> QuerySet[Document]:
    """Published papers of a meeting (agenda, notes) that the person viewing may read."""
    return (
        documents_visible_to(_viewer(context))
        .filter(status=Document.Status.PUBLISHED, meetings=meeting)
        .order_by("-published_on", "-id")
    )
