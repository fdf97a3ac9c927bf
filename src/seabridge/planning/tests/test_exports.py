"""The plan exports: the plan list (its page's scope and filter) and one plan's progress
report (plan against actual by month, step and market), as CSV or XLSX.

The plan under test lies wholly in the past (January to June 2025), so that "as of
today" figures do not move with the calendar.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.core.tests.world import World
from seabridge.planning import services
from seabridge.planning.models import SalesPlan
from seabridge.planning.tests.pages import Page
from seabridge.planning.tests.test_views import gulf_plan, sign_in
from seabridge.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db

PLANS_CSV = reverse("planning:plan-export", args=["csv"])
PLAN_HEADER = "Title,Brand,Agreement,Owner,Starts on,Ends on,Measure,Cumulative target,Status"
PROGRESS_HEADER = (
    "Breakdown,Month,Step,Market (ISO code),Name,Target,Actual,Gap,Attainment (%),"
    "Cumulative target,Cumulative actual"
)


def progress_url(plan: SalesPlan, format: str = "csv") -> str:
    return reverse("planning:plan-progress-export", args=[plan.pk, format])


@pytest.fixture
def gulf(world: World) -> SalesPlan:
    """JAC's Gulf plan under the memorandum, ten units of monthly targets, six sold."""
    plan = gulf_plan(world)
    services.plan_targets_set(
        actor=world.jac_staff,
        plan=plan,
        rows=[
            services.TargetInput(date(2025, 1, 1), "SA", 1),
            services.TargetInput(date(2025, 2, 1), "SA", 1),
            services.TargetInput(date(2025, 3, 1), "OM", 2),
            services.TargetInput(date(2025, 4, 1), "SA", 2),
            services.TargetInput(date(2025, 5, 1), "IQ", 2),
            services.TargetInput(date(2025, 6, 1), "IQ", 2),
        ],
    )
    sales = [
        ("SA", date(2025, 1, 10)),
        ("SA", date(2025, 1, 20)),
        ("SA", date(2025, 2, 10)),
        ("SA", date(2025, 4, 5)),
        ("SA", date(2025, 4, 6)),
        ("IQ", date(2025, 5, 20)),
    ]
    for number, (market, on) in enumerate(sales, start=1):
        Vehicle.objects.create(
            vin=f"LJ1EXPT0AA{number:07d}",
            brand=world.jac_brand,
            variant=world.jac_variant,
            produced_on=date(2025, 1, 2),
            market_id=market,
            holder=world.jac,
            wholesaled_on=on,
        )
    return plan


@pytest.fixture
def home(world: World) -> SalesPlan:
    """A JAC plan for China with no agreement: no party but JAC sees it."""
    return services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        agreement=None,
        data=services.PlanInput(
            title="China 2026",
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
            cumulative_target=5000,
        ),
    )


# --- the plan list ---------------------------------------------------------------------------


def test_jac_member_gets_every_plan_newest_first(client, world, gulf, home):
    sign_in(client, world.jac_viewer)
    response = client.get(PLANS_CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="plans-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == [
        PLAN_HEADER,
        "China 2026,JAC,,JAC,2026-01-01,2026-12-31,Wholesale units,5000,Draft",
        f"Gulf 2025,JAC,{world.agreement.title},JAC,2025-01-01,2025-06-30,Wholesale units,12,Draft",
        "",
    ]


def test_the_partner_plan_export_holds_only_the_plans_it_is_party_to(client, world, gulf, home):
    sign_in(client, world.partner_viewer)
    lines = csv_lines(client.get(PLANS_CSV))
    assert [line.split(",")[0] for line in lines[1:-1]] == ["Gulf 2025"]
    sign_in(client, world.nezha_admin)
    assert csv_lines(client.get(PLANS_CSV)) == [PLAN_HEADER, ""]


