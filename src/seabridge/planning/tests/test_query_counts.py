"""Query-count baselines of planning's list pages and list endpoints: each takes the number
of queries committed in query_counts.json, with one plan as with many plans, steps,
targets, approvals and milestones (no N+1)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from seabridge.core.tests.world import World
from seabridge.planning import services
from seabridge.planning.models import SalesPlan
from seabridge.planning.tests.test_views import sign_in
from seabridge.trade.services import LineInput, export_order_create
from seabridge.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")
MARKETS = ["SA", "IQ", "OM", "NG"]


def a_plan(world: World, title: str, *, steps: int) -> SalesPlan:
    """A 2025 plan under the memorandum with ``steps`` quarterly steps, each in every
    market, and a target in each open month and market."""
    plan = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        agreement=world.agreement,
        data=services.PlanInput(title, date(2025, 1, 1), date(2025, 12, 31), 100),
    )
    services.plan_phases_set(
        actor=world.jac_staff,
        plan=plan,
        phases=[
            services.PhaseInput(
                number,
                f"Quarter {number}",
                date(2025, 3 * number - 2, 1),
                date(2025, 3 * number, 28),
                MARKETS[: 1 + (number - 1) % len(MARKETS)],
                25,
            )
            for number in range(1, steps + 1)
        ],
    )
    services.plan_targets_set(
        actor=world.jac_staff,
        plan=plan,
        rows=[
            services.TargetInput(date(2025, month, 1), market, 2, line)
            for month in range(1, 3 * steps + 1)
            for market in MARKETS[: 1 + ((month - 1) // 3) % len(MARKETS)]
            for line in (None, world.jac_line.pk)
        ],
    )
    return plan


def with_milestones(world: World, plan: SalesPlan, count: int) -> None:
    """``count`` milestones, each completed with an export order as evidence."""
    for number in range(1, count + 1):
        order = export_order_create(
            actor=world.jac_staff,
            number=f"EO-{plan.pk}-{number:03d}",
            brand=world.jac_brand,
            buyer=world.partner,  # a counterparty: the memorandum's grantee
            destination="SA",
            incoterm="CIF",
            currency="USD",
            payment_terms="tt",
            lines=[LineInput(variant_id=world.jac_variant.pk, quantity=1, unit_price=Decimal(1))],
        )
        milestone = services.plan_milestone_create(
            actor=world.jac_staff,
            plan=plan,
            data=services.MilestoneInput(
                title=f"Milestone {number}",
                due_on=date(2099, 1, number),
                owner_id=world.partner.pk if number % 2 else world.jac.pk,
            ),
        )
        services.plan_milestone_complete(
            actor=world.jac_staff,
            milestone=milestone,
            completed_on=date(2025, 2, number),
            evidence_order=order,
        )


def sold(world: World, count: int) -> None:
    Vehicle.objects.bulk_create(
        Vehicle(
            vin=f"LJ1PLNC0AA{number:07d}",
            brand=world.jac_brand,
            variant=world.jac_variant,
            produced_on=date(2025, 1, 2),
            market_id=MARKETS[number % len(MARKETS)],
            holder=world.jac,
            wholesaled_on=date(2025, 1 + number % 12, 1 + number % 28),
        )
        for number in range(count)
    )


@pytest.mark.parametrize("size", ["one", "many"])
def test_list_pages_and_endpoints_take_the_baseline_queries(
    client, world, django_assert_num_queries, size
):
    """One plan with one step, one milestone and one vehicle sold; or five plans, the one
    under test with four steps, forty-eight targets, eight milestones with evidence, an
    approval and forty vehicles sold. The requests are made once before they are
    counted (the session and the token's last use are then recorded)."""
    baseline = json.loads(QUERY_COUNTS.read_text())
    if size == "one":
        plan = a_plan(world, "Gulf 2025", steps=1)
        with_milestones(world, plan, 1)
        sold(world, 1)
    else:
        plan = a_plan(world, "Gulf 2025", steps=4)
        with_milestones(world, plan, 8)
        services.sales_plan_approve(actor=world.partner_admin, plan=plan)
        for number in range(4):
            a_plan(world, f"Other plan {number}", steps=1 + number % 2)
        sold(world, 40)
    sign_in(client, world.jac_manager)
    script = Client(headers={"Authorization": f"Bearer {world.token_for('jac_manager')}"})
    api = f"/api/v1/planning/plans/{plan.pk}"
    requests = {
        "plan:list_page": (client, reverse("planning:plan-list"), {}),
        "plan:list_fragment": (client, reverse("planning:plan-list"), {"HTTP_HX_REQUEST": "true"}),
        "plan:list_export": (client, reverse("planning:plan-export", args=["csv"]), {}),
        "plan:detail_page": (client, reverse("planning:plan-detail", args=[plan.pk]), {}),
        "plan:targets_page": (client, reverse("planning:plan-targets", args=[plan.pk]), {}),
        "plan:shortlist_page": (client, reverse("planning:plan-shortlist", args=[plan.pk]), {}),
        "plan:api_list": (script, "/api/v1/planning/plans", {}),
        "plan:api_milestones": (script, f"{api}/milestones", {}),
        "plan:api_shortlist": (script, f"{api}/shortlist", {}),
    }
    assert sorted(baseline) == sorted(requests)
    for name, (browser, url, headers) in requests.items():
        browser.get(url, **headers)
        info = (
            f"{name} ({url}, {size} plan) is not at its baseline. If the change is "
            f"intended, update {QUERY_COUNTS.name} (src/seabridge/planning/tests/) to the "
            "new number in the same commit."
        )
        with django_assert_num_queries(baseline[name], info=info):
            response = browser.get(url, **headers)
            # A download is written as it is sent: its queries run while it is read.
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, name
    # The pages did list what was made.
    plans = script.get("/api/v1/planning/plans").json()
    assert plans["count"] == (1 if size == "one" else 5)
    milestones = script.get(f"{api}/milestones").json()
    assert len(milestones) == (1 if size == "one" else 8)
