from django.apps import AppConfig


class WorkingGroupsConfig(AppConfig):
    """Working groups, their members and convenors, and what they develop."""

    name = "workinggroups"
    verbose_name = "Working groups"

    def ready(self) -> None:
        """Tell the core what working groups hold about a person, for "Your data" (the core
        may not import this app). Memberships, requests and signatory roles go with the
        account; what they wrote stays, no longer saying who."""
        from policyhub.your_data import register_source

        from .services import your_data

        register_source("working_groups", title="Working groups", export=your_data)
