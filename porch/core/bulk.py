"""Writing many new rows at once, as fast as the database takes them (ADR 0022).

On PostgreSQL, by COPY: building and parsing an INSERT of thousands of values cost most of a
full load of the housing record, in Python before the database saw a row. Behind the database
wall (ADR 0032), which COPY cannot pass, by one INSERT of a column of values each (UNNEST),
built as cheaply as COPY's rows. Elsewhere (SQLite), by bulk_create. For rows whose ids nobody
needs back; each write is all or nothing, and a row the database refuses raises Django's own
error, as bulk_create would.

The raw statements outside migrations: writes of new rows, which reach nothing. Their table and
columns are the model's own; their values travel apart from them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import batched
from typing import Any

import psycopg
from django.db import connection
from django.db.backends.utils import CursorWrapper
from django.db.models import Field, Model

from porch.core import rls

BATCH = 1000
# Below this many rows one INSERT costs no more than COPY's extra round trip.
COPY_FROM = 50


def rows_insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert new rows, each the values of `fields` (field names: "account" takes an id) in order."""
    if connection.vendor != "postgresql":
        names = [_field(model, name).attname for name in fields]  # account_id, not account
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return
    if rls.is_on(connection):
        _insert_columns(model, fields, rows)
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_field(model, name).column or name) for name in fields)
    # Django translates the driver's errors for execute() but not for copy(): this does.
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,  # noqa: TID251
        cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _insert_columns(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL behind the wall: each BATCH of rows as one INSERT of one array a column, with
    no RETURNING (whose rows the reading policy would have to pass). The arrays go in binary
    (%b), apart from the statement: sent as text, PostgreSQL parsing them cost a queue's hundred
    audit rows 4.2 ms against COPY's 1.8; in binary 2.4."""
    quote = connection.ops.quote_name
    columns = [_field(model, name) for name in fields]
    names = ", ".join(quote(column.column or column.name) for column in columns)
    arrays = ", ".join(f"%b::{column.db_type(connection)}[]" for column in columns)
    # Table, columns and types are the model's own; the values are parameters.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT * FROM unnest({arrays})"  # noqa: S608
    with _binding_cursor() as cursor:
        for batch in batched(rows, BATCH):
            cursor.execute(sql, [list(values) for values in zip(*batch, strict=True)])


@contextmanager
def _binding_cursor() -> Iterator[CursorWrapper]:
    """A cursor binding its values on the server, as binary parameters need (Django's binds
    them into the statement's text): psycopg's own, in Django's wrapper, so errors are
    translated and execute wrappers and the debug log see it as they see any statement."""
    connection.ensure_connection()
    cursor: Any = psycopg.Cursor(connection.connection)  # Any: the stubs take a wrapper, Django the driver's cursor
    wrapped = connection.make_debug_cursor(cursor) if connection.queries_logged else connection.make_cursor(cursor)
    with wrapped:
        yield wrapped


def objects_insert(model: type[Model], objects: Sequence[Model]) -> None:
    """Insert new model instances (their own ids left to the database and not read back), by
    COPY when there are enough of them to gain from it; behind the database wall, always by
    columns, whose INSERT returns nothing the reading policy would have to pass."""
    few = len(objects) < COPY_FROM and not rls.is_on(connection)  # behind the wall: no RETURNING
    if connection.vendor != "postgresql" or few:
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    rows_insert(
        model,
        [f.name for f in fields],
        ([f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields] for o in objects),
    )


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field
