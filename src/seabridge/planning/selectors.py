"""Reads of planning: plans in scope, who may do what on them, plan against actual sales,
the targets grid, the market shortlist for the next step.

Actual units come from the vehicles' sales dates (``wholesaled_on`` or
``retailed_on``, by the plan's measure), read through the scope module, so a
partner's figures count only the vehicles it may see. The agreements and brands
offered for a new plan come through the same doors: the agreements app's
:func:`~seabridge.agreements.selectors.agreements_visible` and :func:`restrict`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from seabridge.accounts.choices import Role
from seabridge.accounts.models import Organization
from seabridge.agreements.models import Agreement
from seabridge.agreements.selectors import agreements_visible
from seabridge.catalog.models import Brand, ProductLine, Variant
from seabridge.core.periods import Period, month_end
from seabridge.core.scope import Action, Actor, Area, allows, get_visible, restrict
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import Country, MarketProfile
from seabridge.planning.choices import Measure, PlanStatus
from seabridge.planning.models import PlanApproval, PlanMilestone, PlanPhase, SalesPlan, Target
from seabridge.planning.services import agreement_markets
from seabridge.trade import selectors as trade_selectors
from seabridge.vehicles.models import Vehicle

TargetRow = tuple[date, str, int | None, int]  # (month, market, product line, units)


def plan_list(*, actor: Actor | None, action: Action = Action.VIEW) -> QuerySet[SalesPlan]:
    return restrict(actor, SalesPlan.objects.all(), action).select_related(
        "brand", "owner", "agreement"
    )


def plan_get(*, actor: Actor | None, plan_id: int) -> SalesPlan:
    return get_visible(
        actor, SalesPlan.objects.select_related("brand__owner", "owner", "agreement"), pk=plan_id
    )


def milestone_get(*, actor: Actor | None, plan: SalesPlan, milestone_id: int) -> PlanMilestone:
    return get_visible(
        actor, PlanMilestone.objects.select_related("plan__brand"), pk=milestone_id, plan=plan
    )


def plan_phases(plan: SalesPlan) -> list[PlanPhase]:
    return list(plan.phases.prefetch_related("markets").order_by("number"))


def plan_markets(phases: list[PlanPhase]) -> list[str]:
    """Every market of the plan's steps, in order of first appearance."""
    seen: dict[str, None] = {}
    for phase in phases:
        for market in sorted(country.code for country in phase.markets.all()):
            seen.setdefault(market, None)
    return list(seen)


def plan_list_brands(plans: QuerySet[SalesPlan]) -> QuerySet[Brand]:
    """The brands of ``plans`` (a list the scope has already limited), for the list's
    filter: a party to a plan sees its brand on the plan's row already."""
    return Brand.objects.filter(pk__in=plans.values("brand_id")).order_by("name")


def plan_product_lines(plan: SalesPlan) -> list[ProductLine]:
    """The product lines of the plan's brand, by name: a plan's targets may name exactly
    these (the service accepts no other), so whoever sees the plan sees them."""
    return list(ProductLine.objects.filter(brand_id=plan.brand_id).order_by("name"))


# --- what a new plan may be for ------------------------------------------------------------


def _party_agreements(actor: Actor) -> QuerySet[Agreement]:
    """Agreements the agreements app shows the actor to which its organisation is a party."""
    organization_id = actor.organization_id
    return agreements_visible(actor).filter(
        Q(grantor_id=organization_id) | Q(grantee_id=organization_id)
    )


def plannable_agreements(actor: Actor) -> QuerySet[Agreement]:
    """Agreements a new plan may serve: those the actor's organisation is a party to that
    grant some brand for sales, by title."""
    return (
        _party_agreements(actor).filter(scope_entries__area=Area.SALES).distinct().order_by("title")
    )


