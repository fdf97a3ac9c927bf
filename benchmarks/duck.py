"""Part 2, the peer: DuckDB computing the dashboard's figures from the raw registry.

The raw facts are the vehicle registry itself, not our pre-aggregated fact tables:
every vehicle and every lifecycle event, with the small tables their dimensions come
from (variants for the powertrain, brands and their owners for "domestic", business
regions). They are exported from the database under test to Parquet, and DuckDB
answers the same questions as :mod:`benchmarks.dashboard`'s ``compared`` reads by
scanning them, in the same process and on the same machine.

The definitions follow ``seabridge.analytics.facts.facts_from_events``: a sale
(wholesale) is an event with ``is_wholesale``, on its ``occurred_on`` day, in the
vehicle's market, domestic when that market is the brand owner's home country, with
its price as revenue in its currency.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

from benchmarks.common import latency

NEW_ENERGY = ("bev", "phev", "erev")


def export(directory: Path) -> dict[str, Any]:
    """Write the raw registry to Parquet files in ``directory`` (through CSV, which
    DuckDB converts: no extension and no other library needed). Answers row counts
    and seconds."""
    import duckdb
    from django.db import connection

    from seabridge.accounts.models import Organization
    from seabridge.catalog.models import Brand, Variant
    from seabridge.markets.models import BusinessRegion
    from seabridge.vehicles.models import Vehicle, VehicleEvent

    directory.mkdir(parents=True, exist_ok=True)
    quote = connection.ops.quote_name
    region_countries = BusinessRegion.countries.through._meta.db_table
    tables: dict[str, tuple[str, str]] = {
        "vehicles": (
            f"SELECT id, brand_id, variant_id, market_id, produced_on, state, retailed_on "  # noqa: S608 - our table names
            f"FROM {quote(Vehicle._meta.db_table)}",
            "id BIGINT, brand_id BIGINT, variant_id BIGINT, market_id VARCHAR, "
            "produced_on DATE, state VARCHAR, retailed_on DATE",
        ),
        "events": (
            f"SELECT vehicle_id, type, from_state, occurred_on, is_wholesale, price, currency "  # noqa: S608
            f"FROM {quote(VehicleEvent._meta.db_table)}",
            "vehicle_id BIGINT, type VARCHAR, from_state VARCHAR, occurred_on DATE, "
            "is_wholesale BOOLEAN, price DECIMAL(18,4), currency VARCHAR",
        ),
        "variants": (
            f"SELECT id, product_line_id, powertrain FROM {quote(Variant._meta.db_table)}",  # noqa: S608
            "id BIGINT, product_line_id BIGINT, powertrain VARCHAR",
        ),
        "brands": (
            f"SELECT b.id, o.home_country_id FROM {quote(Brand._meta.db_table)} b "  # noqa: S608
            f"JOIN {quote(Organization._meta.db_table)} o ON o.id = b.owner_id",
            "id BIGINT, home_country_id VARCHAR",
        ),
        "regions": (
            f"SELECT r.name, rc.country_id FROM {quote(BusinessRegion._meta.db_table)} r "  # noqa: S608
            f"JOIN {quote(region_countries)} rc ON rc.businessregion_id = r.id",
            "name VARCHAR, country_id VARCHAR",
        ),
    }
    counts: dict[str, int] = {}
    started = time.perf_counter()
    database = duckdb.connect()
    for name, (sql, columns) in tables.items():
        path = directory / f"{name}.csv"
        count = 0
        with path.open("w", newline="") as handle, connection.chunked_cursor() as cursor:
            writer = csv.writer(handle)
            cursor.execute(sql)
            while rows := cursor.fetchmany(20_000):
                for row in rows:
                    writer.writerow(_csv_values(row))
                count += len(rows)
        counts[name] = count
        column_types = ", ".join(
            f"'{part.split()[0]}': '{' '.join(part.split()[1:])}'"
            for part in _split_columns(columns)
        )
        database.execute(  # paths and types are ours, not input
            f"COPY (SELECT * FROM read_csv('{path}', header=false, "  # noqa: S608
            f"columns={{{column_types}}}, nullstr='\\N')) "
            f"TO '{directory / name}.parquet' (FORMAT parquet)"
        )
        path.unlink()
    database.close()
    return {"rows": counts, "seconds": time.perf_counter() - started}


def _split_columns(columns: str) -> list[str]:
    """``"a BIGINT, b DECIMAL(18,4)"`` into its column definitions (commas in parentheses kept)."""
    parts, depth, current = [], 0, ""
    for character in columns:
        if character == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(character, 0)
        current += character
    parts.append(current.strip())
    return parts


def _csv_values(row: tuple[Any, ...]) -> list[Any]:
    values: list[Any] = []
    for value in row:
        if value is None:
            values.append("\\N")
        elif isinstance(value, bool):
            values.append("true" if value else "false")
        else:
            values.append(value)
    return values


# --- the queries --------------------------------------------------------------------------


def _sales_view(market: str | None) -> str:
    # The market is a country code read from our own database, never user input.
    scope = f"AND v.market_id = '{market}'" if market else ""
    return f"""
        CREATE OR REPLACE TEMP VIEW sales AS
        SELECT e.occurred_on AS day, v.market_id AS market,
               v.market_id = b.home_country_id AS is_domestic,
               va.powertrain, e.currency,
               CAST(ROUND(e.price * 10000) AS BIGINT) AS revenue
        FROM events e
        JOIN vehicles v ON v.id = e.vehicle_id
        JOIN variants va ON va.id = v.variant_id
        JOIN brands b ON b.id = v.brand_id
        WHERE e.is_wholesale AND v.brand_id = $brand {scope}
    """  # noqa: S608


KPI_SQL = """
    WITH marked AS (
        SELECT *, day BETWEEN $start AND $end AS is_now,
               day BETWEEN $previous_start AND $previous_end AS is_before
        FROM sales
        WHERE day <= $end
    )
    SELECT
        count(*) FILTER (is_now) AS units,
        count(*) FILTER (is_before) AS previous_units,
        count(*) FILTER (is_now AND is_domestic) AS domestic_units,
        count(*) FILTER (is_before AND is_domestic) AS domestic_previous,
        count(DISTINCT market) FILTER (is_now AND is_domestic) AS domestic_countries,
        count(*) FILTER (is_now AND NOT is_domestic) AS international_units,
        count(*) FILTER (is_before AND NOT is_domestic) AS international_previous,
        count(DISTINCT market) FILTER (is_now AND NOT is_domestic) AS international_countries,
        count(DISTINCT market) FILTER (is_now) AS countries,
        count(DISTINCT market) AS countries_ever,
        count(*) FILTER (is_now AND powertrain IN ('bev', 'phev', 'erev')) AS new_energy_units
    FROM marked
