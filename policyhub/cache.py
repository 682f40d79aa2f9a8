"""What PolicyHub keeps in the cache: pure work kept by its input (`memoised`), and the
circuit breaker that makes a failing Redis cost a page at most one short timeout.

The cache holds nothing that decides who may see what: rate-limit counters and work that can
always be done again (a consultation's statistics, the public calendar). django-redis with
`IGNORE_EXCEPTIONS` already turns a refused, timed-out, full (`OOM`) or read-only Redis into an
empty cache. What it cannot do alone is stop asking: with Redis frozen, every cache call would
wait for its socket timeout, several times a page. So the first failure opens this breaker and,
for `CACHE_BREAKER_SECONDS`, every call fails at once without touching the network; the first
call after that tries Redis again. The state is per process and per server, shared by the
threads of a process (Django makes a cache object per thread).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)
T = TypeVar("T")


def memoised(
    name: str,
    source: Hashable,
    compute: Callable[[], T],
    *,
    timeout: int = 3600,
    in_process: bool = False,
) -> T:
    """`compute()`, kept in the cache under a digest of `source`, which must determine the
    result entirely (the rows' last change, a text): then a kept result is never stale,
    whoever asks, and nothing needs retiring. Without a cache it is simply computed.

    `in_process=True` also keeps the last few such results in this process, for large,
    immutable results (bytes, text) that are costly to build and to fetch: a calendar of
    every meeting is then neither rebuilt nor fetched again while Redis fails."""
    key = f"memo:{name}:{hashlib.sha256(repr(source).encode()).hexdigest()}"
    if in_process and key in _in_process:
        return _in_process[key]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    if in_process:
        _keep_in_process(key, value)
    return value


# The last results memoised with in_process=True, least recently kept first.
_in_process: OrderedDict[str, Any] = OrderedDict()
_in_process_lock = threading.Lock()
IN_PROCESS_ENTRIES = 8


def _keep_in_process(key: str, value: Any) -> None:
    with _in_process_lock:
        _in_process[key] = value
        _in_process.move_to_end(key)
        while len(_in_process) > IN_PROCESS_ENTRIES:
            _in_process.popitem(last=False)


class CircuitBreaker:
    """Open (refusing) for `cooldown` seconds after a failure, closed otherwise."""

    def __init__(self, name: str, cooldown: float) -> None:
        self.name = name
        self.cooldown = cooldown
        self.open_until = 0.0
        self._lock = threading.Lock()

    @property
    def is_open(self) -> bool:
        return time.monotonic() < self.open_until

    def trip(self, error: BaseException) -> None:
        with self._lock:
            if not self.is_open:
                logger.warning(
                    "%s failed (%s); not asking it again for %.0f s.",
                    self.name,
                    error,
                    self.cooldown,
                )
            self.open_until = time.monotonic() + self.cooldown


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(name: str) -> CircuitBreaker:
    """The breaker of the service called `name` in this process (a cache's location, or
    the Celery broker), made on first use."""
    with _breakers_lock:
        if name not in _breakers:
            cooldown = getattr(settings, "CACHE_BREAKER_SECONDS", 5.0)
            _breakers[name] = CircuitBreaker(name, cooldown)
        return _breakers[name]


def cache_breaker(location: str) -> CircuitBreaker:
    """The breaker of the Redis cache at `location`, named without its password."""
    return breaker_for(f"Redis cache {location.rsplit('@', 1)[-1]}")


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: BreakerClient, *args: Any, **kwargs: Any) -> Any:
        breaker = cache_breaker(self._server[0])
        if breaker.is_open:
            raise ConnectionInterrupted(connection=None)
        try:
            return method(self, *args, **kwargs)
        except ConnectionInterrupted as error:
            breaker.trip(error.__cause__ or error)
            raise

    return wrapper


# Every operation the site uses (Django's cache API, as allauth's rate limits use it).
GUARDED = (
    "get",
    "set",
    "add",
    "delete",
    "get_many",
    "set_many",
    "delete_many",
    "incr",
    "decr",
    "has_key",
    "touch",
    "ttl",
    "expire",
    "clear",
)


class BreakerClient(DefaultClient):
    """django-redis's client, failing fast while the breaker is open."""


for _name in GUARDED:
    setattr(BreakerClient, _name, _guarded(getattr(DefaultClient, _name)))


class RedisCache(DjangoRedisCache):
    """django-redis's cache, whose `add` answers as an empty cache would while Redis fails
    (the key was not there, so it is added) instead of None: callers that take a lock with
    `add`, as allauth's rate limits do, would otherwise wait for it and then refuse."""

    def add(self, *args: Any, **kwargs: Any) -> bool:
        added = super().add(*args, **kwargs)
        return True if added is None else added
