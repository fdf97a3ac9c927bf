"""Case 1: Zhengzhou Nissan and Zhongjiang International, their memorandum and its plan.

:func:`zhengzhou_nissan_build` writes, through the services, the memorandum of
cooperation (22 April 2025, Nanjing) with its signatories and commitments; the grant
under it to Zhongjiang's local company in each plan market, from its step's start;
and the "three-year, three-step" sales plan: its steps, monthly targets by market and
product line, milestones, both sides' approvals, then active.

Once the vehicles exist, :func:`sample_orders_create` orders the sample vehicles of
the step-one markets (as the vehicles on record received them) and
:func:`plan_milestones_record` completes the milestones the records reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Count, Min

from seabridge.accounts.models import Organization
from seabridge.agreements import services as agreement_services
from seabridge.agreements.choices import AgreementKind
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand, ProductLine, Variant
from seabridge.core.scope import Actor
from seabridge.demo.builders.agreements import agreement_grant
from seabridge.demo.builders.catalogue import Catalogue
from seabridge.demo.builders.organisations import Parties
from seabridge.demo.data.rates import CNY_PER_USD
from seabridge.demo.data.zhengzhou_nissan import (
    CUMULATIVE_MILESTONES,
    DEFAULT_SAMPLE_BATCH,
    LINE_WEIGHTS,
    MARKET_WEIGHTS,
    MEMORANDUM_COMMITMENTS,
    MEMORANDUM_NOTES,
    MEMORANDUM_SIGNATORIES,
    MEMORANDUM_SIGNED_IN,
    MEMORANDUM_SIGNED_ON,
    MEMORANDUM_TITLE,
    NEW_MARKET_FIRST_MONTH,
    PLAN_ENDS_ON,
    PLAN_NOTES,
    PLAN_STARTS_ON,
    PLAN_STEPS,
    PLAN_TARGET,
    PLAN_TITLE,
    SAMPLE_DUE_ON,
    SAMPLE_MILESTONE,
    SAMPLE_ORDER_DATES,
    SAMPLE_ORDER_UNITS,
    SAMPLE_PORT,
    SERVICE_DONE_ON,
    SERVICE_DUE_ON,
    SERVICE_MILESTONE,
    STEP_ONE_MONTH_WEIGHTS,
    TARGET_MILESTONE,
    THOUSAND_DUE_ON,
    THOUSAND_MILESTONE,
    ZN_MARKET_OPENS_ON,
    ZN_MARKET_SIGNED_ON,
    ZN_PLAN_MARKETS,
)
from seabridge.demo.services import apportion
from seabridge.planning import services as planning_services
from seabridge.planning.choices import MilestoneCondition, MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanPhase, SalesPlan
from seabridge.trade import services as trade_services
from seabridge.trade.choices import Incoterm, OrderStatus, PaymentTerms
from seabridge.trade.models import ExportOrder
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.models import Vehicle, VehicleEvent


class ZhengzhouNissanCase(NamedTuple):
    memorandum: Agreement
    grants: dict[str, Agreement]  # Zhongjiang's local company's grant, by plan market
    plan: SalesPlan


def zhengzhou_nissan_build(*, parties: Parties, catalogue: Catalogue) -> ZhengzhouNissanCase:
    """The memorandum, Zhongjiang's local companies under it, and the plan."""
    admin, partner = parties.admins["zn"], parties.admins["zhongjiang"]
    names = parties.names
    memorandum = agreement_grant(
        admin,
        kind=AgreementKind.MEMORANDUM,
        grantee=parties.by_key["zhongjiang"],
        title=MEMORANDUM_TITLE,
        brand=catalogue.brand,
        countries=ZN_PLAN_MARKETS,
        effective_from=MEMORANDUM_SIGNED_ON,
        signed_on=MEMORANDUM_SIGNED_ON,
        signed_in=MEMORANDUM_SIGNED_IN,
        commitments=MEMORANDUM_COMMITMENTS,
        signatories=[
            agreement_services.SignatoryInput(
                name=name, title=title, organization_id=parties.by_key[party].pk
            )
            for name, title, party in MEMORANDUM_SIGNATORIES
        ],
        notes=MEMORANDUM_NOTES,
    )
    grants = {
        code: agreement_grant(
            partner,
            kind=AgreementKind.DISTRIBUTION,
            grantee=parties.outlets["zn"].importers[code],
            title=f"Zhengzhou Nissan distribution in {names[code]}",
            brand=catalogue.brand,
            countries=[code],
            effective_from=ZN_MARKET_OPENS_ON[code],
            signed_on=ZN_MARKET_SIGNED_ON[code],
            signed_in=MEMORANDUM_SIGNED_IN,
            parent=memorandum,
        )
        for code in ZN_PLAN_MARKETS
    }
    plan = _plan_create(
        admin=admin,
        partner=partner,
        brand=catalogue.brand,
        memorandum=memorandum,
        lines=catalogue.lines,
    )
    return ZhengzhouNissanCase(memorandum, grants, plan)


