"""``seabridge generate --vehicles N [--seed S] [--markets M] [--outlets O]``: build a
synthetic world of any size into an empty database, for benchmarks.

The same seed gives the same rows. A progress bar goes to standard error; the
summary (rows written, rows per second) to standard output.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.core.errors import DomainError
from seabridge.demo.services import world_generate

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Build a synthetic world of N vehicles with their events into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--vehicles", type=int, required=True, metavar="N")
        parser.add_argument("--seed", type=int, default=1, metavar="S")
        parser.add_argument("--markets", type=int, default=30, metavar="M")
        parser.add_argument("--outlets", type=int, default=300, metavar="O")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        interactive = self.stderr.isatty()

        def progress(done: int, total: int, message: str) -> None:
            filled = BAR_WIDTH * done // total if total else BAR_WIDTH
            elapsed = time.perf_counter() - started
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            line = f"[{bar}] {done:,}/{total:,} {message} ({elapsed:.0f} s)"
            # On a terminal the bar redraws itself; in a log, one line per step.
            self.stderr.write(
                ("\r" + line) if interactive else line, ending="" if interactive else "\n"
            )
            if interactive and done == total and done:
                self.stderr.write("")
            self.stderr.flush()

        try:
            summary = world_generate(
                vehicles=options["vehicles"],
                seed=options["seed"],
                markets=options["markets"],
                outlets=options["outlets"],
                progress=progress,
            )
        except DomainError as error:
            details = [
                f"--{name}: {'; '.join(messages)}" for name, messages in error.fields.items()
            ]
            raise CommandError(" ".join(details) or error.message) from error
        events = summary.event_count
        seconds = max(summary.seconds, 1e-9)
        self.stdout.write(
            f"Generated {summary.vehicles:,} vehicles with {events:,} events, "
            f"{summary.customers:,} customers, {summary.organizations:,} organisations "
            f"({summary.markets} markets, {summary.outlets} outlets) in {summary.seconds:.1f} s "
            f"(countries loaded in {summary.reference_seconds:.1f} s)."
        )
        self.stdout.write(
            f"{summary.vehicles / seconds:,.0f} vehicles/s; "
            f"{(summary.vehicles + events + summary.customers) / seconds:,.0f} rows/s "
            "(vehicles, events and customers)."
        )
        for event_type, count in summary.events.items():
            self.stdout.write(f"  {event_type}: {count:,}")
