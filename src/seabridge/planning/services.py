"""Writes of planning: plans and their approval, steps, monthly targets, milestones.

Every write checks the actor against the plan through the scope module, refuses
bad input with the fields (or rows) at fault before anything is written, and
records an audit event in the same transaction.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.choices import Role
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.catalog.models import Brand, ProductLine
from seabridge.core.errors import Conflict, FieldErrors, Forbidden, NotFound
from seabridge.core.periods import month_end
from seabridge.core.scope import Action, Actor, Area, require, require_actor
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.models import Country
from seabridge.planning.choices import (
    DEFAULT_SHORTLIST_WEIGHTS,
    PLAN_TRANSITIONS,
    Measure,
    MilestoneCondition,
    MilestoneStatus,
    PlanStatus,
)
from seabridge.planning.models import (
    PlanApproval,
    PlanMilestone,
    PlanPhase,
    SalesPlan,
    Target,
)
from seabridge.trade.choices import OrderStatus
from seabridge.trade.models import ExportOrder, ExportOrderLine, Shipment

MAX_TARGET_ROWS = 5000
# Orders that count as confirmed for a milestone condition.
CONFIRMED_ORDER_STATES = frozenset(
    {
        OrderStatus.CONFIRMED,
        OrderStatus.IN_PRODUCTION,
        OrderStatus.SHIPPED,
        OrderStatus.DELIVERED,
        OrderStatus.CLOSED,
    }
)


def agreement_markets(agreement: Agreement, brand: Brand) -> set[str]:
    """Countries where ``agreement`` grants ``brand`` for sales."""
    return set(
        AgreementScopeEntry.objects.filter(
            agreement=agreement, brand=brand, area=Area.SALES
        ).values_list("country_id", flat=True)
    )


def _lock(plan: SalesPlan) -> SalesPlan:
    return SalesPlan.objects.select_for_update(of=("self",)).get(pk=plan.pk)


def _require_open(plan: SalesPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(_("The plan %(title)s is closed.") % {"title": plan.title})


# --- plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInput:
    """A plan's own facts as people enter them."""

    title: str
    starts_on: date
    ends_on: date
    cumulative_target: int
    measure: str = Measure.WHOLESALE
    notes: str = ""


def _check_plan(errors: FieldErrors, data: PlanInput) -> None:
    if not data.title.strip():
        errors.add("title", _("Give the plan a title."))
    if data.ends_on <= data.starts_on:
        errors.add("ends_on", _("The plan ends before it starts."))
    if data.cumulative_target < 0:
        errors.add("cumulative_target", _("A target cannot be negative."))
    if data.measure not in Measure.values:
        errors.add("measure", _("%(value)s is not a measure.") % {"value": data.measure})


@transaction.atomic
def sales_plan_create(
    *,
    actor: Actor | None,
    brand: Brand,
    data: PlanInput,
    agreement: Agreement | None = None,
) -> SalesPlan:
    """Draft a plan for ``brand``: by its owner, or by either party of ``agreement``.

    An agreement must be one the brand's owner granted (directly or under a sub-grant)
    covering the brand for sales.
    """
    actor = require_actor(actor)
    errors = FieldErrors()
    _check_plan(errors, data)
    is_owner = brand.owner_id == actor.organization_id
    if agreement is not None:
        if actor.organization_id not in (agreement.grantor_id, agreement.grantee_id):
            raise NotFound()
        if not agreement_markets(agreement, brand):
            errors.add(
                "agreement_id",
                _("The agreement does not grant %(brand)s for sales.") % {"brand": brand},
            )
    elif not is_owner:
        errors.add(
            "brand_id",
            _("Only %(owner)s plans %(brand)s without an agreement.")
            % {"owner": brand.owner, "brand": brand},
        )
    errors.raise_if_any()
    plan = SalesPlan.objects.create(
        brand=brand,
        agreement=agreement,
        title=data.title.strip(),
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        measure=data.measure,
        cumulative_target=data.cumulative_target,
        owner=actor.organization,
        notes=data.notes.strip(),
    )
    audit_record(
        actor=actor.user,
        action="sales_plan.create",
        obj=plan,
        changes={
            "brand": brand.pk,
            "agreement": agreement.pk if agreement else None,
            "starts_on": plan.starts_on,
            "ends_on": plan.ends_on,
            "cumulative_target": plan.cumulative_target,
            "measure": plan.measure,
        },
    )
    require(actor, plan, Action.CHANGE)
    return plan