def plannable_brands(actor: Actor) -> QuerySet[Brand]:
    """Brands the actor may draft a plan for, by name: among the brands the scope shows
    it, those its organisation owns or holds for sales under an agreement it is a party to.

    A brand no grant in force shows the actor is never offered, even when a draft or
    lapsed agreement names it.
    """
    held_for_sales = (
        _party_agreements(actor)
        .filter(scope_entries__area=Area.SALES)
        .values("scope_entries__brand_id")
    )
    return (
        restrict(actor, Brand.objects.all())
        .filter(Q(owner_id=actor.organization_id) | Q(pk__in=held_for_sales))
        .order_by("name")
    )


# --- who may do what on a plan -------------------------------------------------------------


def plan_is_editable(*, actor: Actor | None, plan: SalesPlan) -> bool:
    """Whether the actor may change the plan's facts, steps, targets and milestones now:
    the scope lets it change the plan, and the plan is not closed."""
    return plan.is_open and allows(actor, plan, Action.CHANGE)


@dataclass(frozen=True)
class PlanPermissions:
    """What a plan's page offers the actor; each service asks the scope again when the
    actor acts, and says why when it refuses."""

    may_change: bool  # see plan_is_editable
    may_manage: bool  # approve, move the plan on, drop milestones: a manager of a party
    may_approve: bool  # record its organisation's approval now
    transitions: list[PlanStatus] = field(default_factory=list)  # where a manager may move it


def plan_permissions(*, actor: Actor | None, plan: SalesPlan) -> PlanPermissions:
    """Who may approve and move the plan: a manager whom the scope lets approve it (the
    brand owner's, or the partner's when the plan serves its agreement). Its organisation
    approves a draft once; the approvals prefetched by :func:`plan_approvals` are read."""
    may_manage = (
        actor is not None and actor.has_role(Role.MANAGER) and allows(actor, plan, Action.APPROVE)
    )
    return PlanPermissions(
        may_change=plan_is_editable(actor=actor, plan=plan),
        may_manage=may_manage,
        may_approve=may_manage
        and actor is not None
        and plan.awaits_approval_of(actor.organization_id),
        transitions=plan.manual_transitions() if may_manage else [],
    )


@dataclass(frozen=True)
class PlanApprovals:
    """The approvals a plan has, and the parties it still waits for."""

    approvals: list[PlanApproval]
    awaiting: list[Organization]


def plan_parties(plan: SalesPlan) -> QuerySet[Organization]:
    """The plan's parties (its brand's owner, and the grantee of the agreement it serves),
    by short name: who approves it and who may own its milestones."""
    return Organization.objects.filter(pk__in=plan.party_ids).order_by("short_name")


def plan_approvals(plan: SalesPlan) -> PlanApprovals:
    """The plan's approvals, oldest first, with who gave them; prefetched onto ``plan`` so
    that :meth:`SalesPlan.awaits_approval_of` reads them without another query."""
    prefetch_related_objects(
        [plan],
        Prefetch(
            "approvals",
            queryset=PlanApproval.objects.select_related("organization", "approved_by").order_by(
                "approved_at", "pk"
            ),
        ),
    )
    approvals = list(plan.approvals.all())
    approved = {approval.organization_id for approval in approvals}
    return PlanApprovals(
        approvals=approvals,
        awaiting=[party for party in plan_parties(plan) if party.pk not in approved],
    )


@dataclass(frozen=True)
class PlanMilestones:
    """A plan's milestones the actor may see, and which of their evidence it may open."""

    milestones: list[PlanMilestone]
    visible_orders: set[int]
    visible_shipments: set[int]


