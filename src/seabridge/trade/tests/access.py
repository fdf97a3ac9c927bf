"""The trade app's rows in the authorization matrix (see core/tests/authorization.py).

The world gets a JAC draft export order to Saudi Arabia (buyer Riyadh Motors) with
one line of two T8-D, two produced JAC vehicles, and a planned shipment for the
order. Zhongjiang is granted JAC × Saudi Arabia for sales, so it sees the order and the
shipment; as the trade partner granted the destination its admin moves the
shipment, but only the seller (JAC) edits, confirms and allocates to the order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from seabridge.accounts.choices import Role
from seabridge.core.tests.authorization import Access, Policy
from seabridge.core.tests.world import World
from seabridge.trade.choices import Incoterm, OrderStatus, PaymentTerms, ShipmentMode
from seabridge.trade.models import ExportOrder, ExportOrderLine, Shipment
from seabridge.vehicles.models import Vehicle

VINS = ("LJ1TRADE0AA000001", "LJ1TRADE0AA000002")

PARTNER_SEES = {"partner_viewer": 200, "partner_admin": 200}
# The partner's grant covers JAC in Saudi Arabia for sales: it reads JAC's order, but
# only the seller (JAC) changes it.
SELLER_WRITES = {"partner_viewer": 403, "partner_admin": 403}
# As the trade partner granted the destination, its admin moves the shipments.
PARTNER_WRITES = {"partner_viewer": 403, "partner_admin": 200}
PARTNER_WRITES_PAGE = {"partner_viewer": 403, "partner_admin": 302}


def order_of(world: World) -> ExportOrder:
    return world.__dict__["trade_order"]


def line_of(world: World) -> ExportOrderLine:
    return world.__dict__["trade_line"]


def shipment_of(world: World) -> Shipment:
    return world.__dict__["trade_shipment"]


def extend_world(world: World) -> None:
    """Add a JAC export order to Saudi Arabia, two produced vehicles and a planned shipment."""
    order = ExportOrder.objects.create(
        number="EO-JAC-SA-001",
        brand=world.jac_brand,
        seller=world.jac,
        buyer=world.dealer,
        destination_id="SA",
        incoterm=Incoterm.CIF,
        named_place="Jeddah",
        currency="USD",
        payment_terms=PaymentTerms.TT,
    )
    line = ExportOrderLine.objects.create(
        order=order, variant=world.jac_variant, quantity=2, unit_price=Decimal("18500")
    )
    for vin in VINS:
        Vehicle.objects.create(
            vin=vin,
            brand=world.jac_brand,
            variant=world.jac_variant,
            produced_on=date(2025, 3, 1),
            market_id="CN",
            holder=world.jac,
        )
    shipment = Shipment.objects.create(
        number="SH-JAC-SA-001",
        brand=world.jac_brand,
        destination_id="SA",
        mode=ShipmentMode.RORO,
        port_of_loading="CNSHA",
        port_of_discharge="SAJED",
    )
    shipment.orders.add(order)
    world.__dict__.update(trade_order=order, trade_line=line, trade_shipment=shipment)


def confirm_order(world: World) -> None:
    from seabridge.trade.services import export_order_transition

    export_order_transition(
        actor=world.jac_manager, order=order_of(world), to=OrderStatus.CONFIRMED
    )


def allocate(world: World) -> None:
    from seabridge.trade.services import vehicles_allocate

    confirm_order(world)
    vehicles_allocate(
        actor=world.jac_admin,
        line=line_of(world),
        vehicle_ids=list(Vehicle.objects.filter(vin__in=VINS).values_list("pk", flat=True)),
        allocated_on=date(2025, 4, 1),
    )


def load(world: World) -> None:
    from seabridge.trade.services import shipment_add_vehicles

    allocate(world)
    shipment_add_vehicles(
        actor=world.jac_admin,
        shipment=shipment_of(world),
        vehicle_ids=list(Vehicle.objects.filter(vin__in=VINS).values_list("pk", flat=True)),
    )


def depart(world: World) -> None:
    from seabridge.trade.services import shipment_depart

    load(world)
    shipment_depart(
        actor=world.jac_admin, shipment=shipment_of(world), departed_on=date(2025, 5, 2)
    )


def add_rate(world: World) -> None:
    from seabridge.trade.services import exchange_rate_set

    exchange_rate_set(
        actor=world.steward, currency="USD", on=date(2025, 1, 2), cny_per_unit=Decimal("7.1")
    )


def _order_body(world: World) -> dict[str, Any]:
    return {
        "number": "EO-NEW-1",
        "brand_id": world.jac_brand.pk,
        "buyer_id": world.dealer.pk,
        "destination": "SA",
        "incoterm": "FOB",
        "currency": "USD",
        "payment_terms": "lc",
        "lc_number": "LC-2025-77",
        "lc_expires_on": "2025-12-31",
        "lines": [{"variant_id": world.jac_variant.pk, "quantity": 5, "unit_price": "18000"}],
    }


def _shipment_body(world: World) -> dict[str, Any]:
    return {
        "number": "SH-NEW-1",
        "order_ids": [order_of(world).pk],
        "mode": "roro",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "SAJED",
    }


def _line_params(world: World) -> dict[str, Any]:
    return {"order_id": order_of(world).pk, "line_id": line_of(world).pk}


PARAMETERS: dict[str, Callable[[World], Any]] = {
    "order_id": lambda world: order_of(world).pk,
    "shipment_id": lambda world: shipment_of(world).pk,
}
PAGE_PARAMETERS: dict[str, Callable[[World], Any]] = {}


def _order_pk(world: World) -> dict[str, Any]:
    return {"pk": order_of(world).pk}


def _shipment_pk(world: World) -> dict[str, Any]:
    return {"pk": shipment_of(world).pk}


def _line_pk(world: World) -> dict[str, Any]:
    return {"pk": order_of(world).pk, "line_id": line_of(world).pk}


API: dict[str, Policy] = {
    "GET /api/v1/trade/orders": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {order_of(world).pk}, expect=PARTNER_SEES
    ),
    # Anyone may sell what they own or are granted, to a counterparty: Nezha is refused
    # naming the brand, the partner naming the buyer (Riyadh Motors is JAC's dealer).
    "POST /api/v1/trade/orders": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_order_body,
        expect={"nezha_admin": 422, "partner_admin": 422},
    ),
    "GET /api/v1/trade/orders/{order_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/trade/orders/{order_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"named_place": "Dammam", "requested_on": "2025-09-30"},
        expect=SELLER_WRITES,
    ),
    "POST /api/v1/trade/orders/{order_id}/transition": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        body=lambda world: {"status": "confirmed", "on": "2025-03-20"},
        expect=SELLER_WRITES,
    ),
    # Only the buyer (Riyadh Motors, not a caller here) answers a confirmed order: JAC
    # sold it and the partner only sees it (core/tests/relationships.py has the buyer).
    "POST /api/v1/trade/orders/{order_id}/respond": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        body=lambda world: {"accept": False, "reason": "Wrong variant"},
        setup=confirm_order,
        expect={"jac_manager": 403, "jac_admin": 403, **SELLER_WRITES},
    ),
    # Only the seller allocates to its order.
    "POST /api/v1/trade/orders/{order_id}/lines/{line_id}/allocate": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"vins": list(VINS), "on": "2025-04-01"},
        params=_line_params,
        setup=confirm_order,
        expect=SELLER_WRITES,
    ),
    "POST /api/v1/trade/orders/{order_id}/lines/{line_id}/deallocate": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"vins": [VINS[0]], "on": "2025-04-02"},
        params=_line_params,
        setup=allocate,
        expect=SELLER_WRITES,
    ),
    "GET /api/v1/trade/shipments": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {shipment_of(world).pk}, expect=PARTNER_SEES
    ),
    "POST /api/v1/trade/shipments": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_shipment_body,
        setup=confirm_order,
        # Nezha does not see the order: a 422 naming it; the partner may not ship what
        # JAC sold.
        expect={"nezha_admin": 422, "partner_admin": 403},
    ),
    "GET /api/v1/trade/shipments/{shipment_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "POST /api/v1/trade/shipments/{shipment_id}/vehicles": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"vins": list(VINS)},
        setup=allocate,
        expect=PARTNER_WRITES,
    ),
    "POST /api/v1/trade/shipments/{shipment_id}/depart": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"departed_on": "2025-05-02"},
        setup=load,
        expect=PARTNER_WRITES,
    ),
    "POST /api/v1/trade/shipments/{shipment_id}/arrive": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"arrived_on": "2025-06-01"},
        setup=depart,
        expect=PARTNER_WRITES,
    ),
    "GET /api/v1/trade/shipments/{shipment_id}/landed-costs": Policy(
        Access.SCOPED, setup=add_rate, expect=PARTNER_SEES
    ),
    # Exchange rates are reference data: read by everyone signed in, kept by the steward.
    "GET /api/v1/trade/exchange-rates": Policy(Access.SIGNED_IN),
    "POST /api/v1/trade/exchange-rates": Policy(
        Access.STEWARD,
        success=201,
        body=lambda world: {"currency": "SAR", "on": "2025-04-01", "cny_per_unit": "1.9"},
    ),
}

PAGES: dict[str, Policy] = {
    "GET trade:order-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"EO-JAC-SA-001"}, expect=PARTNER_SEES
    ),
    "GET trade:order-create": Policy(Access.MEMBER, role=Role.STAFF, expect={"lonely": 403}),
    "GET trade:order-detail": Policy(Access.SCOPED, params=_order_pk, expect=PARTNER_SEES),
    "GET trade:order-edit": Policy(
        Access.SCOPED, role=Role.STAFF, params=_order_pk, expect=SELLER_WRITES
    ),
    "POST trade:order-transition": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        success=302,
        format="form",
        params=_order_pk,
        body=lambda world: {"status": "confirmed"},
        expect=SELLER_WRITES,
    ),
    "POST trade:order-respond": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        success=302,
        format="form",
        params=_order_pk,
        body=lambda world: {"response": "accepted"},
        setup=confirm_order,
        expect={"jac_manager": 403, "jac_admin": 403, **SELLER_WRITES},
    ),
    "GET trade:line-allocate": Policy(
        Access.SCOPED, role=Role.STAFF, params=_line_pk, expect=SELLER_WRITES
    ),
    "GET trade:shipment-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"SH-JAC-SA-001"}, expect=PARTNER_SEES
    ),
    "GET trade:shipment-create": Policy(Access.MEMBER, role=Role.STAFF, expect={"lonely": 403}),
    "GET trade:shipment-detail": Policy(Access.SCOPED, params=_shipment_pk, expect=PARTNER_SEES),
    "GET trade:shipment-vehicles": Policy(
        Access.SCOPED, role=Role.STAFF, params=_shipment_pk, expect=PARTNER_WRITES
    ),
    "POST trade:shipment-depart": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        success=302,
        format="form",
        params=_shipment_pk,
        setup=load,
        body=lambda world: {"on": "2025-05-02"},
        expect=PARTNER_WRITES_PAGE,
    ),
    "POST trade:shipment-arrive": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        success=302,
        format="form",
        params=_shipment_pk,
        setup=depart,
        body=lambda world: {"on": "2025-06-01"},
        expect=PARTNER_WRITES_PAGE,
    ),
    # Downloads: their rows are checked in trade/tests/test_exports.py.
    "GET trade:order-export": Policy(Access.SCOPED_LIST, params=lambda world: {"format": "csv"}),
    "GET trade:shipment-export": Policy(
        Access.SCOPED_LIST, params=lambda world: {"format": "xlsx"}
    ),
    "GET trade:exchange-rate-list": Policy(Access.SIGNED_IN),
    "GET trade:exchange-rate-create": Policy(Access.STEWARD),
    "POST trade:exchange-rate-create": Policy(
        Access.STEWARD,
        success=302,
        format="form",
        body=lambda world: {"currency": "USD", "on": "2025-04-01", "cny_per_unit": "7.2"},
    ),
}
