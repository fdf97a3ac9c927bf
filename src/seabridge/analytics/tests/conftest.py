"""Fixtures of the analytics tests: the vehicles tests' world, JAC's export and home
business, and constructed histories written straight into the registry.

The world is the vehicles tests' one (JAC grants Zhongjiang sales in Saudi Arabia and
Iraq, and Riyadh Motors sales in Saudi Arabia), with a Chinese dealer for domestic
deliveries. Facts tests move vehicles through the real services; selector tests write
many vehicles and their events with one prepared INSERT each and recount the facts
with :func:`~seabridge.analytics.facts.facts_rebuild`, as ``analytics_facts --rebuild``
does after an import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from seabridge.accounts.choices import OrganizationKind
from seabridge.accounts.models import Organization
from seabridge.accounts.tests.factories import OrganizationFactory
from seabridge.analytics.facts import facts_rebuild
from seabridge.analytics.models import DailyFact, MonthlyFact, YearlyFact
from seabridge.catalog.choices import Powertrain
from seabridge.catalog.models import Variant
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.scope import Area
from seabridge.core.tests.world import World, grant
from seabridge.trade.choices import OrderStatus
from seabridge.trade.models import ExportOrder
from seabridge.trade.services import (
    LineInput,
    ShipmentInput,
    export_order_create,
    export_order_transition,
    shipment_add_vehicles,
    shipment_create,
    shipment_depart,
    vehicles_allocate,
)
from seabridge.vehicles.choices import EventType, VehicleState
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.tests.conftest import jac_vin, produce, world

__all__ = [
    "Sold",
    "bev_variant",
    "cn_dealer",
    "export_order",
    "fact_rows",
    "jac_vin",
    "produce",
    "ship",
    "world",
    "write_history",
]


@pytest.fixture
def cn_dealer(world: World) -> Organization:
    """A JAC dealer in China: deliveries to it from allocation are domestic wholesales.
    JAC grants it sales at home, which makes it a counterparty JAC may sell to."""
    dealer = OrganizationFactory.create(short_name="Hefei Auto", kind=OrganizationKind.DEALER)
    grant(
        by=world.jac_admin,
        to=dealer,
        brands=[world.jac_brand],
        countries=["CN"],
        areas=[Area.SALES],
    )
    return dealer


@pytest.fixture
def bev_variant(world: World) -> Variant:
    """A JAC battery-electric pickup on a product line of its own (new energy)."""
    return VariantFactory.create(
        product_line__brand=world.jac_brand,
        product_line__name="T9 EV",
        code="T9-BEV",
        powertrain=Powertrain.BEV,
    )


def export_order(
    world: World,
    number: str,
    *,
    destination: str = "SA",
    buyer: Organization | None = None,
    currency: str = "USD",
    unit_price: str = "18500.25",
    quantity: int = 10,
    variant: Variant | None = None,
    on: date = date(2025, 3, 20),
) -> ExportOrder:
    """A JAC order confirmed by its manager, one line of ``quantity`` vehicles."""
    order = export_order_create(
        actor=world.jac_staff,
        number=number,
        brand=world.jac_brand,
        buyer=buyer or world.dealer,
        destination=destination,
        incoterm="CIF",
        named_place="Jeddah",
        currency=currency,
        payment_terms="tt",
        lines=[
            LineInput(
                variant_id=(variant or world.jac_variant).pk,
                quantity=quantity,
                unit_price=Decimal(unit_price),
            )
        ],
    )
    return export_order_transition(
        actor=world.jac_manager, order=order, to=OrderStatus.CONFIRMED, on=on
    )


def ship(
    world: World,
    order: ExportOrder,
    vehicles: Sequence[Vehicle],
    *,
    number: str,
    allocated_on: date,
    departed_on: date,
) -> None:
    """Allocate ``vehicles`` to the order's line, load them on a new shipment and sail."""
    vehicles_allocate(
        actor=world.jac_staff,
        line=order.lines.get(),
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        allocated_on=allocated_on,
    )
    shipment = shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ShipmentInput(
            number=number, mode="roro", port_of_loading="CNSHA", port_of_discharge="SAJED"
        ),
    )
    shipment_add_vehicles(
        actor=world.jac_staff, shipment=shipment, vehicle_ids=[vehicle.pk for vehicle in vehicles]
    )
    shipment_depart(actor=world.jac_staff, shipment=shipment, departed_on=departed_on)


def fact_rows(model: type[DailyFact | MonthlyFact | YearlyFact]) -> list[tuple[Any, ...]]:
    """Every row of a fact table, readably: (measure, product line, powertrain, market,
    domestic, currency, day, month or year, units, revenue in ten-thousandths), sorted."""
    date_column = {DailyFact: "day", MonthlyFact: "month", YearlyFact: "year"}[model]
    return sorted(
        model.objects.values_list(
            "measure",
            "product_line__name",
            "powertrain",
            "market_id",
            "is_domestic",
            "currency",
            date_column,
            "units",
            "revenue_scaled",
        )
    )


