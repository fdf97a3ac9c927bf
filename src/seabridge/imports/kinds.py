"""The import framework's contract: a kind of import declares its columns and key, and
checks and applies rows in bulk.

A module declares a kind in its own ``imports.py`` (found at start-up)::

    @register
    class RetailSales(ImportKind):
        code = "retail_sales"
        label = _("Retail sales")
        columns = (
            Column("vin", _("VIN"), ColumnType.CODE, required=True, example="LJ1..."),
            Column("sold_on", _("Sale date"), ColumnType.DATE, required=True, example=...),
            ...
        )
        key = ("vin",)

        def check(self, context: Context, rows: Sequence[Row]) -> Prepared: ...
        def apply(self, context: Context, prepared: Prepared) -> None: ...

The framework reads the file, maps the header to the columns, parses every cell
to the column's type, refuses missing required cells and keys repeated inside the
file; then ``check`` gets the rows that passed all of that, resolves references in
bulk (one query per reference kind, never per row), asks the scope module about
every row, compares each row with what is stored under its key, reports problems
with :meth:`Context.error` and answers what to write. Every stage runs on the rows
the earlier ones left, so that one report names every problem of the file (the
first :data:`MAX_STORED_ERRORS` of them in the order of rows and columns, and how
many there are). When no row has an error, ``apply`` writes it, inside the
framework's transaction, in batches: it may raise a
:class:`~seabridge.core.errors.DomainError` when the world changed since the check,
and then nothing is written.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed
from seabridge.core.scope import Actor
from seabridge.imports.choices import ColumnType

StrOrPromise = str | Promise

MAX_STORED_ERRORS = 1000


@dataclass(frozen=True)
class Column:
    """One column of a kind of import.

    ``name`` is the stable key (used in the API and in mappings); ``label`` is the
    header the template shows, in the user's language; the header of an uploaded
    file matches the label in any of our languages, the name, or an alias,
    case-insensitively. ``example`` fills the template's example row.
    """

    name: str
    label: StrOrPromise
    type: ColumnType = ColumnType.TEXT
    required: bool = False
    example: Any = ""
    max_length: int | None = None
    aliases: tuple[str, ...] = ()
    help: StrOrPromise = ""


@dataclass
class Row:
    """One data row of the file: its spreadsheet row number and its typed values
    (``None`` for an empty cell), keyed by column name."""

    number: int
    values: dict[str, Any]

    def __getitem__(self, name: str) -> Any:
        return self.values.get(name)


@dataclass
class Prepared:
    """What ``check`` found: how many rows create, change or leave alone a record,
    and whatever ``apply`` needs to write (the kind's own shape)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    payload: Any = None

    @property
    def changes(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class Problem:
    """One problem of the validation report: row, column and a message a user understands."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


Progress = Callable[[int, int | None, str | None], None]


def _no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    return None


@dataclass
class Context:
    """What a kind's ``check`` and ``apply`` get: the actor, the error report and a
    progress callback (rows done, total, message).

    The report keeps the first :data:`MAX_STORED_ERRORS` problems in the order a user
    reads the file (problems of the whole file first, then by row, and within a row
    by the kind's columns, the row's own problems first) and counts every problem.
    """

    actor: Actor
    kind: ImportKind
    headers: dict[str, str] = field(default_factory=dict)  # column name → header in the file
    error_count: int = 0
    bad_rows: set[int] = field(default_factory=set)
    progress: Progress = _no_progress
    date_order: str = "dmy"  # how the file writes 03/04/2025 (DateOrder)
    # The problems kept: a heap whose top is the last one in the report's order.
    _kept: list[tuple[int, int, int, Problem]] = field(default_factory=list, repr=False)

    def error(self, row: Row | int | None, column: str | None, message: str) -> None:
        """Report a problem of ``row`` (a :class:`Row` or a row number) in ``column``
        (a column name; ``None`` for the whole row or the whole file)."""
        number = row.number if isinstance(row, Row) else row
        self.error_count += 1
        if number is not None:
            self.bad_rows.add(number)
        # Negated, so that the heap's top is the problem the report would list last.
        key = (-(number or 0), -self.kind.position(column), -self.error_count)
        kept = self._kept
        if len(kept) >= MAX_STORED_ERRORS and key <= kept[0][:3]:
            return
        header = self.headers.get(column, "") if column else ""
        if column and not header:
            header = str(self.kind.column(column).label) if self.kind.has(column) else column
        problem = Problem(number, header or None, message)
        if len(kept) >= MAX_STORED_ERRORS:
            heapq.heapreplace(kept, (*key, problem))
        else:
            heapq.heappush(kept, (*key, problem))

    @property
    def problems(self) -> list[Problem]:
        """The problems kept, in the order of the report."""
        return [entry[3] for entry in sorted(self._kept, key=lambda entry: entry[:3], reverse=True)]

    @property
    def problems_left_out(self) -> int:
        """How many problems the report counts but does not list."""
        return self.error_count - len(self._kept)

    def ok(self, row: Row) -> bool:
        """Whether ``row`` has no problem so far (so that checks can skip broken rows)."""
        return row.number not in self.bad_rows


class ImportKind:
    """A kind of import; subclasses declare ``code``, ``label``, ``columns``, ``key``
    and implement ``check`` and ``apply``."""

    code: ClassVar[str]
    label: ClassVar[StrOrPromise]
    description: ClassVar[StrOrPromise] = ""
    columns: ClassVar[tuple[Column, ...]]
    key: ClassVar[tuple[str, ...]]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    def has(self, name: str) -> bool:
        return any(column.name == name for column in self.columns)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {column.name: index for index, column in enumerate(self.columns)}

    def position(self, name: str | None) -> int:
        """Where the column ``name`` stands among the kind's columns: -1 for none (the
        whole row), after the last for a name that is no column."""
        if name is None:
            return -1
        return self._positions.get(name, len(self.columns))

    def check(self, context: Context, rows: Sequence[Row]) -> Prepared:
        """Resolve references in bulk, check every row against the scope and what is
        stored under its key, report problems on ``context``; answer what to write.

        ``rows`` are the rows that passed reading and parsing: every required cell
        holds a value of its column's type, and no key is repeated. A row's problems
        are all reported (a row with an unknown reference is still checked for what
        does not depend on it), so that a user fixes the file once."""
        raise NotImplementedError

    def apply(self, context: Context, prepared: Prepared) -> None:
        """Write what ``check`` prepared, in batches, inside the caller's transaction."""
        raise NotImplementedError


_KINDS: dict[str, ImportKind] = {}


def register(kind_class: type[ImportKind]) -> type[ImportKind]:
    """Class decorator: make a kind of import available to pages, API and command."""
    _KINDS[kind_class.code] = kind_class()
    return kind_class


def kind_for(code: str) -> ImportKind:
    """The kind called ``code``, or a refusal naming the kinds there are."""
    try:
        return _KINDS[code]
    except KeyError:
        raise ValidationFailed(
            fields={
                "kind": [
                    _("Unknown kind of import %(kind)s; use one of: %(kinds)s.")
                    % {"kind": code, "kinds": ", ".join(sorted(_KINDS))}
                ]
            }
        ) from None


def all_kinds() -> list[ImportKind]:
    return [_KINDS[code] for code in sorted(_KINDS)]


# Values a kind may receive, per column type (for the readers of kinds' code).
TYPED: dict[ColumnType, type] = {
    ColumnType.TEXT: str,
    ColumnType.CODE: str,
    ColumnType.INTEGER: int,
    ColumnType.DECIMAL: Decimal,
    ColumnType.DATE: date,
    ColumnType.BOOLEAN: bool,
}
