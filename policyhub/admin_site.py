"""The admin site: Django's, with "view on site" limited to what the person may see."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern


class PolicyHubAdminSite(admin.AdminSite):
    def get_urls(self) -> list:
        """Django's URLs, with the same "view on site" pattern served by `view_on_site`."""
        urls = []
        for pattern in super().get_urls():
            if isinstance(pattern, URLPattern) and pattern.name == "view_on_site":
                pattern = URLPattern(
                    pattern.pattern,
                    self.admin_view(self.view_on_site),
                    pattern.default_args,
                    pattern.name,
                )
            urls.append(pattern)
        return urls

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        """Django's shortcut redirects to any object's page by id, which would tell a staff
        account outside the secretariat the address (and so the title) of a restricted
        document. 404, as on the site, unless that model's admin would list the object."""
        content_type = ContentType.objects.filter(pk=content_type_id).first()
        model = content_type.model_class() if content_type else None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.has_view_or_change_permission(request):
            raise Http404
        if not model_admin.get_queryset(request).filter(pk=object_id).exists():
            raise Http404
        return contenttype_views.shortcut(request, content_type_id, object_id)
