"""Imports of trade: export orders (one row per line) and shipment manifests of VINs.

The first tests drive the kinds' ``check`` and ``apply`` with rows as the framework
hands them over; the end-to-end tests import real files made here (CSV in several
encodings and delimiters, XLSX through openpyxl) through ``import_file``.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from seabridge.core.scope import Actor
from seabridge.core.tests.world import World
from seabridge.imports import kinds
from seabridge.imports.kinds import Context, ImportKind, Prepared, Row
from seabridge.imports.tests.reports import Report, report
from seabridge.trade.choices import OrderStatus, ShipmentStatus
from seabridge.trade.imports import ExportOrders, Shipments
from seabridge.trade.models import Allocation, ExportOrder, Shipment, ShipmentVehicle
from seabridge.trade.services import shipment_depart
from seabridge.trade.tests.conftest import (
    confirmed,
    draft,
    jac_vin,
    partner_sells_to_the_dealer,
    produce,
    produce_variant,
    snapshot,
)
from seabridge.vehicles.choices import VehicleState
from seabridge.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


def run(
    kind: ImportKind, actor: Actor, *records: dict[str, Any], headers: list[str] | None = None
) -> tuple[Context, Prepared]:
    """Check ``records`` (rows 2, 3, … of a file whose header holds ``headers``, by
    default every column the records fill) as the framework would."""
    names = headers or list(dict.fromkeys(name for record in records for name in record))
    context = Context(actor=actor, kind=kind, headers={name: name for name in names})
    rows = [Row(number, dict(record)) for number, record in enumerate(records, start=2)]
    return context, kind.check(context, rows)


def problems(context: Context) -> list[tuple[int | None, str | None, str]]:
    return [(problem.row, problem.column, problem.message) for problem in context.problems]


def counts(prepared: Prepared) -> tuple[int, int, int]:
    return (prepared.created, prepared.updated, prepared.unchanged)


def order_row(**changes: Any) -> dict[str, Any]:
    """A row of JAC's order EO-2025-001: two T8-D to Riyadh Motors, CIF Jeddah in USD."""
    row: dict[str, Any] = {
        "order_number": "EO-2025-001",
        "brand": "JAC",
        "buyer": "Riyadh Motors",
        "destination": "SA",
        "incoterm": "CIF",
        "currency": "USD",
        "payment_terms": "T/T",
        "named_place": "Jeddah",
        "variant": "T8-D",
        "quantity": 2,
        "unit_price": Decimal("18500"),
        "requested_on": None,
    }
    row.update(changes)
    return row


def order_rows(order: ExportOrder) -> tuple:
    return (
        order.number,
        order.brand.name,
        order.seller.short_name,
        order.buyer.short_name,
        order.destination_id,
        order.incoterm,
        order.named_place,
        order.currency,
        order.payment_terms,
        order.lc_number,
        order.lc_expires_on,
        order.requested_on,
        order.status,
        [
            (line.variant.code, line.quantity, line.unit_price)
            for line in order.lines.order_by("variant__code")
        ],
    )


# --- export orders through check and apply ---------------------------------------------------


def test_rows_of_a_new_order_draft_it_with_its_lines(world: World, petrol_variant) -> None:
    kind = ExportOrders()
    context, prepared = run(
        kind,
        world.jac_staff,
        order_row(requested_on=date(2025, 6, 30)),
        order_row(
            variant="t8-p",
            quantity=3,
            unit_price=Decimal("17250.5"),
            requested_on=date(2025, 6, 30),
        ),
    )
    assert problems(context) == []
    assert counts(prepared) == (2, 0, 0)

    kind.apply(context, prepared)

    assert order_rows(ExportOrder.objects.get()) == (
        "EO-2025-001",
        "JAC",
        "JAC",
        "Riyadh Motors",
        "SA",
        "CIF",
        "Jeddah",
        "USD",
        "tt",
        "",
        None,
        date(2025, 6, 30),
        OrderStatus.DRAFT,
        [("T8-D", 2, Decimal("18500.0000")), ("T8-P", 3, Decimal("17250.5000"))],
    )


def test_the_same_rows_again_change_nothing(world: World) -> None:
    draft(world)
    context, prepared = run(ExportOrders(), world.jac_staff, order_row())
    assert problems(context) == []
    assert counts(prepared) == (0, 0, 1)


def test_a_draft_order_changes_its_terms_and_the_lines_the_file_names(
    world: World, petrol_variant
) -> None:
    order = draft(world)
    kind = ExportOrders()
    context, prepared = run(
        kind,
        world.jac_staff,
        order_row(incoterm="FOB", unit_price=Decimal("18000")),
        order_row(incoterm="FOB", variant="T8-P", quantity=1, unit_price=Decimal("17000")),
    )
    assert problems(context) == []
    assert counts(prepared) == (1, 1, 0)

    kind.apply(context, prepared)

    order.refresh_from_db()
    assert (order.incoterm, order.named_place, order.status) == ("FOB", "Jeddah", "draft")
    assert order_rows(order)[-1] == [
        ("T8-D", 2, Decimal("18000.0000")),
        ("T8-P", 1, Decimal("17000.0000")),
    ]


