"""The planning app's rows in the authorization matrix (see core/tests/authorization.py).

The world gets a JAC draft plan serving the memorandum under test (grantee
Zhongjiang), with one step in Saudi Arabia and Iraq and one milestone. Zhongjiang
is a party to the plan: its viewer reads it, its admin works on it and approves
it; Nezha, a foreign maker, does not know it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from seabridge.accounts.choices import Role
from seabridge.core.tests.authorization import Access, Policy
from seabridge.core.tests.world import World
from seabridge.markets.models import Country
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan

PARTNER_SEES = {"partner_viewer": 200, "partner_admin": 200}
PARTNER_WRITES = {"partner_viewer": 403, "partner_admin": 200}
PARTNER_CREATES = {"partner_viewer": 403, "partner_admin": 201}
PARTNER_WRITES_PAGE = {"partner_viewer": 403, "partner_admin": 302}


def plan_of(world: World) -> SalesPlan:
    return world.__dict__["planning_plan"]


def milestone_of(world: World) -> PlanMilestone:
    return world.__dict__["planning_milestone"]


def extend_world(world: World) -> None:
    """Add JAC's plan under the memorandum, with a step and a milestone."""
    plan = SalesPlan.objects.create(
        brand=world.jac_brand,
        agreement=world.agreement,
        title="Three-Year, Three-Step",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        cumulative_target=3000,
        owner=world.jac,
    )
    phase = PlanPhase.objects.create(
        plan=plan,
        number=1,
        name="Three emerging markets",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
        target=500,
    )
    phase.markets.set(Country.objects.filter(code__in=["SA", "IQ"]))
    milestone = PlanMilestone.objects.create(
        plan=plan,
        title="First batch of sample vehicles procured",
        due_on=date(2099, 6, 30),
        owner=world.partner,
    )
    world.__dict__.update(planning_plan=plan, planning_milestone=milestone)


def approve_both(world: World) -> None:
    from seabridge.planning.services import sales_plan_approve

    sales_plan_approve(actor=world.jac_manager, plan=plan_of(world))
    sales_plan_approve(actor=world.partner_admin, plan=plan_of(world))


def attach_evidence(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from seabridge.planning.services import plan_milestone_complete

    plan_milestone_complete(
        actor=world.jac_staff,
        milestone=milestone_of(world),
        completed_on=date(2025, 6, 18),
        evidence_document=SimpleUploadedFile("samples.pdf", b"%PDF-1.7", "application/pdf"),
    )


def _plan_body(world: World) -> dict[str, Any]:
    return {
        "brand_id": world.jac_brand.pk,
        "title": "Gulf plan",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
        "cumulative_target": 400,
    }


def _phases_body(world: World) -> dict[str, Any]:
    return {
        "phases": [
            {
                "number": 1,
                "name": "Gulf",
                "starts_on": "2025-01-01",
                "ends_on": "2025-12-31",
                "markets": ["SA", "IQ"],
                "target": 600,
            }
        ]
    }


PARAMETERS: dict[str, Callable[[World], Any]] = {
    "plan_id": lambda world: plan_of(world).pk,
    "milestone_id": lambda world: milestone_of(world).pk,
}
PAGE_PARAMETERS: dict[str, Callable[[World], Any]] = {}

API: dict[str, Policy] = {
    "GET /api/v1/planning/plans": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {plan_of(world).pk}, expect=PARTNER_SEES
    ),
    # Only the brand owner plans without an agreement: the partner's admin gets a 422 naming
    # the brand; Nezha does not see the JAC brand (a 422 naming it).
    "POST /api/v1/planning/plans": Policy(
        Access.MEMBER,
        role=Role.STAFF,
        success=201,
        body=_plan_body,
        expect={"lonely": 403, "nezha_admin": 422, "partner_admin": 422},
    ),
    "GET /api/v1/planning/plans/{plan_id}": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/planning/plans/{plan_id}": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"title": "Three steps to 3,000", "notes": "Markets illustrative."},
        expect=PARTNER_WRITES,
    ),
    "POST /api/v1/planning/plans/{plan_id}/approve": Policy(
        Access.SCOPED, role=Role.MANAGER, expect=PARTNER_WRITES
    ),
    "POST /api/v1/planning/plans/{plan_id}/transition": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        body=lambda world: {"status": "active"},
        setup=approve_both,
        expect=PARTNER_WRITES,
    ),
    "PUT /api/v1/planning/plans/{plan_id}/phases": Policy(
        Access.SCOPED, role=Role.STAFF, body=_phases_body, expect=PARTNER_WRITES
    ),
    "POST /api/v1/planning/plans/{plan_id}/targets": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"rows": [{"month": "2025-05-01", "market": "SA", "units": 5}]},
        expect=PARTNER_WRITES,
    ),
    "GET /api/v1/planning/plans/{plan_id}/progress": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "GET /api/v1/planning/plans/{plan_id}/shortlist": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "PATCH /api/v1/planning/plans/{plan_id}/shortlist-weights": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"units_sold": 10},
        expect=PARTNER_WRITES,
    ),
    "GET /api/v1/planning/plans/{plan_id}/milestones": Policy(Access.SCOPED, expect=PARTNER_SEES),
    "POST /api/v1/planning/plans/{plan_id}/milestones": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        success=201,
        body=lambda world: {"title": "Service network in Riyadh", "due_on": "2099-01-01"},
        expect=PARTNER_CREATES,
    ),
    "POST /api/v1/planning/plans/{plan_id}/milestones/{milestone_id}/complete": Policy(
        Access.SCOPED,
        role=Role.STAFF,
        body=lambda world: {"completed_on": "2025-06-18", "evidence_note": "Samples in Jeddah."},
        expect=PARTNER_WRITES,
    ),
    "POST /api/v1/planning/plans/{plan_id}/milestones/{milestone_id}/drop": Policy(
        Access.SCOPED, role=Role.MANAGER, expect=PARTNER_WRITES
    ),
}


