"""The vehicles app's kinds of import, through real files made here: production output,
wholesale deliveries, retail sales with customers, and stock counts."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from openpyxl import Workbook

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.accounts.tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from seabridge.analytics.facts import facts_check
from seabridge.core.errors import DomainError, NotFound
from seabridge.core.scope import Actor
from seabridge.core.tests.world import World
from seabridge.imports import kinds
from seabridge.imports.kinds import Context, Row, kind_for
from seabridge.imports.tests.reports import Report, report
from seabridge.markets.models import Country
from seabridge.vehicles import imports as vehicle_imports  # noqa: F401 - registers the kinds
from seabridge.vehicles import services
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import (
    Customer,
    Plant,
    StockCount,
    StockCountLine,
    Vehicle,
    VehicleEvent,
)
from seabridge.vehicles.tests.conftest import jac_vin, produce

pytestmark = pytest.mark.django_db


# --- running an import ----------------------------------------------------------------------


@dataclass
class Outcome:
    """What an import answered: the fields of an ImportBatch the tests look at."""

    status: str
    errors: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def run_import(
    actor: Actor,
    kind: str,
    data: bytes,
    filename: str = "file.csv",
    *,
    commit: bool = True,
    date_order: str = "dmy",
) -> Outcome:
    """Import ``data`` through the framework's ``import_file`` when the imports app is
    installed; until then through its reader and parser, with the same rules."""
    if apps.is_installed("seabridge.imports"):
        from seabridge.imports.services import import_file

        batch = import_file(
            actor=actor,
            kind=kind,
            data=data,
            filename=filename,
            commit=commit,
            date_order=date_order,
        )
        return Outcome(str(batch.status), list(batch.errors), dict(batch.summary))
    return _run_without_app(actor, kind, data, filename, commit=commit, date_order=date_order)


def _run_without_app(
    actor: Actor, kind_code: str, data: bytes, filename: str, *, commit: bool, date_order: str
) -> Outcome:
    from django.conf import settings

    from seabridge.imports.readers import read_sheet
    from seabridge.imports.values import CellError, match_header, parse_cell

    kind = kind_for(kind_code)
    context = Context(actor=actor, kind=kind)
    sheet = read_sheet(data, filename)
    languages = [code for code, _name in settings.LANGUAGES]
    mapping, _unmatched = match_header(sheet.header, kind.columns, languages)
    context.headers = {name: sheet.header[position] for name, position in mapping.items()}
    rows: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in sheet.rows:
        values: dict[str, Any] = {}
        for name, position in mapping.items():
            try:
                values[name] = parse_cell(cells[position], kind.column(name), date_order=date_order)
            except CellError as error:
                context.error(number, name, error.message)
                values[name] = None
        for column in kind.columns:
            if column.required and values.get(column.name) is None and context.ok(Row(number, {})):
                context.error(number, column.name, "This cell is required.")
        key = tuple(values.get(name) for name in kind.key)
        if key in seen:
            context.error(number, None, f"Row {number} repeats row {seen[key]}.")
        seen.setdefault(key, number)
        rows.append(Row(number, values))
    prepared = kind.check(context, rows) if not context.error_count else None
    errors = [problem.as_dict() for problem in context.problems]
    if context.error_count or prepared is None:
        return Outcome("refused", errors)
    extra = prepared.payload.get("summary", {}) if isinstance(prepared.payload, dict) else {}
    summary = {
        "created": prepared.created,
        "updated": prepared.updated,
        "unchanged": prepared.unchanged,
        **extra,
    }
    if not prepared.changes:
        return Outcome("unchanged", errors, summary)
    if not commit:
        return Outcome("valid", errors, summary)
    try:
        with transaction.atomic():
            kind.apply(context, prepared)
    except DomainError as error:
        return Outcome("refused", [{"row": None, "column": None, "message": error.message}])
    return Outcome("committed", errors, summary)


def csv_file(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_file(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts() -> tuple[int, int, int, int, int]:
    return (
        Vehicle.objects.count(),
        VehicleEvent.objects.count(),
        Customer.objects.count(),
        StockCount.objects.count(),
        StockCountLine.objects.count(),
    )


def frozen() -> list[tuple[Any, ...]]:
    """Every vehicle as stored, to compare before and after a refused import."""
    return list(Vehicle.objects.order_by("pk").values_list())


# --- the world --------------------------------------------------------------------------------


def in_stock(
    world: World, *numbers: int, dealer: Organization | None = None, market: str = "SA"
) -> list[Vehicle]:
    """JAC vehicles produced on 1 March, allocated to ``market`` on 10 March and
    delivered into ``dealer``'s stock (Riyadh Motors) on 25 April, through the services."""
    vehicles = produce(world, *numbers)
    allocate(world, vehicles, market=market)
    services.vehicles_deliver_to_dealer(
        actor=world.jac_staff,
        vehicles=vehicles,
        dealer=dealer or world.dealer,
        occurred_on=date(2025, 4, 25),
        document_ref="DN-0425",
    )
    return vehicles