def plan_milestones(*, actor: Actor | None, plan: SalesPlan) -> PlanMilestones:
    """The plan's milestones, by due date; an order or shipment given as evidence is
    linked only for those whom the scope shows the order or shipment itself."""
    milestones = list(
        restrict(actor, plan.milestones.all()).select_related(
            "owner", "condition_market", "evidence_order", "evidence_shipment"
        )
    )
    orders = {item.evidence_order_id for item in milestones if item.evidence_order_id}
    shipments = {item.evidence_shipment_id for item in milestones if item.evidence_shipment_id}
    return PlanMilestones(
        milestones=milestones,
        visible_orders=set(
            trade_selectors.order_list(actor=actor)
            .filter(pk__in=orders)
            .prefetch_related(None)
            .values_list("pk", flat=True)
        ),
        visible_shipments=set(
            trade_selectors.shipment_list(actor=actor)
            .filter(pk__in=shipments)
            .prefetch_related(None)
            .values_list("pk", flat=True)
        ),
    )


# --- plan against actual -------------------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole`` to one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class Line:
    """A target and its actual: for a month, a step, a market or a product line."""

    key: str
    label: str
    target: int = 0
    actual: int = 0

    @property
    def gap(self) -> int:
        """Units still missing (negative: ahead of target)."""
        return self.target - self.actual

    @property
    def attainment(self) -> Decimal | None:
        return percent(self.actual, self.target)

    @property
    def is_behind(self) -> bool:
        return self.actual < self.target


@dataclass
class MonthLine(Line):
    cumulative_target: int = 0
    cumulative_actual: int = 0


@dataclass
class PlanProgress:
    """A plan measured against what really sold, as of a date."""

    plan: SalesPlan
    as_of: date
    months: list[MonthLine]
    steps: list[PlanPhase]  # the plan's steps, in the order of ``phases``
    phases: list[Line]
    markets: list[Line]  # target to date against actual to date, most behind first
    product_lines: list[Line]
    actual: int
    target_to_date: int
    projection: int  # units at the end of the plan at the pace so far
    elapsed_days: int
    total_days: int
    differences: list[str] = field(default_factory=list)

    @property
    def attainment(self) -> Decimal | None:
        """Actual against the cumulative target."""
        return percent(self.actual, self.plan.cumulative_target)

    @property
    def gap(self) -> int:
        return self.plan.cumulative_target - self.actual

    @property
    def markets_behind(self) -> list[Line]:
        return [line for line in self.markets if line.is_behind]


def _actual_rows(
    actor: Actor | None, plan: SalesPlan, markets: list[str], period: Period
) -> list[TargetRow]:
    """(month, market, product line, units) of the plan's measure, in one grouped query."""
    date_field = "wholesaled_on" if plan.measure == Measure.WHOLESALE else "retailed_on"
    vehicles = restrict(actor, Vehicle.objects.all()).filter(
        brand_id=plan.brand_id,
        market_id__in=markets,
        **{f"{date_field}__gte": period.start, f"{date_field}__lte": period.end},
    )
    # TruncMonth of a date field is a date on every database.
    return list(
        vehicles.order_by()
        .annotate(month=TruncMonth(date_field))
        .values_list("month", "market_id", "variant__product_line_id")
        .annotate(units=Count("pk"))
    )


def _in_phase(phase: PlanPhase, month: date) -> bool:
    """Whether the step runs during any day of ``month``."""
    return phase.starts_on <= month_end(month) and phase.ends_on >= month


