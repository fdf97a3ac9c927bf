"""The analytics dashboard: KPI cards, charts with their tables, and each chart as a download.

Views stay thin: the form parses the filters, the selectors read the fact tables
(grouped reads whose number does not grow with the vehicles behind them), and
the templates show the figures. Every figure links to the vehicles behind it on
the vehicle list, which the scope module limits to what the actor may see.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from seabridge.analytics import selectors
from seabridge.analytics.choices import Measure
from seabridge.analytics.forms import DashboardForm, Selection
from seabridge.catalog.choices import Powertrain
from seabridge.core.errors import Forbidden, NotFound
from seabridge.core.exports import export_response
from seabridge.core.periods import Period
from seabridge.core.scope import Actor
from seabridge.core.types import HtmxHttpRequest
from seabridge.markets.models import BusinessRegion, Country
from seabridge.planning.choices import PlanStatus
from seabridge.planning.selectors import PlanProgress, plan_list, plan_progress
from seabridge.vehicles.selectors import Milestone, brand_for_milestones, production_milestones
from seabridge.web.views import scoped_page

CHARTS = ("trend", "markets", "mix", "split", "milestones")  # the order of the page
RANKED = 10  # markets shown at the top and at the bottom of the ranking
MAX_PLANS = 3  # active plans measured on the page (a few queries each); the list has all
MILESTONE_EVERY = 100_000

# The vehicle list's date filters behind each measure; shipped and in-operation
# figures have no date on the vehicle to filter by, so they have no drill-down.
DATE_FILTERS: dict[str, tuple[str, str]] = {
    Measure.SALES: ("wholesaled_from", "wholesaled_to"),
    Measure.RETAIL: ("retailed_from", "retailed_to"),
    Measure.PRODUCTION: ("produced_from", "produced_to"),
}


# --- drill-down links ----------------------------------------------------------------------


def vehicles_url(
    selection: Selection,
    period: Period,
    *,
    domestic: bool | None = None,
    market: str | None = None,
) -> str | None:
    """The vehicle list of the vehicles behind a figure, or None when it cannot say.

    Production counts in the brand owner's home country whatever the vehicle's
    market, so a production figure under a market or region filter has no list.
    """
    names = DATE_FILTERS.get(selection.measure)
    if names is None:
        return None
    params: dict[str, Any] = {"brand": selection.brand.pk}
    if selection.product_line is not None:
        params["product_line"] = selection.product_line.pk
    if selection.measure == Measure.PRODUCTION:
        if selection.market or selection.region or market or domestic is False:
            return None
    else:
        if selection.market is not None:
            params["market"] = selection.market.code
        if market is not None:
            params["market"] = market
        if selection.region is not None:
            params["region"] = selection.region.code
        if domestic is not None:
            params["domestic"] = "true" if domestic else "false"
    if period.start > selectors.LAUNCH:
        params[names[0]] = period.start.isoformat()
    params[names[1]] = period.end.isoformat()
    return f"{reverse('vehicles:vehicle-list')}?{urlencode(params)}"


# --- what the page shows -------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A number on a card, with the growth over its base and the links to both lists."""

    growth: selectors.Growth
    url: str | None
    base_url: str | None


@dataclass(frozen=True)
class MarketRow:
    rank: int
    line: selectors.MarketLine
    name: str
    url: str | None


@dataclass(frozen=True)
class Plan:
    progress: PlanProgress
    url: str


def _figure(selection: Selection, growth: selectors.Growth, period: Period, **link: Any) -> Figure:
    base = growth.base
    return Figure(
        growth,
        vehicles_url(selection, period, **link),
        vehicles_url(selection, base, **link) if base is not None else None,
    )


def _market_names(lines: Sequence[selectors.MarketLine]) -> dict[str, str]:
    """Market names in the page's language (the selector gives the English ones)."""
    countries = Country.objects.filter(code__in=[line.code for line in lines]).only(
        "code", "name", "names"
    )
    return {country.code: country.localized_name() for country in countries}


def _with_region_names(kpis: selectors.Kpis, regions: Sequence[BusinessRegion]) -> selectors.Kpis:
    """The KPIs with their regions named in the page's language: the selector gives the
    English names (``seabridge kpi`` prints them); the form has read every region."""
    names = {region.name: region.localized_name() for region in regions}
    return replace(kpis, regions=[names.get(name, name) for name in kpis.regions])


def _milestones(actor: Actor | None, selection: Selection) -> list[Milestone] | None:
    """The brand's production milestones for its owner; None for everyone else."""
    try:
        brand = brand_for_milestones(actor=actor, brand_id=selection.brand.pk)
    except (Forbidden, NotFound):
        return None
    return production_milestones(
        brand=brand, product_line=selection.product_line, every=MILESTONE_EVERY
    )


