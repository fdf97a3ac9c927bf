"""Writing many rows at once, faster than ``bulk_create``, on SQLite and PostgreSQL.

``bulk_create`` builds a model instance per row and compiles every value through
its field, which costs about 50–100 µs a row: for the millions of rows of a
vehicle history import (or the demo world) that is most of the time. The two
functions here skip both:

* :func:`ids_reserve` hands out primary keys for rows about to be inserted, so that
  rows which refer to each other (a vehicle and its events) are written without
  reading keys back;
* :func:`rows_insert` inserts tuples of values the database driver takes as they
  are (``int``, ``str``, ``bool``, ``date``, ``Decimal``, ``None``, and date-times
  made by :func:`db_now`), with one prepared statement run for all rows on SQLite
  (``executemany``) and ``COPY … FROM STDIN`` on PostgreSQL.

The caller validates the values (these functions check nothing) and calls them
inside its transaction; constraints in the database still hold.

:func:`chunks` is the one way to cut a long list into slices: ids for ``IN (…)``
queries under the database's parameter limit, rows per service call or statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model
from django.utils import timezone

CHUNK = 20_000  # rows per executemany call (bounds the memory of one call)
BULK_CACHE_KB = 262_144  # SQLite's page cache of a connection that writes in bulk

Item = TypeVar("Item")


def chunks(items: Sequence[Item], size: int) -> Iterator[Sequence[Item]]:
    """``items`` in consecutive slices of ``size`` (the last one may be shorter)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _pk_column(model: type[Model]) -> str:
    pk = model._meta.pk
    assert pk is not None  # every concrete model has one
    return pk.column


def ids_reserve(model: type[Model], count: int) -> list[int]:
    """``count`` primary keys of ``model``'s table that no other insert will take.

    PostgreSQL: drawn from the table's sequence. SQLite: the table's AUTOINCREMENT
    counter is moved on by ``count`` (the UPDATE also takes the write lock, so no
    other connection can insert between the reservation and the caller's rows).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = _pk_column(model)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        highest = f"(SELECT coalesce(max({quote(column)}), 0) FROM {quote(table)})"  # noqa: S608 - names are ours
        cursor.execute(
            f"UPDATE sqlite_sequence SET seq = max(seq, {highest}) + %s WHERE name = %s "  # noqa: S608 - names are ours
            "RETURNING seq",
            [count, table],
        )
        row = cursor.fetchone()
        if row is None:  # the table never had a row: no counter yet
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, {highest} + %s RETURNING seq",
                [table, count],
            )
            row = cursor.fetchone()
        last = int(row[0])
    return list(range(last - count + 1, last + 1))


def db_now() -> Any:
    """The current time as :func:`rows_insert` writes a ``DateTimeField`` (computed once
    per write, not per row)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


class DateValues(dict[Any, Any]):
    """Dates as the database driver takes them fastest, computed once per distinct date
    (SQLite: ISO text, which is how Django stores dates there; PostgreSQL: the date).
    Use ``values[day]`` for each date value of the rows given to :func:`rows_insert`."""

    def __init__(self) -> None:
        super().__init__()
        self.as_text = connection.vendor == "sqlite"
        self[None] = None

    def __missing__(self, day: Any) -> Any:
        value = day.isoformat() if self.as_text else day
        self[day] = value
        return value


def rows_insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert ``rows`` (one value per name in ``fields``, field names or attnames such
    as ``vehicle_id``) into ``model``'s table; answers the number of rows."""
    by_name = {field.name: field for field in model._meta.concrete_fields}
    by_name |= {field.attname: field for field in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(by_name[name].column) for name in fields)
    count = 0
    # The driver's own cursor: with DEBUG on, Django's would format every statement's
    # parameters for its query log (seconds for a million rows).
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        # SQLite keeps 2 MB of pages by default: each row then reads its indexes' pages
        # from the file again (inserting events into a 4-million-row table: 3× slower).
        cursor.execute(f"PRAGMA cache_size = -{BULK_CACHE_KB}")
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names are ours
        batch: list[Sequence[Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == CHUNK:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count
