"""Settings shared by every environment, driven by environment variables.

Embedded defaults make `make run` work with nothing but Python: SQLite without
DATABASE_URL, a local-memory cache and Celery's filesystem broker without REDIS_URL.
`production.py` tightens this and refuses to start without secrets.
README.md, "Configuration", lists every variable.
"""

from datetime import date
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from policyhub.logging import init_error_tracking, log_formatter, parse_admins

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# --- Core ----------------------------------------------------------------------------
# Off unless asked for (DEBUG=1 make run): `make run` shows the site's own error pages, as
# people will see them, and a 404 does not list every URL of the site. Static files are
# served by WhiteNoise either way (see "Static files").
DEBUG = env.bool("DEBUG", default=False)
# Development-only key; production.py refuses to start without SECRET_KEY.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-development-only-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
SITE_NAME = env("SITE_NAME", default="PolicyHub")

INSTALLED_APPS = [
    "policyhub.admin_apps.AdminConfig",  # django.contrib.admin, "view on site" scoped
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "csp",
    "policyhub",
    "process",
    "workinggroups",
    "meetings",
    "documents",
    "consultation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "policyhub.request_id.assign_request_id",  # before anything that may log
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "policyhub.middleware.refuse_nul_characters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # after sessions, before common
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "policyhub.two_factor.require_two_factor",  # after sign-in and messages
]

ROOT_URLCONF = "policyhub.urls"
WSGI_APPLICATION = "policyhub.wsgi.application"
AUTH_USER_MODEL = "policyhub.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "policyhub.context_processors.site",
            ],
            "builtins": ["policyhub.templatetags.markup"],
        },
    }
]

# --- Database ---------------------------------------------------------------------------
# SQLite by default; PostgreSQL through DATABASE_URL (psycopg 3). Persistent connections
# with health checks: https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
# The cache holds rate-limit counters (allauth's, the consultation's) and pure work kept by
# its input (rendered Markdown, statistics); never who may see what. Production needs a
# shared one (Redis) so every web server counts the same limits. A failing Redis is an empty
# cache: short timeouts, errors ignored, and a circuit breaker (policyhub/cache.py) that
# stops asking it for CACHE_BREAKER_SECONDS after a failure.
# https://github.com/jazzband/django-redis#memcached-exceptions-behavior
REDIS_URL = env("REDIS_URL", default="")
CACHE_BREAKER_SECONDS = env.float("CACHE_BREAKER_SECONDS", default=5.0)
# Seconds a healthy Redis never needs to answer: a frozen one costs a request no more.
REDIS_SOCKET_TIMEOUT = 0.25
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "policyhub.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "CLIENT_CLASS": "policyhub.cache.BreakerClient",
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Internationalisation and time ----------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown and entered in UK time
USE_I18N = True
# English and Welsh: a service in Wales offers both. The choice is made with the switcher in
# the header (the set_language view) and kept in the language cookie below; without it, the
# browser's Accept-Language decides. Welsh texts are in locale/cy (docs/welsh-glossary.md).
# https://docs.djangoproject.com/en/5.2/topics/i18n/translation/#how-django-discovers-language-preference
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "policyhub_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # a year, as GOV.UK keeps such a preference
LANGUAGE_COOKIE_HTTPONLY = True  # only the server reads it
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_TZ = True  # stored in UTC

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Development and tests serve static files straight from their folders, picking up edits
# without collectstatic; production.py serves the collected, hashed copies.
# https://whitenoise.readthedocs.io/en/stable/django.html#WHITENOISE_USE_FINDERS
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")

