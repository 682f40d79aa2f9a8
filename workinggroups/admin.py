from django.contrib import admin

from .models import Membership, WorkingGroup


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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "joined_at"]
    list_filter = ["role", "group"]
    search_fields = ["user__display_name", "user__email", "group__name"]
    autocomplete_fields = ["user"]
