from django.contrib import admin

from .models import Process, SectorEngagement, Step


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ["number", "title", "starts_on", "ends_on"]
    show_change_link = True


class SectorEngagementInline(admin.TabularInline):
    model = SectorEngagement
    extra = 0


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_on", "ends_on", "updated_at"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [StepInline, SectorEngagementInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["__str__", "process", "starts_on", "ends_on"]
    list_filter = ["process"]
    search_fields = ["title", "summary"]
