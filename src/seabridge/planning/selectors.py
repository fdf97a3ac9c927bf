"""Reads of planning: plans in scope, plan against actual sales, the targets grid, the
market shortlist for the next step.

Actual units come from the vehicles' sales dates (``wholesaled_on`` or
``retailed_on``, by the plan's measure), read through the scope module, so a
partner's figures count only the vehicles it may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from seabridge.catalog.models import Variant
from seabridge.core.periods import Period, month_end
from seabridge.core.scope import Action, Actor, get_visible, restrict
from seabridge.markets.choices import TrafficSide
from seabridge.markets.models import Country, MarketProfile
from seabridge.planning.choices import Measure
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan, Target
from seabridge.planning.services import agreement_markets
from seabridge.vehicles.models import Vehicle


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
) -> list[tuple[date, str, int | None, int]]:
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


def plan_progress(
    *, actor: Actor | None, plan: SalesPlan, as_of: date | None = None
) -> PlanProgress:
    """Targets against actual units by month, step, market and product line; attainment,
    gap and the run-rate projection to the plan's end."""
    as_of = as_of or timezone.localdate()
    phases = plan_phases(plan)
    markets = plan_markets(phases)
    through = min(max(as_of, plan.starts_on), plan.ends_on)
    actual_rows = (
        _actual_rows(actor, plan, markets, Period(plan.starts_on, through))
        if as_of >= plan.starts_on
        else []
    )
    targets: list[tuple[date, str, int | None, int]] = list(
        plan.targets.values_list("month", "market_id", "product_line_id", "units")
    )
    names = dict(Country.objects.filter(code__in=markets).values_list("code", "name"))
    from seabridge.catalog.models import ProductLine

    line_names = dict(ProductLine.objects.filter(brand_id=plan.brand_id).values_list("pk", "name"))

    months = [
        MonthLine(key=f"{month:%Y-%m}", label=f"{month:%Y-%m}")
        for month in Period(plan.starts_on, plan.ends_on).months()
    ]
    by_month = {line.key: line for line in months}
    by_market = {code: Line(key=code, label=names.get(code, code)) for code in markets}
    by_line: dict[str, Line] = {}
    phase_lines = [
        Line(key=str(phase.number), label=f"{phase.number}. {phase.name}", target=phase.target)
        for phase in phases
    ]
    phase_codes = [
        (phase, {country.code for country in phase.markets.all()}, line)
        for phase, line in zip(phases, phase_lines, strict=True)
    ]
    month_of_as_of = date(as_of.year, as_of.month, 1)

    def line_for(product_line_id: int | None) -> Line:
        key = str(product_line_id) if product_line_id else "all"
        if key not in by_line:
            label = (
                line_names.get(product_line_id, "")
                if product_line_id is not None
                else gettext("All product lines")
            )
            by_line[key] = Line(key=key, label=label)
        return by_line[key]

    target_to_date = 0
    for month, market, product_line_id, units in targets:
        if f"{month:%Y-%m}" in by_month:
            by_month[f"{month:%Y-%m}"].target += units
        line_for(product_line_id).target += units
        if month <= month_of_as_of:
            target_to_date += units
            if market in by_market:
                by_market[market].target += units
    actual = 0
    for month, market, product_line_id, units in actual_rows:
        actual += units
        if f"{month:%Y-%m}" in by_month:
            by_month[f"{month:%Y-%m}"].actual += units
        by_market[market].actual += units
        line_for(product_line_id).actual += units
        for phase, codes, line in phase_codes:
            if market in codes and phase.starts_on <= month_end(month) and phase.ends_on >= month:
                line.actual += units
                break
    running_target = running_actual = 0
    for line in months:
        running_target += line.target
        running_actual += line.actual
        line.cumulative_target = running_target
        line.cumulative_actual = running_actual

    total_days = Period(plan.starts_on, plan.ends_on).days
    elapsed_days = Period(plan.starts_on, through).days if as_of >= plan.starts_on else 0
    projection = actual if as_of >= plan.ends_on else 0
    if elapsed_days and as_of < plan.ends_on:
        projection = int(
            (Decimal(actual) * total_days / elapsed_days).quantize(Decimal("1"), "ROUND_HALF_UP")
        )
    progress = PlanProgress(
        plan=plan,
        as_of=as_of,
        months=months,
        steps=phases,
        phases=phase_lines,
        markets=sorted(by_market.values(), key=lambda line: (-line.gap, line.key)),
        product_lines=sorted(by_line.values(), key=lambda line: line.label),
        actual=actual,
        target_to_date=target_to_date,
        projection=projection,
        elapsed_days=elapsed_days,
        total_days=total_days,
    )
    progress.differences = target_differences(plan, phases, targets)
    return progress


# --- the targets grid ----------------------------------------------------------------------


def target_differences(
    plan: SalesPlan,
    phases: list[PlanPhase],
    targets: list[tuple[date, str, int | None, int]],
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
            if market in codes and phase.starts_on <= month_end(month) and phase.ends_on >= month
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
        if phase.starts_on <= month_end(month) and phase.ends_on >= month
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
    weights = plan.weights
    phases = plan_phases(plan)
    in_plan = set(plan_markets(phases))
    profiles = MarketProfile.objects.select_related("country")
    if candidates:
        profiles = profiles.filter(country_id__in=[code.upper() for code in candidates])
    else:
        profiles = profiles.exclude(country_id__in=in_plan)
    steering = set(
        Variant.objects.filter(brand_id=plan.brand_id, is_active=True).values_list(
            "steering", flat=True
        )
    )
    covered = agreement_markets(plan.agreement, plan.brand) if plan.agreement else set()
    sold = dict(
        restrict(actor, Vehicle.objects.all())
        .filter(brand_id=plan.brand_id, wholesaled_on__isnull=False)
        .order_by()
        .values_list("market_id")
        .annotate(units=Count("pk"))
        .values_list("market_id", "units")
    )
    rows = list(profiles)
    best = max([sold.get(profile.country_id, 0) for profile in rows] + [0])
    zero = Decimal(0)
    ranked = []
    for profile in rows:
        code = profile.country_id
        needed = "lhd" if profile.traffic_side == TrafficSide.RIGHT else "rhd"
        duty = profile.import_duty_pickup_pct
        duty_points = (
            zero
            if duty is None
            else max(zero, Decimal(weights["low_duty"]) * (1 - Decimal(duty) / 50))
        )
        units = sold.get(code, 0)
        factors = [
            Factor(
                "resource_rich",
                "yes" if profile.is_resource_rich else "no",
                Decimal(weights["resource_rich"]) if profile.is_resource_rich else zero,
            ),
            Factor(
                "low_duty",
                "?" if duty is None else f"{duty} %",
                duty_points.quantize(Decimal("0.1")),
            ),
            Factor(
                "drive_side_fit",
                needed.upper(),
                Decimal(weights["drive_side_fit"]) if needed in steering else zero,
            ),
            Factor(
                "agreement_covers",
                "yes" if code in covered else "no",
                Decimal(weights["agreement_covers"]) if code in covered else zero,
            ),
            Factor(
                "units_sold",
                str(units),
                (Decimal(weights["units_sold"]) * units / best).quantize(Decimal("0.1"))
                if best
                else zero,
            ),
        ]
        ranked.append(Candidate(code=code, name=profile.country.name, factors=factors))
    ranked.sort(key=lambda candidate: (-candidate.score, candidate.code))
    return ranked[:limit]
