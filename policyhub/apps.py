from django.apps import AppConfig


class PolicyHubConfig(AppConfig):
    """Project-wide models: people, their roles, and the audit log."""

    name = "policyhub"
    verbose_name = "People, roles and audit"
