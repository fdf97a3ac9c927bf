"""Imports of the sales targets grid: rows of plan, month, market, product line and units.

The first tests drive the kind's ``check`` and ``apply`` with rows as the framework
hands them over; the end-to-end tests import real files made here.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from seabridge.core.models import AuditEvent
from seabridge.core.scope import Actor
from seabridge.core.tests.world import World
from seabridge.imports import kinds
from seabridge.imports.kinds import Context, Prepared, Row
from seabridge.imports.tests.reports import Report, report
from seabridge.imports.values import CellError
from seabridge.planning import services
from seabridge.planning.choices import PlanStatus
from seabridge.planning.imports import SalesTargets, parse_month
from seabridge.planning.models import SalesPlan, Target

pytestmark = pytest.mark.django_db

TITLE = "Three-Year, Three-Step"


def run(actor: Actor, *records: dict[str, Any]) -> tuple[Context, Prepared]:
    kind = SalesTargets()
    names = list(dict.fromkeys(name for record in records for name in record))
    context = Context(actor=actor, kind=kind, headers={name: name for name in names})
    rows = [Row(number, dict(record)) for number, record in enumerate(records, start=2)]
    return context, kind.check(context, rows)


def problems(context: Context) -> list[tuple[int | None, str | None, str]]:
    return [(problem.row, problem.column, problem.message) for problem in context.problems]


def counts(prepared: Prepared) -> tuple[int, int, int]:
    return (prepared.created, prepared.updated, prepared.unchanged)


def target(plan: Any, month: Any, market: str, units: int, line: str | None = None) -> dict:
    return {"plan": plan, "month": month, "market": market, "product_line": line, "units": units}


def targets() -> list[tuple]:
    return list(
        Target.objects.order_by("month", "market_id", "product_line__name").values_list(
            "plan__title", "month", "market_id", "product_line__name", "units"
        )
    )


@pytest.mark.parametrize(
    ("written", "month"),
    [
        ("2025-07", date(2025, 7, 1)),
        ("2025/7", date(2025, 7, 1)),
        ("2025年7月", date(2025, 7, 1)),
        ("07/2025", date(2025, 7, 1)),
        ("2025-07-15", date(2025, 7, 1)),
        ("15/07/2025", date(2025, 7, 1)),
        ("2025年7月15日", date(2025, 7, 1)),
        (date(2025, 7, 31), date(2025, 7, 1)),
    ],
)
def test_a_month_is_read_in_any_form(written: Any, month: date) -> None:
    assert parse_month(written) == month


def test_a_month_that_is_none_is_refused() -> None:
    with pytest.raises(CellError) as refusal:
        parse_month("2025-13")
    assert refusal.value.message == "2025-13 is not a month; write it as 2025-07."
    with pytest.raises(CellError) as refusal:
        parse_month("July")
    assert refusal.value.message == "July is not a date; write it as 2025-04-22."


def test_rows_set_targets_by_title_or_number(world: World, plan: SalesPlan) -> None:
    kind = SalesTargets()
    context, prepared = run(
        world.jac_staff,
        target(TITLE, "2025-07", "SA", 40),
        target(str(plan.pk), date(2025, 7, 15), "IQ", 10, "T8"),
        target(f"#{plan.pk}", "07/2025", "om", 5, "t8"),
    )
    assert problems(context) == []
    assert counts(prepared) == (3, 0, 0)

    kind.apply(context, prepared)

    assert targets() == [
        (TITLE, date(2025, 7, 1), "IQ", "T8", 10),
        (TITLE, date(2025, 7, 1), "OM", "T8", 5),
        (TITLE, date(2025, 7, 1), "SA", None, 40),
    ]
    context, prepared = run(
        world.jac_staff,
        target(TITLE, "2025-07", "SA", 40),
        target(TITLE, "2025-07-01", "IQ", 12, "T8"),
    )
    assert (problems(context), counts(prepared)) == ([], (0, 1, 1))
    kind.apply(context, prepared)
    assert targets()[0] == (TITLE, date(2025, 7, 1), "IQ", "T8", 12)


def test_every_row_is_checked_against_its_plan(world: World, plan: SalesPlan) -> None:
    context, prepared = run(
        world.jac_staff,
        target("Another plan", "2025-07", "SA", 1),
        target(TITLE, "2024-12", "SA", 1),
        target(TITLE, "2025-07", "NG", 1),
        target(TITLE, "2025-07", "SA", 1, "Navara"),
        target(TITLE, "2025-07", "SA", -1),
        target(TITLE, "2025-13", "SA", 1),
        target(TITLE, "2025-07", "XX", 1),
        target(TITLE, "2025-08", "SA", 1),
        target(TITLE, "2025-08-20", "SA", 2),
    )
    assert problems(context) == [
        (2, "plan", "There is no plan Another plan."),
        (3, "month", f"2024-12 is outside the plan {TITLE} (2025-01-01 to 2027-12-31)."),
        (4, "market", "NG is not a market of the step covering 2025-07."),
        (5, "product_line", "Navara is not a product line of JAC."),
        (6, "units", "A target cannot be negative."),
        (7, "month", "2025-13 is not a month; write it as 2025-07."),
        (8, "market", "XX is not an ISO 3166 country code."),
        (10, None, f"Row 10 repeats row 9 ({TITLE}, 2025-08, SA)."),
    ]
    assert prepared.changes == 1
    assert targets() == []


def test_the_partner_of_the_plan_sets_targets_others_do_not_see_it(
    world: World, plan: SalesPlan
) -> None:
    context, prepared = run(world.partner_admin, target(TITLE, "2026-01", "NG", 20))
    assert (problems(context), counts(prepared)) == ([], (1, 0, 0))
    context, prepared = run(world.nezha_admin, target(TITLE, "2026-01", "NG", 20))
    assert problems(context) == [(2, "plan", f"There is no plan {TITLE}.")]
    context, prepared = run(world.partner_viewer, target(TITLE, "2026-01", "NG", 20))
    assert problems(context) == [(2, "plan", f"You may not change the plan {TITLE}.")]


def test_a_closed_plan_takes_no_targets(world: World, plan: SalesPlan) -> None:
    SalesPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    context, _prepared = run(world.jac_staff, target(TITLE, "2025-07", "SA", 1))
    assert problems(context) == [(2, "plan", f"The plan {TITLE} is closed.")]


def test_two_plans_of_one_title_are_told_apart_by_number(world: World, plan: SalesPlan) -> None:
    other = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        data=services.PlanInput(
            title=TITLE, starts_on=date(2028, 1, 1), ends_on=date(2028, 12, 31), cumulative_target=1
        ),
    )
    context, _prepared = run(world.jac_staff, target(TITLE, "2025-07", "SA", 1))
    assert problems(context) == [
        (2, "plan", f"Several plans are called {TITLE}; give the plan's number instead.")
    ]
    context, prepared = run(world.jac_staff, target(str(plan.pk), "2025-07", "SA", 1))
    assert (problems(context), counts(prepared)) == ([], (1, 0, 0))
    assert other.pk != plan.pk


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


def import_targets(actor: Actor, data: bytes, filename: str = "targets.csv") -> Any:
    from seabridge.imports.services import import_file

    return import_file(actor=actor, kind="sales_targets", data=data, filename=filename)


def outcome(batch: Any) -> tuple:
    return (batch.status, batch.summary, batch.errors)


def snapshot() -> tuple:
    return (targets(), AuditEvent.objects.count())


def test_a_targets_csv_then_the_same_file_again(world: World, plan: SalesPlan) -> None:
    data = csv_file(
        [
            ["Plan", "Month", "Market", "Product line", "Units"],
            [TITLE, "2025-07", "SA", "", "40"],
            [str(plan.pk), "2025-08-15", "SA", "T8", "25"],
            [TITLE, "08/2025", "IQ", "", "1,200"],
        ]
    )
    batch = import_targets(world.jac_staff, data)
    assert outcome(batch) == ("committed", {"created": 3, "updated": 0, "unchanged": 0}, [])
    assert targets() == [
        (TITLE, date(2025, 7, 1), "SA", None, 40),
        (TITLE, date(2025, 8, 1), "IQ", None, 1200),
        (TITLE, date(2025, 8, 1), "SA", "T8", 25),
    ]
    before = snapshot()
    again = import_targets(world.jac_staff, data)
    assert (again.status, again.summary) == (
        "unchanged",
        {"created": 0, "updated": 0, "unchanged": 3},
    )
    assert snapshot() == before


def test_a_targets_workbook_with_date_cells_changes_a_target(world: World, plan: SalesPlan) -> None:
    Target.objects.create(plan=plan, month=date(2026, 1, 1), market_id="NG", units=5)
    data = xlsx_file(
        [
            ["plan", "month", "market", "units"],
            [plan.pk, date(2026, 1, 31), "NG", 50],
            [plan.pk, date(2026, 2, 1), "NG", 60],
        ]
    )
    batch = import_targets(world.partner_admin, data, "targets.xlsx")
    assert outcome(batch) == ("committed", {"created": 1, "updated": 1, "unchanged": 0}, [])
    assert targets() == [
        (TITLE, date(2026, 1, 1), "NG", None, 50),
        (TITLE, date(2026, 2, 1), "NG", None, 60),
    ]


def test_chinese_spanish_and_arabic_target_files(world: World, plan: SalesPlan) -> None:
    SalesPlan.objects.filter(pk=plan.pk).update(title="三年三步走")
    chinese = csv_file(
        [
            ["销售计划", "月份", "市场", "产品线", "目标"],
            ["三年三步走", "2025年7月", "SA", "T8", "30"],
        ],
        encoding="gb18030",
    )
    assert outcome(import_targets(world.jac_staff, chinese)) == (
        "committed",
        {"created": 1, "updated": 0, "unchanged": 0},
        [],
    )
    spanish = csv_file(
        [
            ["Plan de ventas", "Mes", "Mercado", "Unidades"],
            [str(plan.pk), "07/2025", "OM", "1.500"],
        ],
        encoding="cp1252",
        delimiter=";",
    )
    assert outcome(import_targets(world.jac_staff, spanish)) == (
        "committed",
        {"created": 1, "updated": 0, "unchanged": 0},
        [],
    )
    arabic = csv_file(
        [["الخطة", "الشهر", "السوق", "الوحدات"], ["三年三步走", "2025-07", "IQ", "٤٥"]]
    )
    batch = import_targets(world.jac_staff, b"\xef\xbb\xbf" + arabic)
    assert outcome(batch) == ("committed", {"created": 1, "updated": 0, "unchanged": 0}, [])
    assert targets() == [
        ("三年三步走", date(2025, 7, 1), "IQ", None, 45),
        ("三年三步走", date(2025, 7, 1), "OM", None, 1500),
        ("三年三步走", date(2025, 7, 1), "SA", "T8", 30),
    ]


def test_one_bad_target_row_refuses_the_file(world: World, plan: SalesPlan) -> None:
    before = snapshot()
    data = csv_file(
        [
            ["Plan", "Month", "Market", "Units"],
            [TITLE, "2025-07", "SA", "40"],
            [TITLE, "2025-07", "NG", "10"],
        ]
    )
    batch = import_targets(world.jac_staff, data)
    assert (batch.status, batch.errors) == (
        "refused",
        [
            {
                "row": 3,
                "column": "Market",
                "message": "NG is not a market of the step covering 2025-07.",
            }
        ],
    )
    assert snapshot() == before


def test_another_maker_cannot_import_targets_of_the_plan(world: World, plan: SalesPlan) -> None:
    before = snapshot()
    data = csv_file([["Plan", "Month", "Market", "Units"], [str(plan.pk), "2025-07", "SA", "40"]])
    batch = import_targets(world.nezha_admin, data)
    assert (batch.status, batch.errors) == (
        "refused",
        [{"row": 2, "column": "Plan", "message": f"There is no plan {plan.pk}."}],
    )
    assert snapshot() == before


def test_checking_targets_takes_as_many_queries_for_many_rows_as_for_one(
    world: World, plan: SalesPlan
) -> None:
    def queries(records: list[dict[str, Any]]) -> int:
        with CaptureQueriesContext(connection) as captured:
            context, _prepared = run(world.jac_staff, *records)
        assert problems(context) == []
        return len(captured)

    one = [target(TITLE, "2025-01", "SA", 1)]
    many = [
        target(TITLE, f"2025-{month:02d}", market, month, line)
        for month in range(1, 13)
        for market in ("SA", "IQ", "OM")
        for line in (None, "T8")
    ]
    assert queries(one) == queries(many)


def test_a_targets_file_reports_every_problem_of_every_stage(
    world: World, plan: SalesPlan, monkeypatch
) -> None:
    """A short row (reading); a number that is none, an empty required cell (parsing); a
    repeated target, an unknown plan, a month outside the plan, a market that is none or
    not of the step, a product line of another brand, negative units (checking): one
    report, in the order of rows and columns; with a smaller cap, the first and a count
    of the rest. Nothing is written."""
    data = csv_file(
        [
            ["Plan", "Month", "Market", "Product line", "Units"],
            [TITLE, "2025-07", "SA", "", "40"],
            [TITLE, "2025-08", "SA", "", "many"],
            [TITLE, "2025-09"],
            [TITLE, "2025-09", "", "", "10"],
            [TITLE, "2025-07", "SA", "", "41"],
            ["Another plan", "2025-07", "SA", "Navara", "1"],
            [TITLE, "2024-12", "XX", "Navara", "-1"],
            [TITLE, "2025-13", "SA", "T8", "1"],
            [TITLE, "2025-07", "NG", "T8", "1"],
        ]
    )
    before = snapshot()

    full = report(world.jac_staff, "sales_targets", data, "targets.csv")

    assert full == Report(
        "refused",
        11,
        [
            (3, "Units", "many is not a whole number."),
            (4, None, "Row 4 has 2 cells; the header has 5."),
            (5, "Market", "This cell is required."),
            (6, None, f"Row 6 repeats row 2 ({TITLE}, 2025-07, SA)."),
            (7, "Plan", "There is no plan Another plan."),
            (8, "Month", f"2024-12 is outside the plan {TITLE} (2025-01-01 to 2027-12-31)."),
            (8, "Market", "XX is not an ISO 3166 country code."),
            (8, "Product line", "Navara is not a product line of JAC."),
            (8, "Units", "A target cannot be negative."),
            (9, "Month", "2025-13 is not a month; write it as 2025-07."),
            (10, "Market", "NG is not a market of the step covering 2025-07."),
        ],
    )
    monkeypatch.setattr(kinds, "MAX_STORED_ERRORS", 6)
    assert report(world.jac_staff, "sales_targets", data, "targets.csv") == Report(
        "refused", 11, full.problems[:6], "And 5 more problems."
    )
    assert snapshot() == before