# --- Uploaded files ----------------------------------------------------------------------------
# "filesystem" keeps uploads under MEDIA_ROOT on this server's disk. "s3" keeps them in a
# bucket of any S3-compatible store (django-storages), so a second web server sees the same
# files without a shared filesystem. Either way no file has a URL a reader is given: every
# download is streamed by documents.views.download_file after its access check.
# https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
MEDIA_STORAGE = env("MEDIA_STORAGE", default="filesystem")
if MEDIA_STORAGE == "filesystem":
    _default_storage: dict = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif MEDIA_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default=""),
            # Empty: Amazon S3 itself; set for MinIO, Ceph, Garage, a cloud's S3 endpoint.
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env("AWS_S3_REGION_NAME", default="") or None,
            # Empty: boto3's own chain (instance or pod role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            # Private: objects carry no ACL (the bucket's, which must not be public), any
            # URL would be signed and short-lived, and a name is never reused.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            # Reading a file for a download spools past 2 MB to a temporary file, so a
            # large file does not sit whole in a web worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }
else:
    raise ImproperlyConfigured(
        f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}. "
        "See README.md, 'Configuration'."
    )
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Accounts (django-allauth) ------------------------------------------------------------
# https://docs.allauth.org/en/latest/account/configuration.html
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's sign-in
    "allauth.account.auth_backends.AuthenticationBackend",  # the site's, by email
]
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "policyhub.forms.SignupForm"
# allauth's other forms refuse control characters in text as the site's do (sign-up does
# through the class above); tests/policyhub/test_control_characters.py checks every one.
ACCOUNT_FORMS = {
    "login": "policyhub.account_forms.LoginForm",
    "add_email": "policyhub.account_forms.AddEmailForm",
    "change_email": "policyhub.account_forms.ChangeEmailForm",
    "change_password": "policyhub.account_forms.ChangePasswordForm",
    "set_password": "policyhub.account_forms.SetPasswordForm",
    "reset_password": "policyhub.account_forms.ResetPasswordForm",
    "reset_password_from_key": "policyhub.account_forms.ResetPasswordKeyForm",
    "reauthenticate": "policyhub.account_forms.ReauthenticateForm",
    "request_login_code": "policyhub.account_forms.RequestLoginCodeForm",
    "confirm_login_code": "policyhub.account_forms.ConfirmLoginCodeForm",
    "confirm_email_verification_code": "policyhub.account_forms.ConfirmEmailVerificationCodeForm",
    "confirm_password_reset_code": "policyhub.account_forms.ConfirmPasswordResetCodeForm",
    "change_phone": "policyhub.account_forms.ChangePhoneForm",
    "verify_phone": "policyhub.account_forms.VerifyPhoneForm",
}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_PREVENT_ENUMERATION = True
# Failed sign-ins are counted per account and network, so nobody can lock a person out
# from elsewhere (policyhub/adapter.py); allauth's limits are otherwise its defaults.
ACCOUNT_ADAPTER = "policyhub.adapter.AccountAdapter"
# allauth's defaults rate-limit sign-in, sign-up, password reset and confirmation emails;
# they stay on (an empty dict would turn them off).
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Two-factor sign-in (allauth.mfa) --------------------------------------------------------
# An authenticator app, and recovery codes for a lost phone. Anyone may turn it on; the
# secretariat and staff must before any page but the account pages (policyhub/two_factor.py).
# https://docs.allauth.org/en/latest/mfa/configuration.html
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "policyhub.two_factor.MFAAdapter"
MFA_FORMS = {  # the project's rule for typed text, as ACCOUNT_FORMS above
    "authenticate": "policyhub.account_forms.MFAAuthenticateForm",
    "reauthenticate": "policyhub.account_forms.MFAReauthenticateForm",
    "activate_totp": "policyhub.account_forms.ActivateTOTPForm",
}
# Off only in the test settings, where most tests sign people in with force_login (which
# enters no code); tests/policyhub/test_two_factor.py turns it on.
TWO_FACTOR_REQUIRED = True

# --- Email --------------------------------------------------------------------------------
# Development prints emails to the console; set EMAIL_URL (smtp://user:pass@host:587) to send.
_email = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(_email)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="PolicyHub <noreply@policyhub.test>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Seconds before a hung mail server is given up on (the task then retries later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)