class _Tally:
    """The lines of a plan's progress (by month, step, market and product line), to which
    target rows and actual rows are added."""

    def __init__(self, plan: SalesPlan, phases: list[PlanPhase], markets: list[str]) -> None:
        names = dict(Country.objects.filter(code__in=markets).values_list("code", "name"))
        self.line_names = dict(
            ProductLine.objects.filter(brand_id=plan.brand_id).values_list("pk", "name")
        )
        self.months = [
            MonthLine(key=f"{month:%Y-%m}", label=f"{month:%Y-%m}")
            for month in Period(plan.starts_on, plan.ends_on).months()
        ]
        self.by_month = {line.key: line for line in self.months}
        self.by_market = {code: Line(key=code, label=names.get(code, code)) for code in markets}
        self.by_line: dict[str, Line] = {}
        self.phases = [
            Line(key=str(phase.number), label=f"{phase.number}. {phase.name}", target=phase.target)
            for phase in phases
        ]
        self.phase_codes = [
            (phase, {country.code for country in phase.markets.all()}, line)
            for phase, line in zip(phases, self.phases, strict=True)
        ]
        self.target_to_date = 0
        self.actual = 0

    def line_for(self, product_line_id: int | None) -> Line:
        key = str(product_line_id) if product_line_id else "all"
        if key not in self.by_line:
            label = (
                self.line_names.get(product_line_id, "")
                if product_line_id is not None
                else gettext("All product lines")
            )
            self.by_line[key] = Line(key=key, label=label)
        return self.by_line[key]

    def add_targets(self, targets: Sequence[TargetRow], as_of: date) -> None:
        """Targets by month and product line; by market and in total only up to the
        month of ``as_of`` (the target to date)."""
        month_of_as_of = date(as_of.year, as_of.month, 1)
        for month, market, product_line_id, units in targets:
            if f"{month:%Y-%m}" in self.by_month:
                self.by_month[f"{month:%Y-%m}"].target += units
            self.line_for(product_line_id).target += units
            if month <= month_of_as_of:
                self.target_to_date += units
                if market in self.by_market:
                    self.by_market[market].target += units

    def add_actuals(self, rows: Sequence[TargetRow]) -> None:
        """Units sold, on every breakdown; a step counts the units of its markets in its
        months (the first step that covers them)."""
        for month, market, product_line_id, units in rows:
            self.actual += units
            if f"{month:%Y-%m}" in self.by_month:
                self.by_month[f"{month:%Y-%m}"].actual += units
            self.by_market[market].actual += units
            self.line_for(product_line_id).actual += units
            for phase, codes, line in self.phase_codes:
                if market in codes and _in_phase(phase, month):
                    line.actual += units
                    break

    def run_cumulative(self) -> None:
        """The running totals of target and actual, month by month."""
        running_target = running_actual = 0
        for line in self.months:
            running_target += line.target
            running_actual += line.actual
            line.cumulative_target = running_target
            line.cumulative_actual = running_actual


def _projection(actual: int, *, as_of: date, plan: SalesPlan, elapsed: int, total: int) -> int:
    """Units at the plan's end at the pace so far: what sold, once the plan is over."""
    if as_of >= plan.ends_on:
        return actual
    if not elapsed:
        return 0
    return int((Decimal(actual) * total / elapsed).quantize(Decimal("1"), "ROUND_HALF_UP"))


def plan_progress(
    *, actor: Actor | None, plan: SalesPlan, as_of: date | None = None
) -> PlanProgress:
    """Targets against actual units by month, step, market and product line; attainment,
    gap and the run-rate projection to the plan's end."""
    as_of = as_of or timezone.localdate()
    phases = plan_phases(plan)
    markets = plan_markets(phases)
    has_started = as_of >= plan.starts_on
    through = min(max(as_of, plan.starts_on), plan.ends_on)
    actual_rows = (
        _actual_rows(actor, plan, markets, Period(plan.starts_on, through)) if has_started else []
    )
    targets: list[TargetRow] = list(
        plan.targets.values_list("month", "market_id", "product_line_id", "units")
    )
    tally = _Tally(plan, phases, markets)
    tally.add_targets(targets, as_of)
    tally.add_actuals(actual_rows)
    tally.run_cumulative()
    total_days = Period(plan.starts_on, plan.ends_on).days
    elapsed_days = Period(plan.starts_on, through).days if has_started else 0
    return PlanProgress(
        plan=plan,
        as_of=as_of,
        months=tally.months,
        steps=phases,
        phases=tally.phases,
        markets=sorted(tally.by_market.values(), key=lambda line: (-line.gap, line.key)),
        product_lines=sorted(tally.by_line.values(), key=lambda line: line.label),
        actual=tally.actual,
        target_to_date=tally.target_to_date,
        projection=_projection(
            tally.actual, as_of=as_of, plan=plan, elapsed=elapsed_days, total=total_days
        ),
        elapsed_days=elapsed_days,
        total_days=total_days,
        differences=target_differences(plan, phases, targets),
    )


