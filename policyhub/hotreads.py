"""Plain-SQL reads for the few rows a hot path reads on nearly every request.

A respondent's draft is read on every page of their response, and its answers on every
question page. Through the ORM, reading the draft by its key cost 0.6 ms on the benchmark
machine, two thirds of it building and compiling the query; the same statement run as
written SQL costs 0.15 ms (0.28 ms through `Manager.raw`, 0.19 ms here). `rows()` writes
the statement once per process (model, columns, database) and hands back ordinary model
instances, with the database's converters applied as a queryset applies them (SQLite's
dates, JSON), so callers cannot tell the difference.

`PreparedQueries` does the same for a query too rich to write by hand: the ORM compiles
its queryset once per shape, with a mark where the one value that changes goes, and each
call runs that SQL with its own value as the parameter. A new search of the document
archive is the case in point: its query (what the reader may see, the search, the ranking,
the count) took Django 1.2–1.7 ms to build and compile on every request, about twice what
PostgreSQL took to answer it (docs/performance.md). Nothing there is written by hand: the
SQL is what the ORM compiled from the queryset the page would otherwise run, access rules
included, and the value is only ever a parameter. Rows come back as the model's instances
through `raw()`, with the queryset's annotations as attributes. A query the mark does not
reach as a parameter of its own (SQLite's search puts each word in a pattern) is not
prepared: the caller runs its queryset as before.

Use either only where a profile shows the ORM's own cost matters. Everywhere else the ORM's
querysets are clearer, and they are where each app's rules about rows live
(`querysets.py`); a caller of `rows()` states the same rule in its column values.
"""

from __future__ import annotations

import functools
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col
from django.db.models.sql import Query

M = TypeVar("M", bound=Model)


def rows(model: type[M], *, lock: bool = False, **equal_to: Any) -> list[M]:
    """The rows of `model` whose named fields equal the given values (`pk` names the
    primary key; a foreign key is given by its id, `consultation_id=…`), in no particular
    order. `lock=True` locks them until the transaction ends, as `select_for_update()`
    does, on databases that can (SQLite locks the whole database on the write instead)."""
    database = router.db_for_write(model) if lock else router.db_for_read(model)
    connection = connections[database]
    locks = lock and connection.features.has_select_for_update
    statement = _statement(model, tuple(equal_to), database, locks)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, list(equal_to.values()))
        found = cursor.fetchall()
    # The database's and the fields' converters (SQLite's dates, JSON), as a queryset
    # applies them; found for this thread's connection, so not kept between calls.
    compiler = connection.ops.compiler("SQLCompiler")(statement.query, connection, database)
    converters = compiler.get_converters(statement.columns)
    if converters:
        found = compiler.apply_converters(found, converters)
    return [model.from_db(database, statement.attnames, values) for values in found]


@dataclass(frozen=True)
class _Statement:
    sql: str
    attnames: list[str]
    columns: list[Col]
    query: Query


@functools.cache
def _statement(model: type[Model], names: tuple[str, ...], database: str, lock: bool) -> _Statement:
    """Every concrete column of `model`, where each named field equals a parameter."""
    meta = model._meta
    quote = connections[database].ops.quote_name
    fields = meta.concrete_fields
    columns = ", ".join(quote(field.column) for field in fields)
    wanted = [meta.pk if name == "pk" else meta.get_field(name) for name in names]
    where = " AND ".join(f"{quote(field.column)} = %s" for field in wanted)
    # Names come from the model; every value is a parameter.
    sql = f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {where}"  # nosec B608
    return _Statement(
        sql=f"{sql} FOR UPDATE" if lock else sql,
        attnames=[field.attname for field in fields],
        columns=[field.get_col(meta.db_table) for field in fields],
        query=Query(model),
    )


# --- Queries compiled from a queryset, once per shape ----------------------------------------

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
