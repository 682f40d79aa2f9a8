from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    """The public consultation, its responses, and their analysis."""

    name = "consultation"

    def ready(self) -> None:
        """Tell the core what consultations hold about a person, for "Your data". Nothing
        to forget when an account goes: responses stay under the consultation's retention
        (services.your_data), analyst roles go with the account."""
        from policyhub.your_data import register_source

        from .services import your_data

        register_source("consultations", title="Consultations", export=your_data)