# --- the targets grid ----------------------------------------------------------------------


def target_differences(
    plan: SalesPlan, phases: list[PlanPhase], targets: Sequence[TargetRow]
) -> list[str]:
    """Where monthly targets do not add up to the steps' and the plan's targets, in words."""
    _ = gettext
    differences = []
    total = sum(units for *_rest, units in targets)
    if total != plan.cumulative_target:
        differences.append(
            _("Monthly targets add up to %(sum)s; the plan's cumulative target is %(target)s.")
            % {"sum": total, "target": plan.cumulative_target}
        )
    for phase in phases:
        codes = {country.code for country in phase.markets.all()}
        units = sum(
            units
            for month, market, _line, units in targets
            if market in codes and _in_phase(phase, month)
        )
        if units != phase.target:
            differences.append(
                _("Step %(number)s: monthly targets add up to %(sum)s; its target is %(target)s.")
                % {"number": phase.number, "sum": units, "target": phase.target}
            )
    return differences


@dataclass
class TargetGrid:
    """Markets × months of one plan for one product line (None: all lines)."""

    months: list[date]
    markets: list[str]
    market_names: dict[str, str]
    cells: dict[tuple[str, str], int]  # (market, "YYYY-MM") → units
    open_cells: set[tuple[str, str]]  # cells a step covers (the others cannot take a target)
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total: int

    @property
    def month_keys(self) -> list[str]:
        """The grid's months as ``YYYY-MM``, the key of its cells."""
        return [f"{month:%Y-%m}" for month in self.months]

    def open_cell_keys(self) -> list[tuple[str, str]]:
        """The cells that take a target, row by row (market), then month by month."""
        return [
            (market, month)
            for market in self.markets
            for month in self.month_keys
            if (market, month) in self.open_cells
        ]


def target_grid(*, plan: SalesPlan, product_line_id: int | None = None) -> TargetGrid:
    phases = plan_phases(plan)
    markets = plan_markets(phases)
    months = list(Period(plan.starts_on, plan.ends_on).months())
    rows = Target.objects.filter(plan=plan, product_line_id=product_line_id).values_list(
        "market_id", "month", "units"
    )
    cells = {(market, f"{month:%Y-%m}"): units for market, month, units in rows}
    open_cells = {
        (country.code, f"{month:%Y-%m}")
        for phase in phases
        for country in phase.markets.all()
        for month in months
        if _in_phase(phase, month)
    }
    row_totals: dict[str, int] = defaultdict(int)
    column_totals: dict[str, int] = defaultdict(int)
    for (market, month), units in cells.items():
        row_totals[market] += units
        column_totals[month] += units
    return TargetGrid(
        months=months,
        markets=markets,
        market_names=dict(Country.objects.filter(code__in=markets).values_list("code", "name")),
        cells=cells,
        open_cells=open_cells,
        row_totals=dict(row_totals),
        column_totals=dict(column_totals),
        total=sum(cells.values()),
    )


# --- the market shortlist ------------------------------------------------------------------


@dataclass
class Factor:
    name: str
    value: str  # the fact, as shown
    points: Decimal  # its contribution to the score


@dataclass
class Candidate:
    code: str
    name: str
    factors: list[Factor]

    @property
    def score(self) -> Decimal:
        return sum((factor.points for factor in self.factors), Decimal(0))