@transaction.atomic
def sales_plan_update(*, actor: Actor | None, plan: SalesPlan, data: PlanInput) -> SalesPlan:
    """Change a plan's facts. Period, measure and target change only while it is a draft."""
    actor = require_actor(actor)
    require(actor, plan, Action.CHANGE)
    plan = _lock(plan)
    _require_open(plan)
    errors = FieldErrors()
    _check_plan(errors, data)
    before = {
        "title": plan.title,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "cumulative_target": plan.cumulative_target,
        "measure": plan.measure,
        "notes": plan.notes,
    }
    after = {
        "title": data.title.strip(),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "cumulative_target": data.cumulative_target,
        "measure": data.measure,
        "notes": data.notes.strip(),
    }
    if plan.status != PlanStatus.DRAFT:
        for name in ("starts_on", "ends_on", "cumulative_target", "measure"):
            if before[name] != after[name]:
                errors.add(name, _("Only a draft plan's period, measure and target change."))
    if not errors:
        outside = plan.phases.exclude(starts_on__gte=data.starts_on, ends_on__lte=data.ends_on)
        for phase in outside:
            errors.add(
                "ends_on",
                _("Step %(number)s (%(start)s to %(end)s) would lie outside the plan.")
                % {"number": phase.number, "start": phase.starts_on, "end": phase.ends_on},
            )
    errors.raise_if_any()
    changes = field_changes(before, after)
    for name, value in after.items():
        setattr(plan, name, value)
    plan.save()
    audit_record(actor=actor.user, action="sales_plan.update", obj=plan, changes=changes)
    return plan


@transaction.atomic
def sales_plan_approve(*, actor: Actor | None, plan: SalesPlan) -> SalesPlan:
    """Record the actor's organisation's approval; the plan is approved once every party
    has approved it. Needs a manager; a plan without steps cannot be approved."""
    actor = require_actor(actor, Role.MANAGER)
    require(actor, plan, Action.APPROVE)
    plan = _lock(plan)
    if plan.status != PlanStatus.DRAFT:
        raise Conflict(
            _("The plan is %(status)s; only a draft is approved.")
            % {"status": PlanStatus(plan.status).label.lower()}
        )
    parties = plan.party_ids
    if actor.organization_id not in parties:
        raise Forbidden(_("Only the parties to the plan approve it."))
    if not plan.phases.exists():
        raise Conflict(_("Add the plan's steps before approving it."))
    if plan.approvals.filter(organization_id=actor.organization_id).exists():
        raise Conflict(
            _("%(organization)s has already approved this plan.")
            % {"organization": actor.organization}
        )
    PlanApproval.objects.create(
        plan=plan, organization_id=actor.organization_id, approved_by=actor.user
    )
    approved = set(plan.approvals.values_list("organization_id", flat=True))
    changes: dict[str, Any] = {"organization": actor.organization_id}
    if approved >= set(parties):
        plan.status = PlanStatus.APPROVED
        plan.save(update_fields=["status", "updated_at"])
        changes["status"] = [PlanStatus.DRAFT, PlanStatus.APPROVED]
    audit_record(actor=actor.user, action="sales_plan.approve", obj=plan, changes=changes)
    return plan


@transaction.atomic
def sales_plan_transition(*, actor: Actor | None, plan: SalesPlan, to: str) -> SalesPlan:
    """Activate an approved plan, close an active one, or send an approved one back to
    draft (its approvals are withdrawn). A manager of a party does it."""
    actor = require_actor(actor, Role.MANAGER)
    require(actor, plan, Action.APPROVE)
    plan = _lock(plan)
    if to == PlanStatus.APPROVED:
        raise Conflict(_("A plan is approved by its parties' approvals, not set approved."))
    if to not in PLAN_TRANSITIONS.get(plan.status, frozenset()):
        raise Conflict(
            _("A plan that is %(from)s cannot become %(to)s.")
            % {
                "from": PlanStatus(plan.status).label.lower(),
                "to": PlanStatus(to).label.lower() if to in PlanStatus.values else to,
            }
        )
    before = plan.status
    if to == PlanStatus.DRAFT:
        plan.approvals.all().delete()
    plan.status = to
    plan.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor.user,
        action="sales_plan.transition",
        obj=plan,
        changes={"status": [before, to]},
    )
    return plan


