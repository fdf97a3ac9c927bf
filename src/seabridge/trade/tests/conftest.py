"""Fixtures of the trade tests: the vehicles tests' world and JAC's export business to Riyadh.

The world is the vehicles tests' one (JAC grants Zhongjiang sales in Saudi Arabia and
Iraq, and Riyadh Motors sales in Saudi Arabia); vehicles come off the line through the
vehicles service with valid VINs. Orders and shipments are made through the services,
as people make them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from seabridge.catalog.models import Variant
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.models import AuditEvent
from seabridge.core.scope import Actor
from seabridge.core.tests.world import World, add_steward
from seabridge.trade.choices import OrderStatus
from seabridge.trade.models import (
    Allocation,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)
from seabridge.trade.services import (
    LineInput,
    ShipmentInput,
    export_order_create,
    export_order_transition,
    shipment_add_vehicles,
    shipment_create,
    vehicles_allocate,
)
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.tests.conftest import jac_vin, produce, world

__all__ = [
    "Trade",
    "bearer",
    "confirmed",
    "draft",
    "jac_vin",
    "produce",
    "produce_variant",
    "sign_in",
    "snapshot",
    "world",
]

CONFIRMED_ON = date(2025, 3, 20)
ALLOCATED_ON = date(2025, 4, 1)


def draft(
    world: World,
    number: str = "EO-2025-001",
    *,
    actor: Actor | None = None,
    quantity: int = 2,
    unit_price: str = "18500",
    **changes: Any,
) -> ExportOrder:
    """A JAC draft order of ``quantity`` T8-D to Riyadh Motors in Saudi Arabia, CIF Jeddah."""
    terms: dict[str, Any] = {
        "brand": world.jac_brand,
        "buyer": world.dealer,
        "destination": "SA",
        "incoterm": "CIF",
        "named_place": "Jeddah",
        "currency": "USD",
        "payment_terms": "tt",
        "lines": [
            LineInput(
                variant_id=world.jac_variant.pk,
                quantity=quantity,
                unit_price=Decimal(unit_price),
            )
        ],
    }
    terms.update(changes)
    return export_order_create(actor=actor or world.jac_staff, number=number, **terms)


def confirmed(world: World, number: str = "EO-2025-001", **kwargs: Any) -> ExportOrder:
    """A draft order that JAC's manager has confirmed on 20 March 2025."""
    order = draft(world, number, **kwargs)
    return export_order_transition(
        actor=world.jac_manager, order=order, to=OrderStatus.CONFIRMED, on=CONFIRMED_ON
    )


def produce_variant(world: World, variant: Variant, *numbers: int) -> list[Vehicle]:
    """JAC vehicles of another variant than the world's T8-D."""
    rows = [
        ProductionRow(vin=jac_vin(number), variant_id=variant.pk, produced_on=date(2025, 3, 1))
        for number in numbers
    ]
    return vehicles_produce(actor=world.jac_staff, rows=rows).vehicles


def snapshot() -> tuple:
    """Every trade and vehicle row a refused write must leave as it was."""
    return (
        list(ExportOrder.objects.order_by("pk").values_list()),
        list(ExportOrderLine.objects.order_by("pk").values_list()),
        list(Allocation.objects.order_by("pk").values_list()),
        list(Shipment.objects.order_by("pk").values_list()),
        list(ShipmentVehicle.objects.order_by("pk").values_list()),
        list(Vehicle.objects.order_by("pk").values_list()),
        VehicleEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def bearer(world: World, name: str) -> dict[str, str]:
    """The Authorization header of the named actor's API token."""
    return {"Authorization": f"Bearer {world.token_for(name)}"}


@pytest.fixture
def steward(world: World) -> Actor:
    """The platform's steward (a superuser of Seabridge Operations): it keeps the rates."""
    return add_steward(world)


def sign_in(client: Client, actor: Actor) -> None:
    """Sign the actor's person in, acting for the actor's organisation."""
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


@dataclass
class Trade:
    """A confirmed JAC order of two T8-D with two allocated VINs on a planned shipment."""

    order: ExportOrder
    line: ExportOrderLine
    vehicles: list[Vehicle]
    shipment: Shipment

    @property
    def vins(self) -> list[str]:
        return [vehicle.vin for vehicle in self.vehicles]


@pytest.fixture
def petrol_variant(world: World) -> Variant:
    """A second JAC variant (T8 petrol), so that a VIN of the wrong variant can be refused."""
    return VariantFactory.create(product_line=world.jac_line, code="T8-P")


@pytest.fixture
def loaded(world: World) -> Trade:
    """Order EO-2025-001 confirmed, VINs 1 and 2 allocated and loaded on SH-2025-001."""
    order = confirmed(world)
    line = order.lines.get()
    vehicles = produce(world, 1, 2)
    vehicles_allocate(
        actor=world.jac_staff,
        line=line,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        allocated_on=ALLOCATED_ON,
    )
    shipment = shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ShipmentInput(
            number="SH-2025-001",
            mode="roro",
            port_of_loading="CNSHA",
            port_of_discharge="SAJED",
            carrier="COSCO",
            vessel="Morning Ace",
            voyage="025W",
            bill_of_lading="COSU6400001",
            etd=date(2025, 5, 2),
            eta=date(2025, 5, 30),
        ),
    )
    shipment_add_vehicles(
        actor=world.jac_staff,
        shipment=shipment,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
    )
    for vehicle in vehicles:
        vehicle.refresh_from_db()
    return Trade(order=order, line=line, vehicles=vehicles, shipment=shipment)


def partner_sells_to_the_dealer(world: World) -> None:
    """Zhongjiang passes Riyadh Motors a sub-grant of JAC in Saudi Arabia and Iraq, so
    that the dealer is a counterparty the partner may sell to."""
    from seabridge.agreements.models import Agreement
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import grant

    grant(
        by=world.partner_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
        parent=Agreement.objects.get(grantor=world.jac, grantee=world.partner),
    )
