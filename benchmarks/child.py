"""The in-process parts, one per child process: ``python -m benchmarks.child PART ...``.

Each part sets Django up with the environment it was given (database, production
settings), measures, and prints one line of JSON as its answer.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any


def _setup() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seabridge.settings")
    django.setup()


def part_kpi(arguments: argparse.Namespace) -> dict[str, Any]:
    """Part 2: our dashboard reads against DuckDB on the raw registry, for two actors."""
    from benchmarks import dashboard, duck
    from seabridge.catalog.models import Brand

    ours = dashboard.measure(runs=arguments.runs, iterations=arguments.iterations)
    exported = duck.export(Path(arguments.parquet))
    peer = duck.DuckDashboard(Path(arguments.parquet))
    brand_id = Brand.objects.get(name="Generated").pk
    comparison: dict[str, Any] = {}
    for name, market in (("owner", None), ("partner", ours["partner_market"])):
        mine = ours["actors"][name]
        kpis = mine["answer"]["kpis"]
        period = (kpis["from"], kpis["to"])
        previous = (kpis["previous_from"], kpis["previous_to"])
        theirs = peer.answer(brand_id=brand_id, market=market, period=period, previous=previous)
        identical = dashboard.normalised(mine["answer"]) == dashboard.normalised(theirs)
        comparison[name] = {
            "identical": identical,
            "ours": mine["answer"],
            "duckdb": theirs,
            "duckdb_timings": peer.timed(
                brand_id=brand_id,
                market=market,
                period=period,
                previous=previous,
                runs=arguments.runs,
                iterations=arguments.duckdb_iterations,
            ),
        }
    return {
        "ours": ours,
        "export": exported,
        "duckdb_version": peer.version(),
        "comparison": comparison,
        "database_version": _database_version(),
        "world": _world_counts(),
    }


def _database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 'SQLite ' || sqlite_version()")
        else:
            cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return f"{'PostgreSQL ' if connection.vendor == 'postgresql' else ''}{row[0]}"


def _world_counts() -> dict[str, int]:
    from seabridge.analytics.models import DailyFact, MonthlyFact, YearlyFact
    from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent

    return {
        "vehicles": Vehicle.objects.count(),
        "events": VehicleEvent.objects.count(),
        "customers": Customer.objects.count(),
        "daily_facts": DailyFact.objects.count(),
        "monthly_facts": MonthlyFact.objects.count(),
        "yearly_facts": YearlyFact.objects.count(),
    }


def part_vin(arguments: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import vin

    return vin.measure(runs=arguments.runs, lookups=arguments.lookups)


def part_tokens(arguments: argparse.Namespace) -> dict[str, Any]:
    """API tokens for the owner and the partner, and the brand's id, for the HTTP part."""
    from django.utils import timezone

    from benchmarks.dashboard import actors
    from seabridge.accounts.services import api_token_create
    from seabridge.catalog.models import Brand

    found = actors()
    tokens = {}
    for name in ("owner", "partner"):
        _token, clear = api_token_create(
            actor=found[name], name="benchmark", expires_at=timezone.now() + timedelta(days=1)
        )
        tokens[name] = clear
    return {
        "tokens": tokens,
        "brand_id": Brand.objects.get(name="Generated").pk,
        "partner_market": found["partner_market"],
    }


def part_import_files(arguments: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import imports

    return imports.build(Path(arguments.directory), arguments.rows)


def part_import_run(arguments: argparse.Namespace) -> dict[str, Any]:
    from benchmarks import imports

    return imports.run(Path(arguments.file))


PARTS = {
    "kpi": part_kpi,
    "vin": part_vin,
    "tokens": part_tokens,
    "import-files": part_import_files,
    "import-run": part_import_run,
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.child")
    parser.add_argument("part", choices=sorted(PARTS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10)
    parser.add_argument("--duckdb-iterations", type=int, default=10)
    parser.add_argument("--lookups", type=int, default=100)
    parser.add_argument("--parquet", default="")
    parser.add_argument("--directory", default="")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--file", default="")
    arguments = parser.parse_args(argv)
    _setup()
    answer = PARTS[arguments.part](arguments)
    sys.stdout.write(json.dumps(answer, default=str) + "\n")


if __name__ == "__main__":
    main()
