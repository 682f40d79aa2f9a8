"""Document pages. Thin: every lookup starts from `documents_visible_to(request.user)`
(so what you may not read is a 404), every write is a service in services.py."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from policyhub.generic import AccessMixin, ServiceFormView, deny
from policyhub.markup import render_markdown
from policyhub.models import AuditEntry
from policyhub.pagination import KeysFirstPaginator
from workinggroups.models import Task
from workinggroups.permissions import groups_visible_to

from . import permissions, services
from .filters import DocumentFilter
from .forms import (
    DocumentForm,
    EvidenceForm,
    FileUploadForm,
    LiftRestrictionForm,
    RestrictionForm,
    ReviewRestrictionForm,
    ShareForm,
    WithdrawForm,
)
from .models import (
    Document,
    DocumentFile,
    DocumentVersion,
    Evidence,
    Organisation,
    Restriction,
)
from .permissions import documents_visible_to
from .uploads import FILE_TYPES

PAGE_SIZE = 20
# The columns a list of results reads: headings (document_result.html), summaries or search
# passages (the body), and the newest update for "last updated".
RESULT_FIELDS = ("title", "slug", "summary", "body", "kind", "status", "published_on", "updated_at")


def _visible_document(request: HttpRequest, slug: str) -> Document:
    """404, not 403: a document you may not read does not exist for you."""
    return get_object_or_404(documents_visible_to(request.user), slug=slug)


# --- Reading ----------------------------------------------------------------------------------


class DocumentListView(FilterView):
    """Published documents the viewer may read, newest first, with filters and search."""

    filterset_class = DocumentFilter
    template_name = "documents/document_list.html"
    paginate_by = PAGE_SIZE
    paginator_class = KeysFirstPaginator  # page 250 of the archive reads 20 rows, not 5,000
    strict = False  # a filter that does not validate is reported next to it and ignored

    def get_queryset(self) -> QuerySet[Document]:
        visible = permissions.documents_visible_to_with_access(self.request.user)
        # Published by default; editors may ask for their drafts or withdrawn documents
        # through the status filter (still within what they may see).
        wanted = self.request.GET.get("status", "")
        if not (wanted in Document.Status.values and permissions.can_create(self.request.user)):
            visible = visible.filter(status=Document.Status.PUBLISHED)
        documents = visible.only(*RESULT_FIELDS).order_by("-published_on", "-id")
        if not self.query:
            documents = documents.defer("body")  # read only to find a search's passage
        return documents.prefetch_related(
            Prefetch("organisations", Organisation.objects.only("name"), to_attr="authors")
        )

    def get_filterset_kwargs(self, filterset_class: type[DocumentFilter]) -> dict[str, Any]:
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    @cached_property
    def query(self) -> str:
        """What was searched for, as the search box cleans it (spaces stripped)."""
        return self.request.GET.get("q", "").strip()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        documents = context["object_list"]
        if self.query:
            results = services.search_results(documents, self.query)
        else:
            results = [(document, "") for document in documents]
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(
            results=results,
            query=self.query,
            query_string=params.urlencode(),
            can_create=permissions.can_create(self.request.user),
            last_updated=max((d.updated_at for d, _ in results), default=None),
        )
        return context


class DocumentDetailView(DetailView):
    """Summary first, then what it is for, where it sits, files, versions, related work."""

    template_name = "documents/document_detail.html"
    context_object_name = "document"

    def get_queryset(self) -> QuerySet[Document]:
        return documents_visible_to(self.request.user).select_related("process", "step")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        document: Document = self.object
        user = self.request.user
        context.update(
            details=DocumentDetails(document),
            kind_purpose=KIND_PURPOSES.get(document.kind, ""),
            can_edit=permissions.can_edit(user, document),
            can_publish=permissions.can_publish(user, document),
            can_withdraw=permissions.can_withdraw(user, document),
            can_attach=permissions.can_attach_files(user, document),
            can_restrict=permissions.can_restrict(user, document),
            can_share=permissions.can_share(user, document),
            last_updated=document.updated_at,
        )
        return context


class DocumentDetails:
    """What a document's page shows beyond its row, each read once and only if shown."""

    def __init__(self, document: Document):
        self.document = document

    @cached_property
    def versions(self) -> list[DocumentVersion]:
        return list(
            self.document.versions.only("id", "document_id", "number", "change_note", "created_at")
        )

    @cached_property
    def files(self) -> list[DocumentFile]:
        return list(self.document.files.defer("text"))  # the extracted text can be long

    @cached_property
    def restriction(self) -> Restriction | None:
        return self.document.restrictions.filter(lifted_at=None).first()

    @cached_property
    def compare_url(self) -> str | None:
        if len(self.versions) < 2:
            return None
        return reverse(
            "documents:compare",
            kwargs={
                "slug": self.document.slug,
                "older": self.versions[1].number,
                "newer": self.versions[0].number,
            },
        )