def _shortlist_profiles(plan: SalesPlan, candidates: list[str] | None) -> list[MarketProfile]:
    """The markets to rank: those named, or every market not yet in the plan."""
    profiles = MarketProfile.objects.select_related("country")
    if candidates:
        return list(profiles.filter(country_id__in=[code.upper() for code in candidates]))
    return list(profiles.exclude(country_id__in=set(plan_markets(plan_phases(plan)))))


def _units_sold(actor: Actor | None, plan: SalesPlan) -> dict[str, int]:
    """Units of the plan's brand wholesaled so far, by market, as the actor may see them."""
    return dict(
        restrict(actor, Vehicle.objects.all())
        .filter(brand_id=plan.brand_id, wholesaled_on__isnull=False)
        .order_by()
        .values_list("market_id")
        .annotate(units=Count("pk"))
        .values_list("market_id", "units")
    )


@dataclass(frozen=True)
class _ShortlistFacts:
    """What every candidate is scored against: the weights, the brand's drive sides, the
    markets the plan's agreement covers, units sold by market and the best of them."""

    weights: dict[str, int]
    steering: set[str]
    covered: set[str]
    sold: dict[str, int]
    best: int


def _factors(profile: MarketProfile, facts: _ShortlistFacts) -> list[Factor]:
    """One market's factors, each with the fact shown and the points it gives."""
    zero = Decimal(0)
    weights = facts.weights
    code = profile.country_id
    needed = "lhd" if profile.traffic_side == TrafficSide.RIGHT else "rhd"
    duty = profile.import_duty_pickup_pct
    duty_points = (
        zero if duty is None else max(zero, Decimal(weights["low_duty"]) * (1 - Decimal(duty) / 50))
    )
    units = facts.sold.get(code, 0)
    return [
        Factor(
            "resource_rich",
            "yes" if profile.is_resource_rich else "no",
            Decimal(weights["resource_rich"]) if profile.is_resource_rich else zero,
        ),
        Factor(
            "low_duty", "?" if duty is None else f"{duty} %", duty_points.quantize(Decimal("0.1"))
        ),
        Factor(
            "drive_side_fit",
            needed.upper(),
            Decimal(weights["drive_side_fit"]) if needed in facts.steering else zero,
        ),
        Factor(
            "agreement_covers",
            "yes" if code in facts.covered else "no",
            Decimal(weights["agreement_covers"]) if code in facts.covered else zero,
        ),
        Factor(
            "units_sold",
            str(units),
            (Decimal(weights["units_sold"]) * units / facts.best).quantize(Decimal("0.1"))
            if facts.best
            else zero,
        ),
    ]


def market_shortlist(
    *,
    actor: Actor | None,
    plan: SalesPlan,
    candidates: list[str] | None = None,
    limit: int = 20,
) -> list[Candidate]:
    """Rank markets for the plan's next step by a transparent score.

    Each factor gives up to its weight in points (the plan's editable weights):
    resource-rich market (all or nothing); low import duty on pickups (full at 0 %,
    nothing at 50 % or more; unknown duty gives nothing); drive-side fit (the brand
    has active variants steered for the market's traffic); an agreement of the
    plan already covers it; units of the brand sold there so far (full at the
    best-selling candidate). Markets already in the plan are left out unless named.
    """
    profiles = _shortlist_profiles(plan, candidates)
    sold = _units_sold(actor, plan)
    facts = _ShortlistFacts(
        weights=plan.weights,
        steering=set(
            Variant.objects.filter(brand_id=plan.brand_id, is_active=True).values_list(
                "steering", flat=True
            )
        ),
        covered=agreement_markets(plan.agreement, plan.brand) if plan.agreement else set(),
        sold=sold,
        best=max([sold.get(profile.country_id, 0) for profile in profiles] + [0]),
    )
    ranked = [
        Candidate(
            code=profile.country_id, name=profile.country.name, factors=_factors(profile, facts)
        )
        for profile in profiles
    ]
    ranked.sort(key=lambda candidate: (-candidate.score, candidate.code))
    return ranked[:limit]