# --- Background work (Celery) --------------------------------------------------------------
# With REDIS_URL (or CELERY_BROKER_URL) Celery uses Redis. Without, it uses kombu's
# filesystem transport under var/celery, so `make run` runs a real worker and beat with no
# server to install. https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.filesystem.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _celery_queue = VAR_DIR / "celery" / "queue"
    _celery_queue.mkdir(parents=True, exist_ok=True)
    (VAR_DIR / "celery" / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_celery_queue),
        "data_folder_out": str(_celery_queue),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A broker that stops answering (frozen, or lost in a failover) must not hold a web
    # request: publishing gives up after the timeout and the email is sent at once instead
    # (policyhub/emails.py). The worker reads its queues as they become readable, so the
    # timeout never cuts short its waits for work.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    }
CELERY_TASK_IGNORE_RESULT = True
# Beat and the worker's own fan-out retry a publish briefly; a web request's emails are
# tried once and then sent at once instead (policyhub/emails.py).
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_TASK_ACKS_LATE = True  # a task is redelivered if its worker dies mid-way
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# Periodic work, one entry per job; each calls a service (see each app's tasks.py).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Meeting reminders: the sweep is idempotent, so running it often (or twice) is safe.
    "meetings-send-due-reminders": {
        "task": "meetings.tasks.send_due_meeting_reminders",
        "schedule": 300.0,
    },
}

# A reminder claimed by a delivery task that then died is taken over after this long.
MEETINGS_REMINDER_LEASE_SECONDS = env.int("MEETINGS_REMINDER_LEASE_SECONDS", default=600)

# --- Readiness (/readyz; policyhub/health.py) --------------------------------------------------
# Seconds /readyz waits for the cache, broker and worker checks, which run side by side: one
# that has not answered by then is reported as timed out, so a frozen Redis cannot hold it.
READYZ_TIMEOUT = env.float("READYZ_TIMEOUT", default=1.5)
# Seconds a worker has to answer the readiness ping (inside READYZ_TIMEOUT).
READYZ_WORKER_PING_TIMEOUT = env.float("READYZ_WORKER_PING_TIMEOUT", default=1.0)

# --- Security headers (all environments; production adds HTTPS-only settings) ---------------
# Content-Security-Policy from django-csp: no inline script or style, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions live in the database (decision 0500): Django's default engine.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Proxies ------------------------------------------------------------------------------------
# How many proxies of ours stand in front of gunicorn, each appending to X-Forwarded-For (one
# for the TLS proxy in README.md, "Deploying"). Every per-address limit, PolicyHub's and
# allauth's, counts by the address the outermost one saw (policyhub/client.py); with 0 the
# header is ignored. allauth is given the same number so the two never disagree.
# https://docs.allauth.org/en/latest/common/configuration.html
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- Who runs the service ---------------------------------------------------------------------
# Facts the accessibility statement (/accessibility/), privacy notice (/privacy/) and cookies
# page (/cookies/) state; the operator sets each one. Every default is a development
# placeholder that says on the page which variable to set. Dates are YYYY-MM-DD.
ORGANISATION_NAME = env(
    "ORGANISATION_NAME", default="Example Organisation (development default: set ORGANISATION_NAME)"
)
# Where people write about the service, their data or its accessibility.
CONTACT_EMAIL = env("CONTACT_EMAIL", default="contact-not-set@example.org")
DATA_PROTECTION_OFFICER = env(
    "DATA_PROTECTION_OFFICER",
    default="Data Protection Officer (development default: set DATA_PROTECTION_OFFICER)",
)
DATA_PROTECTION_OFFICER_EMAIL = env(
    "DATA_PROTECTION_OFFICER_EMAIL", default="dpo-not-set@example.org"
)
# The controller's entry in the ICO's register of fee payers: https://ico.org.uk/ESDWebPages/Search
ICO_REGISTRATION_NUMBER = env(
    "ICO_REGISTRATION_NUMBER", default="not set (development default: set ICO_REGISTRATION_NUMBER)"
)
ICO_COMPLAINTS_URL = env("ICO_COMPLAINTS_URL", default="https://ico.org.uk/make-a-complaint/")
PRIVACY_NOTICE_UPDATED = date.fromisoformat(env("PRIVACY_NOTICE_UPDATED", default="2026-12-08"))
# Days the web server's and gunicorn's request logs (addresses, pages asked for) and the
# backups (deploy/systemd/policyhub-backup.service keeps 14 daily ones) are kept: the privacy
# notice states them, so they must match what the servers do.
SERVER_LOG_RETENTION_DAYS = env.int("SERVER_LOG_RETENTION_DAYS", default=30)
BACKUP_RETENTION_DAYS = env.int("BACKUP_RETENTION_DAYS", default=14)
# The accessibility statement, in the model the Government Digital Service publishes:
# https://www.gov.uk/guidance/make-your-website-or-app-accessible-and-publish-an-accessibility-statement
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", default=CONTACT_EMAIL)
# "full", "partial" or "not": how far the site meets WCAG 2.2 AA. Partial until a manual
# audit, including with screen readers, has been done (the statement lists what is not tested).
ACCESSIBILITY_COMPLIANCE = env("ACCESSIBILITY_COMPLIANCE", default="partial")
if ACCESSIBILITY_COMPLIANCE not in ("full", "partial", "not"):
    raise ImproperlyConfigured(
        "ACCESSIBILITY_COMPLIANCE must be 'full', 'partial' or 'not'. See README.md, "
        "'Configuration'."
    )