# --- the sales plan ------------------------------------------------------------------------


def _plan_create(
    *,
    admin: Actor,
    partner: Actor,
    brand: Brand,
    memorandum: Agreement,
    lines: dict[str, ProductLine],
) -> SalesPlan:
    """The plan drafted by the maker with its steps, targets and milestones, approved
    by both sides and made active."""
    plan = planning_services.sales_plan_create(
        actor=admin,
        brand=brand,
        agreement=memorandum,
        data=planning_services.PlanInput(
            title=PLAN_TITLE,
            starts_on=PLAN_STARTS_ON,
            ends_on=PLAN_ENDS_ON,
            cumulative_target=PLAN_TARGET,
            notes=PLAN_NOTES,
        ),
    )
    planning_services.plan_phases_set(actor=admin, plan=plan, phases=_phases())
    planning_services.plan_targets_set(actor=admin, plan=plan, rows=_targets(lines))
    for data in _milestones(partner_id=memorandum.grantee_id):
        planning_services.plan_milestone_create(actor=admin, plan=plan, data=data)
    planning_services.sales_plan_approve(actor=admin, plan=plan)
    planning_services.sales_plan_approve(actor=partner, plan=plan)
    return planning_services.sales_plan_transition(actor=admin, plan=plan, to=PlanStatus.ACTIVE)


def _phases() -> list[planning_services.PhaseInput]:
    """The three steps, each with the markets of the steps before it and its own."""
    markets: list[str] = []
    phases = []
    for step in PLAN_STEPS:
        markets += step.new_markets
        phases.append(
            planning_services.PhaseInput(
                number=step.number,
                name=step.name,
                starts_on=step.starts_on,
                ends_on=step.ends_on,
                markets=list(markets),
                target=step.target,
            )
        )
    return phases


def _milestones(*, partner_id: int) -> tuple[planning_services.MilestoneInput, ...]:
    """The sample batch and the service network (the partner's), then cumulative units."""
    return (
        planning_services.MilestoneInput(
            title=SAMPLE_MILESTONE,
            due_on=SAMPLE_DUE_ON,
            owner_id=partner_id,
            condition=MilestoneCondition.ORDER_CONFIRMED,
            condition_units=SAMPLE_ORDER_UNITS,
        ),
        planning_services.MilestoneInput(
            title=SERVICE_MILESTONE, due_on=SERVICE_DUE_ON, owner_id=partner_id
        ),
        planning_services.MilestoneInput(title=THOUSAND_MILESTONE, due_on=THOUSAND_DUE_ON),
        planning_services.MilestoneInput(title=TARGET_MILESTONE, due_on=PLAN_ENDS_ON),
    )


def _months(starts_on: date, ends_on: date) -> list[date]:
    months = []
    month = date(starts_on.year, starts_on.month, 1)
    while month <= ends_on:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _targets(lines: dict[str, ProductLine]) -> list[planning_services.TargetInput]:
    """Monthly units per market and product line, adding up to each step's target."""
    rows: list[planning_services.TargetInput] = []
    markets: list[str] = []
    for step in PLAN_STEPS:
        markets += step.new_markets
        months = _months(step.starts_on, step.ends_on)
        cells: list[tuple[date, str, str]] = []
        weights: list[float] = []
        for index, month in enumerate(months):
            if step.number == 1:
                month_weight = float(STEP_ONE_MONTH_WEIGHTS[index])
            else:
                month_weight = 1 + 0.05 * index  # steady growth through the year
            for market in markets:
                is_new = market in step.new_markets and step.number > 1
                if is_new and index + 1 < NEW_MARKET_FIRST_MONTH:
                    continue
                for line, line_weight in LINE_WEIGHTS.items():
                    cells.append((month, market, line))
                    weights.append(month_weight * MARKET_WEIGHTS[market] * line_weight)
        for (month, market, line), units in zip(
            cells, apportion(step.target, weights), strict=True
        ):
            if units:
                rows.append(
                    planning_services.TargetInput(
                        month=month, market=market, units=units, product_line_id=lines[line].pk
                    )
                )
    return rows


# --- after the vehicles --------------------------------------------------------------------


