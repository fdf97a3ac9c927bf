"""The targets grid's form: the posted cells become the service's rows, and every error,
the form's or the service's, is named by its cell's market and month."""

from __future__ import annotations

from datetime import date

import pytest

from seabridge.core.errors import ValidationFailed
from seabridge.planning import selectors, services
from seabridge.planning.forms import TargetGridForm
from seabridge.planning.models import SalesPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def half_year(world) -> SalesPlan:
    """January to June 2025: Saudi Arabia and Oman in the first quarter, Saudi Arabia and
    Iraq in the second."""
    plan = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        agreement=world.agreement,
        data=services.PlanInput("Gulf 2025", date(2025, 1, 1), date(2025, 6, 30), 12),
    )
    services.plan_phases_set(
        actor=world.jac_staff,
        plan=plan,
        phases=[
            services.PhaseInput(1, "Gulf", date(2025, 1, 1), date(2025, 3, 31), ["SA", "OM"], 4),
            services.PhaseInput(2, "Iraq", date(2025, 4, 1), date(2025, 6, 30), ["SA", "IQ"], 6),
        ],
    )
    services.plan_targets_set(
        actor=world.jac_staff, plan=plan, rows=[services.TargetInput(date(2025, 1, 1), "SA", 1)]
    )
    return plan


def grid_form(plan: SalesPlan, data: dict[str, str] | None, line: int | None = None):
    grid = selectors.target_grid(plan=plan, product_line_id=line)
    return TargetGridForm(data, grid=grid, product_line_id=line)


def test_the_open_cells_are_the_fields_in_the_grids_order(half_year):
    form = grid_form(half_year, None)
    # Markets in the order the steps name them (each step's by code), then months.
    assert list(form.fields) == [
        "cell-OM-2025-01",
        "cell-OM-2025-02",
        "cell-OM-2025-03",
        "cell-SA-2025-01",
        "cell-SA-2025-02",
        "cell-SA-2025-03",
        "cell-SA-2025-04",
        "cell-SA-2025-05",
        "cell-SA-2025-06",
        "cell-IQ-2025-04",
        "cell-IQ-2025-05",
        "cell-IQ-2025-06",
    ]
    oman, saudi, iraq = form.table()
    assert (saudi["name"], saudi["total"]) == ("Saudi Arabia", 1)
    assert [(cell["month"], cell["is_open"], cell["value"]) for cell in oman["cells"]] == [
        ("2025-01", True, ""),
        ("2025-02", True, ""),
        ("2025-03", True, ""),
        ("2025-04", False, ""),
        ("2025-05", False, ""),
        ("2025-06", False, ""),
    ]
    assert saudi["cells"][0]["value"] == 1  # the stored target
    assert iraq["code"] == "IQ"


def test_filled_cells_become_rows_and_empty_ones_change_nothing(world, half_year):
    line = world.jac_line.pk
    form = grid_form(
        half_year,
        {"cell-SA-2025-01": " 3 ", "cell-OM-2025-02": "", "cell-IQ-2025-06": "0"},
        line,
    )
    assert form.is_valid()
    assert form.targets() == [
        services.TargetInput(date(2025, 1, 1), "SA", 3, line),
        services.TargetInput(date(2025, 6, 1), "IQ", 0, line),
    ]
    assert form.summary == []


def test_a_cell_that_is_not_a_whole_number_is_named_by_market_and_month(half_year):
    form = grid_form(
        half_year,
        {
            "cell-SA-2025-01": "two",
            "cell-OM-2025-03": "-1",
            "cell-IQ-2025-04": "1.5",
            "cell-IQ-2025-05": "²",  # a digit to str.isdigit(), not to int()
            "cell-IQ-2025-06": "3000000000",
            "cell-SA-2025-02": "4",
        },
    )
    assert not form.is_valid()
    assert form.summary == [
        "Oman, 2025-03: enter a whole number of units.",
        "Saudi Arabia, 2025-01: enter a whole number of units.",
        "Iraq, 2025-04: enter a whole number of units.",
        "Iraq, 2025-05: enter a whole number of units.",
        "Iraq, 2025-06: at most 2147483647 units.",
    ]
    cells = {cell["name"]: cell for row in form.table() for cell in row["cells"]}
    assert (cells["cell-SA-2025-01"]["value"], cells["cell-SA-2025-01"]["errors"]) == (
        "two",
        ["Saudi Arabia, 2025-01: enter a whole number of units."],
    )
    assert (cells["cell-SA-2025-02"]["value"], cells["cell-SA-2025-02"]["errors"]) == ("4", [])


def test_the_services_row_errors_are_shown_on_their_cells(half_year):
    form = grid_form(half_year, {"cell-SA-2025-01": "3", "cell-IQ-2025-05": "2"})
    assert form.is_valid()
    assert len(form.targets()) == 2
    form.show_error(
        ValidationFailed(
            fields={
                "rows.1.units": ["Row 2: a target cannot be negative."],
                "rows": ["At most 5000 rows at once."],
            }
        )
    )
    assert form.summary == [
        "Iraq, 2025-05: Row 2: a target cannot be negative.",
        "At most 5000 rows at once.",
    ]
    cells = {cell["name"]: cell["errors"] for row in form.table() for cell in row["cells"]}
    assert cells["cell-IQ-2025-05"] == ["Iraq, 2025-05: Row 2: a target cannot be negative."]
    assert cells["cell-SA-2025-01"] == []
    form.show_error(ValidationFailed("The plan Gulf 2025 is closed."))
    assert form.summary[-1] == "The plan Gulf 2025 is closed."
