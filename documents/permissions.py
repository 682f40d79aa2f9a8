"""The one place that decides who may see and change documents.

Every list, detail page, file download, version, comparison, search, feed, template
include and admin list starts from `documents_visible_to(user)`, so none of them can
disagree about a restricted document. Checks (`can_*`) decide which buttons and actions a
person gets. See docs/decisions/0301-documents-who-edits.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value

from policyhub import roles
from workinggroups.models import Membership, Task, WorkingGroup
from workinggroups.permissions import can_edit_workplan, convenes_any_group

from .models import Document, Evidence

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User

    AnyUser = User | AnonymousUser

READABLE_STATUSES = [Document.Status.PUBLISHED, Document.Status.WITHDRAWN]


def _convenes_a_related_group(user: AnyUser) -> Exists:
    return Exists(
        Membership.objects.filter(
            user_id=user.pk,
            role=Membership.Role.CONVENOR,
            group_id__in=Document.working_groups.through.objects.filter(
                document_id=OuterRef(OuterRef("pk"))
            ).values("workinggroup_id"),
        )
    )


def _shared_with(user: AnyUser) -> Q:
    """Shared with this person, or with a working group they belong to."""
    with_person = Exists(
        Document.shared_with_people.through.objects.filter(
            document_id=OuterRef("pk"), user_id=user.pk
        )
    )
    with_their_group = Exists(
        Document.shared_with_groups.through.objects.filter(
            document_id=OuterRef("pk"),
            workinggroup__memberships__user_id=user.pk,
        )
    )
    return Q(with_person) | Q(with_their_group)


def documents_visible_to(user: AnyUser) -> QuerySet[Document]:
    """Documents this person may read: body, files and versions alike.

    - secretariat (and superusers): everything, drafts and restricted documents included;
    - everyone: published and withdrawn documents that are not restricted;
    - convenors: also the drafts of the groups they convene;
    - people a restricted document is shared with (directly or through a group they are
      a member of): that document.
    Anything else is a 404 wherever it is asked for, never a 403 that confirms it exists.

    Most participants convene nothing and have nothing restricted shared with them: their
    query is then the public's, which the list's indexes serve (with the sharing and
    convening clauses in it, PostgreSQL read the whole archive to count a page).
    """
    documents = Document.objects.all()
    if roles.is_secretariat(user):
        return documents
    readable = Q(status__in=READABLE_STATUSES)
    unrestricted = ~Q(Document.objects.active_restriction_exists())
    if not roles.is_participant(user):
        return documents.filter(readable, unrestricted)
    if convenes_any_group(user):
        readable |= Q(_convenes_a_related_group(user))
    shared = restricted_documents_shared_with(user)
    if shared:
        unrestricted |= Q(pk__in=shared)
    return documents.filter(readable).filter(unrestricted)


def restricted_documents_shared_with(user: AnyUser) -> list[int]:
    """The restricted documents shared with this person, directly or through a working
    group they belong to (usually none), read once per request."""
    if "_shared_documents" not in user.__dict__:
        user.__dict__["_shared_documents"] = list(
            Document.objects.restricted().filter(_shared_with(user)).values_list("pk", flat=True)
        )
    return user.__dict__["_shared_documents"]


def documents_visible_to_with_access(user: AnyUser) -> QuerySet[Document]:
    """`documents_visible_to(user)`, each document carrying `is_restricted` (for the
    "Restricted" tag in lists). Nothing the public may read is restricted, so their
    documents carry a constant instead of a second subquery on restrictions."""
    if not roles.is_participant(user):
        return documents_visible_to(user).annotate(is_restricted=Value(False, BooleanField()))
    return documents_visible_to(user).with_access()


def can_create(user: AnyUser) -> bool:
    """The secretariat, and convenors (for the groups they convene)."""
    if roles.is_secretariat(user):
        return True
    return roles.is_participant(user) and convenes_any_group(user)


def groups_convened_by(user: AnyUser) -> QuerySet[WorkingGroup]:
    """Working groups whose documents this convenor may create and edit."""
    if not roles.is_participant(user):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(
        memberships__user_id=user.pk, memberships__role=Membership.Role.CONVENOR
    )


def can_edit(user: AnyUser, document: Document) -> bool:
    """The secretariat, or a convenor of one of the document's groups.

    Asked only of a document looked up through `documents_visible_to(user)`: every view
    finds the document there first, so one its group's convenor may not read (restricted,
    not shared with them) is a 404 before any action is weighed, and asking again here
    would only repeat that query for each button."""
    if roles.is_secretariat(user):
        return True
    if not roles.is_participant(user) or not convenes_any_group(user):
        return False  # most people convene nothing: no query per button
    return groups_convened_by(user).filter(documents=document).exists()


def can_publish(user: AnyUser, document: Document) -> bool:
    return document.status == Document.Status.DRAFT and can_edit(user, document)


def can_withdraw(user: AnyUser, document: Document) -> bool:
    return document.status == Document.Status.PUBLISHED and can_edit(user, document)


def can_attach_files(user: AnyUser, document: Document) -> bool:
    return document.status != Document.Status.WITHDRAWN and can_edit(user, document)


def can_restrict(user: AnyUser, document: Document) -> bool:
    """Restricting is the secretariat's decision alone, and needs a written case."""
    return roles.is_secretariat(user)


def can_lift_restriction(user: AnyUser, document: Document) -> bool:
    return roles.is_secretariat(user)


def can_share(user: AnyUser, document: Document) -> bool:
    """Choosing who may read a restricted document is part of restricting it."""
    return roles.is_secretariat(user)


def can_view_access_log(user: AnyUser) -> bool:
    return roles.is_secretariat(user)


def can_filter_by_access(user: AnyUser) -> bool:
    """Only the secretariat sees every document, so only they can ask for restricted ones."""
    return roles.is_secretariat(user)


# --- Evidence for the workplan --------------------------------------------------------------


def evidence_visible_to(user: AnyUser, task: Task) -> QuerySet[Evidence]:
    """A task's evidence, minus links to documents this person may not read: even the title
    of a restricted document is withheld."""
    return task.evidence.filter(
        Q(document__isnull=True) | Q(document__in=documents_visible_to(user))
    ).order_by("pk")


def can_gather_evidence(user: AnyUser, task: Task) -> bool:
    """Evidence is part of the workplan: whoever edits the workplan (the group's convenors
    and the secretariat) adds and removes it."""
    return can_edit_workplan(user, task.group)
