"""KPIs from the fact tables, for an actor: every figure counts only what its scope shows.

A period is read as whole months from :class:`MonthlyFact` plus the days of the
partial months at either end from :class:`DailyFact`; the database sums and
groups, Python only adds up the few grouped rows that come back. The scope's
condition is computed once per :class:`Facts` and reused by every query.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from seabridge.analytics.choices import Measure
from seabridge.analytics.models import REVENUE_SCALE, DailyFact, MonthlyFact, YearlyFact
from seabridge.catalog.choices import NEW_ENERGY_POWERTRAINS
from seabridge.catalog.models import Brand, ProductLine
from seabridge.core.errors import ValidationFailed
from seabridge.core.periods import Period, month_end, shift_months
from seabridge.core.scope import Actor, restrict, visible_q
from seabridge.markets.models import BusinessRegion, Country
from seabridge.trade.models import ExchangeRate

# The dimensions a figure can be broken down by, as fact columns.
GROUPS = ("brand_id", "product_line_id", "powertrain", "market_id", "is_domestic", "currency")
MONTH = "month"
# "Since launch" and the user base count from here: before any vehicle of any brand.
LAUNCH = date(1900, 1, 1)


def percent_change(units: int, base: int) -> Decimal | None:
    """Growth of ``units`` over ``base`` in percent, one decimal; None when there is no base."""
    if base <= 0:
        return None
    # Half away from zero, as reports and spreadsheets round (2.45 % is 2.5 %, not 2.4 %).
    return ((Decimal(units) - base) * 100 / base).quantize(Decimal("0.1"), ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal; None when there is no whole."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- filters -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What a figure is limited to, beyond the actor's scope. Empty means everything."""

    brand_ids: tuple[int, ...] = ()
    product_line_ids: tuple[int, ...] = ()
    market_codes: tuple[str, ...] = ()
    powertrains: tuple[str, ...] = ()
    region: BusinessRegion | None = None

    def condition(self) -> Q:
        condition = Q()
        if self.brand_ids:
            condition &= Q(brand_id__in=self.brand_ids)
        if self.product_line_ids:
            condition &= Q(product_line_id__in=self.product_line_ids)
        if self.market_codes:
            condition &= Q(market_id__in=self.market_codes)
        if self.powertrains:
            condition &= Q(powertrain__in=self.powertrains)
        if self.region is not None:
            condition &= Q(market__business_regions=self.region)
        return condition


def visible_brands(actor: Actor | None) -> QuerySet[Brand]:
    """Brands whose figures the actor may read (its own, and those its grants cover)."""
    return restrict(actor, Brand.objects.select_related("owner")).order_by("name")


def brand_by_name(actor: Actor | None, name: str) -> Brand:
    """A brand the actor may see, by name in any case; refuses naming the field otherwise."""
    brand = visible_brands(actor).filter(name__iexact=name.strip()).first()
    if brand is None:
        raise ValidationFailed(fields={"brand": [_("No brand named %(name)s.") % {"name": name}]})
    return brand


def region_by_name(name: str) -> BusinessRegion:
    """A business region by code or name, in any case."""
    value = name.strip()
    region = BusinessRegion.objects.filter(Q(code__iexact=value) | Q(name__iexact=value)).first()
    if region is None:
        raise ValidationFailed(
            fields={"region": [_("No business region named %(name)s.") % {"name": name}]}
        )
    return region


def market_by_code(code: str) -> Country:
    country = Country.objects.filter(code=code.strip().upper()).first()
    if country is None:
        raise ValidationFailed(
            fields={"market": [_("%(code)s is not an ISO 3166 country code.") % {"code": code}]}
        )
    return country


def product_line_of(brand: Brand | None, product_line_id: int) -> ProductLine:
    lines = ProductLine.objects.filter(pk=product_line_id)
    if brand is not None:
        lines = lines.filter(brand=brand)
    line = lines.first()
    if line is None:
        raise ValidationFailed(fields={"product_line": [_("No such product line.")]})
    return line


# --- reading the facts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Total:
    """Units, and wholesale revenue by currency."""

    units: int = 0
    revenue: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """A stretch of a period read at one grain: ``day``, ``month`` or ``year``."""

    grain: str
    start: date
    end: date


