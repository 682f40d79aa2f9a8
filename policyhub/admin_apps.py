"""django.contrib.admin, on our admin site class (INSTALLED_APPS names AdminConfig)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "policyhub.admin_site.PolicyHubAdminSite"