ACCESSIBILITY_STATEMENT_PREPARED = date.fromisoformat(
    env("ACCESSIBILITY_STATEMENT_PREPARED", default="2026-12-08")
)
ACCESSIBILITY_STATEMENT_REVIEWED = date.fromisoformat(
    env("ACCESSIBILITY_STATEMENT_REVIEWED", default="2026-12-08")
)
ACCESSIBILITY_LAST_TESTED = date.fromisoformat(
    env("ACCESSIBILITY_LAST_TESTED", default="2026-12-08")
)
ACCESSIBILITY_TESTED_BY = env(
    "ACCESSIBILITY_TESTED_BY",
    default="the automated tests that come with PolicyHub (development default: set "
    "ACCESSIBILITY_TESTED_BY)",
)
# Problems found on this site beyond those the statement already lists, separated by "|".
ACCESSIBILITY_KNOWN_ISSUES = [
    issue.strip()
    for issue in env("ACCESSIBILITY_KNOWN_ISSUES", default="").split("|")
    if issue.strip()
]

# --- Process rules --------------------------------------------------------------------------
# Meetings announced with less notice than this need a public reason (seed: "well in advance").
MEETING_MINIMUM_NOTICE_DAYS = env.int("MEETING_MINIMUM_NOTICE_DAYS", default=14)
# Absolute links in emails and calendar files (reminders are sent outside any request).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Documents ------------------------------------------------------------------------------
# Upload limit and how far ahead a restriction's review may be set (about six months).
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
DOCUMENTS_MAX_REVIEW_DAYS = env.int("DOCUMENTS_MAX_REVIEW_DAYS", default=183)
# Downloads are always checked by documents.views.download_file; then "django" streams the
# bytes, "x-accel-redirect" (nginx, internal location at DOCUMENTS_X_ACCEL_PREFIX) or
# "x-sendfile" (Apache) hands them to the web server. https://nginx.org/en/docs/http/ngx_http_core_module.html#internal
DOCUMENTS_FILE_SERVING = env("DOCUMENTS_FILE_SERVING", default="django")
DOCUMENTS_X_ACCEL_PREFIX = env("DOCUMENTS_X_ACCEL_PREFIX", default="/protected-files/")
CELERY_BEAT_SCHEDULE["documents-restriction-review-reminders"] = {
    "task": "documents.tasks.send_restriction_review_reminders",
    "schedule": 60 * 60 * 24,  # daily; emails once per review due, so reruns are harmless
}