@transaction.atomic
def sales_plan_set_weights(
    *, actor: Actor | None, plan: SalesPlan, weights: dict[str, int]
) -> SalesPlan:
    """Change how much each factor counts in the plan's market shortlist."""
    actor = require_actor(actor)
    require(actor, plan, Action.CHANGE)
    errors = FieldErrors()
    for name, value in weights.items():
        if name not in DEFAULT_SHORTLIST_WEIGHTS:
            errors.add(name, _("%(name)s is not a shortlist factor.") % {"name": name})
        elif not 0 <= value <= 100:
            errors.add(name, _("A weight is from 0 to 100."))
    errors.raise_if_any()
    plan = _lock(plan)
    before = plan.weights
    plan.shortlist_weights = {**before, **weights}
    plan.save(update_fields=["shortlist_weights", "updated_at"])
    audit_record(
        actor=actor.user,
        action="sales_plan.weights",
        obj=plan,
        changes={"weights": [before, plan.shortlist_weights]},
    )
    return plan


# --- steps ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseInput:
    """One step as people enter it."""

    number: int
    name: str
    starts_on: date
    ends_on: date
    markets: Sequence[str]
    target: int


@transaction.atomic
def plan_phases_set(
    *, actor: Actor | None, plan: SalesPlan, phases: Sequence[PhaseInput]
) -> list[PlanPhase]:
    """Replace the plan's steps with ``phases``, all or none.

    Steps lie inside the plan, do not overlap, have distinct numbers and
    non-negative targets; their markets exist and, for a plan serving an
    agreement, lie inside what the agreement grants.
    """
    actor = require_actor(actor)
    require(actor, plan, Action.CHANGE)
    plan = _lock(plan)
    _require_open(plan)
    errors = FieldErrors()
    if not phases:
        errors.add("phases", _("A plan has at least one step."))
    codes = {code.strip().upper() for phase in phases for code in phase.markets}
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    granted = agreement_markets(plan.agreement, plan.brand) if plan.agreement else None
    numbers: set[int] = set()
    for index, phase in enumerate(phases):
        prefix = f"phases.{index}"
        label = {"number": phase.number}
        if phase.number < 1 or phase.number in numbers:
            errors.add(f"{prefix}.number", _("Step numbers are 1, 2, 3… each once."))
        numbers.add(phase.number)
        if not phase.name.strip():
            errors.add(f"{prefix}.name", _("Give step %(number)s a name.") % label)
        if phase.target < 0:
            errors.add(f"{prefix}.target", _("A target cannot be negative."))
        if phase.ends_on < phase.starts_on:
            errors.add(f"{prefix}.ends_on", _("Step %(number)s ends before it starts.") % label)
        elif phase.starts_on < plan.starts_on or phase.ends_on > plan.ends_on:
            errors.add(
                f"{prefix}.starts_on",
                _("Step %(number)s lies outside the plan (%(start)s to %(end)s).")
                % {**label, "start": plan.starts_on, "end": plan.ends_on},
            )
        markets = [code.strip().upper() for code in phase.markets]
        if not markets:
            errors.add(f"{prefix}.markets", _("Step %(number)s needs a market.") % label)
        for code in markets:
            if code not in known:
                errors.add(f"{prefix}.markets", _("%(code)s is not a country.") % {"code": code})
            elif granted is not None and code not in granted:
                errors.add(
                    f"{prefix}.markets",
                    _("The agreement does not cover %(code)s for %(brand)s sales.")
                    % {"code": code, "brand": plan.brand},
                )
    ordered = sorted(phases, key=lambda phase: phase.starts_on)
    for earlier, later in itertools.pairwise(ordered):
        if later.starts_on <= earlier.ends_on:
            errors.add(
                "phases",
                _("Steps %(first)s and %(second)s overlap.")
                % {"first": earlier.number, "second": later.number},
            )
    errors.raise_if_any()
    plan.phases.all().delete()
    created = PlanPhase.objects.bulk_create(
        PlanPhase(
            plan=plan,
            number=phase.number,
            name=phase.name.strip(),
            starts_on=phase.starts_on,
            ends_on=phase.ends_on,
            target=phase.target,
        )
        for phase in phases
    )
    through = PlanPhase.markets.through
    through.objects.bulk_create(
        through(planphase_id=saved.pk, country_id=code.strip().upper())
        for saved, phase in zip(created, phases, strict=True)
        for code in sorted(set(phase.markets))
    )
    audit_record(
        actor=actor.user,
        action="sales_plan.phases",
        obj=plan,
        changes={
            "phases": [
                {
                    "number": phase.number,
                    "name": phase.name,
                    "starts_on": phase.starts_on.isoformat(),
                    "ends_on": phase.ends_on.isoformat(),
                    "markets": sorted(code.upper() for code in phase.markets),
                    "target": phase.target,
                }
                for phase in phases
            ]
        },
    )
    return sorted(created, key=lambda phase: phase.number)


