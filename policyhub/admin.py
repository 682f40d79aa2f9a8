"""The admin shows no more than the site would show the person using it.

Every ModelAdmin's rows start from its app's permission functions (`documents_visible_to`,
`concerns_visible_to`, ...), so a staff account outside the secretariat reads in the admin
only what it reads on the site. On top of rows, `SiteRulesMixin` withholds fields: secrets
(tokens, keys) from everyone, email addresses from all but the secretariat, and whole models
that hold only what each person sees of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.admin import EmailAddressAdmin as AllauthEmailAddressAdmin
from allauth.account.models import EmailAddress
from allauth.mfa.admin import AuthenticatorAdmin as AllauthAuthenticatorAdmin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Cast
from django.http import HttpRequest

from . import roles, services
from .models import AuditEntry, SecretariatMember, User

# What the admin shows in place of a value nobody may read there.
HIDDEN = "hidden"


def sees_everything(request: HttpRequest) -> bool:
    """The secretariat (superusers count as secretariat) runs the process and reads all of
    it on the site, so it reads all of it in the admin too, secrets apart."""
    return roles.is_secretariat(request.user)


def may_read_email_addresses(request: HttpRequest) -> bool:
    """The site shows nobody's email address (profiles are public, addresses never are).
    The secretariat looks after accounts and enters email responses, so reads them here."""
    return roles.is_secretariat(request.user)


def _is_email(name: Any) -> bool:
    return isinstance(name, str) and name.split("__")[-1] == "email"


def keys_of(rows: QuerySet) -> QuerySet:
    """Primary keys as text, to match the audit log's `target_id`."""
    return rows.order_by().annotate(_key=Cast("pk", CharField())).values("_key")


