from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings announced in advance, attendance, and Chatham House notes."""

    name = "meetings"

    def ready(self) -> None:
        """Tell the core what meetings hold about a person, for "Your data" (the core may
        not import this app)."""
        from policyhub.your_data import register_source

        from .services import forget_person, your_data

        register_source("meetings", title="Meetings", export=your_data, forget=forget_person)
