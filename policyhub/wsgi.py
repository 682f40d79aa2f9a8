"""WSGI entry point for gunicorn: `gunicorn policyhub.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")

application = get_wsgi_application()
