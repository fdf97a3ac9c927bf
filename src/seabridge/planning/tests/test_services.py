"""Plans as the memorandum states them, refused when they are wrong, measured against sales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.planning import selectors, services
from seabridge.planning.choices import MilestoneCondition, MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan, Target
from seabridge.trade.choices import Incoterm, OrderStatus, PaymentTerms
from seabridge.trade.models import ExportOrder, ExportOrderLine
from seabridge.vehicles.models import Vehicle


def _vehicle(world, number: int, market: str, wholesaled_on: date | None, brand=None) -> None:
    variant = world.jac_variant if brand is None else world.nezha_variant
    Vehicle.objects.create(
        vin=f"LJ1PLAN0AA{number:07d}",
        brand=variant.brand,
        variant=variant,
        produced_on=date(2025, 1, 2),
        market_id=market,
        holder=world.jac,
        wholesaled_on=wholesaled_on,
    )


@pytest.fixture
def history(world, plan):
    """A small constructed history: wholesales in the plan's markets and outside them."""
    sales = [
        ("SA", date(2025, 3, 10)),
        ("SA", date(2025, 3, 20)),
        ("SA", date(2025, 5, 2)),
        ("SA", date(2025, 5, 3)),
        ("SA", date(2025, 5, 31)),
        ("IQ", date(2025, 5, 15)),
        ("NG", date(2025, 6, 1)),  # a market of step two, sold early
        ("SA", date(2025, 6, 20)),  # after the as-of date below
        ("CN", date(2025, 4, 1)),  # not a market of the plan
    ]
    for number, (market, on) in enumerate(sales, start=1):
        _vehicle(world, number, market, on)
    _vehicle(world, 100, "SA", None)  # produced, never wholesaled
    _vehicle(world, 101, "SA", date(2025, 4, 1), brand="nezha")  # another brand
    services.plan_targets_set(
        actor=world.partner_admin,
        plan=plan,
        rows=[
            services.TargetInput(date(2025, 3, 1), "SA", 2),
            services.TargetInput(date(2025, 5, 1), "SA", 2),
            services.TargetInput(date(2025, 5, 1), "IQ", 2),
            services.TargetInput(date(2025, 5, 1), "OM", 1),
            services.TargetInput(date(2025, 9, 1), "OM", 4),
        ],
    )
    return plan


