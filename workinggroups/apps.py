from django.apps import AppConfig


class WorkingGroupsConfig(AppConfig):
    """Working groups, their members and convenors, and what they develop."""

    name = "workinggroups"
    verbose_name = "Working groups"
