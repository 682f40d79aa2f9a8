from django.contrib import admin

from .models import Analyst, Consultation


class AnalystInline(admin.TabularInline):
    model = Analyst
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "opens_at", "closes_at"]
    list_filter = ["process"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [AnalystInline]
