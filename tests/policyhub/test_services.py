"""The cache and the Celery broker work with whatever the environment configures: locmem and
the filesystem broker by default, Redis in CI's second run."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.cache import cache

from policyhub.celery import app


def test_cache_round_trip():
    key = f"policyhub-test-{uuid.uuid4()}"
    cache.set(key, "value", 30)
    assert cache.get(key) == "value"


def test_celery_broker_accepts_a_connection():
    """With Redis this proves the server is reachable; with the filesystem transport, that
    the queue folders exist."""
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=3)
        assert connection.connected
    expected = "redis" if settings.CELERY_BROKER_URL.startswith("redis") else "filesystem"
    assert app.connection().transport_cls == expected