class SiteRulesMixin:
    """Field and model rules for a ModelAdmin whose model holds a secret, an email address,
    or only people's own things (its rows are its own `get_queryset`, from its app's
    permissions; tests/security/test_admin_withholds.py reads every admin page for both):

    - `secret_fields`: tokens and keys. Shown to nobody, superusers included: left out of
      forms, lists and search. A read-only display saying HIDDEN may stand in for one.
    - email addresses (a field, or a lookup, whose last part is `email`): shown only to
      those who may read them (`may_read_email_addresses`); left out of lists, search and
      change pages otherwise (an add form still asks for one: typing is not reading).
    - `secretariat_only`: the model holds only what each person manages of their own on
      the site (a calendar feed, reminder choices, email addresses): it is not in the
      admin of anyone outside the secretariat, who can neither list nor open its rows.
    """

    secret_fields: Sequence[str] = ()
    secretariat_only: bool = False

    def _withheld(self, request: HttpRequest, name: Any) -> bool:
        if name in self.secret_fields:
            return True
        return _is_email(name) and not may_read_email_addresses(request)

    def _shown(self, request: HttpRequest, names: Sequence[Any], obj: Model | None) -> list:
        shown = []
        for name in names:
            if isinstance(name, list | tuple):  # fields on one line
                name = type(name)(self._shown(request, name, obj))
            elif name in self.secret_fields:
                continue
            elif obj is not None and self._withheld(request, name):
                continue  # an add form still asks for an email address: typing is not reading
            shown.append(name)
        return shown

    def _outside(self, request: HttpRequest) -> bool:
        return self.secretariat_only and not sees_everything(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        return rows.none() if self._outside(request) else rows

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._outside(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return not self._outside(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return not self._outside(request) and super().has_change_permission(request, obj)

    def get_model_perms(self, request: HttpRequest) -> dict[str, bool]:
        """Not listed on the admin's index either, whatever else was granted."""
        perms = super().get_model_perms(request)
        return dict.fromkeys(perms, False) if self._outside(request) else perms

    # Deleting stays as granted: deleting a person deletes their own things with them, and
    # with no rows listed here, nothing else can be chosen for deletion.

    def get_list_display(self, request: HttpRequest) -> list:
        names = super().get_list_display(request)
        return [name for name in names if not self._withheld(request, name)]

    def get_search_fields(self, request: HttpRequest) -> list:
        # A search on a withheld field would confirm a guessed value by its results.
        names = super().get_search_fields(request)
        return [name for name in names if not self._withheld(request, name.lstrip("^=@"))]

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> list:
        excluded = list(super().get_exclude(request, obj) or ())
        fields = [field.name for field in self.model._meta.fields]
        shown = set(self._shown(request, fields, obj))
        return excluded + [name for name in fields if name not in shown]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list:
        return self._shown(request, super().get_readonly_fields(request, obj), obj)

    def get_fieldsets(self, request: HttpRequest, obj: Model | None = None) -> list:
        return [
            (name, {**options, "fields": self._shown(request, options["fields"], obj)})
            for name, options in super().get_fieldsets(request, obj)
        ]


class ReadOnlyAdmin(SiteRulesMixin, admin.ModelAdmin):
    """For records that are history (audit entries, agreement records, published versions):
    services write them, and the admin shows them without offering to add, edit or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(SiteRulesMixin, DjangoUserAdmin):
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
class SecretariatMemberAdmin(SiteRulesMixin, admin.ModelAdmin):
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


class EmailAddressAdmin(SiteRulesMixin, AllauthEmailAddressAdmin):
    """Each person manages their own addresses on the site; here, only the secretariat.
    allauth registers its own admin first (its app comes earlier), so this one replaces it."""

    secretariat_only = True


admin.site.unregister(EmailAddress)
admin.site.register(EmailAddress, EmailAddressAdmin)


class AuthenticatorAdmin(SiteRulesMixin, AllauthAuthenticatorAdmin):
    """Who has set up two-factor sign-in, and when it was last used: for the secretariat,
    who can delete one so that a person who lost their phone and their recovery codes can
    set up again. Nobody sees the secrets (the app's key, the recovery codes' seed), and
    nobody adds or edits one here: a person sets up their own on the site."""

    secret_fields = ("data",)
    secretariat_only = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        """No one edits one. Asked of the model as a whole, Django's answer stands: it
        decides where a deletion returns to (the list, not the admin's index)."""
        return obj is None and super().has_change_permission(request, obj)


admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuthenticatorAdmin)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, written by services.

    Outside the secretariat, an entry is listed when the site would show its target to the
    person (the target's ModelAdmin lists it), or when the site names the target publicly
    though it is withheld (a restricted document, under its title on the public register:
    see `public_names` on a ModelAdmin). The payload (reasons, file names, justifications,
    who was involved) is for the secretariat, who read the access log on the site."""

    list_display = ["created_at", "action", "actor", "target"]
    list_filter = ["action"]
    date_hierarchy = "created_at"

    def get_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list[str]:
        details = "payload" if sees_everything(request) else "details"
        return ["created_at", "action", "actor", "target_type", "target_id", "target", details]

    def get_readonly_fields(self, request: HttpRequest, obj: AuditEntry | None = None) -> list:
        return self.get_fields(request, obj)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        if sees_everything(request):
            return ["action", "target_repr", "actor__email"]
        # Searching the recorded names would confirm a withheld title by its results.
        return ["action"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        entries = super().get_queryset(request).select_related("actor", "target_type")
        if sees_everything(request):
            return entries.annotate(shown_as=F("target_repr"))
        readable = Q(target_type__isnull=True)
        named = Q(pk__in=[])
        names = []
        used = AuditEntry.objects.order_by().values("target_type").distinct()
        for content_type in ContentType.objects.filter(pk__in=used):
            model_admin = self.admin_site._registry.get(content_type.model_class())
            if model_admin is None:
                continue  # no admin decides who may see it: only the secretariat does
            is_type = Q(target_type=content_type)
            readable |= is_type & Q(target_id__in=keys_of(model_admin.get_queryset(request)))
            public_names = getattr(model_admin, "public_names", None)
            if public_names is None:
                continue
            withheld = public_names(request).annotate(_key=Cast("pk", CharField()))
            named |= is_type & Q(target_id__in=withheld.values("_key"))
            name = withheld.filter(_key=OuterRef("target_id")).values("public_name")[:1]
            names.append(When(is_type, then=Subquery(name)))
        shown_as = Case(When(readable, then=F("target_repr")), *names, default=Value(""))
        return entries.filter(readable | named).annotate(shown_as=shown_as)

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        """The entry, its name for the target replaced by what this person may read: the
        page's title and breadcrumbs show it (the admin never saves an entry)."""
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            entry.target_repr = entry.shown_as
        return entry

    @admin.display(description="target", ordering="shown_as")
    def target(self, entry: AuditEntry) -> str:
        """The name recorded with the entry, or a withheld target's public name (sorting
        goes by what is shown: an order by the recorded names would hint at them)."""
        return entry.shown_as

    @admin.display(description="details")
    def details(self, entry: AuditEntry) -> str:
        return HIDDEN
