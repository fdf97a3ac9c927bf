"""``seabridge load_markets``: load countries, business regions and market profiles."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from seabridge.markets.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load every ISO 3166 country (names in our languages, currency, UN M49 regions), "
        "the default business regions and a market profile per country. Safe to run again: "
        "it creates what is missing and never overwrites what users edited."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reference_data_load()
        self.stdout.write(str(summary))
