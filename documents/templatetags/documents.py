"""`{% load documents %}`: documents and evidence for other apps' pages, filtered by who may
read them."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from documents.models import Document, Evidence
from documents.permissions import can_gather_evidence, documents_visible_to, evidence_visible_to

register = template.Library()


def _viewer(context: template.Context):
    """The person viewing the page; the public when the template has no request."""
    user = getattr(context.get("request"), "user", None)
    return user if user is not None else AnonymousUser()


# A group's page shows its newest documents; the rest are one link away in the document
# list, filtered by the group. Listing every one made the group page grow with the archive.
GROUP_PANEL_SIZE = 10


@register.simple_tag(takes_context=True)
def group_documents(context: template.Context, group) -> list[Document]:
    """The newest published documents of a working group (at most GROUP_PANEL_SIZE) that
    the person viewing the page may read."""
    return list(
        documents_visible_to(_viewer(context))
        .filter(status=Document.Status.PUBLISHED, working_groups=group)
        .defer("body", "search_vector")  # a list of titles needs neither
        .order_by("-published_on", "-id")[:GROUP_PANEL_SIZE]
    )


@register.simple_tag(takes_context=True)
def meeting_documents(context: template.Context, meeting) -> QuerySet[Document]:
    """Published papers of a meeting (agenda, notes) that the person viewing may read."""
    return (
        documents_visible_to(_viewer(context))
        .filter(status=Document.Status.PUBLISHED, meetings=meeting)
        .order_by("-published_on", "-id")
    )


@register.simple_tag(takes_context=True)
def task_evidence(context: template.Context, task) -> list[Evidence]:
    """The evidence of a workplan task, leaving out links to documents the person viewing
    may not read."""
    return list(evidence_visible_to(_viewer(context), task).select_related("document"))


@register.simple_tag(takes_context=True)
def may_gather_evidence(context: template.Context, task) -> bool:
    """Whether the person viewing may add and remove the task's evidence."""
    return can_gather_evidence(_viewer(context), task)