KIND_PURPOSES = {
    "policy_paper": "A policy paper sets out proposals and the evidence for them.",
    "white_paper": "A white paper sets out the government's proposals for future legislation.",
    "working_paper": "A working paper records a working group's thinking as it develops.",
    "evidence": "Evidence the groups used to understand barriers, risks and public views.",
    "terms_of_reference": "Terms of reference say how everyone taking part agrees to work.",
    "meeting_papers": "Papers for a meeting: the agenda, notes or material discussed.",
    "consultation_document": "A consultation document asks the public for their views.",
    "report": "A report records findings or recommendations.",
    "correspondence": "Letters and messages exchanged during the process.",
}


@require_safe
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """An earlier version, readable as it was."""
    document = _visible_document(request, slug)
    version = get_object_or_404(document.versions, number=number)
    latest = document.versions.order_by("-number").values_list("number", flat=True).first()
    return render(
        request,
        "documents/version_detail.html",
        {
            "document": document,
            "version": version,
            "is_latest": version.number == latest,
            "last_updated": version.created_at,
        },
    )


@require_safe
def compare_versions(request: HttpRequest, slug: str, older: int, newer: int) -> HttpResponse:
    """What changed between two versions, line by line."""
    document = _visible_document(request, slug)
    versions = {v.number: v for v in document.versions.filter(number__in=[older, newer])}
    if older not in versions or newer not in versions:
        raise Http404("No such version.")
    if older > newer:
        return redirect("documents:compare", slug=slug, older=newer, newer=older)
    lines = services.compare_versions(versions[older], versions[newer])
    return render(
        request,
        "documents/version_compare.html",
        {
            "document": document,
            "older": versions[older],
            "newer": versions[newer],
            "lines": lines,
            "has_changes": any(line.change != "same" for line in lines),
            "last_updated": versions[newer].created_at,
        },
    )