def allocate(world: World, vehicles: list[Vehicle], *, market: str = "SA") -> None:
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 10), market_id=market),
    )


def other_dealer(name: str = "Jeddah Auto", country: str = "SA") -> tuple[Organization, Actor]:
    dealer = OrganizationFactory.create(
        short_name=name,
        kind=OrganizationKind.DEALER,
        home_country=Country.objects.get(code=country),
    )
    membership = MembershipFactory.create(
        user=UserFactory.create(username=f"{name.split()[0].lower()}_staff"),
        organization=dealer,
        role=Role.STAFF,
    )
    return dealer, actor_from_membership(membership)


def state(vin: str) -> tuple[Any, ...]:
    vehicle = Vehicle.objects.select_related("holder", "customer").get(vin=vin)
    return (
        vehicle.state,
        vehicle.holder.short_name,
        vehicle.market_id,
        vehicle.wholesaled_on,
        vehicle.retailed_on,
        vehicle.customer.name if vehicle.customer else None,
    )


def events(vin: str) -> list[tuple[Any, ...]]:
    return [
        (
            event.type,
            event.occurred_on,
            event.organization.short_name if event.organization else None,
            event.is_wholesale,
            event.price,
            event.currency,
            event.customer.name if event.customer else None,
            event.document_ref,
        )
        for event in VehicleEvent.objects.filter(vehicle__vin=vin)
        .select_related("organization", "customer")
        .order_by("id")
    ]


def problems(outcome: Outcome) -> list[tuple[Any, Any, str]]:
    return [(error["row"], error["column"], error["message"]) for error in outcome.errors]


# --- production -------------------------------------------------------------------------------


def test_production_from_a_chinese_csv_registers_each_vin_once(world):
    Plant.objects.create(owner=world.jac, code="HF1", name="Hefei", country_id="CN")
    data = csv_file(
        [
            ["车架号", "车型代码", "生产日期", "工厂", "下线序号"],
            [jac_vin(1), "t8-d", "2025-03-01", "hf1", "1001"],
            [jac_vin(2), "T8-D", "02/03/2025", "", ""],
        ],
        encoding="gb18030",
    )

    outcome = run_import(world.jac_staff, "production", data, "产量.csv")

    assert (outcome.status, outcome.summary) == (
        "committed",
        {"created": 2, "updated": 0, "unchanged": 0},
    )
    rows = Vehicle.objects.order_by("vin").values_list(
        "vin", "variant__code", "produced_on", "plant__code", "line_sequence", "state", "market_id"
    )
    assert list(rows) == [
        (jac_vin(1), "T8-D", date(2025, 3, 1), "HF1", 1001, "produced", "CN"),
        (jac_vin(2), "T8-D", date(2025, 3, 2), None, None, "produced", "CN"),
    ]
    assert events(jac_vin(1)) == [("produced", date(2025, 3, 1), "JAC", False, None, "", None, "")]
    assert facts_check() == []

    again = run_import(world.jac_staff, "production", data, "产量.csv")
    assert (again.status, again.summary["unchanged"]) == ("unchanged", 2)
    assert Vehicle.objects.count() == 2


def test_production_refuses_bad_rows_and_writes_nothing(world):
    produce(world, 3)
    bad_vin = jac_vin(4)[:8] + ("0" if jac_vin(4)[8] != "0" else "1") + jac_vin(4)[9:]
    data = xlsx_file(
        [
            ["VIN", "Variant code", "Production date"],
            [jac_vin(1), "T8-D", date(2025, 3, 1)],
            [jac_vin(3), "T8-D", date(2025, 3, 9)],
            [bad_vin, "T8-D", date(2025, 3, 1)],
            [jac_vin(5), "V-BEV", date(2025, 3, 1)],
        ]
    )
    before = counts()

    outcome = run_import(world.jac_staff, "production", data, "line.xlsx")

    assert outcome.status == "refused"
    assert problems(outcome) == [
        (
            3,
            "VIN",
            f"{jac_vin(3)} is already registered with other data; production history is "
            "not rewritten.",
        ),
        (
            4,
            "VIN",
            f"Check digit expected {jac_vin(4)[8]}, got {bad_vin[8]}.",
        ),
        (5, "Variant code", "V-BEV is not a variant code of your brands."),
    ]
    assert counts() == before


