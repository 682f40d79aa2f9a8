from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from policyhub.admin import ReadOnlyAdmin, SiteRulesMixin

from . import services
from .models import (
    AgreementRecord,
    Alternative,
    Concern,
    DefaultTask,
    JoinRequest,
    Membership,
    Proposal,
    Signatory,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)
from .permissions import concerns_visible_to, join_requests_visible_to, proposals_visible_to


class VisibleProposalsMixin:
    """Alternatives, agreement records and sign-offs belong to a proposal: shown with it
    (a draft's to the group's members and the secretariat)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = proposals_visible_to(request.user)
        return super().get_queryset(request).filter(proposal__in=visible)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "process", "step", "status", "updated_at"]
    list_filter = ["process", "status"]
    search_fields = ["name", "purpose", "scope"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change) -> None:
        """A group added here gets the default workplan too, as one made by the service."""
        super().save_model(request, obj, form, change)
        if not change:
            services.add_default_tasks(obj)


@admin.register(Membership)
class MembershipAdmin(SiteRulesMixin, admin.ModelAdmin):
    list_display = ["user", "group", "role", "joined_at"]
    list_filter = ["role", "group"]
    search_fields = ["user__display_name", "user__email", "group__name"]
    autocomplete_fields = ["user"]


@admin.register(JoinRequest)
class JoinRequestAdmin(SiteRulesMixin, admin.ModelAdmin):
    list_display = ["user", "group", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "group"]
    search_fields = ["user__display_name", "user__email", "group__name", "statement"]
    autocomplete_fields = ["user", "decided_by"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[JoinRequest]:
        """A statement is for the person who made it and those who decide it."""
        visible = join_requests_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))


@admin.register(DefaultTask)
class DefaultTaskAdmin(admin.ModelAdmin):
    list_display = ["position", "title", "hint", "updated_at"]
    list_filter = ["updated_at"]
    search_fields = ["title", "hint"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["position", "title", "group", "status", "updated_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "summary", "group__name"]


class AlternativeInline(admin.StackedInline):
    model = Alternative
    extra = 0


class SignOffInline(admin.TabularInline):
    model = SignOff
    extra = 0


class AgreementRecordInline(admin.TabularInline):
    """History is append-only: shown, never edited here."""

    model = AgreementRecord
    extra = 0
    readonly_fields = ["level", "previous_level", "meeting", "note", "recorded_by", "recorded_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "status", "agreement_level", "updated_at"]
    list_filter = ["status", "agreement_level", "group"]
    search_fields = ["title", "problem", "conditions", "safeguards"]
    readonly_fields = ["agreement_level"]
    inlines = [AlternativeInline, SignOffInline, AgreementRecordInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        """A draft is for the group's members and the secretariat, in the admin too."""
        visible = proposals_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))


@admin.register(Alternative)
class AlternativeAdmin(VisibleProposalsMixin, admin.ModelAdmin):
    list_display = ["title", "proposal", "updated_at"]
    list_filter = ["proposal__group"]
    search_fields = ["title", "text", "pros", "cons"]


@admin.register(AgreementRecord)
class AgreementRecordAdmin(VisibleProposalsMixin, ReadOnlyAdmin):
    """How far a group agreed, and when: a record, written by the agreement service."""

    list_display = ["proposal", "level", "previous_level", "meeting", "recorded_by", "recorded_at"]
    list_filter = ["level", "proposal__group"]
    search_fields = ["proposal__title", "note"]


@admin.register(SignOff)
class SignOffAdmin(VisibleProposalsMixin, admin.ModelAdmin):
    list_display = ["proposal", "track", "state", "recorded_by", "recorded_at"]
    list_filter = ["track", "state"]
    search_fields = ["proposal__title", "reasons"]


@admin.register(Signatory)
class SignatoryAdmin(SiteRulesMixin, admin.ModelAdmin):
    """Who records each sign-off track. Appointed and removed through the services, so
    every change of who may write a track's view is audited."""

    list_display = ["user", "track", "note", "appointed_at"]
    list_filter = ["track"]
    search_fields = ["user__display_name", "user__email", "note"]
    autocomplete_fields = ["user"]
    readonly_fields = ["appointed_at"]

    def get_readonly_fields(self, request, obj: Signatory | None = None) -> list[str]:
        """Who and which track are fixed once appointed: a change is a removal and a new
        appointment, each audited. Only the note may be edited."""
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "user", "track"]

    def save_model(self, request, obj: Signatory, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            obj.pk = services.appoint_signatory(
                obj.track, user=obj.user, note=obj.note, by=request.user
            ).pk

    def delete_model(self, request, obj: Signatory) -> None:
        services.remove_signatory(obj, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for signatory in queryset.select_related("user"):
            services.remove_signatory(signatory, by=request.user)


@admin.register(WiderIssue)
class WiderIssueAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "status", "created_at", "decided_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "description", "note"]


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "status", "raised_by", "created_at"]
    list_filter = ["status", "group"]
    search_fields = ["title", "description", "outcome"]
    filter_horizontal = ["mediators"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Concern]:
        """Concerns are not public: a staff account sees only those it may see on the site."""
        return super().get_queryset(request).filter(pk__in=concerns_visible_to(request.user))
