"""PolicyHub project package: settings, root URLs, Celery, and project-wide helpers."""

from .celery import app as celery_app

__all__ = ("celery_app",)