@require_safe
def download_file(request: HttpRequest, slug: str, pk: int, filename: str) -> HttpResponse:
    """Every download comes here and is checked now, so a link handed out before a
    restriction stops working the moment the document is restricted. Never a redirect to
    a public or long-lived file URL.

    Files in a bucket (MEDIA_STORAGE=s3) are streamed through here too, rather than
    answered with a redirect to a presigned URL: the bucket's address and a URL that
    works for anyone who holds it never leave the server."""
    document = _visible_document(request, slug)
    attached = get_object_or_404(document.files, pk=pk)
    file_type = FILE_TYPES.get(attached.file_type)
    content_type = file_type.content_type if file_type else "application/octet-stream"
    mode = getattr(settings, "DOCUMENTS_FILE_SERVING", "django")
    on_local_disk = getattr(settings, "MEDIA_STORAGE", "filesystem") == "filesystem"
    if on_local_disk and mode in {"x-accel-redirect", "x-sendfile"}:
        response = HttpResponse(content_type=content_type)
        if mode == "x-accel-redirect":
            prefix = getattr(settings, "DOCUMENTS_X_ACCEL_PREFIX", "/protected-files/")
            response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + attached.file.name
        else:
            response["X-Sendfile"] = attached.file.path
        response["Content-Disposition"] = f'attachment; filename="{attached.name}"'
    else:
        response = FileResponse(
            attached.file.open("rb"),
            as_attachment=True,
            filename=attached.name,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # frame-ancestors does not fall back to default-src, so it is named.
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    return response


class RestrictionRegisterView(ListView):
    """The public register: what is withheld and why. The deliberate exception to 404:
    the case for withholding is public, the content never is."""

    template_name = "documents/restriction_register.html"
    paginate_by = 50
    queryset = Restriction.objects.select_related("document").order_by(
        "lifted_at", "-restricted_at"
    )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        # A row links to its document only for a reader who may open it now: the public
        # reach a document once its restriction is lifted (and it is published), never
        # while it is withheld.
        readable = set(
            documents_visible_to(self.request.user)
            .filter(pk__in=[r.document_id for r in rows])
            .values_list("pk", flat=True)
        )
        for restriction in rows:
            restriction.is_readable = restriction.document_id in readable
        context["active"] = [r for r in rows if r.is_active]
        context["lifted"] = [r for r in rows if not r.is_active]
        context["last_updated"] = max((r.updated_at for r in rows), default=None)
        return context


class LatestDocumentsFeed(Feed):
    """Atom feed of published documents. Always the public's view: feed readers share
    what they fetch, so a signed-in reader's access must not leak into it."""

    feed_type = Atom1Feed
    title = "PolicyHub: newly published documents"
    subtitle = "Documents of the open policy process, newest first."

    def link(self) -> str:
        return reverse("documents:list")

    def items(self) -> QuerySet[Document]:
        from django.contrib.auth.models import AnonymousUser

        return (
            documents_visible_to(AnonymousUser())
            .filter(status=Document.Status.PUBLISHED)
            .order_by("-published_on", "-id")[:30]
        )

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        return render_markdown(item.summary)

    def item_pubdate(self, item: Document):
        from datetime import datetime, time

        from django.utils import timezone

        return timezone.make_aware(datetime.combine(item.published_on, time(9)))

    def item_updateddate(self, item: Document):
        return item.updated_at


# --- Writing ----------------------------------------------------------------------------------


class DocumentFormView(ServiceFormView):
    """A question page about one document, on the shared form page: the document's title as
    the caption, back to the document when done or cancelled."""

    # A restricted document is a 404 to most people: signed-out people are asked to sign in
    # before it is looked up, so the sign-in page never depends on whether it exists.
    sign_in_required = True

    def load(self) -> None:
        self.document = _visible_document(self.request, self.kwargs["slug"])

    def nothing_to_do(self) -> str:
        """Why there is nothing to ask any more (say, a second click on "Lift"), as a
        sentence shown on the document's page instead of the form; "" when there is."""
        return ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._back_if_done() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._back_if_done() or super().post(request, *args, **kwargs)

    def _back_if_done(self) -> HttpResponse | None:
        message = self.nothing_to_do()
        if not message:
            return None
        messages.info(self.request, message)
        return redirect(self.document)

    def get_success_url(self) -> str:
        return self.document.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(document=self.document, caption=self.document.title)
        return context


def _editor_form_kwargs(user: Any) -> dict[str, Any]:
    """A convenor is offered only the groups they convene; the secretariat every group."""
    if permissions.roles.is_secretariat(user):
        return {}
    return {"groups": permissions.groups_convened_by(user)}


class DocumentCreateView(ServiceFormView):
    form_class = DocumentForm
    template_name = "documents/document_form.html"
    page_title = "Add a document"
    submit_label = "Save draft"
    success_message = "The draft has been saved. Publish it when it is ready."
    intro = "The document is saved as a draft. Nobody else can read it until you publish it."
    sign_in_required = True

    def allowed(self) -> bool:
        return permissions.can_create(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), **_editor_form_kwargs(self.request.user)}

    def perform(self, form: Form) -> Document:
        return services.create_document(by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        if hasattr(self, "result"):
            return self.result.get_absolute_url()
        return reverse("documents:list")


class DocumentUpdateView(DocumentFormView):
    form_class = DocumentForm
    template_name = "documents/document_form.html"
    page_title = "Edit the document"
    submit_label = "Save changes"
    success_message = "Your changes have been saved."

    def allowed(self) -> bool:
        return permissions.can_edit(self.request.user, self.document)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            **_editor_form_kwargs(self.request.user),
            "document": self.document,
        }

    def get_initial(self) -> dict[str, Any]:
        doc = self.document
        return {
            "process": doc.process_id,
            "title": doc.title,
            "summary": doc.summary,
            "body": doc.body,
            "kind": doc.kind,
            "step": doc.step_id,
            "working_groups": list(doc.working_groups.all()),
            "meetings": list(doc.meetings.all()),
            "organisations": list(doc.organisations.all()),
        }

    def perform(self, form: Form) -> Document:
        data = dict(form.cleaned_data)
        change_note = data.pop("change_note", "")
        if not permissions.roles.is_secretariat(self.request.user):
            # A convenor only sees their own groups in the form; keep the others' links.
            convened = permissions.groups_convened_by(self.request.user)
            others = self.document.working_groups.exclude(pk__in=convened.values("pk"))
            data["working_groups"] = [*data["working_groups"], *others]
        return services.update_document(
            self.document, by=self.request.user, change_note=change_note, **data
        )