# --- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    """Units for one month in one market (and product line, or None for all)."""

    month: date
    market: str
    units: int
    product_line_id: int | None = None


@dataclass(frozen=True)
class TargetsResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def plan_targets_set(
    *, actor: Actor | None, plan: SalesPlan, rows: Sequence[TargetInput]
) -> TargetsResult:
    """Set monthly targets by business key (month, market, product line), all or none.

    A row's month lies in the plan and in a step whose markets include the row's
    market; units are not negative. Setting a value again changes nothing.
    """
    actor = require_actor(actor)
    require(actor, plan, Action.CHANGE)
    plan = _lock(plan)
    _require_open(plan)
    errors = FieldErrors()
    if len(rows) > MAX_TARGET_ROWS:
        errors.add("rows", _("At most %(count)s rows at once.") % {"count": MAX_TARGET_ROWS})
        errors.raise_if_any()
    phases = list(plan.phases.prefetch_related("markets"))
    phase_markets = [(phase, {market.code for market in phase.markets.all()}) for phase in phases]
    lines = set(ProductLine.objects.filter(brand_id=plan.brand_id).values_list("pk", flat=True))
    keys: set[tuple[date, str, int | None]] = set()
    clean: list[TargetInput] = []
    for index, row in enumerate(rows):
        name = f"rows.{index}"
        month = date(row.month.year, row.month.month, 1)
        market = row.market.strip().upper()
        label = {"row": index + 1, "month": f"{month:%Y-%m}", "market": market}
        if row.units < 0:
            errors.add(f"{name}.units", _("Row %(row)s: a target cannot be negative.") % label)
        if row.product_line_id is not None and row.product_line_id not in lines:
            errors.add(
                f"{name}.product_line_id",
                _("Row %(row)s: not a product line of %(brand)s.") % {**label, "brand": plan.brand},
            )
        if month < date(plan.starts_on.year, plan.starts_on.month, 1) or month > plan.ends_on:
            errors.add(f"{name}.month", _("Row %(row)s: %(month)s is outside the plan.") % label)
        elif not any(
            market in codes and phase.starts_on <= month_end(month) and phase.ends_on >= month
            for phase, codes in phase_markets
        ):
            errors.add(
                f"{name}.market",
                _("Row %(row)s: %(market)s is not a market of the step covering %(month)s.")
                % label,
            )
        key = (month, market, row.product_line_id)
        if key in keys:
            errors.add(name, _("Row %(row)s repeats %(month)s %(market)s.") % label)
        keys.add(key)
        clean.append(TargetInput(month, market, row.units, row.product_line_id))
    errors.raise_if_any()
    existing = {
        (target.month, target.market_id, target.product_line_id): target
        for target in plan.targets.filter(month__in={key[0] for key in keys})
    }
    new, changed, unchanged = [], [], 0
    for row in clean:
        current = existing.get((row.month, row.market, row.product_line_id))
        if current is None:
            new.append(
                Target(
                    plan=plan,
                    month=row.month,
                    market_id=row.market,
                    product_line_id=row.product_line_id,
                    units=row.units,
                )
            )
        elif current.units != row.units:
            current.units = row.units
            changed.append(current)
        else:
            unchanged += 1
    Target.objects.bulk_create(new, batch_size=1000)
    Target.objects.bulk_update(changed, ["units"], batch_size=1000)
    if new or changed:
        audit_record(
            actor=actor.user,
            action="sales_plan.targets",
            obj=plan,
            changes={"created": len(new), "updated": len(changed)},
        )
    return TargetsResult(created=len(new), updated=len(changed), unchanged=unchanged)