# --- Logging and error reports --------------------------------------------------------------
# Each line: time (UTC), level, logger, [request id], message (policyhub/logging.py). The
# request id is X-Request-ID when a proxy sent a plain one, else a new one; "-" outside a
# request; the task id in a Celery task. LOG_FORMAT=json writes one JSON object per line.
LOG_FORMAT = log_formatter(env("LOG_FORMAT", default="text"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "policyhub.logging.RequestIdFilter"},
        "refusals_without_traceback": {"()": "policyhub.logging.RefusalsWithoutTraceback"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "text": {"()": "policyhub.logging.TextFormatter"},
        "json": {"()": "policyhub.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        },
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Replaces Django's default, whose own console handler would print its lines a
        # second time, unformatted; they reach ours through the root.
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        # One line per 403 or 404, without the traceback of the exception behind it.
        "django.request": {"filters": ["refusals_without_traceback"]},
        "django.db.backends": {"level": "INFO"},
    },
}
# The worker keeps the handler above (and its format) instead of installing Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Who is emailed a server error's traceback when DEBUG is off:
# "Name <name@example.org>, other@example.org". Empty: nobody.
ADMINS = parse_admins(env("ADMINS", default=""))

# Error tracking: only with SENTRY_DSN; without it sentry-sdk is not even imported.
init_error_tracking(
    env("SENTRY_DSN", default=""), environment=env("SENTRY_ENVIRONMENT", default="")
)

# --- Consultation ---------------------------------------------------------------------------
# Submissions accepted per IP address per window, against scripted floods.
CONSULTATION_SUBMISSIONS_PER_IP = env.int("CONSULTATION_SUBMISSIONS_PER_IP", default=30)
CONSULTATION_SUBMISSION_WINDOW_SECONDS = env.int(
    "CONSULTATION_SUBMISSION_WINDOW_SECONDS", default=3600
)
# Responses started ("Start now") per IP address per window: each draft stores answers.
CONSULTATION_STARTS_PER_IP = env.int("CONSULTATION_STARTS_PER_IP", default=60)
CONSULTATION_START_WINDOW_SECONDS = env.int("CONSULTATION_START_WINDOW_SECONDS", default=3600)
# Days a save-and-return link works (once) after it is sent: long enough to come back after a
# weekend, short enough that an old email, forwarded or archived, no longer opens a response.
CONSULTATION_RESUME_LINK_DAYS = env.int("CONSULTATION_RESUME_LINK_DAYS", default=7)
# Save-and-return emails per IP address and per email address per window (no inbox flooding).
CONSULTATION_RESUME_LINKS_PER_IP = env.int("CONSULTATION_RESUME_LINKS_PER_IP", default=20)
CONSULTATION_RESUME_LINKS_PER_EMAIL = env.int("CONSULTATION_RESUME_LINKS_PER_EMAIL", default=5)
CONSULTATION_RESUME_LINK_WINDOW_SECONDS = env.int(
    "CONSULTATION_RESUME_LINK_WINDOW_SECONDS", default=3600
)
# Days after closing when respondents' emails and save-and-return tokens are removed.
CONSULTATION_RETENTION_DAYS = env.int("CONSULTATION_RETENTION_DAYS", default=365)
# The team's address shown on a consultation's pages when the consultation names none, so
# people who missed the closing date, or have a question, know whom to write to. Empty: none.
CONSULTATION_CONTACT_EMAIL = env("CONSULTATION_CONTACT_EMAIL", default="")
CELERY_BEAT_SCHEDULE["consultation-remove-expired-personal-data"] = {
    "task": "consultation.tasks.remove_expired_personal_data",
    "schedule": 24 * 60 * 60,
}