@login_required
@require_POST
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    document = _visible_document(request, slug)
    if document.status == Document.Status.PUBLISHED and permissions.can_edit(
        request.user, document
    ):
        # A second click on "Publish": already done, nothing to do twice.
        return redirect(document)
    if not permissions.can_publish(request.user, document):
        return deny(request)
    try:
        services.publish_document(document, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(request, "The document has been published. Anyone can now read it.")
    return redirect(document)


class WithdrawView(DocumentFormView):
    form_class = WithdrawForm
    page_title = "Withdraw the document"
    submit_label = "Withdraw document"
    success_message = "The document has been withdrawn. It stays readable with your reason."
    intro = (
        "A withdrawn document stays readable, marked as withdrawn with your reason, so the "
        "record of the process stays complete."
    )
    warning = True

    def allowed(self) -> bool:
        return permissions.can_withdraw(self.request.user, self.document)

    def perform(self, form: Form) -> Document:
        return services.withdraw_document(
            self.document, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class AddFileView(DocumentFormView):
    form_class = FileUploadForm
    page_title = "Attach a file"
    submit_label = "Attach file"
    success_message = "The file has been attached."
    intro = (
        "Readers download files through this service, which checks each time that they may "
        "read the document."
    )

    def allowed(self) -> bool:
        return permissions.can_attach_files(self.request.user, self.document)

    def perform(self, form: Form) -> DocumentFile:
        return services.attach_file(
            self.document, by=self.request.user, upload=form.cleaned_data["file"]
        )


@login_required
@require_POST
def remove_file(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    document = _visible_document(request, slug)
    if not permissions.can_attach_files(request.user, document):
        return deny(request)
    attached = document.files.filter(pk=pk).first()
    if attached is None:
        # Already removed (a second click): nothing left to do.
        return redirect(document)
    services.remove_file(attached, by=request.user)
    messages.success(request, f"{attached.name} has been removed.")
    return redirect(document)


class RestrictView(DocumentFormView):
    form_class = RestrictionForm
    template_name = "documents/restriction_form.html"
    page_title = "Restrict access to the document"
    submit_label = "Restrict document"
    success_message = "The document is now restricted and listed on the public register."
    warning = True

    def allowed(self) -> bool:
        return permissions.can_restrict(self.request.user, self.document)

    def nothing_to_do(self) -> str:
        if self.document.restrictions.active().exists():
            return "This document is already restricted."
        return ""

    def perform(self, form: Form) -> Restriction:
        return services.restrict_document(self.document, by=self.request.user, **form.cleaned_data)


class RestrictionFormView(DocumentFormView):
    """A page about the document's restriction in force, which it shows."""

    def load(self) -> None:
        super().load()
        self.restriction = self.document.restrictions.active().first()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(restriction=self.restriction, **kwargs)


class LiftView(RestrictionFormView):
    form_class = LiftRestrictionForm
    template_name = "documents/lift_form.html"
    page_title = "Lift the restriction"
    submit_label = "Lift restriction"
    success_message = "The restriction has been lifted. Anyone can now read the document."

    def allowed(self) -> bool:
        return permissions.can_lift_restriction(self.request.user, self.document)

    def nothing_to_do(self) -> str:
        if self.restriction is None:
            return "This document is open: there is no restriction to lift."
        return ""

    def perform(self, form: Form) -> Restriction:
        return services.lift_restriction(
            self.document, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class ReviewView(RestrictionFormView):
    form_class = ReviewRestrictionForm
    template_name = "documents/review_form.html"
    page_title = "Review the restriction"
    submit_label = "Keep restricted until the next review"
    success_message = "The restriction has been reviewed and stays in place until the next review."

    def allowed(self) -> bool:
        return permissions.can_restrict(self.request.user, self.document)

    def nothing_to_do(self) -> str:
        if self.restriction is None:
            return "This document is open: there is no restriction to review."
        return ""

    def get_initial(self) -> dict[str, Any]:
        return {"justification": self.restriction.justification}

    def perform(self, form: Form) -> Restriction:
        return services.review_restriction(
            self.restriction, by=self.request.user, **form.cleaned_data
        )


class ShareView(DocumentFormView):
    form_class = ShareForm
    page_title = "Choose who the document is shared with"
    submit_label = "Save sharing"
    success_message = "Sharing has been updated."
    intro = (
        "While the document is restricted, the secretariat and the people and working "
        "groups chosen here can read it. Sharing does nothing while the document is open."
    )

    def allowed(self) -> bool:
        return permissions.can_share(self.request.user, self.document)

    def get_initial(self) -> dict[str, Any]:
        return {
            "people": "\n".join(self.document.shared_with_people.values_list("email", flat=True)),
            "groups": list(self.document.shared_with_groups.all()),
        }

    def perform(self, form: Form) -> Document:
        data = form.cleaned_data
        return services.share_document(
            self.document, by=self.request.user, people=data["people"], groups=data["groups"]
        )


# --- Evidence for a working group's workplan -------------------------------------------------


def _task(request: HttpRequest, slug: str, position: int) -> Task:
    """The workplan task named in the URL (every group's workplan is public)."""
    return get_object_or_404(
        Task.objects.select_related("group").filter(group__in=groups_visible_to(request.user)),
        group__slug=slug,
        position=position,
    )


class AddEvidenceView(ServiceFormView):
    form_class = EvidenceForm
    page_title = "Add evidence"
    submit_label = "Add evidence"
    success_message = "The evidence has been added to the task."

    def load(self) -> None:
        self.task = _task(self.request, self.kwargs["slug"], self.kwargs["position"])

    def allowed(self) -> bool:
        return permissions.can_gather_evidence(self.request.user, self.task)

    def get_form_kwargs(self) -> dict[str, Any]:
        # Only documents this person may read are offered, or a title could leak.
        readable = documents_visible_to(self.request.user).filter(
            process=self.task.group.process_id
        )
        return {**super().get_form_kwargs(), "documents": readable}

    def perform(self, form: Form) -> Evidence:
        return services.add_evidence(self.task, by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return self.task.get_absolute_url()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.task.title
        return context


@require_POST
def remove_evidence(request: HttpRequest, slug: str, position: int, pk: int) -> HttpResponse:
    task = _task(request, slug, position)
    if not permissions.can_gather_evidence(request.user, task):
        return deny(request)
    evidence = get_object_or_404(permissions.evidence_visible_to(request.user, task), pk=pk)
    services.remove_evidence(evidence, by=request.user)
    messages.success(request, "The evidence has been removed from the task.")
    return redirect(task.get_absolute_url())


# --- The access log ---------------------------------------------------------------------------


# Each change of access the log lists, in the words the log shows for it.
ACCESS_ACTIONS = {
    "documents.restricted": "Restricted",
    "documents.restriction_reviewed": "Restriction reviewed and kept",
    "documents.restriction_lifted": "Restriction lifted",
    "documents.sharing_changed": "Sharing changed",
}
ACCESS_STATES = {"open": "Open to everyone", "restricted": "Restricted"}


def describe_access(access: Any) -> str:
    """Who could read a document, as the log's payload records it ("open", "restricted",
    or the people and groups it was shared with), in words."""
    if isinstance(access, dict):
        parts = [
            f"{label}: {', '.join(access.get(key) or []) or 'none'}"
            for key, label in (("people", "People"), ("groups", "Working groups"))
        ]
        return "; ".join(parts)
    return ACCESS_STATES.get(access, str(access or ""))


class AccessLogView(AccessMixin, ListView):
    """Every change of access, newest first, for the secretariat. Read-only: nothing in the
    application edits or deletes an audit entry."""

    template_name = "documents/access_log.html"
    paginate_by = 50

    def allowed(self) -> bool:
        return permissions.can_view_access_log(self.request.user)

    def get_queryset(self) -> QuerySet[AuditEntry]:
        entries = AuditEntry.objects.filter(action__in=ACCESS_ACTIONS).select_related("actor")
        self.action = self.request.GET.get("action", "")
        self.document_query = self.request.GET.get("document", "").strip()
        if self.action in ACCESS_ACTIONS:
            entries = entries.filter(action=self.action)
        if self.document_query:
            entries = entries.filter(target_repr__icontains=self.document_query)
        return entries

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        for entry in context["object_list"]:
            entry.change = ACCESS_ACTIONS[entry.action]
            entry.access_from = describe_access(entry.payload.get("access_from"))
            entry.access_to = describe_access(entry.payload.get("access_to"))
        context.update(
            actions=list(ACCESS_ACTIONS.items()),
            action=self.action,
            document_query=self.document_query,
            query_string=params.urlencode(),
        )
        return context
