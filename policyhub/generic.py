"""The views every app builds its pages on: one access policy and one form page.

The access policy, the same on every page of every app:
- not signed in, on a page that needs an account: sent to sign in;
- may not see the object: 404, because lookups start from the app's permission-filtered
  querysets (a 403 would confirm that it exists);
- may see it, but may not do this to it: 403.

A form page that calls a service (`ServiceFormView`): GET shows the question; POST
validates, hands `cleaned_data` to one service, flashes what happened and redirects
(post/redirect/get). A `ValidationError` from the service is shown next to the field it
names, or in the error summary, and what was typed is kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.generic import FormView

from policyhub import roles


def deny(request: HttpRequest) -> HttpResponse:
    """Refuse an action: signed-out people are sent to sign in (they may be allowed once
    they have); signed-in people without the right get a 403."""
    if not roles.is_participant(request.user):
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def show_errors(form: BaseForm, error: ValidationError, aliases: dict[str, str] | None = None):
    """Put a service's ValidationError next to the field it names (`aliases` maps a model
    field to the form field that asks for it), or in the error summary when it names none
    the form has."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.error_dict.items():
        name = (aliases or {}).get(name, name)
        field = name if name in form.fields else None
        for message in errors:
            form.add_error(field, message)


class AccessMixin:
    """The access policy above, for a class-based view. Subclasses look up their objects
    in `load()` through the app's permission querysets (so what may not be seen is a 404)
    and say in `allowed()` whether this person may do what the page does (403 if not)."""

    request: HttpRequest
    # Pages whose objects are never public ask signed-out people to sign in before any
    # lookup, so a 404 never comes before the sign-in page.
    sign_in_required = False

    def load(self) -> None:
        """Look up the page's objects (404 for what this person may not see)."""

    def allowed(self) -> bool:
        return True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.sign_in_required and not roles.is_participant(request.user):
            return redirect_to_login(request.get_full_path())
        self.load()
        if not self.allowed():
            return deny(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class ServiceFormView(AccessMixin, FormView):
    """A question page that calls one service. Subclasses set `form_class`, `page_title`,
    `load()`, `allowed()`, `perform(form)` (the service call), `get_success_url()` and
    `success_message`; the page is `form_page.html` unless a richer one extends it."""

    template_name = "form_page.html"
    page_title = ""
    intro = ""  # a sentence under the heading, when the question needs one
    warning = False  # the button of a destructive action is red
    submit_label = "Save"
    success_message = ""
    # Model field -> form field, where a service speaks of a field the form asks differently.
    error_aliases: dict[str, str] = {}

    def perform(self, form: BaseForm) -> Any:
        raise NotImplementedError

    def back_url(self) -> str:
        return self.get_success_url()

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            self.result = self.perform(form)
        except ValidationError as error:
            show_errors(form, error, self.error_aliases)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        context.setdefault("intro", self.intro)
        context.setdefault("warning", self.warning)
        context.setdefault("submit_label", self.submit_label)
        context.setdefault("back_url", self.back_url())
        return context