def test_only_the_brand_owner_imports_production(world):
    data = csv_file([["VIN", "Variant", "Produced on"], [jac_vin(1), "T8-D", "2025-03-01"]])

    outcome = run_import(world.dealer_admin, "production", data)

    assert outcome.status == "refused"
    assert problems(outcome) == [(None, None, "Only the brand owner's staff import production.")]
    assert Vehicle.objects.count() == 0


# --- wholesale --------------------------------------------------------------------------------


def test_wholesale_delivers_into_dealer_stock_once(world):
    vehicles = produce(world, 1, 2)
    allocate(world, vehicles)
    data = csv_file(
        [
            ["número de chasis", "concesionario", "fecha de entrega", "documento"],
            [jac_vin(1), "riyadh motors", "25/04/2025", "DN-1"],
            [jac_vin(2), "Riyadh Motors", "26/04/2025", ""],
        ],
        delimiter=";",
    )

    outcome = run_import(world.jac_staff, "wholesale", data, "entregas.csv")

    assert (outcome.status, outcome.summary) == (
        "committed",
        {"created": 2, "updated": 0, "unchanged": 0},
    )
    assert state(jac_vin(1)) == (
        "in_stock",
        "Riyadh Motors",
        "SA",
        date(2025, 4, 25),
        None,
        None,
    )
    assert events(jac_vin(2))[-1] == (
        "delivered",
        date(2025, 4, 26),
        "JAC",
        True,
        None,
        "",
        None,
        "",
    )
    assert events(jac_vin(1))[-1][-1] == "DN-1"
    assert facts_check() == []

    again = run_import(world.jac_staff, "wholesale", data, "entregas.csv")
    assert (again.status, again.summary["unchanged"]) == ("unchanged", 2)
    assert VehicleEvent.objects.filter(type=EventType.DELIVERED).count() == 2


