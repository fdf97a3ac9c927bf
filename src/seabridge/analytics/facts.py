"""Keeping the fact tables exact: deltas from events, the upsert, the rebuild and the check.

Which events change which measure (and so what the rebuild counts):

* production: +1 on the production day, in the brand owner's home country;
* sales (wholesale): +1 on the day of the wholesale event (an export shipment, or a
  delivery to a domestic dealer), with the event's price as revenue;
* shipped: +1 on the day of the shipment;
* retail: +1 on the retail day; a cancelled retail sale takes it back on that day,
  so retail figures always equal the vehicles' ``retailed_on`` dates;
* in operation: +1 on the retail day, −1 when a sold vehicle is scrapped or
  exported again (and −1 on the retail day when the sale is cancelled), so the
  running sum up to a day is the user base on that day.

Sales, shipped, retail and in-operation facts are in the vehicle's market, which
no longer changes once a vehicle is wholesaled.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round

from seabridge.analytics.choices import Measure
from seabridge.analytics.models import (
    DIMENSIONS,
    REVENUE_SCALE,
    DailyFact,
    MonthlyFact,
    YearlyFact,
)
from seabridge.catalog.models import Variant
from seabridge.core.bulk import chunks
from seabridge.vehicles.choices import IN_OPERATION_STATES, EventType
from seabridge.vehicles.hooks import Moved
from seabridge.vehicles.models import Vehicle, VehicleEvent

BATCH = 2_000  # fact rows per upsert statement, at most


class FactKey(NamedTuple):
    """One row of a fact table: the day (or the month's first day) and its dimensions."""

    measure: str
    brand_id: int
    product_line_id: int
    powertrain: str
    market_id: str
    is_domestic: bool
    currency: str
    day: date


class VariantFacts(NamedTuple):
    """What a variant contributes to a fact's key."""

    brand_id: int
    product_line_id: int
    powertrain: str
    home_country_id: str


def variant_facts(variant_ids: Iterable[int]) -> dict[int, VariantFacts]:
    """The fact dimensions of each variant, in one query."""
    rows = Variant.objects.filter(pk__in=set(variant_ids)).values_list(
        "pk", "brand_id", "product_line_id", "powertrain", "brand__owner__home_country_id"
    )
    return {
        pk: VariantFacts(brand_id, product_line_id, powertrain, home)
        for pk, brand_id, product_line_id, powertrain, home in rows
    }


Totals = dict[FactKey, list[int]]  # key -> [units, revenue_scaled]


@dataclass
class Deltas:
    """Changes to the facts, summed by key, applied together with :func:`facts_apply`."""

    totals: Totals

    def __init__(self) -> None:
        self.totals = defaultdict(lambda: [0, 0])

    def add(
        self,
        measure: Measure,
        day: date,
        variant: VariantFacts,
        market_id: str,
        units: int,
        *,
        revenue: Decimal | None = None,
        currency: str = "",
    ) -> None:
        key = FactKey(
            measure,
            variant.brand_id,
            variant.product_line_id,
            variant.powertrain,
            market_id,
            market_id == variant.home_country_id,
            currency if revenue is not None else "",
            day,
        )
        entry = self.totals[key]
        entry[0] += units
        if revenue is not None:
            entry[1] += units * scaled(revenue)


def scaled(amount: Decimal) -> int:
    """An amount as whole ten-thousandths (amounts carry at most four decimal places)."""
    return int((amount * REVENUE_SCALE).to_integral_value())


def by_month(totals: Totals) -> Totals:
    """Daily totals rolled up into months."""
    return _rolled_up(totals, year=False)


def by_year(totals: Totals) -> Totals:
    """Daily totals rolled up into years."""
    return _rolled_up(totals, year=True)


def _rolled_up(totals: Totals, *, year: bool) -> Totals:
    rolled: Totals = defaultdict(lambda: [0, 0])
    for key, (units, revenue) in totals.items():
        first = key.day.replace(month=1, day=1) if year else key.day.replace(day=1)
        entry = rolled[key._replace(day=first)]
        entry[0] += units
        entry[1] += revenue
    return rolled


def _upsert(
    model: type[DailyFact | MonthlyFact | YearlyFact], date_column: str, totals: Totals
) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [*DIMENSIONS, date_column]
    key_columns = ", ".join(columns)
    row = "(" + ", ".join(["%s"] * (len(columns) + 2)) + ")"
    items = [(key, value) for key, value in totals.items() if value != [0, 0]]
    # As many rows per statement as the database takes parameters for (SQLite 32,766).
    limit = connection.features.max_query_params or 65_535
    per_statement = max(1, min(BATCH, limit // (len(columns) + 2)))
    with connection.cursor() as cursor:
        for batch in chunks(items, per_statement):
            parameters: list[Any] = []
            for key, (units, revenue) in batch:
                parameters.extend((*key, units, revenue))
            # The same statement on SQLite (3.24+) and PostgreSQL: add to the row if
            # it is there, insert it if not; no read-then-write race.
            sql = (
                f"INSERT INTO {table} ({key_columns}, units, revenue_scaled) "  # noqa: S608 - names are ours; values are parameters
                f"VALUES {', '.join([row] * len(batch))} "
                f"ON CONFLICT ({key_columns}) DO UPDATE SET "
                f"units = {table}.units + excluded.units, "
                f"revenue_scaled = {table}.revenue_scaled + excluded.revenue_scaled"
            )
            cursor.execute(sql, parameters)


def facts_apply(deltas: Deltas) -> None:
    """Add ``deltas`` to the daily and the monthly facts, in the caller's transaction
    (the one that writes the events behind them)."""
    if deltas.totals:
        _upsert(DailyFact, "day", deltas.totals)
        _upsert(MonthlyFact, "month", by_month(deltas.totals))
        _upsert(YearlyFact, "year", by_year(deltas.totals))


# --- what events change -------------------------------------------------------------------


def record_production(vehicles: Sequence[Vehicle]) -> None:
    """New vehicles off the line count as production in the brand owner's home country.

    The vehicles come with their variants, brands and owners loaded."""
    deltas = Deltas()
    for vehicle in vehicles:
        variant = VariantFacts(
            vehicle.brand_id,
            vehicle.variant.product_line_id,
            vehicle.variant.powertrain,
            vehicle.variant.brand.owner.home_country_id,
        )
        deltas.add(Measure.PRODUCTION, vehicle.produced_on, variant, variant.home_country_id, 1)
    facts_apply(deltas)


def record_removal(vehicles: Sequence[Vehicle]) -> None:
    """Vehicles registered in error and removed no longer count as produced."""
    variants = variant_facts(vehicle.variant_id for vehicle in vehicles)
    deltas = Deltas()
    for vehicle in vehicles:
        variant = variants[vehicle.variant_id]
        deltas.add(Measure.PRODUCTION, vehicle.produced_on, variant, variant.home_country_id, -1)
    facts_apply(deltas)


COUNTED_EVENTS = frozenset(
    {
        EventType.SHIPPED,
        EventType.RETAILED,
        EventType.RETAIL_CANCELLED,
        EventType.SCRAPPED,
        EventType.RE_EXPORTED,
    }
)


def record_moves(event_type: str, moved: Sequence[Moved]) -> None:
    """The facts one lifecycle move changes, for every vehicle it moved (each on its own
    date, at its own price)."""
    if event_type not in COUNTED_EVENTS and not any(item.is_wholesale for item in moved):
        return
    # Vehicles that change the same facts are counted together first, so that a bulk
    # move of many vehicles adds to each fact once.
    groups: Counter[tuple[int, str, date, bool, Decimal | None, str, date | None, bool]] = Counter(
        (
            item.variant_id,
            item.market_id,
            item.occurred_on,
            item.is_wholesale,
            item.price,
            item.currency,
            item.retailed_on,
            item.from_state in IN_OPERATION_STATES,
        )
        for item in moved
    )
    variants = variant_facts({group[0] for group in groups})
    deltas = Deltas()
    for group, units in groups.items():
        variant_id, market, day, is_wholesale, price, currency, retailed_on, in_operation = group
        variant = variants[variant_id]
        if is_wholesale:
            deltas.add(Measure.SALES, day, variant, market, units, revenue=price, currency=currency)
        if event_type == EventType.SHIPPED:
            deltas.add(Measure.SHIPPED, day, variant, market, units)
        elif event_type == EventType.RETAILED:
            deltas.add(Measure.RETAIL, day, variant, market, units)
            deltas.add(Measure.IN_OPERATION, day, variant, market, units)
        elif event_type == EventType.RETAIL_CANCELLED:
            if retailed_on is not None:
                deltas.add(Measure.RETAIL, retailed_on, variant, market, -units)
                deltas.add(Measure.IN_OPERATION, retailed_on, variant, market, -units)
        elif in_operation and event_type in (EventType.SCRAPPED, EventType.RE_EXPORTED):
            deltas.add(Measure.IN_OPERATION, day, variant, market, -units)
    facts_apply(deltas)


# --- rebuild and check ----------------------------------------------------------------------


_VEHICLE_DIMENSIONS = {
    "fact_brand": F("brand_id"),
    "fact_line": F("variant__product_line_id"),
    "fact_powertrain": F("variant__powertrain"),
    "fact_home": F("brand__owner__home_country_id"),
}
_EVENT_DIMENSIONS = {
    name: F(f"vehicle__{expression.name}") for name, expression in _VEHICLE_DIMENSIONS.items()
}


def _add_grouped(
    totals: Totals, measure: Measure, rows: Iterable[dict[str, Any]], *, sign: int = 1
) -> None:
    for row in rows:
        market = row["fact_market"]
        key = FactKey(
            measure,
            row["fact_brand"],
            row["fact_line"],
            row["fact_powertrain"],
            market,
            market == row["fact_home"],
            row.get("fact_currency") or "",
            row["fact_day"],
        )
        entry = totals[key]
        entry[0] += sign * row["units"]
        entry[1] += sign * (row.get("revenue") or 0)


def facts_from_events() -> Totals:
    """The daily facts as the vehicles and their events say they should be, in grouped
    queries (one per measure), never row by row."""
    totals: Totals = defaultdict(lambda: [0, 0])
    vehicles = Vehicle.objects.order_by()
    events = VehicleEvent.objects.order_by()
    _add_grouped(
        totals,
        Measure.PRODUCTION,
        vehicles.values(
            fact_day=F("produced_on"),
            fact_market=F("brand__owner__home_country_id"),
            **_VEHICLE_DIMENSIONS,
        ).annotate(units=Count("pk")),
    )
    _add_grouped(
        totals,
        Measure.SALES,
        events.filter(is_wholesale=True)
        .values(
            fact_day=F("occurred_on"),
            fact_market=F("vehicle__market_id"),
            fact_currency=F("currency"),
            **_EVENT_DIMENSIONS,
        )
        .annotate(
            units=Count("pk"),
            revenue=Sum(Cast(Round(F("price") * REVENUE_SCALE), BigIntegerField())),
        ),
    )
    _add_grouped(
        totals,
        Measure.SHIPPED,
        events.filter(type=EventType.SHIPPED)
        .values(fact_day=F("occurred_on"), fact_market=F("vehicle__market_id"), **_EVENT_DIMENSIONS)
        .annotate(units=Count("pk")),
    )
    sold = vehicles.filter(retailed_on__isnull=False).values(
        fact_day=F("retailed_on"), fact_market=F("market_id"), **_VEHICLE_DIMENSIONS
    )
    for measure in (Measure.RETAIL, Measure.IN_OPERATION):
        _add_grouped(totals, measure, sold.annotate(units=Count("pk")))
    _add_grouped(
        totals,
        Measure.IN_OPERATION,
        events.filter(
            type__in=[EventType.SCRAPPED, EventType.RE_EXPORTED],
            from_state__in=IN_OPERATION_STATES,
        )
        .values(fact_day=F("occurred_on"), fact_market=F("vehicle__market_id"), **_EVENT_DIMENSIONS)
        .annotate(units=Count("pk")),
        sign=-1,
    )
    return totals


def _stored(model: type[DailyFact | MonthlyFact | YearlyFact], date_column: str) -> Totals:
    totals: Totals = {}
    for row in model.objects.values_list(*DIMENSIONS, date_column, "units", "revenue_scaled"):
        *key, units, revenue = row
        if units or revenue:
            totals[FactKey(*key)] = [units, revenue]
    return totals


@dataclass(frozen=True)
class Difference:
    """A fact whose stored value differs from what the events say."""

    table: str
    key: FactKey
    stored: tuple[int, int]
    expected: tuple[int, int]

    def __str__(self) -> str:
        return (
            f"{self.table} {self.key.measure} {self.key.day} brand {self.key.brand_id} "
            f"line {self.key.product_line_id} {self.key.powertrain} {self.key.market_id} "
            f"{self.key.currency or '-'}: stored {self.stored}, events say {self.expected}"
        )


def _compare(table: str, stored: Totals, expected: Totals) -> list[Difference]:
    differences = []
    for key in sorted(set(stored) | set(expected)):
        have = tuple(stored.get(key, [0, 0]))
        want = tuple(expected.get(key, [0, 0]))
        if have != want:
            differences.append(Difference(table, key, have, want))  # type: ignore[arg-type]
    return differences


def facts_check() -> list[Difference]:
    """Every difference between the stored facts and a recount from the events."""
    expected = {key: value for key, value in facts_from_events().items() if value != [0, 0]}
    monthly = {key: value for key, value in by_month(expected).items() if value != [0, 0]}
    yearly = {key: value for key, value in by_year(expected).items() if value != [0, 0]}
    return (
        _compare("daily", _stored(DailyFact, "day"), expected)
        + _compare("monthly", _stored(MonthlyFact, "month"), monthly)
        + _compare("yearly", _stored(YearlyFact, "year"), yearly)
    )


@transaction.atomic
def facts_rebuild() -> int:
    """Recount the fact tables from the events; answers the number of daily rows."""
    totals = facts_from_events()
    for model in (DailyFact, MonthlyFact, YearlyFact):
        model.objects.all().delete()
    deltas = Deltas()
    deltas.totals.update(totals)
    facts_apply(deltas)
    return DailyFact.objects.count()