def _plan_pk(world: World) -> dict[str, Any]:
    return {"pk": plan_of(world).pk}


def _milestone_pk(world: World) -> dict[str, Any]:
    return {"pk": plan_of(world).pk, "milestone_id": milestone_of(world).pk}


PAGES: dict[str, Policy] = {
    "GET planning:plan-list": Policy(
        Access.SCOPED_LIST, own_ids=lambda world: {"Three-Year, Three-Step"}, expect=PARTNER_SEES
    ),
    # Downloads: their rows are checked in planning/tests/test_exports.py.
    "GET planning:plan-export": Policy(Access.SCOPED_LIST, params=lambda world: {"format": "csv"}),
    "GET planning:plan-progress-export": Policy(
        Access.SCOPED,
        params=lambda world: {"pk": plan_of(world).pk, "format": "xlsx"},
        expect=PARTNER_SEES,
    ),
    "GET planning:plan-create": Policy(Access.MEMBER, role=Role.STAFF, expect={"lonely": 403}),
    "GET planning:plan-detail": Policy(Access.SCOPED, params=_plan_pk, expect=PARTNER_SEES),
    "GET planning:plan-edit": Policy(
        Access.SCOPED, role=Role.STAFF, params=_plan_pk, expect=PARTNER_WRITES
    ),
    "POST planning:plan-approve": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        success=302,
        format="form",
        params=_plan_pk,
        body=lambda world: {},
        expect=PARTNER_WRITES_PAGE,
    ),
    "POST planning:plan-transition": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        success=302,
        format="form",
        params=_plan_pk,
        setup=approve_both,
        body=lambda world: {"status": "active"},
        expect=PARTNER_WRITES_PAGE,
    ),
    "GET planning:plan-phases": Policy(
        Access.SCOPED, role=Role.STAFF, params=_plan_pk, expect=PARTNER_WRITES
    ),
    "GET planning:plan-targets": Policy(Access.SCOPED, params=_plan_pk, expect=PARTNER_SEES),
    "GET planning:plan-shortlist": Policy(Access.SCOPED, params=_plan_pk, expect=PARTNER_SEES),
    "GET planning:milestone-create": Policy(
        Access.SCOPED, role=Role.STAFF, params=_plan_pk, expect=PARTNER_WRITES
    ),
    "GET planning:milestone-complete": Policy(
        Access.SCOPED, role=Role.STAFF, params=_milestone_pk, expect=PARTNER_WRITES
    ),
    "GET planning:milestone-document": Policy(
        Access.SCOPED, params=_milestone_pk, setup=attach_evidence, expect=PARTNER_SEES
    ),
    "POST planning:milestone-drop": Policy(
        Access.SCOPED,
        role=Role.MANAGER,
        success=302,
        format="form",
        params=_milestone_pk,
        body=lambda world: {},
        expect=PARTNER_WRITES_PAGE,
    ),
}
