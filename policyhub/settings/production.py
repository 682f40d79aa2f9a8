"""Production: DEBUG off, HTTPS only, secrets from the environment or no start at all.

Everything `manage.py check --deploy` asks for is set here; tests/test_settings.py checks
that it reports nothing and that an insecure start is refused.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, MEDIA_STORAGE, REDIS_URL, STORAGES, env

DEBUG = False


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(
            f"{name} must be set in production. See README.md, 'Configuration'."
        )
    return value


SECRET_KEY = _required("SECRET_KEY")
if SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")
ALLOWED_HOSTS = [host for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
# Links in emails and calendar files are built outside any request, from this address.
SITE_URL = _required("SITE_URL")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the site's https:// address in production.")
if not REDIS_URL:
    # Rate limits and sessions must be shared between gunicorn workers.
    raise ImproperlyConfigured("REDIS_URL must be set in production (cache and rate limits).")
if CELERY_BROKER_URL.startswith("filesystem://"):
    raise ImproperlyConfigured("CELERY_BROKER_URL must point at Redis in production.")

# --- Uploaded files -----------------------------------------------------------------------------
if MEDIA_STORAGE == "s3":
    if not env("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME must be set when MEDIA_STORAGE is s3: the bucket that "
            "holds uploaded files. See README.md, 'Configuration'."
        )
    if env("DOCUMENTS_FILE_SERVING", default="django") != "django":
        # nginx and Apache can only hand over files on their own disk.
        raise ImproperlyConfigured(
            "DOCUMENTS_FILE_SERVING must be django when MEDIA_STORAGE is s3: the web "
            "server cannot read files from the bucket."
        )

# --- HTTPS ----------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

# --- Static files: compressed, content-hashed names, served by WhiteNoise -------------------
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    "default": STORAGES["default"],  # MEDIA_STORAGE's choice (base.py)
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Templates: cached loader is Django's default when DEBUG is off ------------------------
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