"""
REGIONS_SQL = """
    SELECT DISTINCT name FROM regions
    WHERE country_id IN (SELECT DISTINCT market FROM sales WHERE day BETWEEN $start AND $end)
    ORDER BY name
"""
REVENUE_SQL = """
    SELECT currency, sum(revenue) FROM sales
    WHERE day BETWEEN $start AND $end AND currency <> ''
    GROUP BY currency ORDER BY currency
"""
MARKETS_SQL = """
    SELECT market, is_domestic,
           count(*) FILTER (day BETWEEN $start AND $end) AS units,
           count(*) FILTER (day BETWEEN $previous_start AND $previous_end) AS previous_units
    FROM sales
    WHERE day BETWEEN $start AND $end OR day BETWEEN $previous_start AND $previous_end
    GROUP BY market, is_domestic
    ORDER BY units DESC, previous_units DESC, market
"""
TREND_SQL = """
    WITH months AS (
        SELECT CAST(month AS DATE) AS month
        FROM range(CAST(date_trunc('month', $start) AS TIMESTAMP),
                   CAST(date_trunc('month', $end) AS TIMESTAMP) + INTERVAL 1 MONTH,
                   INTERVAL 1 MONTH) AS t(month)
    ),
    counted AS (
        SELECT CAST(date_trunc('month', day) AS DATE) AS month, count(*) AS units
        FROM sales
        WHERE day BETWEEN $start AND $end OR day BETWEEN $previous_start AND $previous_end
        GROUP BY 1
    )
    SELECT m.month, coalesce(now.units, 0), coalesce(before.units, 0)
    FROM months m
    LEFT JOIN counted now ON now.month = m.month
    LEFT JOIN counted before ON before.month = CAST(m.month - INTERVAL 12 MONTH AS DATE)
    ORDER BY m.month