def _plans(actor: Actor | None, selection: Selection) -> tuple[list[Plan], bool]:
    """The brand's active plans the actor may see, measured as of the period's end;
    and whether there are more than the page measures."""
    plans = list(
        plan_list(actor=actor)
        .filter(brand_id=selection.brand.pk, status=PlanStatus.ACTIVE)
        .order_by("starts_on", "pk")[: MAX_PLANS + 1]
    )
    measured = [
        Plan(
            plan_progress(actor=actor, plan=plan, as_of=selection.period.end),
            reverse("planning:plan-detail", args=[plan.pk]),
        )
        for plan in plans[:MAX_PLANS]
    ]
    return measured, len(plans) > MAX_PLANS


def _cards(selection: Selection, facts: selectors.Facts, kpis: selectors.Kpis) -> dict[str, Any]:
    """The KPI cards: the period's total, its last month, the year to date and the
    cumulative figure (flows only), the domestic and international sides."""
    measure, period = selection.measure, selection.period
    month = selectors.month_on_month(facts=facts, measure=measure, period=period)
    running = selectors.running_totals(facts=facts, measure=measure, through=period.end)
    year_to_date = Period.year_to_date(period.end)
    since_launch = Period(selectors.LAUNCH, period.end)
    return {
        "kpis": kpis,
        "total": _figure(selection, kpis.total, period),
        "month": _figure(selection, month, Period(period.end.replace(day=1), period.end)),
        "is_flow": running is not None,
        "year_to_date": year_to_date,
        "ytd_units": running.year_to_date_units if running else None,
        "ytd_url": vehicles_url(selection, year_to_date),
        "cumulative": running.since_launch_units if running else None,
        "cumulative_url": vehicles_url(selection, since_launch),
        "launch": running.launch if running else None,
        "sides": [
            (key, label, side, _figure(selection, side.growth, period, domestic=domestic))
            for key, label, domestic, side in _split(kpis)
        ],
        "has_revenue": measure == Measure.SALES,
    }


def _split(kpis: selectors.Kpis) -> list[tuple[str, str, bool, selectors.Side]]:
    """(key, label, is domestic, figures) of the domestic and the international side."""
    return [
        ("domestic", _("Domestic"), True, kpis.domestic),
        ("international", _("International"), False, kpis.international),
    ]


def _market_rows(selection: Selection, facts: selectors.Facts) -> list[MarketRow]:
    """Every market ranked, named in the page's language, with its vehicles' link."""
    period = selection.period
    ranked = selectors.markets_ranked(facts=facts, measure=selection.measure, period=period)
    names = _market_names(ranked) if ranked else {}
    return [
        MarketRow(
            rank,
            line,
            names.get(line.code, line.name),
            vehicles_url(selection, period, market=line.code),
        )
        for rank, line in enumerate(ranked, start=1)
    ]


