"""The write side of the authorization matrix: who may change a row, by relationship.

The read side (core/tests/authorization.py) proves that nobody sees a row outside
their grants. A grant is only the ceiling for writing: each write is allowed by the
actor's relationship to the row. This world puts JAC's pickups in Nigeria, where
every relationship the design names meets the same rows:

- ``owner``: JAC's admin — the brand owner, and the seller of order EO-NG-1;
- ``market_partner``: Zhongjiang's admin — the trade partner granted JAC × NG for
  sales by JAC's memorandum, and the seller of order EO-NG-ZJ;
- ``buyer``: Lagos Auto's admin — the importer, sub-granted JAC × NG for sales by
  Zhongjiang, the buyer of both orders and the holder of the arrived vehicle;
- ``holder``: Ikeja Motors' admin — a dealer sub-granted by the importer, holding
  the vehicle in stock and the one it sold to a customer;
- ``competitor``: Lekki Motors' admin — a dealer in the same city with the same
  sub-grant, holding none of these rows;
- ``other_area``: Lagos Media's admin — granted JAC × NG for marketing only;
- ``stranger``: Nezha's admin — a maker with no agreement with anyone here.

Every caller acts as an admin, so the role never decides: the relationship does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Organization
from seabridge.accounts.tests.factories import OrganizationFactory
from seabridge.core.scope import Area
from seabridge.core.tests.world import World, _member, build_world, grant
from seabridge.trade import services as trade
from seabridge.trade.models import ExportOrder, Shipment
from seabridge.vehicles import services as vehicles
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.tests.access import valid_vin

CALLERS = (
    "owner",
    "market_partner",
    "buyer",
    "holder",
    "competitor",
    "other_area",
    "stranger",
)
# Each relationship caller is the admin of one organisation of the world.
ACTING_AS = {
    "owner": "jac_admin",
    "market_partner": "partner_admin",
    "buyer": "importer_admin",
    "holder": "ikeja_admin",
    "competitor": "lekki_admin",
    "other_area": "media_admin",
    "stranger": "nezha_admin",
}

IN_STOCK_VIN = valid_vin("LJ12EKR10S5000001")  # in Ikeja Motors' stock
SOLD_VIN = valid_vin("LJ12EKR10S5000002")  # sold by Ikeja Motors to Chidi Okafor
ARRIVED_VIN = valid_vin("LJ12EKR10S5000003")  # arrived in Lagos, held by the importer
NEW_VIN = valid_vin("LJ12EKR10S5000004")  # produced in China, held by JAC
PRODUCED_ON = date(2025, 3, 1)


@dataclass
class Rows:
    """The rows under test, by name."""

    vehicles: dict[str, Vehicle] = field(default_factory=dict)
    orders: dict[str, ExportOrder] = field(default_factory=dict)
    shipment: Shipment | None = None


def _organization(short_name: str, kind: OrganizationKind) -> Organization:
    return OrganizationFactory.create(short_name=short_name, kind=kind, home_country_id="NG")


def _agreements(world: World, media: Organization) -> None:
    """JAC → Zhongjiang (NG sales) → Lagos Auto → Ikeja and Lekki; JAC → Lagos Media."""
    jac = [world.jac_brand]
    memorandum = grant(
        by=world.jac_admin, to=world.partner, brands=jac, countries=["NG"], areas=[Area.SALES]
    )
    importer = world.__dict__["importer"]
    distribution = grant(
        by=world.partner_admin,
        to=importer,
        brands=jac,
        countries=["NG"],
        areas=[Area.SALES],
        parent=memorandum,
    )
    for dealer in ("ikeja", "lekki"):
        grant(
            by=world.importer_admin,
            to=world.__dict__[dealer],
            brands=jac,
            countries=["NG"],
            areas=[Area.SALES],
            parent=distribution,
        )
    grant(by=world.jac_admin, to=media, brands=jac, countries=["NG"], areas=[Area.MARKETING])


def _move(vehicle: Vehicle, type_: EventType, on: date, **facts: Any) -> None:
    vehicles_move(
        actor=None, vehicle_ids=[vehicle.pk], move=Move(type=type_, occurred_on=on, **facts)
    )


def _vehicles(world: World) -> dict[str, Vehicle]:
    """Four JAC pickups: in Ikeja's stock, sold by Ikeja, arrived in Lagos, still in China."""
    rows = [
        vehicles.ProductionRow(vin=vin, variant_id=world.jac_variant.pk, produced_on=PRODUCED_ON)
        for vin in (IN_STOCK_VIN, SOLD_VIN, ARRIVED_VIN, NEW_VIN)
    ]
    in_stock, sold, arrived, new = vehicles.vehicles_produce(
        actor=world.jac_admin, rows=rows
    ).vehicles
    importer = world.__dict__["importer"]
    for vehicle in (in_stock, sold, arrived):
        _move(vehicle, EventType.ALLOCATED, date(2025, 3, 10), market_id="NG")
        _move(vehicle, EventType.SHIPPED, date(2025, 3, 20), is_wholesale=True)
        _move(vehicle, EventType.ARRIVED, date(2025, 4, 18), holder=importer, place="Lagos")
    vehicles.vehicles_deliver_to_dealer(
        actor=world.importer_admin,
        vehicles=[in_stock, sold],
        dealer=world.__dict__["ikeja"],
        occurred_on=date(2025, 4, 25),
    )
    vehicles.vehicle_retail(
        actor=world.ikeja_admin,
        vehicle=Vehicle.objects.get(pk=sold.pk),
        customer=vehicles.NewCustomer(kind="person", name="Chidi Okafor", country_id="NG"),
        occurred_on=date(2025, 5, 2),
        price=Decimal("24500000"),
        currency="NGN",
    )
    return {
        "in_stock": Vehicle.objects.get(pk=in_stock.pk),
        "sold": Vehicle.objects.get(pk=sold.pk),
        "arrived": Vehicle.objects.get(pk=arrived.pk),
        "new": Vehicle.objects.get(pk=new.pk),
    }