def test_the_memorandum_plan_is_entered_as_stated(world, plan):
    assert (plan.title, plan.starts_on, plan.ends_on, plan.cumulative_target, plan.status) == (
        "Three-Year, Three-Step",
        date(2025, 1, 1),
        date(2027, 12, 31),
        3000,
        PlanStatus.DRAFT,
    )
    assert plan.owner == world.jac
    assert plan.agreement == world.agreement
    phases = selectors.plan_phases(plan)
    assert [
        (p.number, p.starts_on, p.ends_on, sorted(c.code for c in p.markets.all()), p.target)
        for p in phases
    ] == [
        (1, date(2025, 1, 1), date(2025, 12, 31), ["IQ", "OM", "SA"], 500),
        (2, date(2026, 1, 1), date(2026, 12, 31), ["IQ", "NG", "OM", "SA"], 1000),
        (3, date(2027, 1, 1), date(2027, 12, 31), ["IQ", "NG", "OM", "SA"], 1500),
    ]
    milestone = services.plan_milestone_create(
        actor=world.partner_admin,
        plan=plan,
        data=services.MilestoneInput(
            title="First batch of sample vehicles procured", due_on=date(2025, 6, 30)
        ),
    )
    assert (milestone.owner, milestone.status) == (world.partner, MilestoneStatus.LATE)
    done = services.plan_milestone_complete(
        actor=world.partner_admin,
        milestone=milestone,
        completed_on=date(2025, 6, 18),
        evidence_note="Six samples received in Jeddah.",
    )
    assert (done.status, done.completed_on, done.evidence_note) == (
        MilestoneStatus.DONE,
        date(2025, 6, 18),
        "Six samples received in Jeddah.",
    )
    assert list(
        AuditEvent.objects.filter(action__startswith="sales_plan")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["sales_plan.create", "sales_plan.phases"]


def test_plan_against_actual_sales(world, history):
    progress = selectors.plan_progress(
        actor=world.jac_viewer, plan=history, as_of=date(2025, 6, 15)
    )
    assert (progress.actual, progress.target_to_date, progress.gap) == (7, 7, 2993)
    assert progress.attainment == Decimal("0.2")
    # 7 units in 166 of 1,095 days: at this pace, 46 by the end of 2027.
    assert (progress.elapsed_days, progress.total_days, progress.projection) == (166, 1095, 46)
    months = {line.key: line for line in progress.months}
    assert len(progress.months) == 36
    assert [
        (
            key,
            months[key].target,
            months[key].actual,
            months[key].cumulative_target,
            months[key].cumulative_actual,
        )
        for key in ("2025-03", "2025-04", "2025-05", "2025-06", "2025-09")
    ] == [
        ("2025-03", 2, 2, 2, 2),
        ("2025-04", 0, 0, 2, 2),
        ("2025-05", 5, 4, 7, 6),
        ("2025-06", 0, 1, 7, 7),
        ("2025-09", 4, 0, 11, 7),
    ]
    assert [(line.key, line.target, line.actual, line.gap) for line in progress.phases] == [
        ("1", 500, 6, 494),
        ("2", 1000, 0, 1000),
        ("3", 1500, 0, 1500),
    ]
    # Targets to date (through June) against actual to date, most behind first.
    assert [(line.key, line.target, line.actual, line.gap) for line in progress.markets] == [
        ("IQ", 2, 1, 1),
        ("OM", 1, 0, 1),
        ("NG", 0, 1, -1),
        ("SA", 4, 5, -1),
    ]
    assert [line.key for line in progress.markets_behind] == ["IQ", "OM"]
    assert [(line.label, line.target, line.actual) for line in progress.product_lines] == [
        ("All product lines", 11, 0),
        ("T8", 0, 7),
    ]
    assert progress.differences == [
        "Monthly targets add up to 11; the plan's cumulative target is 3000.",
        "Step 1: monthly targets add up to 11; its target is 500.",
        "Step 2: monthly targets add up to 0; its target is 1000.",
        "Step 3: monthly targets add up to 0; its target is 1500.",
    ]


def test_a_partner_counts_only_the_vehicles_it_may_see(world, history):
    # Zhongjiang's grant covers SA, IQ, OM and NG: the same seven units.
    assert (
        selectors.plan_progress(
            actor=world.partner_viewer, plan=history, as_of=date(2025, 6, 15)
        ).actual
        == 7
    )
    # A plan at its end projects what it reached.
    assert (
        selectors.plan_progress(
            actor=world.jac_viewer, plan=history, as_of=date(2028, 3, 1)
        ).projection
        == 8
    )


def test_a_milestone_closes_itself_when_its_condition_holds(world, plan):
    milestone = services.plan_milestone_create(
        actor=world.jac_staff,
        plan=plan,
        data=services.MilestoneInput(
            title="First batch of sample vehicles procured",
            due_on=date(2099, 6, 30),
            condition=MilestoneCondition.ORDER_CONFIRMED,
            condition_market="SA",
            condition_units=3,
        ),
    )
    assert milestone.status == MilestoneStatus.OPEN
    order = ExportOrder.objects.create(
        number="EO-SAMPLES",
        brand=world.jac_brand,
        seller=world.jac,
        buyer=world.partner,
        destination_id="SA",
        incoterm=Incoterm.CIF,
        currency="USD",
        payment_terms=PaymentTerms.TT,
    )
    line = ExportOrderLine.objects.create(
        order=order, variant=world.jac_variant, quantity=2, unit_price=Decimal("18000")
    )
    order.status, order.confirmed_on = OrderStatus.CONFIRMED, date(2025, 6, 10)
    order.save()
    assert services.plan_milestones_check(plan=plan) == 0  # two units are not three
    line.quantity = 3
    line.save()
    assert services.plan_milestones_check(plan=plan) == 1
    milestone.refresh_from_db()
    assert (milestone.status, milestone.completed_on, milestone.evidence_order) == (
        MilestoneStatus.DONE,
        date(2025, 6, 10),
        order,
    )
    event = AuditEvent.objects.get(action="plan_milestone.condition_met")
    assert event.actor is None
    assert event.changes == {
        "status": ["open", "done"],
        "completed_on": "2025-06-10",
        "evidence_order": order.pk,
    }


def test_a_units_milestone_closes_on_the_day_the_units_were_reached(world, history):
    milestone = services.plan_milestone_create(
        actor=world.jac_staff,
        plan=history,
        data=services.MilestoneInput(
            title="Five units in Saudi Arabia",
            due_on=date(2025, 12, 31),
            condition=MilestoneCondition.UNITS_SOLD,
            condition_market="SA",
            condition_units=5,
        ),
    )
    assert (milestone.status, milestone.completed_on) == (MilestoneStatus.DONE, date(2025, 5, 31))


def test_an_order_confirmed_through_the_service_queues_the_check(
    world, plan, django_capture_on_commit_callbacks
):
    from seabridge.trade.services import export_order_transition

    services.plan_milestone_create(
        actor=world.jac_staff,
        plan=plan,
        data=services.MilestoneInput(
            title="Samples ordered",
            due_on=date(2099, 1, 1),
            condition=MilestoneCondition.ORDER_CONFIRMED,
            condition_units=1,
        ),
    )
    order = ExportOrder.objects.create(
        number="EO-1",
        brand=world.jac_brand,
        seller=world.jac,
        buyer=world.partner,
        destination_id="IQ",
        incoterm=Incoterm.FOB,
        currency="USD",
        payment_terms=PaymentTerms.TT,
    )
    ExportOrderLine.objects.create(
        order=order, variant=world.jac_variant, quantity=1, unit_price=Decimal("1")
    )
    with django_capture_on_commit_callbacks(execute=True):
        export_order_transition(
            actor=world.jac_manager, order=order, to=OrderStatus.CONFIRMED, on=date(2025, 5, 5)
        )
    assert PlanMilestone.objects.get(plan=plan).completed_on == date(2025, 5, 5)


def _refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        call(**kwargs)
    return caught.value.fields


def test_bad_steps_are_refused_naming_each_fault_and_nothing_changes(world, plan):
    def phases(*items):
        return _refused(services.plan_phases_set, actor=world.jac_staff, plan=plan, phases=items)

    P = services.PhaseInput  # noqa: N806 - reads as the constructor
    assert phases(
        P(1, "One", date(2025, 1, 1), date(2025, 12, 31), ["SA"], 1),
        P(2, "Two", date(2025, 12, 1), date(2026, 6, 30), ["SA"], 1),
    ) == {"phases": ["Steps 1 and 2 overlap."]}
    assert phases(P(1, "One", date(2024, 6, 1), date(2025, 6, 30), ["SA"], 1)) == {
        "phases.0.starts_on": ["Step 1 lies outside the plan (2025-01-01 to 2027-12-31)."]
    }
    assert phases(P(1, "One", date(2025, 1, 1), date(2025, 6, 30), ["SA"], -5)) == {
        "phases.0.target": ["A target cannot be negative."]
    }
    assert phases(P(1, "One", date(2025, 1, 1), date(2025, 6, 30), ["SA", "TH", "XX"], 5)) == {
        "phases.0.markets": [
            "The agreement does not cover TH for JAC sales.",
            "XX is not a country.",
        ]
    }
    assert PlanPhase.objects.filter(plan=plan).count() == 3


def test_bad_targets_are_refused_naming_the_row_and_nothing_is_written(world, plan):
    T = services.TargetInput  # noqa: N806 - reads as the constructor
    fields = _refused(
        services.plan_targets_set,
        actor=world.jac_staff,
        plan=plan,
        rows=[
            T(date(2025, 2, 1), "SA", 5),
            T(date(2025, 2, 1), "SA", -1),
            T(date(2025, 2, 1), "NG", 1),
            T(date(2028, 1, 1), "SA", 1),
        ],
    )
    assert fields == {
        "rows.1.units": ["Row 2: a target cannot be negative."],
        "rows.1": ["Row 2 repeats 2025-02 SA."],
        "rows.2.market": ["Row 3: NG is not a market of the step covering 2025-02."],
        "rows.3.month": ["Row 4: 2028-01 is outside the plan."],
    }
    assert Target.objects.count() == 0


def test_targets_are_idempotent_by_business_key(world, plan):
    rows = [services.TargetInput(date(2025, 2, 14), "SA", 5)]
    first = services.plan_targets_set(actor=world.jac_staff, plan=plan, rows=rows)
    again = services.plan_targets_set(actor=world.jac_staff, plan=plan, rows=rows)
    changed = services.plan_targets_set(
        actor=world.jac_staff, plan=plan, rows=[services.TargetInput(date(2025, 2, 1), "SA", 6)]
    )
    assert (first, again, changed) == (
        services.TargetsResult(created=1, updated=0, unchanged=0),
        services.TargetsResult(created=0, updated=0, unchanged=1),
        services.TargetsResult(created=0, updated=1, unchanged=0),
    )
    assert list(Target.objects.values_list("month", "market_id", "units")) == [
        (date(2025, 2, 1), "SA", 6)
    ]


def test_bad_plans_are_refused(world):
    data = services.PlanInput(
        title=" ", starts_on=date(2025, 1, 1), ends_on=date(2024, 1, 1), cumulative_target=-1
    )
    assert _refused(
        services.sales_plan_create, actor=world.partner_admin, brand=world.jac_brand, data=data
    ) == {
        "title": ["Give the plan a title."],
        "ends_on": ["The plan ends before it starts."],
        "cumulative_target": ["A target cannot be negative."],
        "brand_id": ["Only JAC plans JAC without an agreement."],
    }
    assert SalesPlan.objects.count() == 0


def test_who_sees_and_changes_a_plan(world, plan):
    from seabridge.core.scope import Action, Area, restrict
    from seabridge.core.tests.world import grant

    # The dealer holds a grant of JAC in Saudi Arabia but is no party to the plan.
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    visible = {
        name: restrict(getattr(world, name), SalesPlan.objects.all()).count()
        for name in ("jac_viewer", "partner_viewer", "nezha_admin", "dealer_admin")
    }
    assert visible == {"jac_viewer": 1, "partner_viewer": 1, "nezha_admin": 0, "dealer_admin": 0}
    assert restrict(world.partner_admin, SalesPlan.objects.all(), Action.CHANGE).count() == 1
    rows = [services.TargetInput(date(2025, 2, 1), "SA", 5)]
    with pytest.raises(NotFound):
        services.plan_targets_set(actor=world.nezha_admin, plan=plan, rows=rows)
    with pytest.raises(Forbidden):
        services.plan_targets_set(actor=world.partner_viewer, plan=plan, rows=rows)
    assert Target.objects.count() == 0


def test_a_plan_serving_an_agreement_needs_both_parties_approval(world, plan):
    with pytest.raises(Forbidden):
        services.sales_plan_approve(actor=world.jac_staff, plan=plan)
    plan = services.sales_plan_approve(actor=world.jac_manager, plan=plan)
    assert plan.status == PlanStatus.DRAFT
    with pytest.raises(Conflict) as caught:
        services.sales_plan_approve(actor=world.jac_admin, plan=plan)
    assert caught.value.message == "JAC has already approved this plan."
    plan = services.sales_plan_approve(actor=world.partner_admin, plan=plan)
    assert plan.status == PlanStatus.APPROVED
    plan = services.sales_plan_transition(actor=world.jac_manager, plan=plan, to=PlanStatus.ACTIVE)
    assert plan.status == PlanStatus.ACTIVE
    with pytest.raises(Conflict) as caught:
        services.sales_plan_transition(actor=world.jac_manager, plan=plan, to=PlanStatus.DRAFT)
    assert caught.value.message == "A plan that is active cannot become draft."
    assert SalesPlan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
    with pytest.raises(ValidationFailed) as refused:
        services.sales_plan_update(
            actor=world.jac_staff,
            plan=plan,
            data=services.PlanInput(
                title="Renamed",
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
                cumulative_target=4000,
            ),
        )
    assert refused.value.fields == {
        "cumulative_target": ["Only a draft plan's period, measure and target change."]
    }
    assert SalesPlan.objects.get(pk=plan.pk).title == "Three-Year, Three-Step"


def test_the_market_shortlist_shows_each_factor(world, plan):
    from seabridge.markets.models import MarketProfile

    MarketProfile.objects.filter(country_id="TH").update(
        is_resource_rich=True, import_duty_pickup_pct=Decimal("40")
    )
    _vehicle(world, 1, "TH", date(2025, 2, 1))
    candidates = selectors.market_shortlist(actor=world.jac_viewer, plan=plan)
    assert [
        (c.code, [(f.name, f.value, f.points) for f in c.factors], c.score) for c in candidates
    ] == [
        (
            "TH",
            [
                ("resource_rich", "yes", Decimal(25)),
                ("low_duty", "40.00 %", Decimal("4.0")),
                ("drive_side_fit", "RHD", Decimal(0)),
                ("agreement_covers", "no", Decimal(0)),
                ("units_sold", "1", Decimal("15.0")),
            ],
            Decimal("44.0"),
        ),
        (
            "CN",
            [
                ("resource_rich", "no", Decimal(0)),
                ("low_duty", "?", Decimal(0)),
                ("drive_side_fit", "LHD", Decimal(20)),
                ("agreement_covers", "no", Decimal(0)),
                ("units_sold", "0", Decimal("0.0")),
            ],
            Decimal(20),
        ),
    ]
    services.sales_plan_set_weights(actor=world.jac_staff, plan=plan, weights={"units_sold": 0})
    plan.refresh_from_db()
    assert selectors.market_shortlist(actor=world.jac_viewer, plan=plan)[0].score == Decimal("29.0")


def test_a_plan_for_an_agreement_is_created_through_the_api(client, world):
    response = client.post(
        "/api/v1/planning/plans",
        {
            "brand_id": world.jac_brand.pk,
            "agreement_id": world.agreement.pk,
            "title": "Gulf",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "cumulative_target": 400,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for('partner_admin')}"},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["agreement_id"], body["owner_id"], body["status"]) == (
        world.agreement.pk,
        world.partner.pk,
        "draft",
    )
    unknown = client.post(
        "/api/v1/planning/plans",
        {
            "brand_id": world.jac_brand.pk,
            "agreement_id": 999_999,
            "title": "Gulf",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "cumulative_target": 400,
        },
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token_for('partner_admin')}"},
    )
    assert unknown.json()["error"]["fields"] == {"agreement_id": ["There is no such agreement."]}
    assert SalesPlan.objects.count() == 1
