"""``seabridge milestones --brand JAC [--every 100000] [--json]``: production milestones."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seabridge.catalog.models import Brand
from seabridge.core.errors import ValidationFailed
from seabridge.vehicles.selectors import production_milestones


class Command(BaseCommand):
    help = "Print the date each round-numbered unit of a brand came off the line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--brand", required=True, help="The brand's name, e.g. JAC.")
        parser.add_argument("--every", type=int, default=100_000, help="Default 100000.")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        brand = Brand.objects.filter(name__iexact=options["brand"]).first()
        if brand is None:
            raise CommandError(f"No brand named {options['brand']!r}.")
        if options["every"] < 1:
            raise CommandError("--every must be at least 1.")
        try:
            milestones = production_milestones(brand=brand, every=options["every"])
        except ValidationFailed as error:
            messages = [text for texts in error.fields.values() for text in texts]
            raise CommandError("; ".join(messages)) from error
        if options["json"]:
            rows = [
                {
                    "unit": milestone.unit,
                    "produced_on": milestone.produced_on.isoformat(),
                    "vin": milestone.vin,
                    "days_since_previous": milestone.days_since_previous,
                    "interval": milestone.interval,
                }
                for milestone in milestones
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for milestone in milestones:
            since = (
                f"{milestone.days_since_previous} days ({milestone.interval})"
                if milestone.days_since_previous is not None
                else "-"
            )
            self.stdout.write(
                f"{milestone.unit:>12,}  {milestone.produced_on.isoformat()}  {since}"
            )
