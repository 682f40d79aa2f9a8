"""The Redis cache, made to fail open: if Redis cannot be reached, the cache behaves as an
empty one instead of raising, so pages, sign-in and consultation submissions keep working
while Redis is down or restarting.

What the cache holds here is only ever an optimisation or a rate-limit counter: sessions
live in the database and reminders are recorded there (docs/decisions/0200). Rate limits
therefore stop counting during an outage; that is the deliberate trade (availability over
throttling for a few minutes), and each failure is logged so the outage is visible.
"""

from __future__ import annotations

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _fail_open(method, fallback):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("Cache unreachable during %s: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return wrapper


def _missing_key(*args, **kwargs):
    raise ValueError("Key not found (the cache is unreachable).")


class _ReusedClient(RedisCacheClient):
    """Django's client, keeping one `redis.Redis` per server. Django's makes a new one for
    every cache call, which cost 0.05 ms each on the benchmark machine (most of it filling
    the client's table of reply parsers), and a page makes several calls. redis-py's
    clients are safe to share between threads: each command borrows a connection from the
    server's pool, as before."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    """django.core.cache's RedisCache, but an unreachable Redis is an empty cache."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ReusedClient

    add = _fail_open(RedisCache.add, lambda *a, **k: True)
    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    set = _fail_open(RedisCache.set, lambda *a, **k: None)
    touch = _fail_open(RedisCache.touch, lambda *a, **k: False)
    delete = _fail_open(RedisCache.delete, lambda *a, **k: False)
    get_many = _fail_open(RedisCache.get_many, lambda *a, **k: {})
    has_key = _fail_open(RedisCache.has_key, lambda *a, **k: False)
    incr = _fail_open(RedisCache.incr, _missing_key)
    set_many = _fail_open(RedisCache.set_many, lambda keys, *a, **k: list(keys))
    delete_many = _fail_open(RedisCache.delete_many, lambda *a, **k: None)
    clear = _fail_open(RedisCache.clear, lambda *a, **k: False)
