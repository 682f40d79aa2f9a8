"""`{% load documents %}`: document lists for other apps' pages, filtered by who may read."""

from __future__ import annotations

from django import template
from django.db.models import QuerySet

from documents.models import Document
from documents.permissions import documents_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def group_documents(context: template.Context, group) -> QuerySet[Document]:
    """Published documents of a working group that the person viewing the page may read."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    return (
        documents_visible_to(user)
        .filter(status=Document.Status.PUBLISHED, working_groups=group)
        .order_by("-published_on", "-id")
    )
