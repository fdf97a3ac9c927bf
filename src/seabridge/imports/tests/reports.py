"""The whole report of an import, as the tests of every kind of import read it."""

from __future__ import annotations

from typing import Any, NamedTuple

from seabridge.core.scope import Actor
from seabridge.imports.selectors import problems_left_out
from seabridge.imports.services import import_file


class Report(NamedTuple):
    """An import's status, how many problems it counted, the problems it lists (row, column,
    message) and what it says of the ones it leaves out."""

    status: str
    counted: int
    problems: list[tuple[int | None, str | None, str]]
    left_out: str = ""


def report(
    actor: Actor, kind: str, data: bytes, filename: str = "file.csv", **options: Any
) -> Report:
    """Import ``data`` as ``actor`` (checked and, when no row has a problem, committed)."""
    batch = import_file(actor=actor, kind=kind, data=data, filename=filename, **options)
    return Report(
        str(batch.status),
        batch.error_count,
        [(problem["row"], problem["column"], problem["message"]) for problem in batch.errors],
        problems_left_out(batch, listed=len(batch.errors)),
    )