# --- constructed histories ----------------------------------------------------------------


@dataclass(frozen=True)
class Sold:
    """``units`` vehicles wholesaled into ``market`` on ``on`` (an export shipment abroad, a
    delivery to a dealer at home), then perhaps retailed and taken off the road."""

    on: date
    market: str
    units: int = 1
    variant: Variant | None = None  # the world's T8 diesel unless given
    price: Decimal | None = None
    currency: str = ""
    retailed_on: date | None = None
    gone_on: date | None = None  # scrapped on this day (after its retail)


VEHICLE_COLUMNS = (
    "created_at",
    "updated_at",
    "vin",
    "brand_id",
    "variant_id",
    "produced_on",
    "state",
    "market_id",
    "holder_id",
    "wholesaled_on",
    "retailed_on",
)
EVENT_COLUMNS = (
    "vehicle_id",
    "type",
    "from_state",
    "to_state",
    "occurred_on",
    "recorded_at",
    "place",
    "is_wholesale",
    "price",
    "currency",
    "document_ref",
    "note",
)


def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Many rows, a few hundred to a statement (one statement per row is slow on PostgreSQL)."""
    limit = connection.features.max_query_params or 30_000
    per_statement = max(1, min(1_000, limit // len(columns)))
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed names, values are parameters
                f"VALUES {', '.join([row] * len(batch))}",
                [value for values in batch for value in values],
            )


def vin_of(number: int) -> str:
    return f"LJ1{number:014d}"


def write_history(world: World, history: Sequence[Sold]) -> int:
    """Write the vehicles and events of ``history`` directly (fast, for many thousand
    vehicles), then rebuild the facts from them; answers the number of vehicles."""
    now = timezone.now()
    # VINs LJ1 and a 14-digit number, after the last one written (the services' test
    # VINs, LJ12EKR…, never fall in this range).
    last = Vehicle.objects.filter(vin__range=(vin_of(0), vin_of(10**14 - 1))).aggregate(
        last=Max("vin")
    )["last"]
    first = int(last[3:]) + 1 if last else 1
    vehicles: list[tuple[Any, ...]] = []
    plan: list[Sold] = []
    for sold in history:
        variant = sold.variant or world.jac_variant
        if sold.gone_on is not None:
            state = VehicleState.SCRAPPED
        elif sold.retailed_on is not None:
            state = VehicleState.RETAILED
        else:
            state = VehicleState.IN_STOCK
        for _unit in range(sold.units):
            number = first + len(vehicles)
            vehicles.append(
                (
                    now,
                    now,
                    vin_of(number),
                    variant.brand_id,
                    variant.pk,
                    sold.on - timedelta(days=20),
                    state,
                    sold.market,
                    world.dealer.pk,
                    sold.on,
                    sold.retailed_on,
                )
            )
            plan.append(sold)
    _insert("vehicles_vehicle", VEHICLE_COLUMNS, vehicles)
    if not vehicles:
        facts_rebuild()
        return 0
    written = Vehicle.objects.filter(vin__range=(vehicles[0][2], vehicles[-1][2]))
    ids = dict(written.values_list("vin", "pk"))
    events: list[tuple[Any, ...]] = []
    for row, sold in zip(vehicles, plan, strict=True):
        vehicle_id = ids[row[2]]
        # Every brand of the world belongs to a Chinese maker: a sale in China is domestic.
        if sold.market == "CN":
            wholesale = (EventType.DELIVERED, VehicleState.ALLOCATED, VehicleState.IN_STOCK)
        else:
            wholesale = (EventType.SHIPPED, VehicleState.ALLOCATED, VehicleState.SHIPPED)
        events.append(
            (
                vehicle_id,
                *wholesale,
                sold.on,
                now,
                "",
                True,
                sold.price,
                sold.currency if sold.price is not None else "",
                "",
                "",
            )
        )
        if sold.retailed_on is not None:
            events.append(
                (
                    vehicle_id,
                    EventType.RETAILED,
                    VehicleState.IN_STOCK,
                    VehicleState.RETAILED,
                    sold.retailed_on,
                    now,
                    "",
                    False,
                    None,
                    "",
                    "",
                    "",
                )
            )
        if sold.gone_on is not None:
            events.append(
                (
                    vehicle_id,
                    EventType.SCRAPPED,
                    VehicleState.RETAILED,
                    VehicleState.SCRAPPED,
                    sold.gone_on,
                    now,
                    "",
                    False,
                    None,
                    "",
                    "",
                    "",
                )
            )
    _insert("vehicles_vehicleevent", EVENT_COLUMNS, events)
    facts_rebuild()
    return len(vehicles)
