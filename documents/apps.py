from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Documents, open by default; restriction only with a recorded justification."""

    name = "documents"
