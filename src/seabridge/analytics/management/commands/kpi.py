"""``seabridge kpi --brand JAC --measure sales --from 2024-01-01 --to 2024-04-30 [--json]``:
a brand's headline figures for a period, with growth over the same dates a year earlier."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.analytics.choices import Measure
from seabridge.analytics.management.common import (
    VIEW_HELP,
    add_view_arguments,
    brand_and_actor,
    iso_date,
    refusals_as_errors,
)
from seabridge.analytics.selectors import (
    Facts,
    Filters,
    Growth,
    Kpis,
    kpis,
    market_by_code,
    region_by_name,
)
from seabridge.core.periods import Period


def _change(growth: Growth) -> str:
    if growth.is_new:
        return "new"
    pct = growth.pct
    return "-" if pct is None else f"{pct:+.1f}%"


def _pct(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


class Command(BaseCommand):
    help = (
        "Print a brand's headline figures of one measure for a period: units, growth year "
        "on year, the domestic and international split and the countries reached. For "
        "vehicles in operation, units are the count on --to. " + VIEW_HELP
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's name, e.g. JAC.")
        parser.add_argument("--measure", required=True, choices=Measure.values)
        parser.add_argument(
            "--from", dest="start", required=True, type=iso_date, help="First day, YYYY-MM-DD."
        )
        parser.add_argument(
            "--to", dest="end", required=True, type=iso_date, help="Last day (included)."
        )
        parser.add_argument("--market", help="Only this market (ISO 3166 alpha-2 code).")
        parser.add_argument("--region", help="Only this business region (code or name).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        add_view_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = options["start"], options["end"]
        if start > end:
            raise CommandError(f"--from {start.isoformat()} is after --to {end.isoformat()}.")
        brand, actor = brand_and_actor(options)
        with refusals_as_errors():
            market = market_by_code(options["market"]) if options["market"] else None
            region = region_by_name(options["region"]) if options["region"] else None
            facts = Facts(
                actor,
                Filters(
                    brand_ids=(brand.pk,),
                    market_codes=(market.code,) if market else (),
                    region=region,
                ),
            )
            figures = kpis(
                facts=facts, measure=Measure(options["measure"]), period=Period(start, end)
            )
        if options["json"]:
            self.stdout.write(json.dumps(figures.as_json(), ensure_ascii=False, indent=2))
            return
        self._table(brand.name, figures)

    def _table(self, brand: str, figures: Kpis) -> None:
        write = self.stdout.write
        write(
            f"{brand} · {figures.measure.label} · {figures.period} "
            f"(against {figures.previous_period})"
        )
        write(f"{'':<15}{'Units':>12}{'Year before':>14}{'Change':>10}{'Countries':>11}")
        rows = [
            ("Total", figures.total, figures.countries),
            ("Domestic", figures.domestic.growth, figures.domestic.countries),
            ("International", figures.international.growth, figures.international.countries),
        ]
        for label, growth, countries in rows:
            write(
                f"{label:<15}{growth.units:>12,}{growth.previous_units:>14,}"
                f"{_change(growth):>10}{countries:>11}"
            )
        write(f"Countries ever: {figures.countries_ever}")
        write(f"Regions: {', '.join(figures.regions) or '-'}")
        write(f"New energy: {figures.new_energy_units:,} ({_pct(figures.new_energy_share)})")
        if figures.revenue:
            revenue = ", ".join(
                f"{currency} {amount:,.2f}" for currency, amount in figures.revenue.items()
            )
            write(f"Revenue: {revenue}")
