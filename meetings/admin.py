from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from policyhub.admin import HIDDEN, ReadOnlyAdmin, SiteRulesMixin, sees_everything

from .models import (
    Action,
    Attendee,
    CalendarToken,
    FindingOverride,
    Meeting,
    MeetingRevision,
    Notes,
    NotesVersion,
    Registration,
    ReminderOptOut,
    SentReminder,
)
from .permissions import (
    actions_visible_to,
    can_manage,
    can_see_remote_details,
    drafts_visible_to,
    registrations_visible_to,
)


class DraftNotesMixin:
    """The draft of the notes (its words, attendance record, and the checker's overrides
    that quote it) is for the meeting's convenors and the secretariat, in the admin too,
    even once a version is published: the draft may hold the next correction. What readers
    see is in NotesVersion."""

    notes_field = "notes"

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = drafts_visible_to(request.user)
        return super().get_queryset(request).filter(**{f"{self.notes_field}__in": visible})


class RevisionInline(admin.TabularInline):
    model = MeetingRevision
    extra = 0
    readonly_fields = [
        "previous_starts_at",
        "previous_ends_at",
        "previous_venue",
        "previous_region",
        "reason",
        "changed_at",
        "changed_by",
    ]
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "starts_at", "region", "status", "capacity"]
    list_filter = ["process", "working_group", "region", "status", "has_remote_participation"]
    search_fields = ["title", "venue", "address"]
    date_hierarchy = "starts_at"
    inlines = [RevisionInline]
    readonly_fields = ["sequence", "announced_at", "cancelled_at"]
    # Like the site's form: a joining link typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    remote_details = ["joining_link", "dial_in"]

    def get_exclude(self, request: HttpRequest, obj: Meeting | None = None) -> list[str]:
        """The joining details are for registered attendees and the meeting's managers, as
        on the meeting's page."""
        excluded = list(super().get_exclude(request, obj) or ())
        if obj is None or sees_everything(request):
            return excluded
        user = request.user
        if can_manage(user, obj) or can_see_remote_details(user, obj):
            return excluded
        return excluded + self.remote_details


@admin.register(MeetingRevision)
class MeetingRevisionAdmin(ReadOnlyAdmin):
    """Why and when a meeting moved: a record, written by the rescheduling service."""

    list_display = ["meeting", "previous_starts_at", "changed_at", "changed_by"]
    list_filter = ["changed_at"]
    search_fields = ["meeting__title", "reason"]


@admin.register(Registration)
class RegistrationAdmin(SiteRulesMixin, admin.ModelAdmin):
    list_display = ["meeting", "user", "mode", "status", "waiting_since", "created_at"]
    list_filter = ["mode", "status"]
    search_fields = ["meeting__title", "user__display_name", "user__email"]
    raw_id_fields = ["meeting", "user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        """Who comes to a meeting is for its managers; others see their own."""
        visible = registrations_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Notes)
class NotesAdmin(DraftNotesMixin, admin.ModelAdmin):
    notes_field = "pk"
    list_display = ["meeting", "updated_at"]
    list_filter = ["meeting__process"]
    search_fields = ["meeting__title", "summary"]
    inlines = [AttendeeInline]


@admin.register(NotesVersion)
class NotesVersionAdmin(ReadOnlyAdmin):
    """What was published, version by version: changed only by publishing a new version,
    or erased by withdrawing it (on the site, where the reason is asked for)."""

    list_display = ["notes", "number", "published_at", "published_by", "withdrawn_at"]
    list_filter = ["published_at", "withdrawal_reason"]
    search_fields = ["notes__meeting__title", "change_note"]


@admin.register(Attendee)
class AttendeeAdmin(DraftNotesMixin, admin.ModelAdmin):
    list_display = ["name", "organisation", "mode", "notes"]
    list_filter = ["mode"]
    search_fields = ["name", "organisation"]


@admin.register(FindingOverride)
class FindingOverrideAdmin(DraftNotesMixin, admin.ModelAdmin):
    list_display = ["notes", "matched", "created_by", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["matched", "sentence", "reason"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Actions as the draft holds them: one that no standing version has published is for
    the meeting's convenors and the secretariat, in the admin too."""

    list_display = ["description", "owner", "due_on", "status", "meeting"]
    list_filter = ["status", "meeting__working_group"]
    search_fields = ["description", "owner"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = actions_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))


@admin.register(CalendarToken)
class CalendarTokenAdmin(SiteRulesMixin, admin.ModelAdmin):
    """The token is the key to someone's private feed (and so to the joining links of the
    meetings they registered for): nobody reads it here. Revoking is on the site."""

    secretariat_only = True
    secret_fields = ["token"]
    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email", "user__display_name"]
    readonly_fields = ["token_hidden"]

    @admin.display(description="token")
    def token_hidden(self, obj: CalendarToken) -> str:
        return HIDDEN


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(SiteRulesMixin, admin.ModelAdmin):
    """Each person chooses on the site; here, only the secretariat sees who chose what."""

    secretariat_only = True
    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email", "user__display_name"]


@admin.register(SentReminder)
class SentReminderAdmin(SiteRulesMixin, admin.ModelAdmin):
    """Who was reminded of which meeting: the secretariat's to check, nobody's to claim."""

    secretariat_only = True
    secret_fields = ["claim_token"]
    list_display = ["meeting", "user", "kind", "due_at", "claimed_at", "sent_at"]
    list_filter = ["kind", "sent_at"]
    search_fields = ["meeting__title", "user__email"]
    raw_id_fields = ["meeting", "user"]