def test_a_line_the_file_does_not_name_stays(world: World, petrol_variant) -> None:
    draft(world)
    kind = ExportOrders()
    context, prepared = run(
        kind, world.jac_staff, order_row(variant="T8-P", quantity=4, unit_price=Decimal("1"))
    )
    assert counts(prepared) == (1, 0, 0)
    kind.apply(context, prepared)
    assert order_rows(ExportOrder.objects.get())[-1] == [
        ("T8-D", 2, Decimal("18500.0000")),
        ("T8-P", 4, Decimal("1.0000")),
    ]


def test_a_confirmed_order_is_not_changed_by_an_import(world: World) -> None:
    confirmed(world)
    before = snapshot()
    context, prepared = run(ExportOrders(), world.jac_staff, order_row(quantity=5))
    assert problems(context) == [
        (
            2,
            "order_number",
            "Order EO-2025-001 is already confirmed; only a draft order can be changed.",
        )
    ]
    assert snapshot() == before
    # The same lines as stored are fine: nothing to change.
    context, prepared = run(ExportOrders(), world.jac_staff, order_row())
    assert (problems(context), counts(prepared)) == ([], (0, 0, 1))


def test_the_rows_of_one_order_must_agree(world: World) -> None:
    context, _prepared = run(
        ExportOrders(),
        world.jac_staff,
        order_row(),
        order_row(variant="T8-X", incoterm="FOB", currency="EUR"),
    )
    assert problems(context) == [
        (
            3,
            "incoterm",
            "Order EO-2025-001 has CIF in row 2 and FOB here; the rows of one order must agree.",
        ),
        (
            3,
            "currency",
            "Order EO-2025-001 has USD in row 2 and EUR here; the rows of one order must agree.",
        ),
        (3, "variant", "T8-X is not a variant of JAC."),
    ]


def test_every_cell_of_an_order_is_checked(world: World) -> None:
    context, prepared = run(
        ExportOrders(),
        world.jac_staff,
        order_row(
            brand="Nezha",
            buyer="Nobody Trading",
            destination="XX",
            incoterm="FOX",
            currency="USX",
            payment_terms="cash",
        ),
        order_row(order_number="EO-2", variant="V-BEV", quantity=0, unit_price=Decimal("-1")),
        order_row(order_number="EO-3", unit_price=Decimal("1.23456")),
        order_row(order_number="EO-4", buyer="jac"),
        order_row(order_number="EO-5", payment_terms="L/C"),
    )
    assert problems(context) == [
        (2, "brand", "Nezha is not a brand you work with."),
        (2, "buyer", "There is no organisation called Nobody Trading."),
        (2, "destination", "XX is not an ISO 3166 country code."),
        (2, "incoterm", "FOX is not an Incoterms 2020 rule."),
        (2, "currency", "USX is not an ISO 4217 currency code."),
        (2, "payment_terms", "cash is not a payment term; use T/T, L/C or D/P."),
        (3, "variant", "V-BEV is not a variant of JAC."),
        (3, "quantity", "The quantity must be more than 0."),
        (3, "unit_price", "An amount cannot be negative."),
        (4, "unit_price", "Use at most 4 decimal places."),
        (5, "buyer", "An organisation cannot buy from itself."),
        (6, "L/C number", "A letter of credit needs its number."),
        (6, "L/C expiry", "A letter of credit needs its expiry date."),
    ]
    assert prepared.changes == 0


def test_a_partner_imports_orders_only_where_it_is_granted(world: World) -> None:
    partner_sells_to_the_dealer(world)
    before = snapshot()
    context, prepared = run(
        ExportOrders(),
        world.partner_admin,
        order_row(),
        order_row(order_number="EO-OM", destination="OM"),
    )
    assert problems(context) == [(3, "brand", "Zhongjiang may not sell JAC in OM.")]
    assert counts(prepared) == (1, 0, 0)
    assert snapshot() == before


