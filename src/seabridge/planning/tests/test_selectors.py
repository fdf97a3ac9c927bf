"""Planning's reads that decide what a page offers: what a new plan may be for (only what
the scope shows: no foreign organisation's agreement or brand), who may approve and move
a plan, its approvals and parties, and which milestone evidence may be opened."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from seabridge.core.scope import Area
from seabridge.core.tests.world import grant
from seabridge.planning import selectors, services
from seabridge.planning.choices import PlanStatus
from seabridge.planning.models import PlanApproval, SalesPlan
from seabridge.trade.services import LineInput, export_order_create

pytestmark = pytest.mark.django_db


def offered(actor) -> tuple[list[str], list[str]]:
    """The titles of the agreements and the names of the brands a new plan may be for."""
    return (
        [agreement.title for agreement in selectors.plannable_agreements(actor)],
        [brand.name for brand in selectors.plannable_brands(actor)],
    )


# --- what a new plan may be for ------------------------------------------------------------


def test_each_organisation_is_offered_only_its_own_agreements_and_brands(world):
    """JAC granted Zhongjiang JAC for sales (the fixture); Nezha grants Zhongjiang Nezha
    for sales too, and JAC grants Riyadh Motors JAC for after-sales only."""
    grant(
        by=world.nezha_admin,
        to=world.partner,
        brands=[world.nezha_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.AFTER_SALES],
    )
    assert offered(world.jac_staff) == (["JAC to Zhongjiang"], ["JAC"])
    assert offered(world.nezha_admin) == (["Nezha to Zhongjiang"], ["Nezha"])
    assert offered(world.partner_admin) == (
        ["JAC to Zhongjiang", "Nezha to Zhongjiang"],
        ["JAC", "Nezha"],
    )
    # An after-sales grant is no agreement to plan sales under, and gives no brand to plan.
    assert offered(world.dealer_admin) == ([], [])


def test_a_brand_no_grant_in_force_shows_is_never_offered(world):
    """A draft agreement names Nezha for Zhongjiang; until it is in force, the scope does
    not show Zhongjiang the brand, so a plan cannot be drafted for it (the page used to
    offer it, reading brands beside the scope)."""
    grant(
        by=world.nezha_admin,
        to=world.partner,
        brands=[world.nezha_brand],
        countries=["SA"],
        areas=[Area.SALES],
        activate=False,
    )
    assert offered(world.partner_admin) == (
        ["JAC to Zhongjiang", "Nezha to Zhongjiang"],
        ["JAC"],
    )
    assert offered(world.jac_staff) == (["JAC to Zhongjiang"], ["JAC"])


def test_a_person_acting_for_no_grant_is_offered_nothing_foreign(world):
    assert offered(world.dealer_admin) == ([], [])
    assert offered(world.nezha_viewer) == ([], ["Nezha"])


def test_the_list_filter_offers_the_brands_of_the_plans_the_actor_sees(world, plan):
    services.sales_plan_create(
        actor=world.nezha_admin,
        brand=world.nezha_brand,
        data=services.PlanInput("Nezha at home", date(2026, 1, 1), date(2026, 12, 31), 10),
    )
    brands = {
        name: [
            brand.name
            for brand in selectors.plan_list_brands(selectors.plan_list(actor=getattr(world, name)))
        ]
        for name in ("jac_viewer", "partner_viewer", "nezha_viewer", "dealer_admin")
    }
    assert brands == {
        "jac_viewer": ["JAC"],
        "partner_viewer": ["JAC"],
        "nezha_viewer": ["Nezha"],
        "dealer_admin": [],
    }


# --- who may do what on a plan -------------------------------------------------------------


def permissions(world, plan: SalesPlan) -> dict[str, tuple]:
    """(may change, may manage, may approve, transitions) for each person who may look."""
    answers = {}
    for name in ("jac_viewer", "jac_staff", "jac_manager", "partner_viewer", "partner_admin"):
        found = SalesPlan.objects.select_related("brand", "agreement").get(pk=plan.pk)
        selectors.plan_approvals(found)
        allowed = selectors.plan_permissions(actor=getattr(world, name), plan=found)
        answers[name] = (
            allowed.may_change,
            allowed.may_manage,
            allowed.may_approve,
            [str(status) for status in allowed.transitions],
        )
    return answers


def test_a_manager_of_each_party_approves_a_draft_once(world, plan):
    assert permissions(world, plan) == {
        "jac_viewer": (False, False, False, []),
        "jac_staff": (True, False, False, []),
        "jac_manager": (True, True, True, []),
        "partner_viewer": (False, False, False, []),
        "partner_admin": (True, True, True, []),
    }
    services.sales_plan_approve(actor=world.jac_manager, plan=plan)
    answers = permissions(world, plan)
    assert answers["jac_manager"] == (True, True, False, [])  # JAC has approved
    assert answers["partner_admin"] == (True, True, True, [])
    plan = services.sales_plan_approve(actor=world.partner_admin, plan=plan)
    assert plan.status == PlanStatus.APPROVED
    answers = permissions(world, plan)
    assert answers["jac_manager"] == (True, True, False, ["draft", "active"])
    assert answers["jac_staff"] == (True, False, False, [])


def test_a_closed_plan_takes_no_change_and_no_move(world, plan):
    SalesPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.CLOSED)
    assert permissions(world, plan) == {
        "jac_viewer": (False, False, False, []),
        "jac_staff": (False, False, False, []),
        "jac_manager": (False, True, False, []),
        "partner_viewer": (False, False, False, []),
        "partner_admin": (False, True, False, []),
    }


def test_a_foreign_maker_may_do_nothing(world, plan):
    allowed = selectors.plan_permissions(actor=world.nezha_admin, plan=plan)
    assert allowed == selectors.PlanPermissions(False, False, False, [])
    assert selectors.plan_permissions(actor=None, plan=plan) == allowed


def test_the_model_says_whose_approval_a_draft_awaits(world, plan):
    assert [plan.awaits_approval_of(org.pk) for org in (world.jac, world.partner)] == [True, True]
    assert plan.awaits_approval_of(world.nezha.pk) is False  # not a party
    PlanApproval.objects.create(
        plan=plan, organization=world.jac, approved_by=world.jac_manager.user
    )
    fresh = SalesPlan.objects.get(pk=plan.pk)
    assert [fresh.awaits_approval_of(org.pk) for org in (world.jac, world.partner)] == [
        False,
        True,
    ]
    fresh.status = PlanStatus.ACTIVE
    assert fresh.awaits_approval_of(world.partner.pk) is False
    assert [
        (status, SalesPlan(status=status).manual_transitions()) for status in PlanStatus.values
    ] == [
        ("draft", []),
        ("approved", ["draft", "active"]),
        ("active", ["closed"]),
        ("closed", []),
    ]


def test_approvals_and_the_parties_still_awaited(world, plan):
    own = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        data=services.PlanInput("JAC at home", date(2026, 1, 1), date(2026, 12, 31), 10),
    )
    assert [party.short_name for party in selectors.plan_parties(plan)] == ["JAC", "Zhongjiang"]
    assert [party.short_name for party in selectors.plan_parties(own)] == ["JAC"]
    services.sales_plan_approve(actor=world.partner_admin, plan=plan)
    approvals = selectors.plan_approvals(plan)
    assert [
        (approval.organization.short_name, approval.approved_by.username)
        for approval in approvals.approvals
    ] == [("Zhongjiang", "partner_admin")]
    assert [party.short_name for party in approvals.awaiting] == ["JAC"]


# --- milestones ----------------------------------------------------------------------------


def test_milestone_evidence_is_linked_only_for_those_who_see_it(world, plan):
    """JAC's order to Riyadh Motors in Thailand is evidence of a milestone: JAC sees the
    order, Zhongjiang (a party to the plan, neither party to the order nor granted
    Thailand) does not."""
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["TH"],
        areas=[Area.SALES],
    )
    order = export_order_create(
        actor=world.jac_staff,
        number="EO-2025-001",
        brand=world.jac_brand,
        buyer=world.dealer,
        destination="TH",
        incoterm="CIF",
        currency="USD",
        payment_terms="tt",
        lines=[LineInput(variant_id=world.jac_variant.pk, quantity=2, unit_price=Decimal(1))],
    )
    milestone = services.plan_milestone_create(
        actor=world.jac_staff,
        plan=plan,
        data=services.MilestoneInput(title="First order", due_on=date(2099, 1, 31)),
    )
    services.plan_milestone_complete(
        actor=world.jac_staff,
        milestone=milestone,
        completed_on=date(2025, 4, 30),
        evidence_order=order,
    )
    for name, orders in (("jac_viewer", {order.pk}), ("partner_viewer", set())):
        found = selectors.plan_milestones(actor=getattr(world, name), plan=plan)
        assert [item.title for item in found.milestones] == ["First order"], name
        assert (found.visible_orders, found.visible_shipments) == (orders, set()), name
    foreign = selectors.plan_milestones(actor=world.nezha_admin, plan=plan)
    assert (foreign.milestones, foreign.visible_orders) == ([], set())
