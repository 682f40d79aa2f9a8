"""Project-wide views: health and readiness checks, one's own profile, the accessibility
statement, cookies and privacy pages, and the error pages."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, UpdateView

from . import health, statements, your_data
from .forms import DeleteAccountForm, ProfileForm
from .generic import AccessMixin, ServiceFormView
from .models import User

# What the database driver raises while the server is down or restarting.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and the benchmark's floor: one trivial query, nothing rendered."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """For orchestrators and monitoring: 200 when every dependency and the background work
    answer, 503 naming what failed. Public, like /healthz, so it says only a check's name
    and a short reason (policyhub/health.py)."""
    checks = health.readiness()
    ready = all(outcome == health.OK for outcome in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "error", "checks": checks}, status=200 if ready else 503
    )


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    """A person edits their own public profile (never anyone else's: no id in the URL)."""

    model = User
    form_class = ProfileForm
    template_name = "account/profile.html"
    success_url = reverse_lazy("profile")

    def get_object(self, queryset=None) -> User:
        return self.request.user

    def form_valid(self, form: ProfileForm) -> HttpResponse:
        messages.success(self.request, "Your profile has been updated.")
        return super().form_valid(form)


# The settings the statements show, in templates as operator.<lower-case name>.
OPERATOR_SETTINGS = (
    "ORGANISATION_NAME",
    "CONTACT_EMAIL",
    "DATA_PROTECTION_OFFICER",
    "DATA_PROTECTION_OFFICER_EMAIL",
    "ICO_REGISTRATION_NUMBER",
    "ICO_COMPLAINTS_URL",
    "PRIVACY_NOTICE_UPDATED",
    "SERVER_LOG_RETENTION_DAYS",
    "BACKUP_RETENTION_DAYS",
    "CONSULTATION_RETENTION_DAYS",
    "CONSULTATION_RESUME_LINK_DAYS",
    "ACCESSIBILITY_CONTACT_EMAIL",
    "ACCESSIBILITY_COMPLIANCE",
    "ACCESSIBILITY_STATEMENT_PREPARED",
    "ACCESSIBILITY_STATEMENT_REVIEWED",
    "ACCESSIBILITY_LAST_TESTED",
    "ACCESSIBILITY_TESTED_BY",
    "ACCESSIBILITY_KNOWN_ISSUES",
)


class StatementView(TemplateView):
    """A page of facts the operator states (who runs the service, whom to contact, dates),
    all read from settings so each deployment says its own."""

    updated_setting = "PRIVACY_NOTICE_UPDATED"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["operator"] = {name.lower(): getattr(settings, name) for name in OPERATOR_SETTINGS}
        context["last_updated"] = getattr(settings, self.updated_setting)
        return context


class AccessibilityView(StatementView):
    """The accessibility statement the 2018 accessibility regulations require of a public
    body's website, in the model the Government Digital Service publishes."""

    template_name = "policyhub/accessibility.html"
    updated_setting = "ACCESSIBILITY_STATEMENT_REVIEWED"


class CookiesView(StatementView):
    """Every cookie the site sets: the list comes from the settings that set them."""

    template_name = "policyhub/cookies.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(cookies=statements.essential_cookies(), **kwargs)


class PrivacyView(StatementView):
    """The site-wide privacy notice; each consultation's own notice links to it."""

    template_name = "policyhub/privacy.html"


class YourDataView(AccessMixin, TemplateView):
    """ "Your data": what PolicyHub holds about the signed-in person. GET explains and offers
    the download and deletion; POST (a button, so no link or prefetch starts a download)
    returns everything as one JSON file. Only ever the person's own: no id in the URL."""

    sign_in_required = True
    template_name = "account/your_data.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = your_data.export_your_data(request.user)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        filename = f"policyhub-your-data-{timezone.localdate():%Y-%m-%d}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        # Personal data: never kept by a shared cache, nor by the browser's.
        response["Cache-Control"] = "private, no-store"
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["deletion_problem"] = your_data.deletion_problem(self.request.user)
        return context


class DeleteAccountView(ServiceFormView):
    """The person deletes their own account, after confirming with their email address
    (and password); then they are signed out and shown what happened."""

    sign_in_required = True
    form_class = DeleteAccountForm
    template_name = "account/delete_account.html"
    page_title = "Delete your account"
    submit_label = "Delete your account"
    warning = True

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form: DeleteAccountForm) -> None:
        your_data.delete_account(self.request.user)
        logout(self.request)

    def get_success_url(self) -> str:
        return reverse("account_deleted")

    def back_url(self) -> str:
        return reverse("your_data")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["retention_days"] = settings.CONSULTATION_RETENTION_DAYS
        return context


class AccountDeletedView(TemplateView):
    """The confirmation after deletion, shown to the now signed-out person."""

    template_name = "account/account_deleted.html"


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def _database_unavailable(error: BaseException | None) -> bool:
    """Django wraps driver errors in its own classes, except in a few places (closing a
    server-side cursor, for one) where the driver's own OperationalError escapes."""
    unavailable = (
        *DATABASE_UNAVAILABLE,
        connection.Database.OperationalError,
        connection.Database.InterfaceError,
    )
    return isinstance(error, unavailable)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors, which would ask the database
    (the user, their roles) when the database may be the problem. An unreachable database
    (restarting, failing over) is a 503 that says to come back in a minute, not a 500."""
    if _database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponse(render_to_string("500.html"), status=500)