def _charts(
    *,
    kpis: selectors.Kpis,
    trend: list[selectors.MonthPoint],
    rows: list[MarketRow],
    mix: list[selectors.MixLine],
    milestones: list[Milestone] | None,
) -> dict[str, Any]:
    """The figures the page's charts draw, as JSON (the tables show the same)."""
    period, previous = kpis.period, kpis.previous_period
    split = _split(kpis)
    return {
        "trend": {
            "months": [f"{point.month:%Y-%m}" for point in trend],
            "units": [point.units for point in trend],
            "previous": [point.previous_units for point in trend],
        },
        "split": {
            "sides": [label for _key, label, _domestic, _side in split],
            "units": [side.growth.units for *_rest, side in split],
            "previous": [side.growth.previous_units for *_rest, side in split],
        },
        "markets": {
            "names": [row.name for row in rows[:RANKED]],
            "units": [row.line.growth.units for row in rows[:RANKED]],
            "previous": [row.line.growth.previous_units for row in rows[:RANKED]],
        },
        "mix": [{"name": str(Powertrain(line.key).label), "value": line.units} for line in mix],
        "milestones": {
            "dates": [item.produced_on.isoformat() for item in milestones or []],
            "units": [item.unit for item in milestones or []],
        },
        "names": {
            "units": _("%(start)s–%(end)s")
            % {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "previous": _("%(start)s–%(end)s")
            % {"start": previous.start.isoformat(), "end": previous.end.isoformat()},
            "unit": _("Unit"),
        },
    }


def _dashboard(actor: Actor | None, selection: Selection) -> dict[str, Any]:
    """Everything the dashboard shows for a valid selection."""
    measure, period = selection.measure, selection.period
    facts = selectors.Facts(actor, selection.filters)
    kpis = selectors.kpis(facts=facts, measure=measure, period=period)
    context = _cards(selection, facts, kpis)
    trend = selectors.monthly_trend(facts=facts, measure=measure, period=period)
    rows = _market_rows(selection, facts)
    mix = selectors.powertrain_mix(facts=facts, measure=measure, period=period)
    milestones = _milestones(actor, selection)
    plans, more_plans = _plans(actor, selection)
    context.update(
        trend=trend,
        top_markets=rows[:RANKED],
        bottom_markets=rows[RANKED:][-RANKED:],
        market_count=len(rows),
        mix=[(Powertrain(line.key).label, line) for line in mix],
        milestones=milestones,
        plans=plans,
        more_plans=more_plans,
        charts=_charts(kpis=kpis, trend=trend, rows=rows, mix=mix, milestones=milestones),
    )
    return context


@scoped_page
def dashboard(request: HtmxHttpRequest) -> HttpResponse:
    """Headline figures and charts of one brand, for what the actor may see."""
    actor = request.actor
    form = DashboardForm(request.GET, actor=actor, today=timezone.localdate())
    context: dict[str, Any] = {"form": form, "selection": None, "charts_list": CHARTS}
    if form.is_valid():
        selection = form.selection()
        context["selection"] = selection
        context.update(_dashboard(actor, selection))
        context["kpis"] = _with_region_names(context["kpis"], form.regions)
    return render(request, "analytics/dashboard.html", context)


# --- downloads -----------------------------------------------------------------------------


Table = tuple[list[str], list[list[Any]]]  # a download's header and rows


def _trend_table(facts: selectors.Facts, selection: Selection) -> Table:
    header = [_("Month"), _("Units"), _("Units a year earlier"), _("Year on year (%)")]
    points = selectors.monthly_trend(
        facts=facts, measure=selection.measure, period=selection.period
    )
    return header, [
        [f"{point.month:%Y-%m}", point.units, point.previous_units, point.yoy_pct]
        for point in points
    ]


def _markets_table(facts: selectors.Facts, selection: Selection) -> Table:
    header = [
        _("Rank"),
        _("Market code"),
        _("Market"),
        _("Domestic"),
        _("Units"),
        _("Units a year earlier"),
        _("Year on year (%)"),
    ]
    lines = selectors.markets_ranked(
        facts=facts, measure=selection.measure, period=selection.period
    )
    names = _market_names(lines) if lines else {}
    return header, [
        [
            rank,
            line.code,
            names.get(line.code, line.name),
            line.is_domestic,
            line.growth.units,
            line.growth.previous_units,
            line.growth.pct,
        ]
        for rank, line in enumerate(lines, start=1)
    ]


def _mix_table(facts: selectors.Facts, selection: Selection) -> Table:
    header = [_("Powertrain"), _("Units"), _("Share (%)")]
    mix = selectors.powertrain_mix(facts=facts, measure=selection.measure, period=selection.period)
    return header, [[str(Powertrain(line.key).label), line.units, line.share] for line in mix]


def _split_table(facts: selectors.Facts, selection: Selection) -> Table:
    header = [
        _("Side"),
        _("Units"),
        _("Units a year earlier"),
        _("Year on year (%)"),
        _("Countries"),
    ]
    kpis = selectors.kpis(facts=facts, measure=selection.measure, period=selection.period)
    return header, [
        [label, side.growth.units, side.growth.previous_units, side.growth.pct, side.countries]
        for _key, label, _domestic, side in _split(kpis)
    ]


def _milestones_table(facts: selectors.Facts, selection: Selection) -> Table:
    """The brand owner's alone: a 403 for anyone else who sees the brand."""
    brand = brand_for_milestones(actor=facts.actor, brand_id=selection.brand.pk)
    header = [
        _("Unit"),
        _("Produced on"),
        _("VIN"),
        _("Days since previous"),
        _("Time since previous"),
    ]
    milestones = production_milestones(
        brand=brand, product_line=selection.product_line, every=MILESTONE_EVERY
    )
    return header, [
        [item.unit, item.produced_on, item.vin, item.days_since_previous, item.interval]
        for item in milestones
    ]


# Each chart's table, as the page's table shows it.
TABLES: dict[str, Callable[[selectors.Facts, Selection], Table]] = {
    "trend": _trend_table,
    "markets": _markets_table,
    "mix": _mix_table,
    "split": _split_table,
    "milestones": _milestones_table,
}


@scoped_page
def chart_export(
    request: HtmxHttpRequest, name: str, format: str
) -> HttpResponse | StreamingHttpResponse:
    """One chart's table as CSV or XLSX, for the same filters as the page."""
    if name not in CHARTS or format not in ("csv", "xlsx"):
        raise NotFound()
    actor = request.actor
    form = DashboardForm(request.GET, actor=actor, today=timezone.localdate())
    if not form.is_valid():
        text = "\n".join(
            f"{form.add_prefix(field)}: {' '.join(str(error) for error in errors)}"
            for field, errors in form.errors.items()
        )
        return HttpResponseBadRequest(text, content_type="text/plain; charset=utf-8")
    selection = form.selection()
    header, rows = TABLES[name](selectors.Facts(actor, selection.filters), selection)
    period = selection.period
    filename = (
        f"{name}-{slugify(selection.brand.name) or selection.brand.pk}-"
        f"{selection.measure}-{period.start.isoformat()}-{period.end.isoformat()}"
    )
    return export_response(header=header, rows=rows, filename=filename, format=format)
