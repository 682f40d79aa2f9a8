from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import services
from .models import AuditEntry, SecretariatMember, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that are history (audit entries, agreement records, published versions):
    services write them, and the admin shows them without offering to add, edit or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "sector", "is_active", "last_login"]
    list_filter = ["sector", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name", "organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "organisation", "sector"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]})
    ]
    # What grants rights in the admin. Only a superuser may change it: staff allowed to edit
    # people could otherwise make themselves (or anyone) a superuser, or join a group that
    # holds more permissions than they were given.
    access_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += self.access_fields
        return readonly

    def _kept_from(self, request, person: User) -> bool:
        """Whether this account is beyond `request.user`: one that holds rights (staff,
        superuser or secretariat, active or not) may be changed or deleted only by a
        superuser, since a new email address or password would hand its rights over. People's
        own accounts stay theirs to edit (their access fields are read-only). The list's
        "delete selected" asks `has_delete_permission` about each account, so it is covered."""
        if request.user.is_superuser or person.pk == request.user.pk:
            return False
        return (
            person.is_staff
            or person.is_superuser
            or SecretariatMember.objects.filter(user_id=person.pk).exists()
        )

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and self._kept_from(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and self._kept_from(request, obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SecretariatMember)
class SecretariatMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "added_at", "note"]
    readonly_fields = ["added_at"]
    search_fields = ["user__email", "user__display_name"]
    autocomplete_fields = ["user"]

    def save_model(self, request, obj: SecretariatMember, form, change: bool) -> None:
        """Grants go through the service so they are audited."""
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.add_to_secretariat(obj.user, note=obj.note, by=request.user)

    def delete_model(self, request, obj: SecretariatMember) -> None:
        services.remove_from_secretariat(obj.user, by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for member in queryset.select_related("user"):
            services.remove_from_secretariat(member.user, by=request.user)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, written by services."""

    list_display = ["created_at", "action", "actor", "target_repr"]
    list_filter = ["action"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "created_at"