def test_wholesale_refusals_name_the_vin_and_write_nothing(world):
    (produced,) = produce(world, 1)
    delivered = in_stock(world, 2)
    (allocated,) = produce(world, 3)
    allocate(world, [allocated])
    jeddah, _jeddah_staff = other_dealer()
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import grant

    # Jeddah Auto is JAC's dealer too (a dealer one has no agreement with is no name).
    grant(
        by=world.jac_admin,
        to=jeddah,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    data = csv_file(
        [
            ["VIN", "Dealer", "Delivery date"],
            [produced.vin, "Riyadh Motors", "2025-04-25"],
            [delivered[0].vin, "Jeddah Auto", "2025-04-25"],
            [allocated.vin, "Zhongjiang", "2025-04-25"],
            [allocated.vin[:-1] + "9", "Nobody Motors", "2025-04-25"],
        ]
    )
    before = (counts(), frozen())

    outcome = run_import(world.jac_staff, "wholesale", data)

    assert outcome.status == "refused"
    assert problems(outcome) == [
        (2, "VIN", f"{produced.vin} is produced and cannot be delivered to dealer stock."),
        (
            3,
            "VIN",
            f"{delivered[0].vin} was delivered already (it is in dealer stock at Riyadh "
            "Motors); a delivery is not recorded twice.",
        ),
        (4, "Dealer", "Zhongjiang is not a dealer or importer."),
        (5, "VIN", f"{allocated.vin[:-1]}9 is not a vehicle you may deliver."),
        (5, "Dealer", "No organisation is called Nobody Motors."),
    ]
    assert (counts(), frozen()) == before
    assert jeddah.vehicles_held.count() == 0


# --- retail sales -----------------------------------------------------------------------------

RETAIL_HEADER = [
    "VIN",
    "Sale date",
    "Price",
    "Currency",
    "Outlet",
    "Customer name",
    "Customer kind",
    "Customer country",
    "Customer e-mail",
    "Customer phone",
    "Customer number",
    "Document",
]


def test_retail_sales_in_arabic_record_sales_and_customers(world):
    in_stock(world, 1, 2, 3)
    data = csv_file(
        [
            [
                "رقم الهيكل",
                "تاريخ البيع",
                "السعر",
                "العملة",
                "المعرض",
                "اسم العميل",
                "نوع العميل",
                "بلد العميل",
                "البريد الإلكتروني",
                "الهاتف",
                "رقم العميل",
                "رقم الفاتورة",
            ],
            [
                jac_vin(1),
                "02/05/2025",
                "95,000.00",
                "sar",
                "",
                "فيصل الحربي",
                "",
                "",
                "",
                "+966 50",
                "C-1",
                "F-1",
            ],
            [
                jac_vin(2),
                "03/05/2025",
                "88000",
                "SAR",
                "Riyadh Motors",
                "شركة النخبة",
                "شركة",
                "SA",
                "fleet@nukhba.sa",
                "",
                "C-2",
                "",
            ],
            [
                jac_vin(3),
                "04/05/2025",
                "88000",
                "SAR",
                "",
                "شركة النخبة",
                "company",
                "SA",
                "",
                "",
                "C-2",
                "",
            ],
        ]
    )

    outcome = run_import(world.dealer_admin, "retail_sales", data, "مبيعات.csv")

    assert outcome.status == "committed", outcome.errors
    assert outcome.summary == {"created": 3, "updated": 0, "unchanged": 0}
    assert state(jac_vin(1)) == (
        "retailed",
        "Riyadh Motors",
        "SA",
        date(2025, 4, 25),
        date(2025, 5, 2),
        "فيصل الحربي",
    )
    assert events(jac_vin(2))[-1] == (
        "retailed",
        date(2025, 5, 3),
        "Riyadh Motors",
        False,
        Decimal("88000.0000"),
        "SAR",
        "شركة النخبة",
        "",
    )
    assert events(jac_vin(1))[-1][4:] == (Decimal("95000.0000"), "SAR", "فيصل الحربي", "F-1")
    customers = Customer.objects.order_by("pk").values_list(
        "name", "kind", "country_id", "email", "phone", "external_ref", "recorded_by__short_name"
    )
    assert list(customers) == [
        ("فيصل الحربي", "person", "SA", "", "+966 50", "C-1", "Riyadh Motors"),
        ("شركة النخبة", "company", "SA", "fleet@nukhba.sa", "", "C-2", "Riyadh Motors"),
    ]
    assert (
        Vehicle.objects.get(vin=jac_vin(3)).customer == Vehicle.objects.get(vin=jac_vin(2)).customer
    )
    assert facts_check() == []

    before = counts()
    again = run_import(world.dealer_admin, "retail_sales", data, "مبيعات.csv")
    assert (again.status, again.summary) == (
        "unchanged",
        {"created": 0, "updated": 0, "unchanged": 3},
    )
    assert counts() == before


def test_retail_sales_in_gb18030_reuse_a_known_customer(world):
    in_stock(world, 1, 2)
    known = Customer.objects.create(
        kind="person", name="王伟", country_id="CN", external_ref="K-7", recorded_by=world.dealer
    )
    data = csv_file(
        [
            ["车架号", "销售日期", "价格", "币种", "客户姓名", "客户国家", "客户编号"],
            [jac_vin(1), "2025-05-02", "120000", "CNY", "王伟", "CN", "K-7"],
            [jac_vin(2), "2025-05-03", "99000.5", "CNY", "李娜", "CN", ""],
        ],
        encoding="gb18030",
    )

    outcome = run_import(world.dealer_admin, "retail_sales", data, "零售.csv")

    assert outcome.status == "committed", outcome.errors
    assert Vehicle.objects.get(vin=jac_vin(1)).customer == known
    assert state(jac_vin(2))[4:] == (date(2025, 5, 3), "李娜")
    assert list(Customer.objects.order_by("pk").values_list("name", "country_id")) == [
        ("王伟", "CN"),
        ("李娜", "CN"),
    ]
    assert events(jac_vin(2))[-1][4:6] == (Decimal("99000.5000"), "CNY")
    assert facts_check() == []


def test_retail_sales_from_excel_correct_a_sale_with_new_events(world):
    in_stock(world, 1, 2)
    first = xlsx_file(
        [
            RETAIL_HEADER,
            [
                jac_vin(1),
                date(2025, 5, 2),
                95000,
                "SAR",
                None,
                "Faisal",
                None,
                None,
                None,
                None,
                "C-1",
                None,
            ],
            [
                jac_vin(2),
                date(2025, 5, 3),
                90000,
                "SAR",
                None,
                "Noura",
                None,
                None,
                None,
                None,
                "C-2",
                None,
            ],
        ]
    )
    assert run_import(world.dealer_admin, "retail_sales", first, "sales.xlsx").status == "committed"
    corrected = xlsx_file(
        [
            RETAIL_HEADER,
            [
                jac_vin(1),
                date(2025, 5, 2),
                95000,
                "SAR",
                None,
                "Faisal",
                None,
                None,
                None,
                None,
                "C-1",
                None,
            ],
            [
                jac_vin(2),
                date(2025, 5, 6),
                89500,
                "SAR",
                None,
                "Noura",
                None,
                None,
                None,
                None,
                "C-2",
                None,
            ],
        ]
    )

    outcome = run_import(world.dealer_admin, "retail_sales", corrected, "sales-2.xlsx")

    assert (outcome.status, outcome.summary) == (
        "committed",
        {"created": 0, "updated": 1, "unchanged": 1},
    )
    assert [event[:2] + event[4:6] for event in events(jac_vin(2))[-3:]] == [
        ("retailed", date(2025, 5, 3), Decimal("90000.0000"), "SAR"),
        ("retail_cancelled", date(2025, 5, 3), None, ""),
        ("retailed", date(2025, 5, 6), Decimal("89500.0000"), "SAR"),
    ]
    assert state(jac_vin(2))[4:] == (date(2025, 5, 6), "Noura")
    assert Customer.objects.count() == 2  # the customer with number C-2 is reused
    assert len(events(jac_vin(1))) == 4
    assert facts_check() == []


def test_one_bad_sale_refuses_the_file_and_writes_nothing(world):
    in_stock(world, 1, 2, 3)
    (produced,) = produce(world, 4)
    data = csv_file(
        [
            RETAIL_HEADER,
            [jac_vin(1), "02/05/2025", "95000", "SAR", "", "Faisal", "", "", "", "", "", ""],
            [jac_vin(2), "02/05/2025", "95000", "XYZ", "", "Noura", "", "", "", "", "", ""],
            [
                jac_vin(3),
                "20/04/2025",
                "95000",
                "SAR",
                "",
                "Omar",
                "alien",
                "ZZ",
                "not-mail",
                "",
                "",
                "",
            ],
            [
                produced.vin,
                "02/05/2025",
                "95000",
                "SAR",
                "Zhongjiang",
                "Huda",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    before = (counts(), frozen())

    outcome = run_import(world.jac_staff, "retail_sales", data)

    assert outcome.status == "refused"
    # Every problem of every row, in the order of the rows and of their columns.
    assert problems(outcome) == [
        (3, "Currency", "XYZ is not an ISO 4217 currency code."),
        (
            4,
            "Sale date",
            f"The date is before the vehicle's latest event: {jac_vin(3)} has an event on "
            "2025-04-25.",
        ),
        (4, "Customer kind", "ALIEN is not a kind of customer; use person or company."),
        (4, "Customer country", "ZZ is not a known country code."),
        (4, "Customer e-mail", "not-mail is not an e-mail address."),
        (5, "VIN", f"{produced.vin} is not in your dealer stock (it is produced)."),
        (
            5,
            "Outlet",
            f"Zhongjiang is neither JAC nor the holder of {produced.vin}.",
        ),
    ]
    assert (counts(), frozen()) == before

    dated = csv_file(
        [
            RETAIL_HEADER,
            [jac_vin(3), "20/04/2025", "95000", "SAR", "", "Omar", "", "", "", "", "", ""],
        ]
    )
    outcome = run_import(world.jac_staff, "retail_sales", dated)
    assert problems(outcome) == [
        (
            2,
            "Sale date",
            f"The date is before the vehicle's latest event: {jac_vin(3)} has an event on "
            "2025-04-25.",
        )
    ]
    produced_sale = csv_file(
        [
            RETAIL_HEADER,
            [produced.vin, "02/05/2025", "95000", "SAR", "", "Huda", "", "", "", "", "", ""],
        ]
    )
    outcome = run_import(world.jac_staff, "retail_sales", produced_sale)
    assert problems(outcome) == [
        (2, "VIN", f"{produced.vin} is not in your dealer stock (it is produced).")
    ]
    assert (counts(), frozen()) == before


def test_a_dealer_sells_only_its_own_stock_in_its_market(db):
    from seabridge.core.scope import Area
    from seabridge.core.tests.world import build_world, grant

    # Riyadh Motors has no sales grant: it sees what it holds. Both dealers serve JAC
    # under an after-sales grant, so that JAC may deliver to them.
    world = build_world()
    jeddah, jeddah_staff = other_dealer()
    for dealer in (world.dealer, jeddah):
        grant(
            by=world.jac_admin,
            to=dealer,
            brands=[world.jac_brand],
            countries=["SA"],
            areas=[Area.AFTER_SALES],
        )
    mine = in_stock(world, 1)
    theirs = in_stock(world, 2, dealer=jeddah)
    iraq = produce(world, 3)
    allocate(world, iraq, market="IQ")
    data = csv_file(
        [
            RETAIL_HEADER,
            [mine[0].vin, "02/05/2025", "95000", "SAR", "", "Faisal", "", "", "", "", "", ""],
            [theirs[0].vin, "02/05/2025", "95000", "SAR", "", "Noura", "", "", "", "", "", ""],
            [iraq[0].vin, "02/05/2025", "95000", "SAR", "", "Omar", "", "", "", "", "", ""],
            [jac_vin(99), "02/05/2025", "95000", "SAR", "", "Huda", "", "", "", "", "", ""],
        ]
    )
    before = (counts(), frozen())

    outcome = run_import(world.dealer_admin, "retail_sales", data)

    assert outcome.status == "refused"
    assert problems(outcome) == [
        (3, "VIN", f"{theirs[0].vin} is not a vehicle you may sell."),
        (4, "VIN", f"{iraq[0].vin} is not a vehicle you may sell."),
        (5, "VIN", f"{jac_vin(99)} is not a vehicle you may sell."),
    ]
    assert (counts(), frozen()) == before

    # Jeddah Auto sells its own vehicle, but not from Riyadh Motors' outlet.
    outlet = csv_file(
        [
            RETAIL_HEADER,
            [
                theirs[0].vin,
                "02/05/2025",
                "95000",
                "SAR",
                "Riyadh Motors",
                "Noura",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ]
    )
    outcome = run_import(jeddah_staff, "retail_sales", outlet)
    assert problems(outcome) == [
        (2, "Outlet", f"Riyadh Motors is neither Jeddah Auto nor the holder of {theirs[0].vin}.")
    ]
    own = csv_file(
        [
            RETAIL_HEADER,
            [theirs[0].vin, "02/05/2025", "95000", "SAR", "", "Noura", "", "", "", "", "", ""],
        ]
    )
    assert run_import(jeddah_staff, "retail_sales", own).status == "committed"
    assert state(theirs[0].vin)[:2] == ("retailed", "Jeddah Auto")
    assert facts_check() == []


# --- stock count ------------------------------------------------------------------------------


def test_a_stock_count_reports_its_differences_once(world):
    in_stock(world, 1, 2, 3)
    retailed = in_stock(world, 4)
    services.vehicle_retail(
        actor=world.dealer_admin,
        vehicle=retailed[0],
        customer=services.NewCustomer(kind="person", name="Faisal", country_id="SA"),
        occurred_on=date(2025, 5, 2),
        price=Decimal("95000"),
        currency="SAR",
    )
    data = csv_file(
        [
            ["Dealer", "Count date", "VIN"],
            ["Riyadh Motors", "30/06/2025", jac_vin(1)],
            ["Riyadh Motors", "30/06/2025", jac_vin(2)],
            ["riyadh motors", "30/06/2025", jac_vin(4)],
            ["Riyadh Motors", "30/06/2025", "LJ12EKR10S9999999"],
        ]
    )

    outcome = run_import(world.dealer_admin, "stock_count", data, "inventario.csv")

    assert outcome.status == "committed", outcome.errors
    assert outcome.summary == {
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "matched": 2,
        "not_in_stock": 2,
        "missing": 1,
    }
    count = StockCount.objects.get()
    assert (count.dealer, count.counted_on, count.organization) == (
        world.dealer,
        date(2025, 6, 30),
        world.dealer,
    )
    assert list(count.lines.order_by("vin").values_list("vin", "vehicle__vin", "result")) == sorted(
        [
            (jac_vin(1), jac_vin(1), "matched"),
            (jac_vin(2), jac_vin(2), "matched"),
            (jac_vin(3), jac_vin(3), "missing"),
            (jac_vin(4), jac_vin(4), "not_in_stock"),
            ("LJ12EKR10S9999999", None, "not_in_stock"),
        ]
    )

    again = run_import(world.dealer_admin, "stock_count", data, "inventario.csv")
    assert (again.status, again.summary["unchanged"]) == ("unchanged", 4)
    assert StockCountLine.objects.count() == 5


def test_a_stock_count_of_a_dealer_one_does_not_see_is_refused(world):
    _jeddah, _staff = other_dealer()
    data = csv_file([["Dealer", "Count date", "VIN"], ["Jeddah Auto", "30/06/2025", jac_vin(1)]])

    outcome = run_import(world.dealer_admin, "stock_count", data)

    assert problems(outcome) == [
        (2, "Dealer", "Jeddah Auto is not your organisation or a dealer whose stock you see.")
    ]
    assert StockCount.objects.count() == 0


# --- every problem of every stage, in one report ---------------------------------------------
#
# Each file has problems of every stage: a short row (reading), cells that are not of
# their column's type, empty required cells and a repeated key (parsing), references
# that do not resolve or lie outside the actor's scope, and rows the services' rules
# refuse (checking). The report names them all in the order of rows and columns; with
# a smaller cap it lists the first and counts the rest. Nothing is written.


def stock_state() -> tuple[Any, ...]:
    return (counts(), frozen(), list(StockCountLine.objects.values_list("count_id", "vin")))


def test_production_reports_every_problem_of_every_stage(world, monkeypatch):
    Plant.objects.create(owner=world.jac, code="HF1", name="Hefei", country_id="CN")
    produce(world, 9)
    wrong = jac_vin(8)[:8] + ("0" if jac_vin(8)[8] != "0" else "1") + jac_vin(8)[9:]
    data = csv_file(
        [
            ["VIN", "Variant code", "Production date", "Plant", "Line sequence"],
            [jac_vin(1), "T8-D", "2025-03-01", "HF1", "1001"],
            [jac_vin(2), "T8-D", "31/02/2025", "", ""],
            [jac_vin(3), "T8-D"],
            [jac_vin(4), "", "2025-03-01", "", ""],
            [jac_vin(1), "T8-D", "2025-03-02", "", ""],
            [jac_vin(5), "V-BEV", "2025-03-01", "xx9", ""],
            [jac_vin(9), "T8-D", "2025-03-09", "", ""],
            [wrong, "T8-D", "2025-03-01", "", ""],
        ]
    )
    before = stock_state()

    full = report(world.jac_staff, "production", data)

    assert full == Report(
        "refused",
        8,
        [
            (3, "Production date", "31/02/2025 is not a date; write it as 2025-04-22."),
            (4, None, "Row 4 has 2 cells; the header has 5."),
            (5, "Variant code", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 ({jac_vin(1)})."),
            (7, "Variant code", "V-BEV is not a variant code of your brands."),
            (7, "Plant", "XX9 is not a plant of yours."),
            (
                8,
                "VIN",
                f"{jac_vin(9)} is already registered with other data; production history "
                "is not rewritten.",
            ),
            (9, "VIN", f"Check digit expected {jac_vin(8)[8]}, got {wrong[8]}."),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 2)
    assert report(world.jac_staff, "production", data) == Report(
        "refused", 8, full.problems[:2], "And 6 more problems."
    )
    assert stock_state() == before


def test_wholesale_reports_every_problem_of_every_stage(world, monkeypatch):
    vehicles = produce(world, 1, 2, 3, 4)
    allocate(world, vehicles[:3])
    data = csv_file(
        [
            ["VIN", "Dealer", "Delivery date", "Document"],
            [jac_vin(1), "Riyadh Motors", "2025-04-25", "DN-1"],
            [jac_vin(2), "Riyadh Motors", "2025-13-01", ""],
            [jac_vin(3), "Riyadh Motors"],
            [jac_vin(20), "", "2025-04-25", ""],
            [jac_vin(1), "Riyadh Motors", "2025-04-26", ""],
            [jac_vin(4), "Nobody Motors", "2025-04-25", ""],
            [jac_vin(3), "Riyadh Motors", "2025-03-05", ""],
            [jac_vin(30), "Zhongjiang", "2025-04-25", ""],
        ]
    )
    before = stock_state()

    full = report(world.jac_staff, "wholesale", data)

    assert full == Report(
        "refused",
        9,
        [
            (3, "Delivery date", "2025-13-01 is not a date; write it as 2025-04-22."),
            (4, None, "Row 4 has 2 cells; the header has 4."),
            (5, "Dealer", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 ({jac_vin(1)})."),
            (7, "VIN", f"{jac_vin(4)} is produced and cannot be delivered to dealer stock."),
            (7, "Dealer", "No organisation is called Nobody Motors."),
            (
                8,
                "Delivery date",
                f"The date is before the vehicle's latest event: {jac_vin(3)} has an event "
                "on 2025-03-10.",
            ),
            (9, "VIN", f"{jac_vin(30)} is not a vehicle you may deliver."),
            (9, "Dealer", "Zhongjiang is not a dealer or importer."),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 3)
    assert report(world.jac_staff, "wholesale", data) == Report(
        "refused", 9, full.problems[:3], "And 6 more problems."
    )
    assert stock_state() == before


def test_retail_sales_report_every_problem_of_every_stage(world, monkeypatch):
    in_stock(world, 1, 2, 3, 5)
    produce(world, 4)
    header = ["VIN", "Sale date", "Price", "Currency", "Customer name", "Customer country"]
    data = csv_file(
        [
            header,
            [jac_vin(1), "2025-05-02", "95000", "SAR", "Faisal", "SA"],
            [jac_vin(2), "2025-05-02", "12x", "SAR", "Noura", "SA"],
            [jac_vin(3), "2025-05-02"],
            [jac_vin(3), "2025-05-02", "95000", "SAR", "", "SA"],
            [jac_vin(1), "2025-05-03", "95000", "SAR", "Faisal", "SA"],
            [jac_vin(99), "2025-05-02", "95000", "XYZ", "Omar", "ZZ"],
            [jac_vin(4), "2025-05-02", "-5", "SAR", "Huda", ""],
            [jac_vin(5), "2025-04-20", "95000.12345", "SAR", "Amal", ""],
        ]
    )
    before = stock_state()

    full = report(world.jac_staff, "retail_sales", data)
    assert full == Report(
        "refused",
        11,
        [
            (3, "Price", "12x is not a number."),
            (4, None, "Row 4 has 2 cells; the header has 6."),
            (5, "Customer name", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 ({jac_vin(1)})."),
            (7, "VIN", f"{jac_vin(99)} is not a vehicle you may sell."),
            (7, "Currency", "XYZ is not an ISO 4217 currency code."),
            (7, "Customer country", "ZZ is not a known country code."),
            (8, "VIN", f"{jac_vin(4)} is not in your dealer stock (it is produced)."),
            (8, "Price", "An amount cannot be negative."),
            (
                9,
                "Sale date",
                f"The date is before the vehicle's latest event: {jac_vin(5)} has an event "
                "on 2025-04-25.",
            ),
            (9, "Price", "Use at most 4 decimal places."),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 4)
    assert report(world.jac_staff, "retail_sales", data) == Report(
        "refused", 11, full.problems[:4], "And 7 more problems."
    )
    assert stock_state() == before


def test_a_stock_count_reports_every_problem_of_every_stage(world, monkeypatch):
    in_stock(world, 1, 2)
    other_dealer()
    recorded = StockCount.objects.create(
        dealer=world.dealer,
        counted_on=date(2025, 5, 31),
        created_by=world.dealer_admin.user,
        organization=world.dealer,
    )
    StockCountLine.objects.create(count=recorded, vin=jac_vin(1), result="matched")
    data = csv_file(
        [
            ["Dealer", "Count date", "VIN"],
            ["Riyadh Motors", "30/06/2025", jac_vin(1)],
            ["Riyadh Motors", "31/06/2025", jac_vin(2)],
            ["Riyadh Motors", "30/06/2025"],
            ["Riyadh Motors", "30/06/2025", ""],
            ["Riyadh Motors", "30/06/2025", jac_vin(1)],
            ["Jeddah Auto", "30/06/2025", jac_vin(3)],
            ["Riyadh Motors", "31/05/2025", jac_vin(2)],
        ]
    )
    before = stock_state()

    full = report(world.jac_staff, "stock_count", data)

    assert full == Report(
        "refused",
        6,
        [
            (
                None,
                None,
                "The count of Riyadh Motors on 2025-05-31 was recorded by another "
                "organisation; you may not change it.",
            ),
            (3, "Count date", "31/06/2025 is not a date; write it as 2025-04-22."),
            (4, None, "Row 4 has 2 cells; the header has 3."),
            (5, "VIN", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 (Riyadh Motors, 2025-06-30, {jac_vin(1)})."),
            (
                7,
                "Dealer",
                "Jeddah Auto is not your organisation or a dealer whose stock you see.",
            ),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 1)
    assert report(world.jac_staff, "stock_count", data) == Report(
        "refused", 6, full.problems[:1], "And 5 more problems."
    )
    assert stock_state() == before


# --- the bulk retail service ----------------------------------------------------------------


def test_the_bulk_retail_answers_the_vehicles_and_refuses_what_the_actor_may_not_sell(world):
    vehicles = in_stock(world, 1, 2)
    sales = [
        services.RetailSale(
            vehicle.pk,
            date(2025, 5, 2 + index),
            Decimal("90000"),
            "sar",
            services.NewCustomer(kind="person", name=f"Buyer {index}", country_id="SA"),
        )
        for index, vehicle in enumerate(vehicles)
    ]
    with pytest.raises(NotFound):
        services.vehicles_retail_bulk(actor=world.nezha_admin, sales=sales)
    assert Customer.objects.count() == 0

    sold = services.vehicles_retail_bulk(actor=world.dealer_admin, sales=sales)

    assert [
        (vehicle.vin, vehicle.state, vehicle.retailed_on, str(vehicle.customer)) for vehicle in sold
    ] == [
        (jac_vin(1), "retailed", date(2025, 5, 2), "Buyer 0"),
        (jac_vin(2), "retailed", date(2025, 5, 3), "Buyer 1"),
    ]
    assert facts_check() == []
