"""``seabridge import KIND FILE --as ORG --user EMAIL [--dry-run]``: import a file as a person.

Prints the validation report (row, column, problem) and exits with status 1 when
the file is refused; with ``--dry-run`` the file is only checked. Progress goes to
standard error as the rows are read, checked and written.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.accounts.commands import command_actor
from seabridge.core.commands import refusals_as_errors
from seabridge.imports.choices import DateOrder, Encoding, ImportStatus
from seabridge.imports.kinds import all_kinds
from seabridge.imports.selectors import problems_left_out
from seabridge.imports.services import import_file


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file of one kind, all rows or none, as a member of an organisation."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[kind.code for kind in all_kinds()])
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="as_organization",
            metavar="ORG",
            required=True,
            help="The organisation (short name) the person acts for.",
        )
        parser.add_argument("--user", metavar="EMAIL", required=True, help="The person's e-mail.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--encoding", choices=Encoding.values, default=Encoding.AUTO)
        parser.add_argument("--delimiter", default="", help="CSV delimiter; detected if left out.")
        parser.add_argument("--date-order", choices=DateOrder.values, default=DateOrder.DMY)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        actor = command_actor(options)
        phase: dict[str, Any] = {"label": "", "done": -1}

        def progress(done: int, total: int | None = None, message: str | None = None) -> None:
            # One line per phase ("Reading rows", "Checking rows", "Writing") and then
            # every thousand rows or so: a watcher sees how far the commit is.
            new_phase = bool(message) and message != phase["label"]
            if message:
                phase["label"] = message
            if new_phase or done - int(phase["done"]) >= 1000 or done == total:
                counted = f" {done}/{total}" if total else f" {done}"
                sys.stderr.write(f"{phase['label']}{counted}\n")
                sys.stderr.flush()
                phase["done"] = done

        with refusals_as_errors():
            batch = import_file(
                actor=actor,
                kind=options["kind"],
                data=data,
                filename=path.name,
                commit=not options["dry_run"],
                encoding=options["encoding"],
                delimiter=options["delimiter"],
                date_order=options["date_order"],
                progress=progress,
            )
        for problem in batch.errors:
            where = ", ".join(
                part
                for part in (
                    f"row {problem['row']}" if problem.get("row") else "",
                    str(problem.get("column") or ""),
                )
                if part
            )
            self.stdout.write(f"{where}: {problem['message']}" if where else problem["message"])
        left_out = problems_left_out(batch, listed=len(batch.errors))
        if left_out:
            self.stdout.write(left_out)
        self.stdout.write(batch.message)
        if batch.status == ImportStatus.REFUSED:
            raise CommandError(f"{path.name} refused: nothing was imported.", returncode=1)
