"""``seabridge bulletin --brand JAC --year 2023 [--through 2024-04-30] --lang zh-hans``: the
year's headline sales, and the year to date after it, written out in one of our languages."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from seabridge.analytics.bulletin import FIRST_YEAR, LANGUAGES, LAST_YEAR, bulletin
from seabridge.analytics.management.common import (
    VIEW_HELP,
    add_view_arguments,
    brand_and_actor,
    iso_date,
    refusals_as_errors,
)
from seabridge.analytics.selectors import Facts


class Command(BaseCommand):
    help = (
        "Write a brand's sales bulletin: the full --year against the year before, with the "
        "domestic and international growth, and with --through, January to that day of its "
        "(later) year. " + VIEW_HELP
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's name, e.g. JAC.")
        parser.add_argument(
            "--year", required=True, type=int, help=f"The full year, {FIRST_YEAR}..{LAST_YEAR}."
        )
        parser.add_argument(
            "--through", type=iso_date, help="The year to date's last day, YYYY-MM-DD."
        )
        parser.add_argument("--lang", required=True, choices=LANGUAGES, help="The language.")
        add_view_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        brand, actor = brand_and_actor(options)
        with refusals_as_errors():
            text = bulletin(
                facts=Facts(actor),
                brand_name=brand.name,
                year=options["year"],
                through=options["through"],
                language=options["lang"],
            )
        self.stdout.write(text)
