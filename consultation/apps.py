from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    """The public consultation, its responses, and their analysis."""

    name = "consultation"