# --- milestones ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MilestoneInput:
    """A milestone as people enter it; ``condition`` makes it close itself."""

    title: str
    due_on: date
    owner_id: int | None = None
    condition: str = ""
    condition_market: str | None = None
    condition_units: int | None = None
    evidence_note: str = ""


@transaction.atomic
def plan_milestone_create(
    *, actor: Actor | None, plan: SalesPlan, data: MilestoneInput
) -> PlanMilestone:
    """Add a milestone; its owner is a party to the plan (the actor's organisation by default)."""
    actor = require_actor(actor)
    require(actor, plan, Action.CHANGE)
    _require_open(plan)
    errors = FieldErrors()
    if not data.title.strip():
        errors.add("title", _("Give the milestone a title."))
    owner_id = data.owner_id or actor.organization_id
    if owner_id not in plan.party_ids:
        errors.add("owner_id", _("The owner is a party to the plan."))
    if data.condition not in MilestoneCondition.values:
        errors.add("condition", _("%(value)s is not a condition.") % {"value": data.condition})
    market = (data.condition_market or "").strip().upper() or None
    if data.condition:
        if data.condition_units is None or data.condition_units < 1:
            errors.add("condition_units", _("Say how many units the condition needs."))
        if market is not None and not Country.objects.filter(code=market).exists():
            errors.add("condition_market", _("%(code)s is not a country.") % {"code": market})
    errors.raise_if_any()
    milestone = PlanMilestone.objects.create(
        plan=plan,
        title=data.title.strip(),
        due_on=data.due_on,
        owner_id=owner_id,
        condition=data.condition,
        condition_market_id=market if data.condition else None,
        condition_units=data.condition_units if data.condition else None,
        evidence_note=data.evidence_note.strip(),
    )
    audit_record(
        actor=actor.user,
        action="plan_milestone.create",
        obj=milestone,
        changes={"plan": plan.pk, "title": milestone.title, "due_on": milestone.due_on},
    )
    plan_milestones_check(plan=plan)
    milestone.refresh_from_db()
    return milestone


@transaction.atomic
def plan_milestone_complete(
    *,
    actor: Actor | None,
    milestone: PlanMilestone,
    completed_on: date,
    evidence_order: ExportOrder | None = None,
    evidence_shipment: Shipment | None = None,
    evidence_note: str = "",
    evidence_document: Any = None,
) -> PlanMilestone:
    """Mark a milestone done with its date and evidence (an order, a shipment, a file, a note)."""
    actor = require_actor(actor)
    require(actor, milestone, Action.CHANGE)
    milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status in (MilestoneStatus.DONE, MilestoneStatus.DROPPED):
        raise Conflict(
            _("The milestone is already %(status)s.")
            % {"status": MilestoneStatus(milestone.status).label.lower()}
        )
    errors = FieldErrors()
    if completed_on > timezone.localdate():
        errors.add("completed_on", _("A milestone cannot be done in the future."))
    brand_id = milestone.plan.brand_id
    if evidence_order is not None and evidence_order.brand_id != brand_id:
        errors.add("evidence_order_id", _("The order is not of the plan's brand."))
    if evidence_shipment is not None and evidence_shipment.brand_id != brand_id:
        errors.add("evidence_shipment_id", _("The shipment is not of the plan's brand."))
    if not (evidence_order or evidence_shipment or evidence_note.strip() or evidence_document):
        errors.add("evidence_note", _("Give the evidence: an order, a shipment, a file or a note."))
    errors.raise_if_any()
    milestone.status = MilestoneStatus.DONE
    milestone.completed_on = completed_on
    milestone.evidence_order = evidence_order
    milestone.evidence_shipment = evidence_shipment
    if evidence_note.strip():
        milestone.evidence_note = evidence_note.strip()
    if evidence_document:
        milestone.evidence_document = evidence_document
    milestone.save()
    audit_record(
        actor=actor.user,
        action="plan_milestone.complete",
        obj=milestone,
        changes={
            "completed_on": completed_on,
            "evidence_order": evidence_order.pk if evidence_order else None,
            "evidence_shipment": evidence_shipment.pk if evidence_shipment else None,
        },
    )
    return milestone