def test_an_order_the_actor_cannot_see_is_a_taken_number(world: World) -> None:
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import grant

    # Riyadh Motors sells Nezha too, so that Nezha may name it as a buyer.
    grant(
        by=world.nezha_admin,
        to=world.dealer,
        brands=[world.nezha_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    draft(world)
    context, _prepared = run(
        ExportOrders(), world.nezha_admin, order_row(brand="Nezha", variant="V-BEV")
    )
    assert problems(context) == [(2, "order_number", "Order number EO-2025-001 is taken.")]


def test_an_import_does_not_move_an_order_to_another_buyer(world: World) -> None:
    draft(world)
    context, _prepared = run(ExportOrders(), world.jac_staff, order_row(buyer="Zhongjiang"))
    assert problems(context) == [
        (2, "buyer", "Order EO-2025-001 is for Riyadh Motors; an import cannot change that.")
    ]


def test_a_letter_of_credit_order(world: World) -> None:
    kind = ExportOrders()
    context, prepared = run(
        kind,
        world.jac_staff,
        order_row(payment_terms="L/C", lc_number="LC-88", lc_expires_on=date(2025, 9, 30)),
    )
    assert problems(context) == []
    kind.apply(context, prepared)
    order = ExportOrder.objects.get()
    assert (order.payment_terms, order.lc_number, order.lc_expires_on) == (
        "lc",
        "LC-88",
        date(2025, 9, 30),
    )


# --- shipments through check and apply ---------------------------------------------------------


def manifest_row(vin: str, **changes: Any) -> dict[str, Any]:
    """A row of SH-2025-009 for order EO-2025-001: RoRo Shanghai → Jeddah."""
    row: dict[str, Any] = {
        "shipment_number": "SH-2025-009",
        "order_number": "EO-2025-001",
        "vin": vin,
        "mode": "RORO",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "SAJED",
        "vessel": "Morning Ace",
        "voyage": "025W",
        "bill_of_lading": "COSU6400009",
        "etd": date(2025, 5, 2),
        "eta": date(2025, 5, 30),
    }
    row.update(changes)
    return row


def shipment_rows(shipment: Shipment) -> tuple:
    return (
        shipment.number,
        shipment.brand.name,
        shipment.destination_id,
        shipment.mode,
        shipment.port_of_loading,
        shipment.port_of_discharge,
        shipment.vessel,
        shipment.voyage,
        shipment.bill_of_lading,
        shipment.etd,
        shipment.eta,
        shipment.status,
        sorted(shipment.orders.values_list("number", flat=True)),
        sorted(shipment.vehicles.values_list("vin", flat=True)),
    )


def test_a_manifest_plans_the_shipment_allocates_and_loads_its_vins(world: World) -> None:
    order = confirmed(world)
    vehicles = produce(world, 1, 2)
    kind = Shipments()
    context, prepared = run(
        kind, world.jac_staff, manifest_row(jac_vin(1)), manifest_row(jac_vin(2))
    )
    assert problems(context) == []
    assert counts(prepared) == (2, 0, 0)

    kind.apply(context, prepared)

    assert shipment_rows(Shipment.objects.get()) == (
        "SH-2025-009",
        "JAC",
        "SA",
        "roro",
        "CNSHA",
        "SAJED",
        "Morning Ace",
        "025W",
        "COSU6400009",
        date(2025, 5, 2),
        date(2025, 5, 30),
        ShipmentStatus.PLANNED,
        ["EO-2025-001"],
        [jac_vin(1), jac_vin(2)],
    )
    assert sorted(
        Allocation.objects.values_list("vehicle__vin", "line__order__number", "allocated_on")
    ) == [
        (jac_vin(1), "EO-2025-001", timezone.localdate()),
        (jac_vin(2), "EO-2025-001", timezone.localdate()),
    ]
    for vehicle in vehicles:
        vehicle.refresh_from_db()
    assert [(v.state, v.market_id) for v in vehicles] == [("allocated", "SA")] * 2
    assert set(Allocation.objects.values_list("line__order_id", flat=True)) == {order.pk}

    # The same manifest again: every VIN is already on the shipment.
    context, prepared = run(
        kind, world.jac_staff, manifest_row(jac_vin(1)), manifest_row(jac_vin(2))
    )
    assert (problems(context), counts(prepared)) == ([], (0, 0, 2))


def test_a_manifest_adds_vins_to_a_planned_shipment(world: World, loaded) -> None:
    """``loaded``: EO-2025-001 with VINs 1 and 2 on SH-2025-001."""
    loaded.line.quantity = 3
    loaded.line.save()
    produce(world, 3)
    common = {"shipment_number": "SH-2025-001", "bill_of_lading": "COSU6400001"}
    kind = Shipments()
    context, prepared = run(
        kind,
        world.jac_staff,
        *[manifest_row(jac_vin(number), **common) for number in (1, 2, 3)],
    )
    assert (problems(context), counts(prepared)) == ([], (1, 0, 2))

    kind.apply(context, prepared)

    assert shipment_rows(Shipment.objects.get())[-1] == [jac_vin(1), jac_vin(2), jac_vin(3)]
    assert Allocation.objects.get(vehicle__vin=jac_vin(3)).line == loaded.line


def test_an_order_not_on_the_shipment_is_refused(world: World, loaded) -> None:
    confirmed(world, "EO-2025-002", quantity=3)
    produce(world, 3)
    context, _prepared = run(
        Shipments(),
        world.jac_staff,
        manifest_row(
            jac_vin(3),
            shipment_number="SH-2025-001",
            order_number="EO-2025-002",
            bill_of_lading="COSU6400001",
        ),
    )
    assert problems(context) == [
        (2, "order_number", "Order EO-2025-002 is not on shipment SH-2025-001.")
    ]


def test_vins_that_cannot_go_on_the_shipment_are_reported(
    world: World, loaded, petrol_variant
) -> None:
    confirmed(world, "EO-2025-002", quantity=1)
    produce(world, 3, 4)
    produce_variant(world, petrol_variant, 5)
    before = snapshot()
    kind = Shipments()
    context, prepared = run(
        kind,
        world.jac_staff,
        manifest_row(jac_vin(3), order_number="EO-2025-002"),
        manifest_row(jac_vin(4), order_number="EO-2025-002"),
        manifest_row(jac_vin(5), order_number="EO-2025-002"),
        manifest_row(jac_vin(1), order_number="EO-2025-002"),
        manifest_row("LJ12EKR10S9999999", order_number="EO-2025-002"),
        manifest_row(jac_vin(3), shipment_number="SH-2025-010", order_number="EO-2025-002"),
        manifest_row(jac_vin(6), shipment_number="SH-2025-011", order_number="EO-9"),
    )
    assert problems(context) == [
        (3, "vin", f"Order EO-2025-002 takes 1 T8-D; {jac_vin(4)} is one too many."),
        (4, "vin", f"{jac_vin(5)} is a T8-P; order EO-2025-002 has no line for it."),
        (5, "vin", f"{jac_vin(1)} is allocated to order EO-2025-001."),
        (6, "vin", "No vehicle with VIN LJ12EKR10S9999999 was found."),
        (7, "vin", f"{jac_vin(3)} is already in row 2."),
        (8, "order_number", "There is no order EO-9."),
        (8, "vin", f"No vehicle with VIN {jac_vin(6)} was found."),
    ]
    assert prepared.changes == 0
    assert snapshot() == before


def test_a_vin_on_another_planned_shipment_is_refused(world: World, loaded) -> None:
    context, _prepared = run(Shipments(), world.jac_staff, manifest_row(jac_vin(1)))
    assert problems(context) == [(2, "vin", f"{jac_vin(1)} is already on shipment SH-2025-001.")]


def test_a_shipment_that_sailed_takes_no_more_vins(world: World, loaded) -> None:
    shipment_depart(actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3))
    loaded.line.quantity = 3
    loaded.line.save()
    produce(world, 3)
    common = {"shipment_number": "SH-2025-001", "bill_of_lading": "COSU6400001"}
    context, prepared = run(
        Shipments(),
        world.jac_staff,
        manifest_row(jac_vin(1), **common),
        manifest_row(jac_vin(3), **common),
    )
    assert problems(context) == [
        (
            3,
            "shipment_number",
            "Shipment SH-2025-001 is departed; vehicles are loaded only while it is planned.",
        )
    ]
    assert prepared.unchanged == 1


def test_a_manifest_does_not_change_a_shipment(world: World, loaded) -> None:
    context, _prepared = run(
        Shipments(),
        world.jac_staff,
        manifest_row(jac_vin(1), shipment_number="SH-2025-001", vessel="Other Ace"),
    )
    assert problems(context) == [
        (2, "vessel", "Shipment SH-2025-001 has Morning Ace; an import does not change it."),
        (
            2,
            "bill_of_lading",
            "Shipment SH-2025-001 has COSU6400001; an import does not change it.",
        ),
    ]


def test_a_new_shipment_needs_its_mode_and_ports(world: World) -> None:
    confirmed(world)
    produce(world, 1)
    context, _prepared = run(
        Shipments(),
        world.jac_staff,
        manifest_row(
            jac_vin(1),
            mode="BALLOON",
            port_of_loading="SHANGHAI",
            port_of_discharge=None,
            etd=date(2025, 6, 1),
        ),
    )
    assert problems(context) == [
        (2, "mode", "BALLOON is not a shipment mode; use one of: roro, container, rail, truck."),
        (2, "port_of_loading", "SHANGHAI is not a UN/LOCODE (e.g. CNSHA)."),
        (2, "port_of_discharge", "A new shipment needs its ports."),
        (2, "eta", "The ETA is before the ETD."),
    ]


def test_only_the_seller_ships_an_order(world: World) -> None:
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import grant

    # Nezha buys JAC pickups for Oman under a grant of JAC's.
    grant(
        by=world.jac_admin,
        to=world.nezha,
        brands=[world.jac_brand],
        countries=["OM"],
        areas=[Area.SALES],
    )
    confirmed(world, buyer=world.nezha, destination="OM")
    produce(world, 1)
    context, _prepared = run(Shipments(), world.partner_admin, manifest_row(jac_vin(1)))
    assert problems(context) == [
        (2, "order_number", "There is no order EO-2025-001."),
        (2, "vin", f"No vehicle with VIN {jac_vin(1)} was found."),
    ]
    # The buyer sees the order but does not ship it.
    context, _prepared = run(Shipments(), world.nezha_admin, manifest_row(jac_vin(1)))
    assert problems(context) == [
        (2, "order_number", "You may not ship order EO-2025-001."),
        (2, "vin", f"No vehicle with VIN {jac_vin(1)} was found."),
    ]


def test_shipment_rows_must_agree(world: World) -> None:
    confirmed(world)
    produce(world, 1, 2)
    context, _prepared = run(
        Shipments(),
        world.jac_staff,
        manifest_row(jac_vin(1)),
        manifest_row(jac_vin(2), port_of_discharge="SADMM"),
    )
    assert problems(context) == [
        (
            3,
            "port_of_discharge",
            "Shipment SH-2025-009 has SAJED in row 2 and SADMM here; "
            "the rows of one shipment must agree.",
        )
    ]
    assert ShipmentVehicle.objects.count() == 0
    assert Vehicle.objects.get(vin=jac_vin(1)).state == VehicleState.PRODUCED


# --- real files through the framework ----------------------------------------------------------

ORDER_HEADER = [
    "Order number",
    "Brand",
    "Buyer",
    "Destination",
    "Incoterm",
    "Currency",
    "Payment terms",
    "Named place",
    "Variant",
    "Quantity",
    "Unit price",
    "Requested delivery",
]


def csv_file(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_file(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def import_file(actor: Actor, kind: str, data: bytes, filename: str = "file.csv") -> Any:
    from seabridge.imports.services import import_file as framework_import

    return framework_import(actor=actor, kind=kind, data=data, filename=filename)


def outcome(batch: Any) -> tuple:
    return (batch.status, batch.summary, batch.errors)


def all_orders() -> list[tuple]:
    return [order_rows(order) for order in ExportOrder.objects.order_by("number")]


def test_an_order_csv_drafts_orders_and_the_same_file_changes_nothing(
    world: World, petrol_variant
) -> None:
    data = csv_file(
        [
            ORDER_HEADER,
            [
                "EO-2025-101",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "Jeddah",
                "T8-D",
                "10",
                "18500.00",
                "2025-06-30",
            ],
            [
                "EO-2025-101",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "Jeddah",
                "T8-P",
                "5",
                "17250.50",
                "2025-06-30",
            ],
            [
                "EO-2025-102",
                "jac",
                "zhongjiang",
                "iq",
                "fob",
                "usd",
                "tt",
                "",
                "t8-d",
                "1",
                "19000",
                "",
            ],
        ]
    )
    batch = import_file(world.jac_staff, "export_orders", data)
    assert outcome(batch) == ("committed", {"created": 3, "updated": 0, "unchanged": 0}, [])
    assert all_orders() == [
        (
            "EO-2025-101",
            "JAC",
            "JAC",
            "Riyadh Motors",
            "SA",
            "CIF",
            "Jeddah",
            "USD",
            "tt",
            "",
            None,
            date(2025, 6, 30),
            "draft",
            [("T8-D", 10, Decimal("18500.0000")), ("T8-P", 5, Decimal("17250.5000"))],
        ),
        (
            "EO-2025-102",
            "JAC",
            "JAC",
            "Zhongjiang",
            "IQ",
            "FOB",
            "",
            "USD",
            "tt",
            "",
            None,
            None,
            "draft",
            [("T8-D", 1, Decimal("19000.0000"))],
        ),
    ]
    before = snapshot()
    again = import_file(world.jac_staff, "export_orders", data)
    assert (again.status, again.summary) == (
        "unchanged",
        {"created": 0, "updated": 0, "unchanged": 3},
    )
    assert snapshot() == before


def test_a_chinese_order_file_in_gb18030(world: World) -> None:
    data = csv_file(
        [
            [
                "订单号",
                "品牌",
                "买方",
                "目的国",
                "贸易术语",
                "币种",
                "付款方式",
                "指定地点",
                "车型代码",
                "数量",
                "单价",
                "要求交货日期",
            ],
            [
                "EO-2025-201",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CFR",
                "CNY",
                "电汇",
                "吉达港",
                "T8-D",
                "20",
                "128,000.00",
                "2025年6月30日",
            ],
        ],
        encoding="gb18030",
    )
    batch = import_file(world.jac_staff, "export_orders", data)
    assert outcome(batch) == ("committed", {"created": 1, "updated": 0, "unchanged": 0}, [])
    assert all_orders()[0][5:8] == ("CFR", "吉达港", "CNY")
    assert all_orders()[0][11:] == (
        date(2025, 6, 30),
        "draft",
        [("T8-D", 20, Decimal("128000.0000"))],
    )


def test_a_spanish_order_file_with_semicolons_and_decimal_commas(world: World) -> None:
    data = csv_file(
        [
            [
                "Nº de pedido",
                "Marca",
                "Comprador",
                "Destino",
                "Incoterm",
                "Moneda",
                "Forma de pago",
                "Lugar convenido",
                "Variante",
                "Cantidad",
                "Precio unitario",
                "Fecha de entrega solicitada",
            ],
            [
                "EO-2025-301",
                "JAC",
                "Riyadh Motors",
                "SA",
                "DAP",
                "EUR",
                "T/T",
                "Yeda",
                "T8-D",
                "1.200",
                "18.500,50",
                "30/06/2025",
            ],
        ],
        encoding="cp1252",
        delimiter=";",
    )
    batch = import_file(world.jac_staff, "export_orders", data)
    assert outcome(batch) == ("committed", {"created": 1, "updated": 0, "unchanged": 0}, [])
    assert all_orders()[0][5:8] == ("DAP", "Yeda", "EUR")
    assert all_orders()[0][11:] == (
        date(2025, 6, 30),
        "draft",
        [("T8-D", 1200, Decimal("18500.5000"))],
    )


def test_an_arabic_order_file_in_utf8_with_a_byte_order_mark(world: World) -> None:
    rows = [
        [
            "رقم الطلب",
            "العلامة التجارية",
            "المشتري",
            "الوجهة",
            "شروط التسليم",
            "العملة",
            "شروط الدفع",
            "المكان المسمى",
            "الطراز",
            "الكمية",
            "سعر الوحدة",
        ],
        [
            "EO-2025-401",
            "JAC",
            "Riyadh Motors",
            "SA",
            "CIF",
            "SAR",
            "D/P",
            "جدة",
            "T8-D",
            "3",
            "69000",
        ],
    ]
    batch = import_file(world.jac_staff, "export_orders", b"\xef\xbb\xbf" + csv_file(rows))
    assert outcome(batch) == ("committed", {"created": 1, "updated": 0, "unchanged": 0}, [])
    assert all_orders()[0][5:9] == ("CIF", "جدة", "SAR", "dp")


def test_an_order_workbook_changes_a_draft(world: World) -> None:
    draft(world)
    data = xlsx_file(
        [
            [
                "order_number",
                "brand",
                "buyer",
                "destination",
                "incoterm",
                "currency",
                "payment_terms",
                "variant",
                "quantity",
                "unit_price",
                "requested_on",
            ],
            [
                "EO-2025-001",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "T8-D",
                4,
                18250.5,
                date(2025, 7, 15),
            ],
        ]
    )
    batch = import_file(world.jac_staff, "export_orders", data, "orders.xlsx")
    assert outcome(batch) == ("committed", {"created": 0, "updated": 1, "unchanged": 0}, [])
    # The file has no named place: the order keeps its own.
    assert all_orders()[0][5:] == (
        "CIF",
        "Jeddah",
        "USD",
        "tt",
        "",
        None,
        date(2025, 7, 15),
        "draft",
        [("T8-D", 4, Decimal("18250.5000"))],
    )


def test_one_bad_order_row_refuses_the_whole_file(world: World) -> None:
    confirmed(world)
    before = snapshot()
    data = csv_file(
        [
            ORDER_HEADER,
            [
                "EO-2025-501",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "Jeddah",
                "T8-D",
                "10",
                "18500",
                "",
            ],
            [
                "EO-2025-502",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "Jeddah",
                "T8-Z",
                "1",
                "18500",
                "",
            ],
            [
                "EO-2025-001",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "Jeddah",
                "T8-D",
                "3",
                "18500",
                "",
            ],
        ]
    )
    batch = import_file(world.jac_staff, "export_orders", data)
    assert (batch.status, batch.error_count, batch.errors) == (
        "refused",
        2,
        [
            {"row": 3, "column": "Variant", "message": "T8-Z is not a variant of JAC."},
            {
                "row": 4,
                "column": "Order number",
                "message": "Order EO-2025-001 is already confirmed; "
                "only a draft order can be changed.",
            },
        ],
    )
    assert snapshot() == before


def test_a_partner_cannot_import_orders_outside_its_grant(world: World) -> None:
    partner_sells_to_the_dealer(world)
    before = snapshot()
    data = csv_file(
        [
            ORDER_HEADER,
            [
                "ZJ-1",
                "JAC",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "",
                "T8-D",
                "1",
                "18500",
                "",
            ],
            [
                "ZJ-2",
                "JAC",
                "Riyadh Motors",
                "OM",
                "CIF",
                "USD",
                "T/T",
                "",
                "T8-D",
                "1",
                "18500",
                "",
            ],
            [
                "ZJ-3",
                "Nezha",
                "Riyadh Motors",
                "SA",
                "CIF",
                "USD",
                "T/T",
                "",
                "V-BEV",
                "1",
                "18500",
                "",
            ],
        ]
    )
    batch = import_file(world.partner_admin, "export_orders", data)
    assert (batch.status, batch.errors) == (
        "refused",
        [
            {"row": 3, "column": "Brand", "message": "Zhongjiang may not sell JAC in OM."},
            {"row": 4, "column": "Brand", "message": "Nezha is not a brand you work with."},
        ],
    )
    assert snapshot() == before


MANIFEST_HEADER = [
    "Shipment number",
    "Order number",
    "VIN",
    "Mode",
    "Port of loading",
    "Port of discharge",
    "Vessel",
    "Voyage",
    "Bill of lading",
    "ETD",
    "ETA",
]


def manifest_line(vin: str, order: str = "EO-2025-001") -> list[str]:
    return [
        "SH-2025-009",
        order,
        vin,
        "RoRo",
        "CN SHA",
        "SAJED",
        "Morning Ace",
        "025W",
        "COSU6400009",
        "2025-05-02",
        "2025-05-30",
    ]


def test_a_manifest_csv_loads_its_vins_and_the_same_file_changes_nothing(world: World) -> None:
    confirmed(world)
    produce(world, 1, 2)
    data = csv_file([MANIFEST_HEADER, manifest_line(jac_vin(1)), manifest_line(jac_vin(2))])
    batch = import_file(world.jac_staff, "shipments", data)
    assert outcome(batch) == ("committed", {"created": 2, "updated": 0, "unchanged": 0}, [])
    assert shipment_rows(Shipment.objects.get()) == (
        "SH-2025-009",
        "JAC",
        "SA",
        "roro",
        "CNSHA",
        "SAJED",
        "Morning Ace",
        "025W",
        "COSU6400009",
        date(2025, 5, 2),
        date(2025, 5, 30),
        "planned",
        ["EO-2025-001"],
        [jac_vin(1), jac_vin(2)],
    )
    assert sorted(Vehicle.objects.values_list("vin", "state", "market_id")) == [
        (jac_vin(1), "allocated", "SA"),
        (jac_vin(2), "allocated", "SA"),
    ]
    before = snapshot()
    again = import_file(world.jac_staff, "shipments", data)
    assert (again.status, again.summary) == (
        "unchanged",
        {"created": 0, "updated": 0, "unchanged": 2},
    )
    assert snapshot() == before


def test_a_chinese_manifest_in_gb18030_and_a_workbook(world: World) -> None:
    confirmed(world, quantity=3)
    produce(world, 1, 2, 3)
    chinese = csv_file(
        [
            [
                "运单号",
                "订单号",
                "车架号",
                "运输方式",
                "装货港",
                "卸货港",
                "船名",
                "航次",
                "提单号",
                "预计开航日期",
                "预计到港日期",
            ],
            [
                "SH-2025-009",
                "EO-2025-001",
                jac_vin(1),
                "滚装",
                "CNSHA",
                "SAJED",
                "长江号",
                "025W",
                "COSU6400009",
                "2025年5月2日",
                "2025年5月30日",
            ],
        ],
        encoding="gb18030",
    )
    batch = import_file(world.jac_staff, "shipments", chinese)
    assert outcome(batch) == ("committed", {"created": 1, "updated": 0, "unchanged": 0}, [])
    assert Shipment.objects.get().vessel == "长江号"
    workbook = xlsx_file(
        [
            ["shipment_number", "order_number", "vin", "etd"],
            ["SH-2025-009", "EO-2025-001", jac_vin(1), date(2025, 5, 2)],
            ["SH-2025-009", "EO-2025-001", jac_vin(2), date(2025, 5, 2)],
            ["SH-2025-009", "EO-2025-001", jac_vin(3), date(2025, 5, 2)],
        ]
    )
    batch = import_file(world.jac_staff, "shipments", workbook, "manifest.xlsx")
    assert outcome(batch) == ("committed", {"created": 2, "updated": 0, "unchanged": 1}, [])
    assert shipment_rows(Shipment.objects.get())[-1] == [jac_vin(1), jac_vin(2), jac_vin(3)]


def test_one_bad_vin_refuses_the_whole_manifest(world: World, loaded) -> None:
    confirmed(world, "EO-2025-002", quantity=2)
    produce(world, 3)
    before = snapshot()
    data = csv_file(
        [
            MANIFEST_HEADER,
            manifest_line(jac_vin(3), "EO-2025-002"),
            manifest_line(jac_vin(1), "EO-2025-002"),
            manifest_line("LJ12EKR10S0000777", "EO-2025-002"),
        ]
    )
    batch = import_file(world.jac_staff, "shipments", data)
    assert (batch.status, batch.errors) == (
        "refused",
        [
            {
                "row": 3,
                "column": "VIN",
                "message": f"{jac_vin(1)} is allocated to order EO-2025-001.",
            },
            {
                "row": 4,
                "column": "VIN",
                "message": "No vehicle with VIN LJ12EKR10S0000777 was found.",
            },
        ],
    )
    assert snapshot() == before


def queries_to_check(kind: ImportKind, actor: Actor, records: list[dict[str, Any]]) -> int:
    with CaptureQueriesContext(connection) as queries:
        context, _prepared = run(kind, actor, *records)
    assert problems(context) == []
    return len(queries)


def test_checking_orders_takes_as_many_queries_for_many_rows_as_for_one(
    world: World, petrol_variant
) -> None:
    draft(world)
    one = [order_row()]
    many = [
        order_row(order_number=f"EO-{number}", variant=variant)
        for number in range(10)
        for variant in ("T8-D", "T8-P")
    ]
    assert queries_to_check(ExportOrders(), world.jac_staff, one) == queries_to_check(
        ExportOrders(), world.jac_staff, [*one, *many]
    )


def test_checking_a_manifest_takes_as_many_queries_for_many_rows_as_for_one(
    world: World,
) -> None:
    confirmed(world, quantity=20)
    produce(world, *range(1, 21))
    one = [manifest_row(jac_vin(1))]
    many = [manifest_row(jac_vin(number)) for number in range(1, 21)]
    assert queries_to_check(Shipments(), world.jac_staff, one) == queries_to_check(
        Shipments(), world.jac_staff, many
    )


# --- every problem of every stage, in one report -----------------------------------------------
#
# A short row (reading); cells that are not of their column's type, empty required cells
# and a repeated key (parsing); references that do not resolve, rows of one order or
# shipment that disagree, and rows the trade rules refuse (checking): all in one report,
# in the order of rows and columns; with a smaller cap, the first and a count of the rest.


def order_line(number: str, **changes: str) -> list[str]:
    values = {
        "Order number": number,
        "Brand": "JAC",
        "Buyer": "Riyadh Motors",
        "Destination": "SA",
        "Incoterm": "CIF",
        "Currency": "USD",
        "Payment terms": "T/T",
        "Named place": "Jeddah",
        "Variant": "T8-D",
        "Quantity": "1",
        "Unit price": "18500",
        "Requested delivery": "",
        **changes,
    }
    return [values[name] for name in ORDER_HEADER]


def test_export_orders_report_every_problem_of_every_stage(
    world: World, petrol_variant, monkeypatch
) -> None:
    confirmed(world)
    data = csv_file(
        [
            ORDER_HEADER,
            order_line("EO-1", Quantity="10"),
            order_line("EO-2", Quantity="two"),
            ["EO-3", "JAC"],
            order_line("EO-4", **{"Unit price": ""}),
            order_line("EO-1", Quantity="5"),
            order_line(
                "EO-5",
                Brand="Nezha",
                Buyer="Nobody Trading",
                Destination="XX",
                Incoterm="FOX",
                Currency="USX",
                **{"Payment terms": "cash", "Variant": "V-BEV", "Unit price": "-1"},
                Quantity="0",
            ),
            order_line("EO-6", **{"Payment terms": "L/C"}),
            order_line("EO-2025-001", Quantity="3"),
            order_line("EO-6", Incoterm="FOB", Variant="T8-P", **{"Payment terms": "L/C"}),
        ]
    )
    before = snapshot()

    full = report(world.jac_staff, "export_orders", data)

    assert full == Report(
        "refused",
        16,
        [
            (3, "Quantity", "two is not a whole number."),
            (4, None, "Row 4 has 2 cells; the header has 12."),
            (5, "Unit price", "This cell is required."),
            (6, None, "Row 6 repeats row 2 (EO-1, T8-D)."),
            (7, "Brand", "Nezha is not a brand you work with."),
            (7, "Buyer", "There is no organisation called Nobody Trading."),
            (7, "Destination", "XX is not an ISO 3166 country code."),
            (7, "Incoterm", "FOX is not an Incoterms 2020 rule."),
            (7, "Currency", "USX is not an ISO 4217 currency code."),
            (7, "Payment terms", "CASH is not a payment term; use T/T, L/C or D/P."),
            (7, "Quantity", "The quantity must be more than 0."),
            (7, "Unit price", "An amount cannot be negative."),
            (8, "L/C number", "A letter of credit needs its number."),
            (8, "L/C expiry", "A letter of credit needs its expiry date."),
            (
                9,
                "Order number",
                "Order EO-2025-001 is already confirmed; only a draft order can be changed.",
            ),
            (
                10,
                "Incoterm",
                "Order EO-6 has CIF in row 8 and FOB here; the rows of one order must agree.",
            ),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 5)
    assert report(world.jac_staff, "export_orders", data) == Report(
        "refused", 16, full.problems[:5], "And 11 more problems."
    )
    assert snapshot() == before


def test_a_manifest_reports_every_problem_of_every_stage(world: World, loaded, monkeypatch) -> None:
    confirmed(world, "EO-2025-002", quantity=2)
    produce(world, 3, 4, 5)
    new_shipment = [
        "SH-2025-010",
        "EO-2025-002",
        jac_vin(4),
        "BALLOON",
        "CNSH1",
        "SAJED",
        "",
        "",
        "",
        "2025-06-01",
        "2025-06-30",
    ]
    bad_date = manifest_line(jac_vin(4), "EO-2025-002")
    bad_date[9] = "2025-05-32"
    no_order = manifest_line(jac_vin(5), "EO-2025-002")
    no_order[1] = ""
    other_port = list(new_shipment)
    other_port[2], other_port[5] = jac_vin(5), "SADMM"
    data = csv_file(
        [
            MANIFEST_HEADER,
            manifest_line(jac_vin(3), "EO-2025-002"),
            bad_date,
            ["SH-2025-009", "EO-2025-002"],
            no_order,
            manifest_line(jac_vin(3), "EO-2025-002"),
            manifest_line(jac_vin(1), "EO-2025-002"),
            manifest_line("LJ12EKR10S9999999", "EO-9"),
            new_shipment,
            other_port,
        ]
    )
    before = snapshot()

    full = report(world.jac_staff, "shipments", data)

    assert full == Report(
        "refused",
        11,
        [
            (3, "ETD", "2025-05-32 is not a date; write it as 2025-04-22."),
            (4, None, "Row 4 has 2 cells; the header has 11."),
            (5, "Order number", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 (SH-2025-009, {jac_vin(3)})."),
            (7, "VIN", f"{jac_vin(1)} is allocated to order EO-2025-001."),
            (8, "Order number", "There is no order EO-9."),
            (8, "VIN", "No vehicle with VIN LJ12EKR10S9999999 was found."),
            (
                9,
                "Mode",
                "BALLOON is not a shipment mode; use one of: roro, container, rail, truck.",
            ),
            (9, "Port of loading", "CNSH1 is not a UN/LOCODE (e.g. CNSHA)."),
            (10, "VIN", f"Order EO-2025-002 takes 2 T8-D; {jac_vin(5)} is one too many."),
            (
                10,
                "Port of discharge",
                "Shipment SH-2025-010 has SAJED in row 9 and SADMM here; "
                "the rows of one shipment must agree.",
            ),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 10)
    assert report(world.jac_staff, "shipments", data) == Report(
        "refused", 11, full.problems[:10], "And 1 more problem."
    )
    assert snapshot() == before
