"""``seabridge demo [--seed S] [--if-empty]``: build the demo world of the three cases.

Zhengzhou Nissan and Zhongjiang International with their memorandum and plan, JAC
with 300,000 pickups and more in 132 countries, Nezha with over 320,000 cars on the
road — every vehicle a row with its events. Refused when ``DEBUG`` is off: the demo
people share one published password. A progress line goes to standard error; the
people to sign in as, and the password, to standard output.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.accounts.models import Organization
from seabridge.core.errors import DomainError
from seabridge.demo.histories import demo_build
from seabridge.demo.world import DEMO_PASSWORD

DEMO_PEOPLE_HINT = "admin@jac.example"


class Command(BaseCommand):
    help = (
        "Build the demo world (the three cases of the design, with every vehicle and its "
        "events) into an empty database. Only with DEBUG on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025, metavar="S")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has organisations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo world is refused when DEBUG is off: its people share a published "
                "password. Run it on a development machine (DEBUG=true)."
            )
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write(
                "The database has organisations already; the demo world is not built."
            )
            if User.objects.filter(email=DEMO_PEOPLE_HINT).exists():
                self.stdout.write(
                    f"Demo people sign in as e.g. {DEMO_PEOPLE_HINT}; "
                    f"the password is {DEMO_PASSWORD!r}."
                )
            return
        started = time.perf_counter()

        def progress(done: int, what: str) -> None:
            elapsed = time.perf_counter() - started
            self.stderr.write(f"demo: {what}: {done:,} vehicles ({elapsed:.0f} s)")
            self.stderr.flush()

        try:
            summary = demo_build(seed=options["seed"], progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from error
        seconds = time.perf_counter() - started
        total = sum(summary.vehicles.values())
        self.stdout.write(f"Demo world built in {seconds:.0f} s: {total:,} vehicles.")
        for maker, count in summary.vehicles.items():
            self.stdout.write(f"  {maker}: {count:,}")
        self.stdout.write(f"Sign in with any of these; the password is {DEMO_PASSWORD!r}:")
        for person in summary.world.people:
            self.stdout.write(f"  {person.email:<36} {person.works_as}")