def _order(world: World, number: str, seller: str) -> ExportOrder:
    return trade.export_order_create(
        actor=world.actors[seller],
        number=number,
        brand=world.jac_brand,
        buyer=world.__dict__["importer"],
        destination="NG",
        incoterm="CIF",
        currency="USD",
        payment_terms="tt",
        named_place="Lagos",
        lines=[
            trade.LineInput(
                variant_id=world.jac_variant.pk, quantity=2, unit_price=Decimal("18500")
            )
        ],
    )


def build() -> tuple[World, Rows]:
    """The core world with the Nigerian organisations, agreements and rows above."""
    world = build_world()
    media = _organization("Lagos Media", OrganizationKind.TRADE_PARTNER)
    world.__dict__.update(
        importer=_organization("Lagos Auto", OrganizationKind.DISTRIBUTOR),
        ikeja=_organization("Ikeja Motors", OrganizationKind.DEALER),
        lekki=_organization("Lekki Motors", OrganizationKind.DEALER),
    )
    for name in ("importer", "ikeja", "lekki"):
        _member(world, f"{name}_admin", world.__dict__[name], Role.ADMIN)
    _member(world, "media_admin", media, Role.ADMIN)
    _agreements(world, media)
    rows = Rows(vehicles=_vehicles(world))
    rows.orders = {
        "jac": _order(world, "EO-NG-1", "jac_admin"),
        "partner": _order(world, "EO-NG-ZJ", "partner_admin"),
    }
    return world, rows


# --- setups: put the rows in the state an action needs ----------------------------------


def confirm(world: World, rows: Rows) -> None:
    trade.export_order_transition(
        actor=world.jac_admin, order=rows.orders["jac"], to="confirmed", on=date(2025, 3, 5)
    )


def allocate(world: World, rows: Rows) -> None:
    confirm(world, rows)
    trade.vehicles_allocate(
        actor=world.jac_admin,
        line=rows.orders["jac"].lines.get(),
        vehicle_ids=[rows.vehicles["new"].pk],
        allocated_on=date(2025, 3, 10),
    )


def plan_shipment(world: World, rows: Rows) -> None:
    allocate(world, rows)
    rows.shipment = trade.shipment_create(
        actor=world.jac_admin,
        orders=[ExportOrder.objects.get(pk=rows.orders["jac"].pk)],
        data=trade.ShipmentInput(
            number="SH-NG-1", mode="roro", port_of_loading="CNSHA", port_of_discharge="NGLOS"
        ),
    )


def load(world: World, rows: Rows) -> None:
    plan_shipment(world, rows)
    assert rows.shipment is not None
    trade.shipment_add_vehicles(
        actor=world.jac_admin, shipment=rows.shipment, vehicle_ids=[rows.vehicles["new"].pk]
    )


def depart(world: World, rows: Rows) -> None:
    load(world, rows)
    assert rows.shipment is not None
    trade.shipment_depart(
        actor=world.jac_admin, shipment=rows.shipment, departed_on=date(2025, 3, 20)
    )


