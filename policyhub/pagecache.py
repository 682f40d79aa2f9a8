"""Whole-page caching for signed-out visitors, and the content generation that keeps it
correct.

Most visits to an open policy process are from people who are not signed in, and they all
see the same page: the timeline, a working group, the document archive, the meetings. Those
pages are built once and served from the cache until something they could show changes.

**Correctness comes from the content generation, not from a timeout.** Every saved or
deleted row of a model that a public page could show replaces the generation (a random
token) in the cache; a cached page is kept with the generation it was built under and
served only while that is still the current one (fragments carry it in their keys), so a
single write makes every cached page unreachable at once: a document restricted a moment
ago is never served from the cache to anyone. The generation is replaced when the write
happens *and again when its transaction commits*, so a page built from the data just
before the commit can only ever be kept with a generation that is already gone. A token
rather than a counter means an evicted or flushed generation can never come back and revive
old pages. Models written in bulk that no public page shows (responses while people answer
a consultation, reminders, audit entries) are listed in ``SILENT_MODELS`` with the reason,
and a test checks every model is either one or the other.

**Time moves pages too** (the current step of the timeline, meetings moving from "upcoming"
to "past", a consultation closing), so the key also holds the current minute: a page is at
most a minute behind the clock, never behind the data. That minute is also the limit on how
stale a page could be after a write that bypasses model signals (``QuerySet.update``), which
is why services that write that way call ``content_changed()`` themselves.

**Only what is the same for every signed-out visitor is cached.** A request is served from
the cache only when it is a GET or HEAD with no session or messages cookie (so it cannot
belong to a signed-in person or a respondent part-way through a response, and carries no
flash message). A response is stored only when it is a 200 HTML page that set no cookie,
wrote nothing to the session, asked for no CSP nonce and did not opt out of caching.
``Vary: Cookie`` is always set, so no shared cache downstream serves it to anyone signed in.

**A form that posts is a hole, filled per visitor.** Its CSRF token is the one personal
thing on such a page (the consultation's "Start now"). The page is stored with a
placeholder where each token was, and every visitor served it gets a token of their own
put in its place, and their CSRF cookie with it, exactly as if the page had been built for
them. A page whose tokens cannot all be found in the form fields is not stored.
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac

GENERATION_KEY = "content-generation"
PAGE_TIMEOUT = 120  # seconds; the minute in the key retires a page sooner anyway
UNTIMED_TIMEOUT = 24 * 3600  # fragments that do not follow the clock (a write retires them)
CONTENT_APPS = ("policyhub", "process", "workinggroups", "meetings", "documents", "consultation")

# Written often, shown on no cached page: a write here must not empty the page cache.
SILENT_MODELS: dict[str, str] = {
    "policyhub.AuditEntry": "the audit log is shown to the secretariat only",
    "meetings.SentReminder": "reminder bookkeeping, written in batches of thousands",
    "meetings.CalendarToken": "a person's private calendar address, on no public page",
    "meetings.ReminderOptOut": "a person's own reminder choice, on no public page",
    "consultation.Response": (
        "responses arrive by the thousand while a consultation is open; the published "
        "responses page, the one public page showing them, is not cached; the analysts' "
        "pages are kept fresh by the responses scope"
    ),
    "consultation.Answer": "as for responses",
    "consultation.AnswerReview": "analysts' coding, shown to analysts only (responses scope)",
}

# Silent models whose writes retire the fragments of one scope only: the analysts' lists
# follow every response, without a response emptying every public page.
SCOPES: dict[str, str] = {
    "consultation.Response": "responses",
    "consultation.Answer": "responses",
    "consultation.AnswerReview": "responses",
}


def _new_token() -> str:
    return secrets.token_hex(8)


# The generations read during this request (or, outside requests, this last second): a page
# with several fragments asks Redis once, not once per fragment. Reading a generation that
# has just been replaced is harmless (whatever is filed under it is never read again once
# the memo is dropped); a write in this request drops the memo at once.
_memo = threading.local()
MEMO_SECONDS = 1.0


def _forget_generations(**kwargs) -> None:
    _memo.tokens = {}
    _memo.since = time.monotonic()


def forget_local_state() -> None:
    """Drop what this process remembers beside the cache (after the cache is flushed, as the
    test suite does between tests)."""
    _forget_generations()
    _local.clear()


def _remembered() -> dict[str, str]:
    if time.monotonic() - getattr(_memo, "since", 0.0) > MEMO_SECONDS:
        _forget_generations()
    return _memo.tokens


def _generations(
    keys: list[str], along: tuple[str, ...] = ()
) -> tuple[dict[str, str | None], dict[str, Any]]:
    """The generations named by `keys`, and the values at the keys `along` read in the same
    round trip (a whole page, which is only served if the generation it was kept with is
    still the current one: one round trip for a page served from the cache)."""
    remembered = _remembered()
    missing = [key for key in keys if key not in remembered]
    found: dict[str, Any] = {}
    if missing:
        # Every scope's generation comes in the same round trip: a page that then asks for
        # a scope (the analysts' list) asks Redis nothing more.
        scoped = (f"{GENERATION_KEY}:{scope}" for scope in sorted(set(SCOPES.values())))
        missing = list(dict.fromkeys([*missing, *(k for k in scoped if k not in remembered)]))
    if missing or along:
        found = cache.get_many([*missing, *along])
        for key in missing:
            if found.get(key) is None:
                cache.add(key, _new_token(), None)
                found[key] = cache.get(key)
            if found[key] is not None:
                remembered[key] = found[key]
    return {key: remembered.get(key) for key in keys}, {key: found.get(key) for key in along}


def _replace(key: str) -> None:
    _forget_generations()
    cache.set(key, _new_token(), None)

    def again() -> None:
        _forget_generations()
        cache.set(key, _new_token(), None)

    transaction.on_commit(again)


def current_generation(*scopes: str) -> str | None:
    """The token pages are filed under now (with the tokens of `scopes`, if any), or None
    when the cache cannot hold one (Redis unreachable): then nothing is read from or
    written to the page cache."""
    keys = [GENERATION_KEY, *(f"{GENERATION_KEY}:{scope}" for scope in scopes)]
    tokens = list(_generations(keys)[0].values())
    return None if None in tokens else "-".join(tokens)


def content_changed(scope: str | None = None) -> None:
    """Retire every cached page (or only the fragments of `scope`): now, and again once
    the surrounding transaction commits."""
    _replace(f"{GENERATION_KEY}:{scope}" if scope else GENERATION_KEY)


def _on_save(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not getattr(instance, "shown_to_others", True):
        return  # a row only its author sees (a draft response) is on no cached page
    if update_fields and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing anyone else can see
    _changed(sender)


def _on_delete(sender, **kwargs) -> None:
    _changed(sender)


def _changed(model: type) -> None:
    label = model._meta.label
    if label in SCOPES:
        content_changed(SCOPES[label])
    elif label not in SILENT_MODELS:
        content_changed()


def _on_m2m(sender, action: str, instance, **kwargs) -> None:
    meta = type(instance)._meta
    if (
        action.startswith("post_")
        and meta.app_label in CONTENT_APPS
        and meta.label not in SILENT_MODELS
    ):
        content_changed()


def _app_models() -> list[type]:
    return [model for model in apps.get_models() if model._meta.app_label in CONTENT_APPS]


def connect_signals() -> None:
    """Called from PolicyHubConfig.ready(). Receivers are connected model by model, so
    models outside the apps (sessions, allauth's) keep Django's fast bulk deletes."""
    request_started.connect(_forget_generations, dispatch_uid="pagecache-request")
    for model in _app_models():
        if model._meta.label in SILENT_MODELS and model._meta.label not in SCOPES:
            continue
        post_save.connect(
            _on_save, sender=model, dispatch_uid=f"pagecache-save-{model._meta.label}"
        )
        post_delete.connect(
            _on_delete, sender=model, dispatch_uid=f"pagecache-delete-{model._meta.label}"
        )
    m2m_changed.connect(_on_m2m, dispatch_uid="pagecache-m2m")


def content_models() -> list[str]:
    """Every model whose writes retire cached pages (for the test that checks the split)."""
    return [m._meta.label for m in _app_models() if m._meta.label not in SILENT_MODELS]


# --- Serving ------------------------------------------------------------------------------

# Set on a request whose whole page `public_page` will try to keep (see address_fragment).
_KEEPS_WHOLE_PAGE = "_pagecache_keeps_whole_page"


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _may_store(request: HttpRequest, response: HttpResponse) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not getattr(getattr(request, "session", None), "modified", False)
        and not getattr(request, "_csp_nonce", None)
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _key(request: HttpRequest) -> str:
    """Where a page is kept: its address and the minute (the generation is kept with it)."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{minute}:{digest}"


def _fragment_key(name: str, vary: Any, generation: str, follows_clock: bool) -> str:
    minute = timezone.now().strftime("%Y%m%d%H%M") if follows_clock else "any"
    digest = hashlib.sha256(repr(vary).encode()).hexdigest()
    return f"fragment:{generation}:{minute}:{name}:{digest}"


def _timeout(follows_clock: bool) -> int:
    return PAGE_TIMEOUT if follows_clock else UNTIMED_TIMEOUT


def _shareable(value: Any) -> bool:
    """A fragment holding a CSRF token is personal: it is never stored."""
    return "csrfmiddlewaretoken" not in str(value)


def cached_fragment(
    name: str,
    vary: tuple,
    render: Callable[[], Any],
    *,
    scopes: tuple[str, ...] = (),
    follows_clock: bool = True,
) -> Any:
    """A piece of a page shared by everyone for whom `vary` is the same, under the same
    generation-and-minute rule as whole pages: signed-in pages cache their heavy, viewer-
    independent parts (a 500-row member table, a page of search results) this way.

    `vary` must hold everything the fragment's content depends on besides the data (the
    address, what the viewer may see). A fragment holding a CSRF token is personal and is
    never stored, whatever the caller passed. `scopes` adds the generations of those scopes
    to the key (see SCOPES). `follows_clock=False` is for content that does not change with
    the time of day (a calendar of every meeting): it is kept until the next write, not
    rebuilt every minute.
    """
    generation = current_generation(*scopes)
    if generation is None:
        return render()
    key = _fragment_key(name, vary, generation, follows_clock)
    value = _local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = render()
            if not _shareable(value):
                return value
            cache.set(key, value, _timeout(follows_clock))
        _local.put(key, value)
    return value


def address_fragment(
    request: HttpRequest, name: str, vary: tuple, render: Callable[[], Any], **options: Any
) -> Any:
    """`cached_fragment` for a part of a page that only the same address shows (a page of
    results, for its filters and page number): `vary` holds the address. A signed-out
    visitor's page is about to be kept whole, under that same address, by `public_page`,
    so for them the fragment is built and not kept: keeping a second copy would cost two
    more round trips to Redis on every new address (a new search), for a part that the
    kept page already holds."""
    if getattr(request, _KEEPS_WHOLE_PAGE, False):
        return render()
    return cached_fragment(name, vary, render, **options)


def cached_fragments(
    name: str,
    varies: Iterable[Hashable],
    render: Callable[[list[Hashable]], dict[Hashable, Any]],
    *,
    follows_clock: bool = True,
) -> dict[Hashable, Any]:
    """Many fragments of one kind, one per `vary` (each result in a list, keyed by its row),
    under the rule of `cached_fragment`: a list that is new (a search nobody made before)
    is then assembled from the pieces other lists already built. Those this process does
    not hold are asked of the cache in one round trip, and `render` is called once, with
    the varies still missing, and returns their fragments by vary."""
    varies = list(varies)
    generation = current_generation()
    if generation is None:
        return render(varies)
    keys = {vary: _fragment_key(name, vary, generation, follows_clock) for vary in varies}
    found = {vary: _local.get(key) for vary, key in keys.items()}
    wanted = [vary for vary, value in found.items() if value is None]
    if wanted:
        shared = cache.get_many([keys[vary] for vary in wanted])
        missing = [vary for vary in wanted if shared.get(keys[vary]) is None]
        made = render(missing) if missing else {}
        stored = {keys[vary]: value for vary, value in made.items() if _shareable(value)}
        if stored:
            cache.set_many(stored, _timeout(follows_clock))
        for vary in wanted:
            found[vary] = made[vary] if vary in made else shared[keys[vary]]
            if keys[vary] in stored or vary not in made:
                _local.put(keys[vary], found[vary])
    return found


def cached_row_or_404(name: str, rows: Callable[[], QuerySet], *, vary: tuple = (), **lookup):
    """`get_object_or_404(rows(), **lookup)` through the cache: a detail page's row, kept with
    the generation, so an edit or a restriction retires it at once. `rows` gives the rows
    the viewer may see; `vary` must name what that depends on (a visibility key)."""
    found = cached_fragment(
        name, (tuple(sorted(lookup.items())), *vary), lambda: rows().filter(**lookup).first()
    )
    if found is None:
        raise Http404(f"No such {rows().model._meta.verbose_name}.")
    return found


def form_state(data: QueryDict, names: Iterable[str]) -> str:
    """What a filter form shows, as a `vary` value: whether it is bound and the values of its
    own fields, and nothing else from the address. Page two of a search, or an address
    with a tracking parameter, then shares the form already built for the first (a
    document filter form lists every organisation, and is the costly part of a search)."""
    values = [(name, value) for name in sorted(names) for value in data.getlist(name)]
    return f"{bool(data)}:{urlencode(values)}"


def cached_answer(name: str, vary: tuple, compute: Callable[[], Any]) -> Any:
    """`cached_fragment` for a per-person answer read on every page (their role in a group,
    their registration for a meeting), which may be None or False: kept wrapped, so that
    "no" is remembered too. Retired by any write like everything else here, so it is never
    older than the rows it was read from."""
    return cached_fragment(name, vary, lambda: (compute(),))[0]


_IMMUTABLE = (str, bytes, int, float, bool, type(None), datetime.date)


class _Pickled(bytes):
    """A local copy of a value that could be changed in place (a model instance, a list):
    kept pickled and unpickled on every use, so no two requests ever share one object."""


class _LocalCopies:
    """The fragments this process used last, kept beside Redis (up to a byte budget), so a
    page's fragments cost no round trip and a 1 MB calendar is not fetched on every poll.

    Keys are the same as in Redis (generation and minute included), so a local copy is
    exactly as fresh as the shared one. Text, bytes and dicts of such values are kept as
    they are (handed out as copies); anything else (a model instance read through the
    cache) is kept pickled, as Redis keeps it, and every `get` unpickles a new object.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.used = 0
        self.entries: OrderedDict[str, tuple[Any, int]] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def _stored(value: Any) -> tuple[Any, int] | None:
        """(what to keep, its size in bytes), or None if it cannot be kept."""
        if isinstance(value, str | bytes):
            return value, len(value)
        if isinstance(value, dict) and all(isinstance(v, _IMMUTABLE) for v in value.values()):
            size = sum(len(v) for v in value.values() if isinstance(v, str | bytes)) + 64
            return dict(value), size
        try:
            pickled = _Pickled(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError):
            return None
        return pickled, len(pickled)

    def get(self, key: str) -> Any:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            self.entries.move_to_end(key)
        value = entry[0]
        if isinstance(value, _Pickled):
            return pickle.loads(value)  # noqa: S301  # nosec B301 - our own bytes, from put()
        return dict(value) if isinstance(value, dict) else value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.used = 0

    def put(self, key: str, value: Any) -> None:
        stored = self._stored(value)
        if stored is None or stored[1] > self.budget // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = stored
            self.used += stored[1]
            while self.used > self.budget:
                _, (_, dropped) = self.entries.popitem(last=False)
                self.used -= dropped


_local = _LocalCopies(budget=16 * 1024 * 1024)


# What {% csrf_token %} renders: Django's masked tokens are 64 letters and digits.
_TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([A-Za-z0-9]{64})(")')


def _placeholder() -> bytes:
    """Stands for a CSRF token in a stored page. Derived from the secret key, so no text a
    person types can contain it and be turned into a token."""
    return salted_hmac("policyhub.pagecache.csrf-hole", "token").hexdigest().encode()


def _with_csrf_holes(request: HttpRequest, response: HttpResponse) -> HttpResponse | None:
    """What to store for `response`: itself if it used no CSRF token; a copy with a hole
    where each token was; None if a token appears anywhere but a form's token field."""
    if not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return response
    hole = _placeholder()
    content, holes = _TOKEN_FIELD.subn(lambda m: m[1] + hole + m[3], response.content)
    secret = request.META.get("CSRF_COOKIE", "").encode()
    if holes != response.content.count(b"csrfmiddlewaretoken") or (secret and secret in content):
        return None
    stored = HttpResponse(content, status=response.status_code)
    for header, value in response.items():
        stored[header] = value
    stored.csrf_holes = True
    return stored


def _fill_csrf_holes(request: HttpRequest, response: HttpResponse) -> None:
    """Give this visitor their own token (and, through the CSRF middleware, its cookie)."""
    if getattr(response, "csrf_holes", False):
        response.content = response.content.replace(_placeholder(), get_token(request).encode())


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view` to signed-out visitors from the page cache (see the module docstring).

    Wrap only views whose page is the same for every signed-out visitor; the view must
    still check access itself, since signed-in people and cache misses go straight to it.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _may_use_cache(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        tokens, kept = _generations([GENERATION_KEY], along=(key,))
        generation = tokens[GENERATION_KEY]
        if generation is None:
            return view(request, *args, **kwargs)
        if kept[key] is not None and kept[key][0] == generation:
            cached = kept[key][1]
            _fill_csrf_holes(request, cached)
            patch_vary_headers(cached, ["Cookie"])
            return cached
        setattr(request, _KEEPS_WHOLE_PAGE, True)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        patch_vary_headers(response, ["Cookie"])
        if _may_store(request, response):
            stored = _with_csrf_holes(request, response)
            if stored is not None:
                cache.set(key, (generation, stored), PAGE_TIMEOUT)
        return response

    return wrapper