def _spans(period: Period, *, years: bool = True) -> list[Span]:
    """``period`` cut into the fewest rows to read: the partial months at either end by
    day, whole months by month and, when ``years``, whole years by year."""
    start, end = period.start, period.end
    first_month = start if start.day == 1 else month_end(start) + timedelta(days=1)
    last_month_end = end if end == month_end(end) else end.replace(day=1) - timedelta(days=1)
    if first_month > last_month_end:
        return [Span("day", start, end)]
    spans = []
    if start < first_month:
        spans.append(Span("day", start, first_month - timedelta(days=1)))
    if end > last_month_end:
        spans.append(Span("day", last_month_end + timedelta(days=1), end))
    first_year = first_month if first_month.month == 1 else date(first_month.year + 1, 1, 1)
    last_year_end = (
        last_month_end if last_month_end.month == 12 else date(last_month_end.year - 1, 12, 31)
    )
    if not years or first_year > last_year_end:
        spans.append(Span("month", first_month, last_month_end))
        return spans
    if first_month < first_year:
        spans.append(Span("month", first_month, first_year - timedelta(days=1)))
    if last_month_end > last_year_end:
        spans.append(Span("month", last_year_end + timedelta(days=1), last_month_end))
    spans.append(Span("year", first_year, last_year_end))
    return spans


_GRAINS: dict[str, tuple[type[DailyFact | MonthlyFact | YearlyFact], str]] = {
    "day": (DailyFact, "day"),
    "month": (MonthlyFact, "month"),
    "year": (YearlyFact, "year"),
}


