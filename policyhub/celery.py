"""Celery application. The broker comes from settings (Redis, or the filesystem in development).

Beat schedules are declared in settings (CELERY_BEAT_SCHEDULE) so they are reviewed with
the rest of the configuration; tasks live in each app's tasks.py and only call services.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.base")

app = Celery("policyhub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