def test_the_plan_export_applies_the_list_filter(client, world, gulf, home):
    sign_in(client, world.jac_viewer)
    lines = csv_lines(client.get(PLANS_CSV, {"q": "gulf", "brand": world.jac_brand.pk}))
    assert [line.split(",")[0] for line in lines[1:-1]] == ["Gulf 2025"]
    assert csv_lines(client.get(PLANS_CSV, {"status": "closed"})) == [PLAN_HEADER, ""]
    refused = client.get(PLANS_CSV, {"brand": "0"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["brand"]


def test_the_plan_list_links_its_downloads_with_the_filter(client, world, gulf):
    sign_in(client, world.jac_viewer)
    page = Page.of(client.get(reverse("planning:plan-list"), {"q": "gulf"}))
    assert page.links_to(f"{PLANS_CSV}?q=gulf") == ["Download CSV"]
    assert page.links_to(f"{reverse('planning:plan-export', args=['xlsx'])}?q=gulf") == [
        "Download XLSX"
    ]


# --- a plan's progress -----------------------------------------------------------------------

PROGRESS = [
    PROGRESS_HEADER,
    "Month,2025-01-01,,,2025-01,1,2,-1,200.0,1,2",
    "Month,2025-02-01,,,2025-02,1,1,0,100.0,2,3",
    "Month,2025-03-01,,,2025-03,2,0,2,0.0,4,3",
    "Month,2025-04-01,,,2025-04,2,2,0,100.0,6,5",
    "Month,2025-05-01,,,2025-05,2,1,1,50.0,8,6",
    "Month,2025-06-01,,,2025-06,2,0,2,0.0,10,6",
    "Step,,1,,Gulf entry,4,3,1,75.0,,",
    "Step,,2,,Iraq,6,3,3,50.0,,",
    # Most behind first.
    "Market (to date),,,IQ,Iraq,4,1,3,25.0,,",
    "Market (to date),,,OM,Oman,2,0,2,0.0,,",
    "Market (to date),,,SA,Saudi Arabia,4,5,-1,125.0,,",
    "",
]


@pytest.mark.parametrize("caller", ["jac_viewer", "partner_viewer"])
def test_the_progress_report_has_every_month_step_and_market(client, world, gulf, caller):
    sign_in(client, world.actors[caller])
    response = client.get(progress_url(gulf))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="plan-{gulf.pk}-progress-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == PROGRESS


def test_the_progress_xlsx_holds_typed_cells(client, world, gulf):
    sign_in(client, world.jac_viewer)
    rows = xlsx_rows(client.get(progress_url(gulf, "xlsx")).content)
    assert rows[0] == PROGRESS_HEADER.split(",")
    assert rows[1] == ["Month", datetime(2025, 1, 1), None, None, "2025-01", 1, 2, -1, 200, 1, 2]
    assert rows[7] == ["Step", None, 1, None, "Gulf entry", 4, 3, 1, 75, None, None]
    assert rows[9] == ["Market (to date)", None, None, "IQ", "Iraq", 4, 1, 3, 25, None, None]
    assert len(rows) == len(PROGRESS) - 1


@pytest.mark.parametrize("caller", ["nezha_admin", "lonely"])
def test_a_foreign_caller_gets_a_404_for_the_progress_report(client, world, gulf, caller):
    if caller == "lonely":
        client.force_login(world.lonely)
    else:
        sign_in(client, world.actors[caller])
    assert client.get(progress_url(gulf)).status_code == 404
    assert client.get(progress_url(gulf, "pdf")).status_code == 404


def test_an_unknown_format_of_the_progress_report_is_refused(client, world, gulf):
    sign_in(client, world.jac_viewer)
    response = client.get(progress_url(gulf, "ods"))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"format": ["Choose csv or xlsx, not ods."]}


def test_the_plan_page_links_the_progress_downloads(client, world, gulf):
    sign_in(client, world.jac_viewer)
    page = Page.of(client.get(reverse("planning:plan-detail", args=[gulf.pk])))
    assert page.links_to(progress_url(gulf)) == ["Download CSV"]
    assert page.links_to(progress_url(gulf, "xlsx")) == ["Download XLSX"]