@transaction.atomic
def plan_milestone_drop(*, actor: Actor | None, milestone: PlanMilestone) -> PlanMilestone:
    """Drop a milestone that no longer applies; a manager decides."""
    actor = require_actor(actor, Role.MANAGER)
    require(actor, milestone, Action.APPROVE)
    milestone = PlanMilestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.status in (MilestoneStatus.DONE, MilestoneStatus.DROPPED):
        raise Conflict(
            _("The milestone is already %(status)s.")
            % {"status": MilestoneStatus(milestone.status).label.lower()}
        )
    before = milestone.status
    milestone.status = MilestoneStatus.DROPPED
    milestone.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor.user,
        action="plan_milestone.drop",
        obj=milestone,
        changes={"status": [before, MilestoneStatus.DROPPED]},
    )
    return milestone


def _order_meeting(milestone: PlanMilestone) -> ExportOrder | None:
    """The earliest confirmed order of the plan's brand (to the market, if one is named)
    with at least the condition's units."""
    plan = milestone.plan
    orders = ExportOrder.objects.filter(
        brand_id=plan.brand_id,
        status__in=CONFIRMED_ORDER_STATES,
        confirmed_on__isnull=False,
    )
    if milestone.condition_market_id:
        orders = orders.filter(destination_id=milestone.condition_market_id)
    units = (
        ExportOrderLine.objects.filter(order__in=orders)
        .values("order_id")
        .annotate(units=Sum("quantity"))
        .filter(units__gte=milestone.condition_units or 1)
        .values_list("order_id", flat=True)
    )
    return orders.filter(pk__in=units).order_by("confirmed_on", "pk").first()


def _units_reached_on(milestone: PlanMilestone) -> date | None:
    """The date the plan's measure reached the condition's units (in the market, if named)."""
    from seabridge.vehicles.models import Vehicle

    plan = milestone.plan
    date_field = "wholesaled_on" if plan.measure == Measure.WHOLESALE else "retailed_on"
    vehicles = Vehicle.objects.filter(
        brand_id=plan.brand_id,
        **{f"{date_field}__gte": plan.starts_on, f"{date_field}__lte": plan.ends_on},
    )
    if milestone.condition_market_id:
        vehicles = vehicles.filter(market_id=milestone.condition_market_id)
    needed = milestone.condition_units or 1
    dates = vehicles.order_by(date_field, "pk").values_list(date_field, flat=True)
    reached = list(dates[needed - 1 : needed])
    return reached[0] if reached else None


@transaction.atomic
def plan_milestones_check(
    *, plan: SalesPlan | None = None, brand_id: int | None = None, today: date | None = None
) -> int:
    """Close every open or late milestone whose condition holds, with its evidence and
    date, and mark open milestones past their due date late. Answers how many closed.

    Runs as the system (it reads facts, not what one actor may see); services that
    change the facts call it once their transaction commits, and a periodic task
    catches the rest.
    """
    today = today or timezone.localdate()
    milestones = PlanMilestone.objects.select_related("plan").filter(
        status__in=[MilestoneStatus.OPEN, MilestoneStatus.LATE]
    )
    if plan is not None:
        milestones = milestones.filter(plan=plan)
    if brand_id is not None:
        milestones = milestones.filter(plan__brand_id=brand_id)
    closed = 0
    for milestone in milestones.exclude(condition=""):
        order = None
        reached_on = None
        if milestone.condition == MilestoneCondition.ORDER_CONFIRMED:
            order = _order_meeting(milestone)
            reached_on = order.confirmed_on if order else None
        elif milestone.condition == MilestoneCondition.UNITS_SOLD:
            reached_on = _units_reached_on(milestone)
        if reached_on is None:
            continue
        before = milestone.status
        milestone.status = MilestoneStatus.DONE
        milestone.completed_on = reached_on
        milestone.evidence_order = order
        milestone.save(update_fields=["status", "completed_on", "evidence_order", "updated_at"])
        audit_record(
            actor=None,
            action="plan_milestone.condition_met",
            obj=milestone,
            changes={
                "status": [before, MilestoneStatus.DONE],
                "completed_on": reached_on,
                "evidence_order": order.pk if order else None,
            },
        )
        closed += 1
    late = milestones.filter(status=MilestoneStatus.OPEN, due_on__lt=today)
    for milestone in late:
        audit_record(
            actor=None,
            action="plan_milestone.late",
            obj=milestone,
            changes={"status": [MilestoneStatus.OPEN, MilestoneStatus.LATE]},
        )
    late.update(status=MilestoneStatus.LATE, updated_at=timezone.now())
    return closed
