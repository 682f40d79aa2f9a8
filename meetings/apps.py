from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings announced in advance, attendance, and Chatham House notes."""

    name = "meetings"
