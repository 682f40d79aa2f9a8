"""Settings for the processes the fault tests start (web server, Celery worker, scripts):
the base settings with PostgreSQL and Redis from the environment (their own throwaway
servers), emails written one file per message, and short leases and timeouts so a crash
is recovered from within seconds rather than minutes."""

from policyhub.settings.base import *  # noqa: F403
from policyhub.settings.base import CELERY_BROKER_TRANSPORT_OPTIONS, env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The mailbox, unless a test talks SMTP to a server of its own (EMAIL_URL gives its address).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="tests.security.faults.mailbox.MailboxBackend")
FAULTS_MAILBOX = env("FAULTS_MAILBOX", default="/tmp/policyhub-faults-mailbox")
FAULTS_SEND_DELAY = env.float("FAULTS_SEND_DELAY", default=0.0)
CELERY_TASK_ALWAYS_EAGER = False
# An unacknowledged task (its worker was killed) is delivered again after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": env.int("FAULTS_VISIBILITY_TIMEOUT", default=4),
}
# Email retries pause seconds, not minutes; the longest pause stays below the visibility
# timeout of a test that waits on them, as it does in production.
EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=1)
EMAIL_RETRY_BACKOFF_MAX = env.int("EMAIL_RETRY_BACKOFF_MAX", default=16)
MEETINGS_REMINDER_LEASE_SECONDS = 3
CONSULTATION_SUBMISSIONS_PER_IP = 1_000_000
CONSULTATION_STARTS_PER_IP = 1_000_000
# Server errors (with their tracebacks) go to the process's log, for whoever reads it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
