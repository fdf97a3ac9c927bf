"""The vehicles app's rows in the authorization matrix (see core/tests/authorization.py).

The world gains three vehicles: JAC's domestic one (CN market, seen only by JAC: the
row under test), JAC's Saudi one (which the partner's sales grant covers) and a
Nezha one (foreign to everyone but Nezha). JAC also grants Riyadh Motors sales in
Saudi Arabia, so that JAC may deliver to that dealer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from seabridge.accounts.choices import Role
from seabridge.core.scope import Area
from seabridge.core.tests.authorization import JAC_ONLY, Access, Policy
from seabridge.core.tests.world import World, grant
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.vin import check_digit

PRODUCED_ON = date(2025, 3, 1)


def valid_vin(stem: str) -> str:
    """A 17-character VIN from ``stem`` with position 9 set to its check digit."""
    vin = stem[:8] + "0" + stem[9:]
    return vin[:8] + check_digit(vin) + vin[9:]


CN_VIN = valid_vin("LJ12EKR10S4000001")
SA_VIN = valid_vin("LJ12EKR10S4000002")
NEZHA_VIN = valid_vin("LUZBGAFB0S1000001")
NEW_VIN = valid_vin("LJ12EKR10S4000099")


def extend_world(world: World) -> None:
    """Add this app's JAC rows (and foreign ones) to the matrix world."""
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    jac = vehicles_produce(
        actor=world.jac_staff,
        rows=[
            ProductionRow(vin=CN_VIN, variant_id=world.jac_variant.pk, produced_on=PRODUCED_ON),
            ProductionRow(vin=SA_VIN, variant_id=world.jac_variant.pk, produced_on=PRODUCED_ON),
        ],
    ).vehicles
    (nezha,) = vehicles_produce(
        actor=world.nezha_admin,
        rows=[
            ProductionRow(vin=NEZHA_VIN, variant_id=world.nezha_variant.pk, produced_on=PRODUCED_ON)
        ],
    ).vehicles
    vehicles_move(
        actor=None,
        vehicle_ids=[jac[1].pk],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 10), market_id="SA"),
    )
    world.cn_vehicle = jac[0]  # type: ignore[attr-defined]
    world.sa_vehicle = jac[1]  # type: ignore[attr-defined]
    world.nezha_vehicle = nezha  # type: ignore[attr-defined]


def _move(world: World, *types: EventType) -> None:
    for number, type_ in enumerate(types, start=1):
        vehicles_move(
            actor=None,
            vehicle_ids=[world.cn_vehicle.pk],  # type: ignore[attr-defined]
            move=Move(type=type_, occurred_on=date(2025, 4, number)),
        )


def allocate(world: World) -> None:
    _move(world, EventType.ALLOCATED)


def into_stock(world: World) -> None:
    _move(world, EventType.ALLOCATED, EventType.DELIVERED)


def retailed(world: World) -> None:
    _move(world, EventType.ALLOCATED, EventType.DELIVERED, EventType.RETAILED)


def _cn_vin(world: World) -> str:
    return world.cn_vehicle.vin  # type: ignore[attr-defined]


def _deliver_body(world: World) -> dict[str, Any]:
    return {"vins": [_cn_vin(world)], "dealer_id": world.dealer.pk, "occurred_on": "2025-06-01"}


def _retail_body(world: World) -> dict[str, Any]:
    return {
        "customer": {"kind": "person", "name": "Wang Lei", "country": "CN"},
        "occurred_on": "2025-06-01",
        "price": "118000.00",
        "currency": "CNY",
    }


def _produce_body(world: World) -> dict[str, Any]:
    return {
        "rows": [{"vin": NEW_VIN, "variant_id": world.jac_variant.pk, "produced_on": "2025-05-01"}]
    }


def _brand_query(world: World) -> dict[str, Any]:
    return {"brand": world.jac_brand.pk}


# Production figures are the brand owner's: a partner sees the brand but not these.
OWNER_ONLY = {"nezha_admin": 404, "partner_viewer": 403, "partner_admin": 403}

# Path parameter name -> the JAC-owned row it points at.
PARAMETERS: dict[str, Callable[[World], Any]] = {"vin": _cn_vin}
PAGE_PARAMETERS: dict[str, Callable[[World], Any]] = {"vin": _cn_vin}

API: dict[str, Policy] = {
    "GET /api/v1/vehicles/": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {CN_VIN}, id_key="vin"
    ),
    "GET /api/v1/vehicles/milestones": Policy(Access.MEMBER, query=_brand_query, expect=OWNER_ONLY),
    # Only the brand owner's staff register production; others cannot name JAC's variant.
    "POST /api/v1/vehicles/produce": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_produce_body,
        expect={"nezha_admin": 422, "partner_admin": 403},
    ),
    "POST /api/v1/vehicles/deliver": Policy(
        Access.SCOPED, role=Role.STAFF, body=_deliver_body, setup=allocate
    ),
    "GET /api/v1/vehicles/{vin}": Policy(Access.SCOPED),
    "GET /api/v1/vehicles/{vin}/events": Policy(Access.SCOPED),
    "POST /api/v1/vehicles/{vin}/retail": Policy(
        Access.SCOPED, role=Role.STAFF, body=_retail_body, setup=into_stock
    ),
    "POST /api/v1/vehicles/{vin}/register": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"occurred_on": "2025-06-01", "document_ref": "皖A·12345"},
        setup=retailed,
    ),
    "POST /api/v1/vehicles/{vin}/scrap": Policy(
        Access.SCOPED, role=Role.STAFF, body=lambda world: {"occurred_on": "2025-06-01"}
    ),
    "DELETE /api/v1/vehicles/{vin}": Policy(Access.SCOPED, role=Role.STAFF, success=204),
}

PAGES: dict[str, Policy] = {
    "GET vehicles:vehicle-list": Policy(Access.SCOPED_LIST, own_ids=lambda world: {CN_VIN}),
    "GET vehicles:vehicle-timeline": Policy(Access.SCOPED, expect=JAC_ONLY),
    "GET vehicles:vehicle-retail": Policy(Access.SCOPED, role=Role.STAFF, setup=into_stock),
    "POST vehicles:vehicle-deliver": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        success=302,
        format="form",
        body=lambda world: {
            "vins": [_cn_vin(world)],
            "dealer": world.dealer.pk,
            "occurred_on": "2025-06-01",
        },
        setup=allocate,
    ),
    "GET vehicles:milestones": Policy(Access.MEMBER, query=_brand_query, expect=OWNER_ONLY),
    # A download: its rows are checked in vehicles/tests/test_exports.py (the body is a
    # streamed file, which the matrix does not read).
    "GET vehicles:vehicle-export": Policy(
        Access.SCOPED_LIST, params=lambda world: {"format": "csv"}
    ),
}