class Facts:
    """The facts one actor may see, under one set of filters."""

    def __init__(self, actor: Actor | None, filters: Filters | None = None) -> None:
        self.actor = actor
        self.filters = filters or Filters()
        self._condition = visible_q(actor, MonthlyFact) & self.filters.condition()
        # Figures asked twice (the KPIs and the market ranking share their reads) are
        # read once; a Facts lives for one request or one command.
        self._memo: dict[tuple[Any, ...], dict[tuple[Any, ...], Total]] = {}

    def _querysets(
        self, measure: Measure, period: Period, *, by_month: bool = False
    ) -> list[tuple[QuerySet[Any], Any]]:
        """(queryset, month expression) pairs whose rows together make up ``period``."""
        pairs: list[tuple[QuerySet[Any], Any]] = []
        for span in _spans(period, years=not by_month):
            model, column = _GRAINS[span.grain]
            queryset = model.objects.filter(
                self._condition,
                measure=measure,
                **{f"{column}__gte": span.start, f"{column}__lte": span.end},
            )
            pairs.append((queryset, TruncMonth("day") if span.grain == "day" else F(column)))
        return pairs

    def totals(
        self, measure: Measure, period: Period, by: Sequence[str] = ()
    ) -> dict[tuple[Any, ...], Total]:
        """Units and revenue of ``measure`` in ``period``, grouped by the columns ``by``
        (any of :data:`GROUPS`, and ``"month"``). Groups with nothing are left out."""
        for name in by:
            if name not in GROUPS and name != MONTH:
                raise ValueError(f"Cannot group facts by {name}.")
        memo_key = (measure, period, tuple(by))
        if memo_key not in self._memo:
            self._memo[memo_key] = self._totals(measure, period, by)
        return self._memo[memo_key]

    def _totals(
        self, measure: Measure, period: Period, by: Sequence[str]
    ) -> dict[tuple[Any, ...], Total]:
        units: dict[tuple[Any, ...], int] = defaultdict(int)
        revenue: dict[tuple[Any, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        with_revenue = measure == Measure.SALES
        for queryset, month in self._querysets(measure, period, by_month=MONTH in by):
            columns = {name: (month if name == MONTH else F(name)) for name in by}
            if with_revenue and "currency" not in by:
                columns["fact_currency"] = F("currency")
            rows = (
                queryset.order_by()
                .values(**{f"group_{name}": expression for name, expression in columns.items()})
                .annotate(sum_units=Sum("units"), sum_revenue=Sum("revenue_scaled"))
            )
            for row in rows:
                key = tuple(row[f"group_{name}"] for name in by)
                units[key] += row["sum_units"]
                if with_revenue and row["sum_revenue"]:
                    currency = row.get("group_fact_currency") or row.get("group_currency") or ""
                    if currency:
                        revenue[key][currency] += row["sum_revenue"]
        return {
            key: Total(
                count,
                {
                    currency: Decimal(amount) / REVENUE_SCALE
                    for currency, amount in sorted(revenue[key].items())
                },
            )
            for key, count in units.items()
            if count or revenue[key]
        }

    def units(self, measure: Measure, period: Period) -> int:
        return self.totals(measure, period).get((), Total()).units

    def in_operation(self, on: date, by: Sequence[str] = ()) -> dict[tuple[Any, ...], int]:
        """Vehicles in operation on the day ``on``: the running sum of their deltas."""
        since = Period(LAUNCH, on)
        return {
            key: total.units
            for key, total in self.totals(Measure.IN_OPERATION, since, by).items()
            if total.units
        }

    def first_day(self, measure: Measure) -> date | None:
        """The first day with a fact of ``measure``: the launch, for cumulative figures."""
        found = DailyFact.objects.filter(self._condition, measure=measure, units__gt=0)
        return found.order_by("day").values_list("day", flat=True).first()


# --- KPIs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Growth:
    """A figure with its comparison base and the growth over it."""

    units: int
    previous_units: int
    base: Period | None = None

    @property
    def pct(self) -> Decimal | None:
        return percent_change(self.units, self.previous_units)

    @property
    def is_new(self) -> bool:
        """Units now and none in the base: growth is "new", not a division by zero."""
        return self.units > 0 and self.previous_units <= 0


@dataclass(frozen=True)
class Side:
    """Domestic or international: units, growth and the countries reached."""

    growth: Growth
    countries: int


@dataclass(frozen=True)
class Kpis:
    """The headline figures of one measure for one period (``seabridge kpi``)."""

    measure: Measure
    period: Period
    previous_period: Period
    total: Growth
    domestic: Side
    international: Side
    countries: int  # with at least one unit in the period (in operation: on its last day)
    countries_ever: int
    regions: list[str]
    new_energy_units: int
    revenue: dict[str, Decimal]

    @property
    def new_energy_share(self) -> Decimal | None:
        return share(self.new_energy_units, self.total.units)

    def as_json(self) -> dict[str, Any]:
        def growth(value: Growth) -> dict[str, Any]:
            pct = value.pct
            return {
                "units": value.units,
                "previous_units": value.previous_units,
                "yoy_pct": float(pct) if pct is not None else None,
            }

        return {
            "measure": str(self.measure),
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "previous_from": self.previous_period.start.isoformat(),
            "previous_to": self.previous_period.end.isoformat(),
            **growth(self.total),
            "domestic": {**growth(self.domestic.growth), "countries": self.domestic.countries},
            "international": {
                **growth(self.international.growth),
                "countries": self.international.countries,
            },
            "countries": self.countries,
            "countries_ever": self.countries_ever,
            "regions": self.regions,
            "new_energy_units": self.new_energy_units,
            "new_energy_share_pct": (
                float(self.new_energy_share) if self.new_energy_share is not None else None
            ),
            "revenue": {currency: str(amount) for currency, amount in self.revenue.items()},
        }


BREAKDOWN = ("market_id", "is_domestic", "powertrain")


def _breakdown(facts: Facts, measure: Measure, period: Period) -> dict[tuple[Any, ...], int]:
    """Units by (market, is domestic, powertrain) in ``period``; in operation: on its
    last day. One grouped read, shared (through the facts' memo) by the KPIs, the
    market ranking and the powertrain mix."""
    if measure == Measure.IN_OPERATION:
        return facts.in_operation(period.end, BREAKDOWN)
    return {
        key: total.units
        for key, total in facts.totals(measure, period, BREAKDOWN).items()
        if total.units
    }


def _by_market(facts: Facts, measure: Measure, period: Period) -> dict[tuple[str, bool], int]:
    """Units by (market, is domestic) in ``period``; in operation: on its last day."""
    markets: dict[tuple[str, bool], int] = defaultdict(int)
    for (market, is_domestic, _powertrain), units in _breakdown(facts, measure, period).items():
        markets[(market, is_domestic)] += units
    return {key: units for key, units in markets.items() if units}


def regions_of(codes: Iterable[str]) -> list[str]:
    """Names of the business regions that contain any of the countries ``codes``."""
    return list(
        BusinessRegion.objects.filter(countries__code__in=list(codes))
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


def kpis(*, facts: Facts, measure: Measure, period: Period) -> Kpis:
    """Totals, year-on-year growth, the domestic and international split and coverage."""
    previous = period.previous_year()
    now = _by_market(facts, measure, period)
    before = _by_market(facts, measure, previous)

    def side(domestic: bool) -> Side:
        units = sum(n for (_code, is_domestic), n in now.items() if is_domestic is domestic)
        base = sum(n for (_code, is_domestic), n in before.items() if is_domestic is domestic)
        countries = len({code for (code, is_domestic), n in now.items() if is_domestic is domestic})
        return Side(Growth(units, base, previous), countries)

    markets = {code for code, _domestic in now}
    since_launch = Period(LAUNCH, period.end)
    # Countries ever: with a sale (for the user base: a retail sale) up to the period's end.
    ever_measure = Measure.RETAIL if measure == Measure.IN_OPERATION else measure
    ever = {
        key[0]
        for key, total in facts.totals(ever_measure, since_launch, ("market_id",)).items()
        if total.units > 0
    }
    new_energy = sum(
        units
        for (_market, _domestic, powertrain), units in _breakdown(facts, measure, period).items()
        if powertrain in NEW_ENERGY_POWERTRAINS
    )
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    if measure == Measure.SALES:
        for total in facts.totals(measure, period, BREAKDOWN).values():  # the memo's rows
            for currency, amount in total.revenue.items():
                revenue[currency] += amount
    return Kpis(
        measure=measure,
        period=period,
        previous_period=previous,
        total=Growth(sum(now.values()), sum(before.values()), previous),
        domestic=side(True),
        international=side(False),
        countries=len(markets),
        countries_ever=len(ever),
        regions=regions_of(markets),
        new_energy_units=new_energy,
        revenue=dict(sorted(revenue.items())),
    )


@dataclass(frozen=True)
class MarketLine:
    """One market's units in the period, the year before, and its growth."""

    code: str
    name: str
    is_domestic: bool
    growth: Growth


def markets_ranked(*, facts: Facts, measure: Measure, period: Period) -> list[MarketLine]:
    """Every market with units in the period or the year before, most units first."""
    previous = period.previous_year()
    now = _by_market(facts, measure, period)
    before = _by_market(facts, measure, previous)
    keys = set(now) | set(before)
    names = dict(
        Country.objects.filter(code__in={code for code, _domestic in keys}).values_list(
            "code", "name"
        )
    )
    lines = [
        MarketLine(
            code,
            names.get(code, code),
            domestic,
            Growth(now.get((code, domestic), 0), before.get((code, domestic), 0), previous),
        )
        for code, domestic in keys
    ]
    return sorted(
        lines, key=lambda line: (-line.growth.units, -line.growth.previous_units, line.code)
    )


@dataclass(frozen=True)
class MonthPoint:
    month: date
    units: int
    previous_units: int  # the same month a year earlier

    @property
    def yoy_pct(self) -> Decimal | None:
        return percent_change(self.units, self.previous_units)


def monthly_trend(*, facts: Facts, measure: Measure, period: Period) -> list[MonthPoint]:
    """Units by month through the period, with the same months a year earlier beside them."""
    previous = period.previous_year()
    if measure == Measure.IN_OPERATION:
        # The user base the day before the comparison starts (read by year), then one
        # grouped read of each month's change: running sums give each month's end.
        first = previous.start.replace(day=1)
        count = sum(facts.in_operation(first - timedelta(days=1)).values())
        changes = facts.totals(measure, Period(first, period.end), (MONTH,))
        running: dict[date, int] = {}
        for month in Period(first, period.end).months():
            count += changes.get((month,), Total()).units
            running[month] = count
        return [
            MonthPoint(month, running.get(month, 0), running.get(shift_months(month, -12), 0))
            for month in period.months()
        ]
    now = facts.totals(measure, period, (MONTH,))
    before = facts.totals(measure, previous, (MONTH,))
    return [
        MonthPoint(
            month,
            now.get((month,), Total()).units,
            before.get((shift_months(month, -12),), Total()).units,
        )
        for month in period.months()
    ]


def month_on_month(*, facts: Facts, measure: Measure, period: Period) -> Growth:
    """The month the period ends in (up to its last day) against the same days of the
    month before."""
    month = Period(period.end.replace(day=1), period.end)
    base = month.previous_month()
    if measure == Measure.IN_OPERATION:
        return Growth(
            sum(facts.in_operation(month.end).values()),
            sum(facts.in_operation(base.end).values()),
            base,
        )
    return Growth(facts.units(measure, month), facts.units(measure, base), base)


@dataclass(frozen=True)
class MixLine:
    key: str
    units: int
    share: Decimal | None


def powertrain_mix(*, facts: Facts, measure: Measure, period: Period) -> list[MixLine]:
    """Units by powertrain in the period, with each one's share."""
    rows: dict[str, int] = defaultdict(int)
    for (_market, _domestic, powertrain), units in _breakdown(facts, measure, period).items():
        rows[powertrain] += units
    whole = sum(rows.values())
    return [
        MixLine(powertrain, units, share(units, whole))
        for powertrain, units in sorted(rows.items(), key=lambda item: (-item[1], item[0]))
        if units
    ]


def cumulative(*, facts: Facts, measure: Measure, through: date) -> int:
    """Units since the first one, through ``through``.

    Summed from the by-market read that :func:`kpis` makes for "countries ever", which
    the facts keep: beside the KPIs of a period ending on ``through`` it costs no query.
    """
    since_launch = Period(LAUNCH, through)
    return sum(
        total.units for total in facts.totals(measure, since_launch, ("market_id",)).values()
    )


@dataclass(frozen=True)
class RunningTotals:
    """A flow measure counted over the longer stretches shown beside a period: from
    1 January of its last day's year, and since launch (the first day with a fact)."""

    year_to_date: Period
    year_to_date_units: int
    since_launch: Period
    since_launch_units: int
    launch: date | None  # None: nothing counted yet


def running_totals(*, facts: Facts, measure: Measure, through: date) -> RunningTotals | None:
    """The year to date and the cumulative figure through ``through``; None for vehicles
    in operation, a stock on a day rather than a flow that adds up.

    Both reuse what :func:`kpis` read for a period ending on ``through`` where they are
    the same figures (a year-to-date period, "countries ever"), so the dashboard pays only
    for what it has not read yet.
    """
    if measure == Measure.IN_OPERATION:
        return None
    year_to_date = Period.year_to_date(through)
    return RunningTotals(
        year_to_date=year_to_date,
        year_to_date_units=sum(_breakdown(facts, measure, year_to_date).values()),
        since_launch=Period(LAUNCH, through),
        since_launch_units=cumulative(facts=facts, measure=measure, through=through),
        launch=facts.first_day(measure),
    )


@dataclass(frozen=True)
class RevenueInCny:
    """Wholesale revenue converted month by month at the latest rate on or before each
    month's end; currencies with no rate are named, not guessed."""

    amount: Decimal
    missing_rates: list[str]


def revenue_in_cny(*, facts: Facts, period: Period) -> RevenueInCny:
    """The period's wholesale revenue in CNY, from one grouped read and the rate table."""
    rows = facts.totals(Measure.SALES, period, (MONTH, "currency"))
    currencies = sorted({currency for (_month, currency) in rows if currency})
    rates: dict[str, list[tuple[date, Decimal]]] = defaultdict(list)
    for currency, on, rate in (
        ExchangeRate.objects.filter(currency__in=currencies, on__lte=period.end)
        .order_by("currency", "on")
        .values_list("currency", "on", "cny_per_unit")
    ):
        rates[currency].append((on, rate))
    amount = Decimal(0)
    missing: set[str] = set()
    for (month, currency), total in rows.items():
        value = total.revenue.get(currency, Decimal(0))
        if not value:
            continue
        if currency == "CNY":
            amount += value
            continue
        known = rates[currency]
        index = bisect_right([on for on, _rate in known], min(month_end(month), period.end))
        if index == 0:
            missing.add(currency)
            continue
        amount += value * known[index - 1][1]
    return RevenueInCny(amount.quantize(Decimal("0.01")), sorted(missing))