"""


class DuckDashboard:
    """A DuckDB connection over the Parquet files, answering the compared figures."""

    def __init__(self, directory: Path) -> None:
        import duckdb

        self.database = duckdb.connect()
        for name in ("vehicles", "events", "variants", "brands", "regions"):
            self.database.execute(
                f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{directory / name}.parquet')"  # noqa: S608
            )

    def version(self) -> str:
        row = self.database.execute("SELECT version()").fetchone()
        return str(row[0]) if row else ""

    def answer(
        self,
        *,
        brand_id: int,
        market: str | None,
        period: tuple[str, str],
        previous: tuple[str, str],
    ) -> dict[str, Any]:
        database = self.database
        database.execute(_sales_view(market).replace("$brand", str(int(brand_id))))
        dates = {
            "start": period[0],
            "end": period[1],
            "previous_start": previous[0],
            "previous_end": previous[1],
        }

        def parameters(sql: str) -> dict[str, Any]:
            return {name: f"{value}" for name, value in dates.items() if f"${name}" in sql}

        def typed(sql: str) -> str:
            # Parameters arrive as text: each is cast to DATE where it is used.
            for name in sorted(dates, key=len, reverse=True):
                sql = sql.replace(f"${name}", f"CAST(${name} AS DATE)")
            return sql

        kpi = database.execute(typed(KPI_SQL), parameters(KPI_SQL)).fetchone()
        assert kpi is not None
        regions = [
            row[0]
            for row in database.execute(typed(REGIONS_SQL), parameters(REGIONS_SQL)).fetchall()
        ]
        revenue = database.execute(typed(REVENUE_SQL), parameters(REVENUE_SQL)).fetchall()
        markets = database.execute(typed(MARKETS_SQL), parameters(MARKETS_SQL)).fetchall()
        trend = database.execute(typed(TREND_SQL), parameters(TREND_SQL)).fetchall()
        growth = database.execute(
            """
            SELECT CASE WHEN b > 0 THEN round(CAST(u - b AS DECIMAL(38, 6)) * 100 / b, 1) END
            FROM (VALUES (?, ?), (?, ?), (?, ?)) AS t(u, b)
            """,
            [kpi[0], kpi[1], kpi[2], kpi[3], kpi[5], kpi[6]],
        ).fetchall()
        share = database.execute(
            "SELECT CASE WHEN ? > 0 THEN round(CAST(? AS DECIMAL(38, 6)) * 100 / ?, 1) END",
            [kpi[0], kpi[10], kpi[0]],
        ).fetchone()

        def number(value: Any) -> float | None:
            return float(value) if value is not None else None

        units, previous_units = int(kpi[0]), int(kpi[1])
        return {
            "kpis": {
                "measure": "sales",
                "from": period[0],
                "to": period[1],
                "previous_from": previous[0],
                "previous_to": previous[1],
                "units": units,
                "previous_units": previous_units,
                "yoy_pct": number(growth[0][0]),
                "domestic": {
                    "units": int(kpi[2]),
                    "previous_units": int(kpi[3]),
                    "yoy_pct": number(growth[1][0]),
                    "countries": int(kpi[4]),
                },
                "international": {
                    "units": int(kpi[5]),
                    "previous_units": int(kpi[6]),
                    "yoy_pct": number(growth[2][0]),
                    "countries": int(kpi[7]),
                },
                "countries": int(kpi[8]),
                "countries_ever": int(kpi[9]),
                "regions": regions,
                "new_energy_units": int(kpi[10]),
                "new_energy_share_pct": number(share[0]) if share else None,
                # As ten-thousandths here; compared as exact decimals.
                "revenue": {currency: f"{int(amount)}e-4" for currency, amount in revenue},
            },
            "markets": [
                [market_code, bool(domestic), int(now), int(before)]
                for market_code, domestic, now, before in markets
                if now or before
            ],
            "trend": [[month.isoformat(), int(now), int(before)] for month, now, before in trend],
        }

    def timed(
        self,
        *,
        brand_id: int,
        market: str | None,
        period: tuple[str, str],
        previous: tuple[str, str],
        runs: int,
        iterations: int,
    ) -> list[dict[str, float]]:
        def answer() -> None:
            self.answer(brand_id=brand_id, market=market, period=period, previous=previous)

        answer()  # warm: the files' metadata and the OS cache
        results = []
        for _run in range(runs):
            samples = []
            for _iteration in range(iterations):
                started = time.perf_counter()
                answer()
                samples.append(time.perf_counter() - started)
            results.append(latency(samples))
        return results
