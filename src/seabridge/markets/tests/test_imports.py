"""Imports of market profiles: one row per country; only the file's columns change.

The first tests drive the kind's ``check`` and ``apply`` with rows as the framework
hands them over; the end-to-end tests import real files made here.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from seabridge.core.models import AuditEvent
from seabridge.core.scope import Actor, Area
from seabridge.core.tests.world import World, add_steward, build_world, grant
from seabridge.imports import kinds
from seabridge.imports.kinds import Context, Prepared, Row
from seabridge.imports.tests.reports import Report, report
from seabridge.markets.imports import MarketProfiles
from seabridge.markets.models import MarketProfile
from seabridge.markets.tests.factories import CountryFactory

pytestmark = pytest.mark.django_db

PROFILE_FIELDS = (
    "country_id",
    "traffic_side",
    "emission_standard",
    "fuel_quality_notes",
    "import_duty_pickup_pct",
    "import_duty_passenger_pct",
    "currency",
    "official_languages",
    "is_resource_rich",
    "notes",
)


@pytest.fixture
def world(db) -> World:
    world = build_world()
    add_steward(world)
    return world


def run(actor: Actor, *records: dict[str, Any]) -> tuple[Context, Prepared]:
    kind = MarketProfiles()
    names = list(dict.fromkeys(name for record in records for name in record))
    context = Context(actor=actor, kind=kind, headers={name: name for name in names})
    rows = [Row(number, dict(record)) for number, record in enumerate(records, start=2)]
    return context, kind.check(context, rows)


def problems(context: Context) -> list[tuple[int | None, str | None, str]]:
    return [(problem.row, problem.column, problem.message) for problem in context.problems]


def counts(prepared: Prepared) -> tuple[int, int, int]:
    return (prepared.created, prepared.updated, prepared.unchanged)


def profile(code: str) -> tuple:
    return MarketProfile.objects.filter(country_id=code).values_list(*PROFILE_FIELDS).get()


def snapshot() -> tuple:
    return (
        list(MarketProfile.objects.order_by("pk").values_list(*PROFILE_FIELDS)),
        AuditEvent.objects.count(),
    )


def test_only_the_columns_of_the_file_change_a_profile(world: World) -> None:
    MarketProfile.objects.filter(country_id="SA").update(
        emission_standard="Euro 4", currency="SAR", official_languages=["ar"]
    )
    kind = MarketProfiles()
    context, prepared = run(
        world.steward,
        {"country": "SA", "import_duty_pickup_pct": Decimal("5"), "notes": "GCC tariff"},
        {"country": "OM", "import_duty_pickup_pct": None, "notes": None},
    )
    assert problems(context) == []
    assert counts(prepared) == (0, 1, 1)

    kind.apply(context, prepared)

    assert profile("SA") == (
        "SA",
        "right",
        "Euro 4",
        "",
        Decimal("5.00"),
        None,
        "SAR",
        ["ar"],
        False,
        "GCC tariff",
    )
    assert list(
        AuditEvent.objects.filter(action="market_profile.update").values_list("changes", flat=True)
    ) == [
        {
            "import_duty_pickup_pct": [None, "5.00"],
            "notes": ["", "GCC tariff"],
            "acting_for": world.steward.organization_id,
        }
    ]

    context, prepared = run(
        world.steward,
        {"country": "sa", "import_duty_pickup_pct": Decimal("5.0"), "notes": "GCC tariff"},
    )
    assert (problems(context), counts(prepared)) == ([], (0, 0, 1))


def test_every_column_of_a_profile(world: World) -> None:
    kind = MarketProfiles()
    context, prepared = run(
        world.steward,
        {
            "country": "TH",
            "traffic_side": "LEFT",
            "emission_standard": "Euro 5",
            "fuel_quality_notes": "B7 diesel",
            "import_duty_pickup_pct": Decimal("40"),
            "import_duty_passenger_pct": Decimal("80.5"),
            "currency": "thb",
            "official_languages": "th, en",
            "resource_rich": True,
            "notes": "Pickup capital of Asia",
        },
        {"country": "NG", "traffic_side": "DERECHA", "resource_rich": None},
    )
    assert problems(context) == []
    assert counts(prepared) == (0, 1, 1)
    kind.apply(context, prepared)
    assert profile("TH") == (
        "TH",
        "left",
        "Euro 5",
        "B7 diesel",
        Decimal("40.00"),
        Decimal("80.50"),
        "THB",
        ["th", "en"],
        True,
        "Pickup capital of Asia",
    )


def test_an_empty_cell_clears_a_field_but_not_the_traffic_side(world: World) -> None:
    MarketProfile.objects.filter(country_id="TH").update(
        traffic_side="left", emission_standard="Euro 4", is_resource_rich=True
    )
    kind = MarketProfiles()
    context, prepared = run(
        world.steward,
        {"country": "TH", "traffic_side": None, "emission_standard": None, "resource_rich": None},
    )
    assert counts(prepared) == (0, 1, 0)
    kind.apply(context, prepared)
    assert profile("TH")[:3] == ("TH", "left", "")
    assert profile("TH")[8] is True


def test_a_country_without_a_profile_gets_one(world: World) -> None:
    CountryFactory.create(code="CL", alpha3="CHL", numeric="152", name="Chile", currency="CLP")
    kind = MarketProfiles()
    context, prepared = run(world.steward, {"country": "CL", "emission_standard": "Euro 6"})
    assert counts(prepared) == (1, 0, 0)
    kind.apply(context, prepared)
    assert profile("CL")[:3] == ("CL", "right", "Euro 6")


def test_bad_cells_are_reported_and_nothing_changes(world: World) -> None:
    before = snapshot()
    context, prepared = run(
        world.steward,
        {
            "country": "SA",
            "traffic_side": "UP",
            "import_duty_pickup_pct": Decimal("-1"),
            "import_duty_passenger_pct": Decimal("1.234"),
            "currency": "XXY",
            "official_languages": "ar, klingon",
        },
        {"country": "XX"},
        {"country": "SA"},
        {"country": "IQ", "import_duty_pickup_pct": Decimal("1001")},
    )
    assert problems(context) == [
        (2, "traffic_side", "UP is not a traffic side; use right or left."),
        (2, "import_duty_pickup_pct", "An import duty cannot be negative."),
        (2, "import_duty_passenger_pct", "Use at most two decimal places."),
        (2, "currency", "XXY is not an ISO 4217 currency code."),
        (2, "official_languages", "Unknown language codes: klingon."),
        (3, "country", "XX is not an ISO 3166 country code."),
        (4, "country", "Row 2 already gives the profile of SA."),
        (5, "import_duty_pickup_pct", "An import duty cannot exceed 1000%."),
    ]
    assert prepared.changes == 0
    assert snapshot() == before


def test_a_viewer_may_not_change_market_data(world: World) -> None:
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    context, prepared = run(world.partner_viewer, {"country": "SA", "notes": "x"})
    assert problems(context) == [(None, None, "This needs the Staff role in Zhongjiang.")]
    assert prepared.changes == 0


def test_an_organisation_with_no_agreement_may_not_import_profiles(world: World) -> None:
    """Issue 18: any member's staff could change any country's profile, by file too."""
    before = snapshot()
    context, prepared = run(world.jac_staff, {"country": "SA", "import_duty_pickup_pct": 0})
    assert problems(context) == [
        (
            None,
            None,
            "Market profiles are kept by the platform's stewards; the partners granted "
            "Saudi Arabia may change its field notes.",
        )
    ]
    assert prepared.changes == 0
    assert snapshot() == before


def test_a_partner_imports_the_field_notes_of_the_markets_it_is_granted(world: World) -> None:
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.AFTER_SALES],
    )
    kind = MarketProfiles()
    context, prepared = run(
        world.partner_admin,
        {"country": "SA", "fuel_quality_notes": "Diesel 10 ppm in Riyadh", "notes": "Ramadan"},
        {"country": "IQ", "fuel_quality_notes": "High-sulphur diesel up-country"},
    )
    assert (problems(context), counts(prepared)) == ([], (0, 2, 0))
    kind.apply(context, prepared)
    assert profile("IQ")[3] == "High-sulphur diesel up-country"
    events = AuditEvent.objects.filter(action="market_profile.update").order_by("pk")
    assert [(event.object_id, event.actor_id, event.changes["acting_for"]) for event in events] == [
        ("SA", world.partner_admin.user.pk, world.partner.pk),
        ("IQ", world.partner_admin.user.pk, world.partner.pk),
    ]

    before = snapshot()
    context, prepared = run(world.partner_admin, {"country": "SA", "import_duty_pickup_pct": 0})
    assert problems(context) == [
        (
            None,
            None,
            "Reference data is kept by the platform's stewards; as a partner granted "
            "Saudi Arabia you may change its field notes only.",
        )
    ]
    context, prepared = run(world.partner_admin, {"country": "OM", "notes": "Not ours"})
    assert problems(context) == [
        (
            None,
            None,
            "Market profiles are kept by the platform's stewards; the partners granted "
            "Oman may change its field notes.",
        )
    ]
    assert snapshot() == before


# --- real files through the framework ----------------------------------------------------------


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


def import_profiles(actor: Actor, data: bytes, filename: str = "profiles.csv") -> Any:
    from seabridge.imports.services import import_file

    return import_file(actor=actor, kind="market_profiles", data=data, filename=filename)


def outcome(batch: Any) -> tuple:
    return (batch.status, batch.summary, batch.errors)


def test_a_csv_of_duties_then_the_same_file_again(world: World) -> None:
    data = csv_file(
        [
            ["Country", "Import duty on pickups (%)", "Import duty on passenger cars (%)", "Notes"],
            ["SA", "5", "5", "GCC common external tariff"],
            ["NG", "35", "70", "Levy included"],
        ]
    )
    assert outcome(import_profiles(world.steward, data)) == (
        "committed",
        {"created": 0, "updated": 2, "unchanged": 0},
        [],
    )
    assert [profile(code)[4:6] + profile(code)[9:] for code in ("NG", "SA")] == [
        (Decimal("35.00"), Decimal("70.00"), "Levy included"),
        (Decimal("5.00"), Decimal("5.00"), "GCC common external tariff"),
    ]
    before = snapshot()
    again = import_profiles(world.steward, data)
    assert (again.status, again.summary) == (
        "unchanged",
        {"created": 0, "updated": 0, "unchanged": 2},
    )
    assert snapshot() == before


def test_a_spanish_semicolon_csv_with_decimal_commas(world: World) -> None:
    data = csv_file(
        [
            ["País", "Arancel pickups", "Moneda", "Rico en recursos", "Notas"],
            ["NG", "1.000,00", "ngn", "sí", "Diésel de baja calidad"],
            ["SA", "12,5", "SAR", "no", ""],
        ],
        encoding="cp1252",
        delimiter=";",
    )
    batch = import_profiles(world.steward, data)
    assert outcome(batch) == ("committed", {"created": 0, "updated": 2, "unchanged": 0}, [])
    assert profile("NG")[4:] == (
        Decimal("1000.00"),
        None,
        "NGN",
        [],
        True,
        "Diésel de baja calidad",
    )
    assert profile("SA")[4:] == (Decimal("12.50"), None, "SAR", [], False, "")


def test_gb18030_and_arabic_files(world: World) -> None:
    chinese = csv_file(
        [["国家", "排放标准", "燃油品质", "官方语言"], ["TH", "国五", "柴油含硫量高", "th"]],
        encoding="gb18030",
    )
    batch = import_profiles(world.steward, chinese)
    assert outcome(batch) == ("committed", {"created": 0, "updated": 1, "unchanged": 0}, [])
    assert profile("TH")[2:4] == ("国五", "柴油含硫量高")
    arabic = "\ufeff" + "الدولة,ملاحظات\r\nSA,الديزل متوفر في الرياض\r\n"
    batch = import_profiles(world.steward, arabic.encode("utf-8"))
    assert outcome(batch) == ("committed", {"created": 0, "updated": 1, "unchanged": 0}, [])
    assert profile("SA")[9] == "الديزل متوفر في الرياض"


def test_an_xlsx_of_profiles(world: World) -> None:
    data = xlsx_file(
        [
            ["country", "traffic_side", "import_duty_pickup_pct", "resource_rich", "notes"],
            ["TH", "left", 40, True, "Pickups"],
            ["OM", "right", 5.5, False, None],
        ]
    )
    batch = import_profiles(world.steward, data, "profiles.xlsx")
    assert outcome(batch) == ("committed", {"created": 0, "updated": 2, "unchanged": 0}, [])
    assert profile("TH")[1:] == (
        "left",
        "",
        "",
        Decimal("40.00"),
        None,
        "",
        [],
        True,
        "Pickups",
    )
    assert profile("OM")[4] == Decimal("5.50")


def test_one_bad_row_refuses_the_file(world: World) -> None:
    before = snapshot()
    data = csv_file(
        [
            ["Country", "Import duty on pickups (%)", "Currency"],
            ["SA", "5", "SAR"],
            ["IQ", "-3", "IQD"],
            ["ZZ", "1", "USD"],
        ]
    )
    batch = import_profiles(world.steward, data)
    assert (batch.status, batch.errors) == (
        "refused",
        [
            {
                "row": 3,
                "column": "Import duty on pickups (%)",
                "message": "An import duty cannot be negative.",
            },
            {"row": 4, "column": "Country", "message": "ZZ is not an ISO 3166 country code."},
        ],
    )
    assert snapshot() == before


def test_checking_profiles_takes_as_many_queries_for_many_rows_as_for_one(world: World) -> None:
    def queries(records: list[dict[str, Any]]) -> int:
        with CaptureQueriesContext(connection) as captured:
            context, _prepared = run(world.steward, *records)
        assert problems(context) == []
        return len(captured)

    codes = ["CN", "SA", "IQ", "OM", "NG", "TH"]
    one = [{"country": "SA", "currency": "SAR", "official_languages": "ar"}]
    many = [{"country": code, "currency": "USD", "official_languages": "en"} for code in codes]
    assert queries(one) == queries(many)


def test_a_profiles_file_reports_every_problem_of_every_stage(world: World, monkeypatch) -> None:
    """A short row (reading); a number that is none, an empty required cell, a repeated
    country (parsing); a country that is none, a traffic side, a duty and a currency the
    profile service refuses (checking, the row's every cell): one report, in the order
    of rows and columns; with a smaller cap, the first and a count of the rest. Nothing
    is written."""
    data = csv_file(
        [
            ["Country", "Traffic side", "Import duty on pickups (%)", "Currency"],
            ["SA", "right", "5", "SAR"],
            ["IQ", "left", "5%", "IQD"],
            ["OM", "right"],
            ["", "right", "5", "USD"],
            ["SA", "left", "6", "SAR"],
            ["XX", "middle", "-3", "ZZZ"],
        ]
    )
    before = snapshot()

    full = report(world.steward, "market_profiles", data, "profiles.csv")

    assert full == Report(
        "refused",
        8,
        [
            (3, "Import duty on pickups (%)", "5% is not a number."),
            (4, None, "Row 4 has 2 cells; the header has 4."),
            (5, "Country", "This cell is required."),
            (6, None, "Row 6 repeats row 2 (SA)."),
            (7, "Country", "XX is not an ISO 3166 country code."),
            (7, "Traffic side", "MIDDLE is not a traffic side; use right or left."),
            (7, "Import duty on pickups (%)", "An import duty cannot be negative."),
            (7, "Currency", "ZZZ is not an ISO 4217 currency code."),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 7)
    assert report(world.steward, "market_profiles", data, "profiles.csv") == Report(
        "refused", 8, full.problems[:7], "And 1 more problem."
    )
    assert snapshot() == before
