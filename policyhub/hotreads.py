"""Plain-SQL reads for the few rows a hot path reads on nearly every request.

A respondent's draft is read on every page of their response, and its answers on every
question page. Through the ORM, reading the draft by its key cost 0.6 ms on the benchmark
machine, two thirds of it building and compiling the query; the same statement run as
written SQL costs 0.15 ms (0.28 ms through `Manager.raw`, 0.19 ms here). `rows()` writes
the statement once per process (model, columns, database) and hands back ordinary model
instances, with the database's converters applied as a queryset applies them (SQLite's
dates, JSON), so callers cannot tell the difference.

Use it only where a profile shows the ORM's own cost matters. Everywhere else the ORM's
querysets are clearer, and they are where each app's rules about rows live
(`querysets.py`); a caller here states the same rule in its column values.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model
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
