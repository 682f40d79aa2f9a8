from django.contrib import admin

from .models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "updated_at"]
    list_filter = ["process"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
