"""What a signed-out visitor can make the cache hold: nothing per request. No page is
cached, so query strings nobody links to (`?x=1`, `?x=2`, ...) add no entries; the cache
holds only rate-limit counters and memoised work keyed by what it is computed from."""

from __future__ import annotations

import secrets

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import pages

pytestmark = pytest.mark.django_db

ROUNDS = 3


def cache_entries() -> int:
    if hasattr(cache, "keys"):  # Redis (django-redis), as CI runs the suite a second time
        return len(cache.keys("*"))
    return len(cache._cache)  # the local-memory cache of the embedded default


def test_unknown_query_strings_add_nothing_to_the_cache(client):
    call_command("load_demo", verbosity=0)
    public = [page.path for page in pages.public_pages()]
    for path in public:  # whatever the pages memoise, once
        client.get(path)
    held = cache_entries()

    for _ in range(ROUNDS):
        for path in public:
            separator = "&" if "?" in path else "?"
            client.get(f"{path}{separator}{secrets.token_hex(8)}={secrets.token_hex(8)}")

    assert len(public) > 20
    assert cache_entries() == held
