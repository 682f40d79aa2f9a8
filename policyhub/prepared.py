"""Queries compiled to SQL once per shape, for the few pages where Django's building and
compiling of a queryset costs more than the database takes to run it.

A new search of the document archive is the case in point: its query (what the reader may
see, the search, the ranking, the count) took Django 1.2–1.7 ms to build and compile on
every request, about twice what PostgreSQL took to answer it (docs/performance.md).
Between two searches by the same kind of reader only the words change, so the SQL is
compiled once, with a mark where the words go, and each search runs that SQL with its own
words as the parameter.

Nothing is written by hand: the SQL is what the ORM compiled from the queryset the page
would otherwise run, access rules included, and the words are only ever a parameter. The
rows come back as the model's instances through `raw()`, with the queryset's annotations
as attributes. A query the mark does not reach as a parameter of its own (SQLite's search
puts each word in a pattern) is not prepared: the caller runs its queryset as before.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import Model, QuerySet

# Where the value goes. Random per process, so nothing a person types can be taken for it.
MARK = f"prepared{secrets.token_hex(8)}"


@dataclass(frozen=True)
class _Compiled:
    model: type[Model]
    using: str
    sql: str
    params: tuple
    at: tuple[int, ...]  # the positions of the mark in params

    def rows(self, value: str) -> list[Model]:
        params = list(self.params)
        for position in self.at:
            params[position] = value
        return list(self.model._default_manager.db_manager(self.using).raw(self.sql, params))


class PreparedQueries:
    """The SQL of up to `size` query shapes, the least recently used forgotten first."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._compiled: OrderedDict[Hashable, _Compiled | None] = OrderedDict()
        self._lock = threading.Lock()

    def rows(
        self, shape: Hashable, build: Callable[[str], QuerySet], value: str
    ) -> list[Model] | None:
        """The rows of `build(value)`, or None if its query cannot be prepared.

        `shape` must name everything the query depends on besides `value` (who is asking,
        which page): two calls with the same shape must build the same SQL for the same
        value. `build` is called only the first time a shape is seen, with the mark.
        """
        with self._lock:
            compiled = self._compiled.get(shape, False)
            if compiled is not False:
                self._compiled.move_to_end(shape)
        if compiled is False:
            compiled = _compile(build(MARK))
            with self._lock:
                self._compiled[shape] = compiled
                while len(self._compiled) > self.size:
                    self._compiled.popitem(last=False)
        return None if compiled is None else compiled.rows(value)

    def clear(self) -> None:
        with self._lock:
            self._compiled.clear()


def _compile(queryset: QuerySet) -> _Compiled | None:
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return None  # nothing to run (an empty slice): the queryset answers at once
    at = tuple(i for i, param in enumerate(params) if param == MARK)
    inside = [p for p in params if isinstance(p, str) and MARK in p and p != MARK]
    if not at or inside or MARK in sql:
        return None  # the mark is (also) inside a pattern or the SQL: not a parameter
    return _Compiled(queryset.model, queryset.db, sql, tuple(params), at)
