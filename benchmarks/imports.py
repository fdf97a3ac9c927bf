"""Part 3: a retail-sales file of up to 100,000 rows through the import framework.

``build`` (in a child process) writes the same rows as CSV and as XLSX: vehicles in
dealer stock in the generated world, sold the day after the world's last day, each to
a new customer. The brand owner's staff (``gen-maker-staff`` of "Generated Motors")
imports them: the owner may record its dealers' sales, and no single importer or
dealer of a generated world holds 100,000 vehicles in stock (the largest market
takes about a tenth of the exports, and four in five of those are sold already).

``run`` (in a child process of its own, on a fresh copy of the world) does what
``seabridge import`` and the background worker do, through
:func:`seabridge.imports.services.import_file`:

1. validation only (a dry run: read, parse, check every row; nothing written);
2. the commit (read, check again, write every sale in one transaction);
3. the same file again: the idempotent path finds every row already there.

Rows per second are rows divided by each call's wall time; the progress messages
also give the time spent writing. The process's peak resident memory is the
import worker's.
"""

from __future__ import annotations

import csv
import resource
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import WORLD_LAST_DAY

IMPORTER_ORGANIZATION = "Generated Motors"
IMPORTER_USER = "gen-maker-staff@generated.invalid"
SOLD_ON = date.fromisoformat(WORLD_LAST_DAY) + timedelta(days=1)


def build(directory: Path, rows: int) -> dict[str, Any]:
    """Write ``retail.csv`` and ``retail.xlsx`` with up to ``rows`` sales; answers how many."""
    from openpyxl import Workbook

    from seabridge.imports.kinds import kind_for
    from seabridge.vehicles.choices import VehicleState
    from seabridge.vehicles.models import Vehicle

    kind = kind_for("retail_sales")
    header = [str(column.label) for column in kind.columns]
    names = [column.name for column in kind.columns]
    vehicles = (
        Vehicle.objects.filter(state=VehicleState.IN_STOCK, brand__name="Generated")
        .order_by("pk")
        .values_list("vin", "market_id", "holder__short_name", "holder__home_country_id")[:rows]
    )
    lines: list[list[Any]] = []
    for number, (vin, market, outlet, country) in enumerate(vehicles.iterator(), start=1):
        domestic = market == "CN"
        price = (
            Decimal(98_000 + number % 50 * 1_000)
            if domestic
            else Decimal(16_000 + number % 40 * 250)
        )
        values = {
            "vin": vin,
            "sold_on": SOLD_ON,
            "price": price,
            "currency": "CNY" if domestic else "USD",
            "outlet": outlet,
            "customer_name": f"Bench Customer {number:06d}",
            "customer_kind": "company" if number % 7 == 0 else "person",
            "customer_country": country,
            "customer_email": f"customer{number:06d}@example.com",
            "customer_phone": f"+1 555 {number:07d}",
            "customer_ref": f"B{number:07d}",
            "document_ref": f"INV-{number:07d}",
        }
        lines.append([values.get(name, "") for name in names])
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / "retail.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for line in lines:
            writer.writerow(
                [value.isoformat() if isinstance(value, date) else value for value in line]
            )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Retail sales")
    sheet.append(header)
    for line in lines:
        sheet.append([float(value) if isinstance(value, Decimal) else value for value in line])
    workbook.save(directory / "retail.xlsx")
    return {
        "rows": len(lines),
        "csv_bytes": (directory / "retail.csv").stat().st_size,
        "xlsx_bytes": (directory / "retail.xlsx").stat().st_size,
    }


def run(path: Path) -> dict[str, Any]:
    """Validate, commit and re-import ``path``; answers seconds, phases and peak memory."""
    from seabridge.analytics.management.common import command_actor
    from seabridge.imports.choices import ImportStatus
    from seabridge.imports.services import import_file

    actor = command_actor({"as_organization": IMPORTER_ORGANIZATION, "user": IMPORTER_USER})
    data = path.read_bytes()
    result: dict[str, Any] = {}
    expected = {
        "validate": ImportStatus.VALID,
        "commit": ImportStatus.COMMITTED,
        "reimport": ImportStatus.UNCHANGED,
    }
    for step, status in expected.items():
        phases: list[tuple[str, float]] = []

        def progress(
            done: int,
            total: int | None = None,
            message: str | None = None,
            phases: list[tuple[str, float]] = phases,
        ) -> None:
            text = str(message) if message else ""
            if text and (not phases or phases[-1][0] != text):
                phases.append((text, time.perf_counter()))

        started = time.perf_counter()
        batch = import_file(
            actor=actor,
            kind="retail_sales",
            data=data,
            filename=path.name,
            commit=step != "validate",
            progress=progress,
        )
        ended = time.perf_counter()
        if batch.status != status:
            raise RuntimeError(
                f"{step} of {path.name}: {batch.status}, not {status}: {batch.message} "
                f"{batch.errors[:5]}"
            )
        writing = next((moment for text, moment in phases if text == "Writing"), None)
        result[step] = {
            "seconds": ended - started,
            "writing_seconds": (ended - writing) if writing is not None else None,
            "summary": batch.summary,
            "phases": [[text, round(moment - started, 3)] for text, moment in phases],
        }
    result["peak_rss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return result
