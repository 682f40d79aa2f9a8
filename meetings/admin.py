from django.contrib import admin

from .models import Meeting


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "working_group", "starts_at", "ends_at"]
    list_filter = ["process", "working_group"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
