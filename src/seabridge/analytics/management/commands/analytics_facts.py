"""``seabridge analytics_facts --rebuild | --check``: recount the fact tables from the
vehicles and their events, or compare them with a recount and list every difference."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.analytics.facts import facts_check, facts_rebuild


class Command(BaseCommand):
    help = (
        "Recount the analytics facts from the events (--rebuild), or compare them with a "
        "recount (--check: prints each difference and fails when there is any)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--rebuild", action="store_true", help="Recount every fact (after an import)."
        )
        action.add_argument(
            "--check", action="store_true", help="List facts that differ from a recount."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["rebuild"]:
            rows = facts_rebuild()
            self.stdout.write(f"Rebuilt the facts from the events: {rows} daily rows.")
            return
        differences = facts_check()
        for difference in differences:
            self.stdout.write(str(difference))
        if differences:
            raise CommandError(
                f"{len(differences)} fact(s) differ from the events; "
                "run `seabridge analytics_facts --rebuild`."
            )
        self.stdout.write("The facts match the events.")