def sample_orders_create(
    *,
    actor: Actor,
    brand: Brand,
    variants: Sequence[Variant],
    importers: Mapping[str, Organization],
    markets: Sequence[str],
) -> list[ExportOrder]:
    """One order per step-one market (``markets``) for the sample vehicles Zhongjiang's
    local company received by the milestone's due date, confirmed before the first was
    allocated; delivered and closed when such vehicles are on record.

    The lines count those vehicles by variant; a market with none on record gets the
    default batch, confirmed on its default date.
    """
    by_code = {variant.code: variant for variant in variants}
    orders = []
    for number, code in enumerate(markets, start=1):
        sample = Vehicle.objects.filter(
            brand=brand,
            market_id=code,
            wholesaled_on__isnull=False,
            wholesaled_on__lte=SAMPLE_DUE_ON,
        )
        counts = dict(sample.order_by().values_list("variant_id").annotate(units=Count("pk")))
        confirmed_on = SAMPLE_ORDER_DATES[code]
        if counts:
            first = VehicleEvent.objects.filter(
                vehicle__in=sample, type=EventType.ALLOCATED
            ).aggregate(first=Min("occurred_on"))["first"]
            if first is not None:
                confirmed_on = max(MEMORANDUM_SIGNED_ON, min(confirmed_on, first))
            lines = sorted(counts.items())
        else:
            lines = [(by_code[variant].pk, units) for variant, units in DEFAULT_SAMPLE_BATCH]
        order = _sample_order_create(
            actor=actor,
            number=f"ZN-EXP-2025-{number:03d}",
            brand=brand,
            buyer=importers[code],
            destination=code,
            lines=lines,
            prices={variant.pk: variant.list_price or Decimal(0) for variant in variants},
        )
        order = trade_services.export_order_transition(
            actor=actor, order=order, to=OrderStatus.CONFIRMED, on=confirmed_on
        )
        if counts:  # the vehicles are on record as delivered: the order is done
            for status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED):
                order = trade_services.export_order_transition(actor=actor, order=order, to=status)
        orders.append(order)
    return orders


def _sample_order_create(
    *,
    actor: Actor,
    number: str,
    brand: Brand,
    buyer: Organization,
    destination: str,
    lines: Sequence[tuple[int, int]],
    prices: Mapping[int, Decimal],
) -> ExportOrder:
    """A draft order FOB Qingdao in dollars for ``lines`` (variant, units)."""
    return trade_services.export_order_create(
        actor=actor,
        number=number,
        brand=brand,
        buyer=buyer,
        destination=destination,
        incoterm=Incoterm.FOB,
        named_place=SAMPLE_PORT,
        currency="USD",
        payment_terms=PaymentTerms.TT,
        lines=[
            trade_services.LineInput(
                variant_id=variant_id,
                quantity=units,
                # The CNY list price less 15 % for export, in dollars, to ten dollars.
                unit_price=(
                    prices[variant_id] * Decimal("0.85") / Decimal(CNY_PER_USD[2025]) / 10
                ).quantize(Decimal(1))
                * 10,
            )
            for variant_id, units in lines
        ],
        notes="First batch of sample vehicles under the memorandum's step one.",
    )


def plan_milestones_record(
    *, plan: SalesPlan, orders: Sequence[ExportOrder], admin: Actor, partner: Actor
) -> None:
    """The milestones the records reach: the sample batch (the first order when no single
    order reached the batch size), the service network, and the cumulative units."""
    planning_services.plan_milestones_check(plan=plan)
    milestones = {milestone.title: milestone for milestone in plan.milestones.all()}
    sample = milestones[SAMPLE_MILESTONE]
    if sample.status != MilestoneStatus.DONE:
        # No single order reached the batch size: the first order is the evidence.
        first = min(orders, key=lambda order: (order.confirmed_on or SAMPLE_DUE_ON, order.pk))
        planning_services.plan_milestone_complete(
            actor=partner,
            milestone=sample,
            completed_on=first.confirmed_on or SAMPLE_DUE_ON,
            evidence_order=first,
            evidence_note="The sample vehicles were ordered for the step-one markets.",
        )
    planning_services.plan_milestone_complete(
        actor=partner,
        milestone=milestones[SERVICE_MILESTONE],
        completed_on=SERVICE_DONE_ON,
        evidence_note=(
            "Authorised service workshops open at the dealers in Riyadh, Lagos and Quezon "
            "City; their technicians trained by Zhengzhou Nissan engineers; genuine parts "
            "stocked locally."
        ),
    )
    markets = PlanPhase.markets.through.objects.filter(planphase__plan=plan).values_list(
        "country_id", flat=True
    )
    for title, units in CUMULATIVE_MILESTONES.items():
        reached = _cumulative_reached(plan, sorted(set(markets)), units)
        if reached is None or reached.wholesaled_on is None:
            continue
        planning_services.plan_milestone_complete(
            actor=admin,
            milestone=milestones[title],
            completed_on=reached.wholesaled_on,
            evidence_note=(
                f"Unit {units:,} in the plan's markets: {reached.vin}, wholesaled in "
                f"{reached.market_id} on {reached.wholesaled_on:%Y-%m-%d}."
            ),
        )
    planning_services.plan_milestones_check(plan=plan)


def _cumulative_reached(plan: SalesPlan, markets: Sequence[str], units: int) -> Vehicle | None:
    """The vehicle whose wholesale brought the plan's markets to ``units`` units."""
    vehicles = Vehicle.objects.filter(
        brand_id=plan.brand_id,
        market_id__in=markets,
        wholesaled_on__gte=plan.starts_on,
        wholesaled_on__lte=plan.ends_on,
    ).order_by("wholesaled_on", "pk")
    return vehicles[units - 1 : units].first()
