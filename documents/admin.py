"""Admin for documents. Every list starts from `documents_visible_to(request.user)`, so a
staff account that is not the secretariat never sees a restricted document here either.
Documents, versions, files and restrictions change only through the site's services
(which version and audit them), so they are read-only here."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpRequest
from django.utils import timezone

from policyhub.admin import ReadOnlyAdmin

from .models import Document, DocumentFile, DocumentVersion, Evidence, Organisation, Restriction
from .permissions import documents_visible_to


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["created_at"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ReviewDueFilter(admin.SimpleListFilter):
    """Flags restrictions whose review date has passed until the secretariat reviews them."""

    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", "Review due"), ("active", "Restricted now"), ("lifted", "Lifted")]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due()
        if self.value() == "active":
            return queryset.active()
        if self.value() == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


@admin.register(Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    list_display = ["document", "register_title", "restricted_at", "review_on", "review_due"]
    list_filter = [ReviewDueFilter, "restricted_at"]
    search_fields = ["document__title", "public_title", "justification"]
    list_select_related = ["document"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Restriction]:
        return super().get_queryset(request).filter(document__in=documents_visible_to(request.user))

    @admin.display(boolean=True, description="Review due")
    def review_due(self, obj: Restriction) -> bool:
        return obj.is_review_due(timezone.localdate())


class RestrictedByVisibilityMixin:
    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).filter(document__in=documents_visible_to(request.user))


@admin.register(DocumentVersion)
class DocumentVersionAdmin(RestrictedByVisibilityMixin, ReadOnlyAdmin):
    list_display = ["document", "number", "change_note", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["document__title", "change_note"]


@admin.register(DocumentFile)
class DocumentFileAdmin(RestrictedByVisibilityMixin, ReadOnlyAdmin):
    list_display = ["name", "document", "file_type", "size", "created_at"]
    list_filter = ["file_type"]
    search_fields = ["name", "document__title"]
    exclude = ["file", "text"]  # never a public media link


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """View-only: documents are written on the site, where every change is a service that
    versions and audits it."""

    list_display = ["title", "kind", "status", "published_on", "review_due", "updated_at"]
    list_filter = ["kind", "status", "process"]
    search_fields = ["title", "summary"]
    exclude = ["search_vector"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        due = Restriction.objects.review_due().filter(document=OuterRef("pk"))
        return documents_visible_to(request.user).annotate(is_review_due=Exists(due))

    def public_names(self, request: HttpRequest) -> QuerySet[Document]:
        """Restricted documents this person may not read, each with the name the public
        register gives it (`public_name`: the neutral title if one was set, else the title):
        how the audit log names them."""
        name = Coalesce(NullIf("public_title", Value("")), "document__title")
        active = Restriction.objects.active().filter(document=OuterRef("pk"))
        readable = documents_visible_to(request.user).values("pk")
        return (
            Document.objects.restricted()
            .exclude(pk__in=readable)
            .annotate(public_name=Subquery(active.annotate(name=name).values("name")[:1]))
        )

    @admin.display(boolean=True, description="Restriction review due", ordering="is_review_due")
    def review_due(self, obj: Document) -> bool:
        """Flagged from the review date until the secretariat reviews or lifts it."""
        return obj.is_review_due


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    """Evidence is edited here as on the site, but a link to a document the account may not
    read is left out, and only readable documents are offered, so no title leaks."""

    list_display = ["title", "task", "url", "document", "created_at"]
    list_filter = ["task__group"]
    search_fields = ["title", "url", "task__title"]
    list_select_related = ["task", "document"]
    # Like the site's forms: a link typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Evidence]:
        readable = documents_visible_to(request.user)
        return (
            super()
            .get_queryset(request)
            .filter(Q(document__isnull=True) | Q(document__in=readable))
        )

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "document":
            kwargs["queryset"] = documents_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