# --- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One write, tried by every relationship caller: the exact answer each one gets.

    ``url`` and ``body`` are built from the world and its rows after ``setup`` ran.
    """

    operation: str  # "METHOD /api/v1/path/{param}" as the OpenAPI schema names it
    url: Callable[[World, Rows], str]
    expect: dict[str, int]
    body: Callable[[World, Rows], dict[str, Any]] | None = None
    setup: Callable[[World, Rows], None] | None = None
    label: str = ""


def answers(
    allowed: dict[str, int], *, sees: tuple[str, ...], hidden: int = 404, seen: int = 403
) -> dict[str, int]:
    """Every caller's answer: ``allowed`` as given, the others ``seen`` when they see the
    row (a grant is the ceiling, not the permission), ``hidden`` when they do not."""
    return {caller: allowed.get(caller, seen if caller in sees else hidden) for caller in CALLERS}


# Who sees a JAC vehicle or order in Nigeria: the owner and every sales grantee there.
SALES_GRANTEES = ("owner", "market_partner", "buyer", "holder", "competitor")
# A vehicle is moved by its holder, the brand owner or the partner or importer granted
# the market; a dealer granted the market moves only what it holds.
MOVERS = {"owner": 200, "market_partner": 200, "buyer": 200, "holder": 200}

VEHICLES = "/api/v1/vehicles"
ORDERS = "/api/v1/trade/orders"
SHIPMENTS = "/api/v1/trade/shipments"


def _vin(name: str) -> Callable[[World, Rows], str]:
    return lambda world, rows: rows.vehicles[name].vin


def _order_url(name: str, suffix: str = "") -> Callable[[World, Rows], str]:
    return lambda world, rows: f"{ORDERS}/{rows.orders[name].pk}{suffix}"


def _line_url(action: str) -> Callable[[World, Rows], str]:
    def url(world: World, rows: Rows) -> str:
        order = rows.orders["jac"]
        return f"{ORDERS}/{order.pk}/lines/{order.lines.get().pk}/{action}"

    return url


def _shipment_url(action: str) -> Callable[[World, Rows], str]:
    def url(world: World, rows: Rows) -> str:
        assert rows.shipment is not None
        return f"{SHIPMENTS}/{rows.shipment.pk}/{action}"

    return url


def _retail_body(world: World, rows: Rows) -> dict[str, Any]:
    return {
        "customer": {"kind": "person", "name": "Ngozi Adeyemi", "country": "NG"},
        "occurred_on": "2025-06-01",
        "price": "25000000",
        "currency": "NGN",
    }


def _new_order_body(world: World, rows: Rows) -> dict[str, Any]:
    return {
        "number": "EO-NG-NEW",
        "brand_id": world.jac_brand.pk,
        "buyer_id": world.__dict__["importer"].pk,
        "destination": "NG",
        "incoterm": "CIF",
        "currency": "USD",
        "payment_terms": "tt",
        "lines": [{"variant_id": world.jac_variant.pk, "quantity": 1, "unit_price": "18000"}],
    }


CASES: list[Case] = [
    Case(
        "POST /api/v1/vehicles/{vin}/retail",
        lambda world, rows: f"{VEHICLES}/{IN_STOCK_VIN}/retail",
        answers(MOVERS, sees=SALES_GRANTEES),
        body=_retail_body,
    ),
    Case(
        "POST /api/v1/vehicles/{vin}/register",
        lambda world, rows: f"{VEHICLES}/{SOLD_VIN}/register",
        answers(MOVERS, sees=SALES_GRANTEES),
        body=lambda world, rows: {"occurred_on": "2025-06-01", "document_ref": "LND 123 AA"},
    ),
    Case(
        "POST /api/v1/vehicles/{vin}/scrap",
        lambda world, rows: f"{VEHICLES}/{IN_STOCK_VIN}/scrap",
        answers(MOVERS, sees=SALES_GRANTEES),
        body=lambda world, rows: {"occurred_on": "2025-06-01"},
    ),
    Case(
        "DELETE /api/v1/vehicles/{vin}",
        lambda world, rows: f"{VEHICLES}/{NEW_VIN}",
        # Only a vehicle without a history may go, and only by its brand owner's hand.
        answers({"owner": 204}, sees=("owner",)),
    ),
    Case(
        "POST /api/v1/vehicles/deliver",
        lambda world, rows: f"{VEHICLES}/deliver",
        # The arrived vehicle is the importer's: the dealer it is meant for cannot take it
        # into its stock, and its competitor may not even name that dealer (no agreement
        # between them: 422 naming the dealer).
        answers(
            {"owner": 200, "market_partner": 200, "buyer": 200, "competitor": 422},
            sees=SALES_GRANTEES,
        ),
        body=lambda world, rows: {
            "vins": [ARRIVED_VIN],
            "dealer_id": world.__dict__["ikeja"].pk,
            "occurred_on": "2025-06-01",
        },
        label="the importer's arrived stock",
    ),
    Case(
        "POST /api/v1/vehicles/deliver",
        lambda world, rows: f"{VEHICLES}/deliver",
        # Allocated at home and still the maker's: only the maker delivers it (the
        # wholesale), the others see it not at all (it is in China).
        answers({"owner": 200}, sees=("owner",)),
        body=lambda world, rows: {
            "vins": [NEW_VIN],
            "dealer_id": world.__dict__["ikeja"].pk,
            "occurred_on": "2025-06-01",
        },
        setup=lambda world, rows: _move(
            rows.vehicles["new"], EventType.ALLOCATED, date(2025, 3, 10)
        ),
        label="the maker's allocated stock",
    ),
    Case(
        "POST /api/v1/vehicles/produce",
        lambda world, rows: f"{VEHICLES}/produce",
        # Production is the brand owner's; the others are told why (403) or cannot name
        # JAC's variant at all (422).
        {
            "owner": 201,
            "market_partner": 403,
            "buyer": 403,
            "holder": 403,
            "competitor": 403,
            "other_area": 403,
            "stranger": 422,
        },
        body=lambda world, rows: {
            "rows": [
                {
                    "vin": valid_vin("LJ12EKR10S5000099"),
                    "variant_id": world.jac_variant.pk,
                    "produced_on": "2025-05-01",
                }
            ]
        },
    ),
    Case(
        "POST /api/v1/trade/orders",
        lambda world, rows: ORDERS,
        # The brand owner and the partner granted the market sell, to a counterparty;
        # the importer cannot buy from itself; dealers and the marketing agency may not
        # sell JAC in Nigeria; Nezha does not know the brand.
        {
            "owner": 201,
            "market_partner": 201,
            "buyer": 422,
            "holder": 422,
            "competitor": 422,
            "other_area": 422,
            "stranger": 422,
        },
        body=_new_order_body,
    ),
    Case(
        "PATCH /api/v1/trade/orders/{order_id}",
        _order_url("jac"),
        answers({"owner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"named_place": "Apapa"},
        label="sold by the brand owner",
    ),
    Case(
        "PATCH /api/v1/trade/orders/{order_id}",
        _order_url("partner"),
        answers({"market_partner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"named_place": "Apapa"},
        label="sold by the partner",
    ),
    Case(
        "POST /api/v1/trade/orders/{order_id}/transition",
        _order_url("jac", "/transition"),
        answers({"owner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"status": "confirmed", "on": "2025-03-05"},
        label="sold by the brand owner",
    ),
    Case(
        "POST /api/v1/trade/orders/{order_id}/transition",
        _order_url("partner", "/transition"),
        answers({"market_partner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"status": "confirmed", "on": "2025-03-05"},
        label="sold by the partner",
    ),
    Case(
        "POST /api/v1/trade/orders/{order_id}/respond",
        _order_url("jac", "/respond"),
        # The buyer answers what its seller confirmed; the seller cannot answer for it.
        answers({"buyer": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"accept": False, "reason": "Two units were promised"},
        setup=confirm,
    ),
    Case(
        "POST /api/v1/trade/orders/{order_id}/lines/{line_id}/allocate",
        _line_url("allocate"),
        answers({"owner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"vins": [NEW_VIN], "on": "2025-03-10"},
        setup=confirm,
    ),
    Case(
        "POST /api/v1/trade/orders/{order_id}/lines/{line_id}/deallocate",
        _line_url("deallocate"),
        answers({"owner": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"vins": [NEW_VIN], "on": "2025-03-12"},
        setup=allocate,
    ),
    Case(
        "POST /api/v1/trade/shipments",
        lambda world, rows: SHIPMENTS,
        # Only the order's seller ships it; who cannot see the order is told it does not
        # know it (422 naming the order).
        answers({"owner": 201}, sees=SALES_GRANTEES, hidden=422),
        body=lambda world, rows: {
            "number": "SH-NG-NEW",
            "order_ids": [rows.orders["jac"].pk],
            "mode": "roro",
            "port_of_loading": "CNSHA",
            "port_of_discharge": "NGLOS",
        },
        setup=allocate,
    ),
    Case(
        "POST /api/v1/trade/shipments/{shipment_id}/vehicles",
        _shipment_url("vehicles"),
        # Shipments are moved by the brand owner or the partner or importer granted the
        # destination; a dealer granted the market may only look.
        answers({"owner": 200, "market_partner": 200, "buyer": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"vins": [NEW_VIN]},
        setup=plan_shipment,
    ),
    Case(
        "POST /api/v1/trade/shipments/{shipment_id}/depart",
        _shipment_url("depart"),
        answers({"owner": 200, "market_partner": 200, "buyer": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"departed_on": "2025-03-20"},
        setup=load,
    ),
    Case(
        "POST /api/v1/trade/shipments/{shipment_id}/arrive",
        _shipment_url("arrive"),
        answers({"owner": 200, "market_partner": 200, "buyer": 200}, sees=SALES_GRANTEES),
        body=lambda world, rows: {"arrived_on": "2025-04-20"},
        setup=depart,
    ),
    Case(
        "PATCH /api/v1/catalog/variants/{variant_id}",
        lambda world, rows: f"/api/v1/catalog/variants/{world.jac_variant.pk}",
        # The catalogue is the brand owner's; every grantee reads it, in any area.
        answers(
            {"owner": 200},
            sees=("market_partner", "buyer", "holder", "competitor", "other_area"),
        ),
        body=lambda world, rows: {"engine": "2.0 L turbo diesel"},
    ),
]

# Write operations this matrix leaves to others, each with the reason.
EXEMPT: dict[str, str] = {
    "PATCH /api/v1/accounts/organizations/{organization_id}": "one's own organisation: "
    "its admins only (core/tests/authorization.py)",
    "POST /api/v1/accounts/organizations/{organization_id}/members": "one's own organisation",
    "PATCH /api/v1/accounts/organizations/{organization_id}/members/{membership_id}": (
        "one's own organisation"
    ),
    "DELETE /api/v1/accounts/organizations/{organization_id}/members/{membership_id}": (
        "one's own organisation"
    ),
    "POST /api/v1/accounts/tokens": "one's own tokens",
    "POST /api/v1/accounts/tokens/{token_id}/revoke": "one's own tokens",
    "PATCH /api/v1/markets/countries/{code}/profile": "reference data: its stewards "
    "(core/tests/authorization.py, markets/tests)",
    "POST /api/v1/markets/regions": "reference data: its stewards",
    "PATCH /api/v1/markets/regions/{code}": "reference data: its stewards",
    "POST /api/v1/trade/exchange-rates": "reference data: its stewards",
    "POST /api/v1/catalog/brands": "a new brand is its creator's: no row to relate to",
    "PATCH /api/v1/catalog/brands/{brand_id}": "the catalogue: as the variant above",
    "POST /api/v1/catalog/product-lines": "the catalogue: as the variant above",
    "PATCH /api/v1/catalog/product-lines/{line_id}": "the catalogue: as the variant above",
    "POST /api/v1/catalog/variants": "the catalogue: as the variant above",
    "POST /api/v1/catalog/homologations": "the catalogue: as the variant above",
    "PATCH /api/v1/catalog/homologations/{homologation_id}": "the catalogue: as the variant",
    "POST /api/v1/agreements/": "agreements: grantor and grantee, core/tests/authorization.py "
    "and agreements/tests",
    "PATCH /api/v1/agreements/{agreement_id}": "agreements: the grantor's admin",
    "POST /api/v1/agreements/{agreement_id}/document": "agreements: the grantor's admin",
    "POST /api/v1/agreements/{agreement_id}/sign": "agreements: both parties",
    "POST /api/v1/agreements/{agreement_id}/activate": "agreements: the grantor's admin",
    "POST /api/v1/agreements/{agreement_id}/terminate": "agreements: both parties",
    "POST /api/v1/planning/plans": "plans: the brand owner and the grantee of the "
    "agreement a plan serves, nobody else sees one (core/tests/authorization.py)",
    "PATCH /api/v1/planning/plans/{plan_id}": "plans: their parties",
    "POST /api/v1/planning/plans/{plan_id}/approve": "plans: their parties",
    "POST /api/v1/planning/plans/{plan_id}/transition": "plans: their parties",
    "PUT /api/v1/planning/plans/{plan_id}/phases": "plans: their parties",
    "POST /api/v1/planning/plans/{plan_id}/targets": "plans: their parties",
    "PATCH /api/v1/planning/plans/{plan_id}/shortlist-weights": "plans: their parties",
    "POST /api/v1/planning/plans/{plan_id}/milestones": "plans: their parties",
    "POST /api/v1/planning/plans/{plan_id}/milestones/{milestone_id}/complete": "plans",
    "POST /api/v1/planning/plans/{plan_id}/milestones/{milestone_id}/drop": "plans",
    "POST /api/v1/imports/{kind}": "every row goes through the services above: "
    "imports/tests and the relationship tests of each kind",
}
