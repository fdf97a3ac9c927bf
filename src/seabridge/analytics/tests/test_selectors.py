"""KPIs from the fact tables: the JAC case figures, periods, scope, filters and breakdowns.

Histories are written straight into the registry and the facts rebuilt from them
(:func:`conftest.write_history`); one test moves vehicles through the services and
checks that the incremental facts give the same figures as the rebuild.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seabridge.analytics.choices import Measure
from seabridge.analytics.facts import Deltas, VariantFacts, facts_apply, facts_check, facts_rebuild
from seabridge.analytics.models import DailyFact, MonthlyFact, YearlyFact
from seabridge.analytics.selectors import (
    LAUNCH,
    Facts,
    Filters,
    Growth,
    MarketLine,
    MixLine,
    MonthPoint,
    RunningTotals,
    Total,
    cumulative,
    kpis,
    markets_ranked,
    month_on_month,
    monthly_trend,
    percent_change,
    powertrain_mix,
    running_totals,
    share,
)
from seabridge.analytics.tests.conftest import Sold, export_order, produce, ship, write_history
from seabridge.core.periods import Period, month_end
from seabridge.markets.models import BusinessRegion, Country
from seabridge.trade.services import vehicles_allocate
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.services import (
    NewCustomer,
    vehicle_retail,
    vehicle_scrap,
    vehicles_deliver_to_dealer,
)

pytestmark = pytest.mark.django_db

SALES = Measure.SALES


def spread(period: Period, market: str, units: int, **facts) -> list[Sold]:
    """``units`` sold into ``market`` as evenly as whole vehicles allow over the period's days."""
    days = period.days
    return [
        Sold(
            on=period.start + timedelta(days=index),
            market=market,
            units=units * (index + 1) // days - units * index // days,
            **facts,
        )
        for index in range(days)
        if units * (index + 1) // days - units * index // days
    ]


def units_of(history: list[Sold], period: Period) -> int:
    return sum(sold.units for sold in history if sold.on in period)


# --- the JAC case ------------------------------------------------------------------------

# JAC's published figures: 49,416 → 55,000 sold in 2022 → 2023 (+11.3 %), of which
# domestic 10,810 → 12,572 (+16.3 %) and international 38,606 → 42,428 (+9.9 %);
# 18,200 from January to April 2024.


def test_the_jac_case_figures_at_full_scale(world):
    """The published figures, written as facts (a vehicle per unit is the next test's job,
    at a tenth of the scale)."""
    diesel = VariantFacts(world.jac_brand.pk, world.jac_line.pk, "diesel", "CN")
    deltas = Deltas()
    for on, market, units in (
        (date(2022, 6, 15), "CN", 10_810),
        (date(2022, 6, 15), "SA", 20_000),
        (date(2022, 6, 15), "IQ", 18_606),
        (date(2023, 6, 15), "CN", 12_572),
        (date(2023, 6, 15), "SA", 22_000),
        (date(2023, 6, 15), "IQ", 20_428),
        (date(2024, 1, 15), "SA", 10_000),
        (date(2024, 4, 30), "SA", 8_200),
        (date(2024, 5, 1), "SA", 999),
    ):
        deltas.add(SALES, on, diesel, market, units)
    facts_apply(deltas)
    facts = Facts(world.jac_viewer)
    year = kpis(facts=facts, measure=SALES, period=Period.year(2023))
    assert (year.total.units, year.total.previous_units, year.total.pct) == (
        55_000,
        49_416,
        Decimal("11.3"),  # 11.29998… %
    )
    assert (year.domestic.growth.units, year.domestic.growth.previous_units) == (12_572, 10_810)
    assert year.domestic.growth.pct == Decimal("16.3")  # 16.2997… %
    assert (year.international.growth.units, year.international.growth.previous_units) == (
        42_428,
        38_606,
    )
    assert year.international.growth.pct == Decimal("9.9")  # 9.8999… %
    january_to_april = kpis(
        facts=facts, measure=SALES, period=Period(date(2024, 1, 1), date(2024, 4, 30))
    )
    assert january_to_april.total.units == 18_200
    assert cumulative(facts=facts, measure=SALES, through=date(2024, 4, 30)) == 122_616


# The same at a tenth of the scale, vehicle by vehicle: 4,942 → 5,500 (+11.3 %),
# domestic 1,081 → 1,257 (+16.3 %), international 3,861 → 4,243 (+9.9 %).
YEAR_2022 = {"CN": 1_081, "SA": 1_800, "IQ": 961, "OM": 600, "NG": 500}
YEAR_2023 = {"CN": 1_100, "SA": 2_000, "IQ": 1_000, "OM": 600, "NG": 643}
BEV_2023_CN = 157  # with the 1,100 diesels: 1,257 at home
JAN_APR_2024 = {"SA": 900, "CN": 420, "IQ": 300, "TH": 200}  # 1,820
PRICES = {
    "SA": (Decimal("18500.25"), "USD"),
    "IQ": (Decimal("17000"), "USD"),
    "OM": (Decimal("6500.5"), "EUR"),
    "NG": (Decimal("15000"), "USD"),
    "TH": (Decimal("16000"), "USD"),
}


def priced(market: str) -> dict:
    if market not in PRICES:
        return {}
    price, currency = PRICES[market]
    return {"price": price, "currency": currency}


def test_the_jac_case_figures_vehicle_by_vehicle(world, bev_variant):
    africa = BusinessRegion.objects.create(code="africa", name="Africa")
    africa.countries.set(Country.objects.filter(code__in=["NG"]))
    middle_east = BusinessRegion.objects.create(code="middle-east", name="Middle East")
    middle_east.countries.set(Country.objects.filter(code__in=["SA", "IQ", "OM"]))
    asean = BusinessRegion.objects.create(code="asean", name="ASEAN")
    asean.countries.set(Country.objects.filter(code__in=["TH"]))
    history = [Sold(on=date(2021, 6, 30), market="TH", units=5, **priced("TH"))]
    for calendar_year, markets in ((2022, YEAR_2022), (2023, YEAR_2023)):
        for market, units in markets.items():
            history += spread(Period.year(calendar_year), market, units, **priced(market))
    history += spread(Period.year(2023), "CN", BEV_2023_CN, variant=bev_variant)
    jan_apr = Period(date(2024, 1, 1), date(2024, 4, 30))
    for market, units in JAN_APR_2024.items():
        history += spread(jan_apr, market, units, **priced(market))
    assert write_history(world, history) == 12_267

    facts = Facts(world.jac_viewer)
    year = kpis(facts=facts, measure=SALES, period=Period.year(2023))
    assert year.previous_period == Period.year(2022)
    assert (year.total.units, year.total.previous_units, year.total.pct) == (
        5_500,
        4_942,
        Decimal("11.3"),
    )
    assert (year.domestic.growth.units, year.domestic.growth.previous_units) == (1_257, 1_081)
    assert year.domestic.growth.pct == Decimal("16.3")
    assert (year.international.growth.units, year.international.growth.previous_units) == (
        4_243,
        3_861,
    )
    assert year.international.growth.pct == Decimal("9.9")
    assert (year.domestic.countries, year.international.countries) == (1, 4)
    assert (year.countries, year.countries_ever) == (5, 6)  # Thailand: 2021 only
    assert year.regions == ["Africa", "GCC", "Middle East"]
    assert year.new_energy_units == 157
    assert year.new_energy_share == Decimal("2.9")  # 157 / 5,500 = 2.85 %
    assert year.revenue == {
        "EUR": Decimal("3900300"),  # 600 × 6,500.50
        "USD": Decimal("63645500"),  # 2,000 × 18,500.25 + 1,000 × 17,000 + 643 × 15,000
    }
    as_json = year.as_json()
    assert as_json["units"] == 5_500
    assert as_json["previous_units"] == 4_942
    assert as_json["yoy_pct"] == 11.3
    assert as_json["domestic"] == {
        "units": 1_257,
        "previous_units": 1_081,
        "yoy_pct": 16.3,
        "countries": 1,
    }
    assert as_json["international"] == {
        "units": 4_243,
        "previous_units": 3_861,
        "yoy_pct": 9.9,
        "countries": 4,
    }
    assert (as_json["from"], as_json["to"]) == ("2023-01-01", "2023-12-31")
    assert (as_json["previous_from"], as_json["previous_to"]) == ("2022-01-01", "2022-12-31")
    assert as_json["revenue"] == {"EUR": "3900300", "USD": "63645500"}
    assert as_json["new_energy_share_pct"] == 2.9
    assert (as_json["countries"], as_json["countries_ever"]) == (5, 6)

    # January to April 2024 against the same four months of 2023.
    start = kpis(facts=facts, measure=SALES, period=jan_apr)
    base = Period(date(2023, 1, 1), date(2023, 4, 30))
    assert start.previous_period == base
    assert start.total.units == 1_820
    assert start.total.previous_units == units_of(history, base) == 1_805
    assert (start.countries, start.countries_ever) == (4, 6)
    assert start.regions == ["ASEAN", "GCC", "Middle East"]
    assert cumulative(facts=facts, measure=SALES, through=date(2024, 4, 30)) == 12_267
    assert cumulative(facts=facts, measure=SALES, through=date(2022, 12, 31)) == 4_947
    assert facts.first_day(SALES) == date(2021, 6, 30)
    # Production is counted in China, on each vehicle's production day (20 days earlier).
    assert facts.units(Measure.PRODUCTION, Period.year(2023)) == units_of(
        history, Period(date(2023, 1, 21), date(2024, 1, 20))
    )
    assert facts_check() == []


def test_percent_change_rounds_half_up_to_one_decimal():
    assert percent_change(55_000, 49_416) == Decimal("11.3")
    assert percent_change(2_049, 2_000) == Decimal("2.5")  # exactly 2.45 %
    assert percent_change(1_951, 2_000) == Decimal("-2.5")
    assert percent_change(5, 0) is None
    assert percent_change(0, 0) is None
    assert share(1, 16) == Decimal("6.3")  # exactly 6.25 %
    assert share(1, 3) == Decimal("33.3")
    assert share(0, 0) is None


# --- running totals ----------------------------------------------------------------------

RUNNING = [
    Sold(on=date(2022, 7, 15), market="SA", units=3),
    Sold(on=date(2023, 12, 31), market="CN", units=8),
    Sold(on=date(2024, 1, 1), market="IQ", units=4),
    Sold(on=date(2024, 3, 10), market="SA", units=16),
    Sold(on=date(2024, 3, 11), market="SA", units=100),
]


def test_running_totals_count_from_new_year_and_from_launch(world):
    write_history(world, RUNNING)
    facts = Facts(world.jac_viewer)
    through = date(2024, 3, 10)
    assert running_totals(facts=facts, measure=SALES, through=through) == RunningTotals(
        year_to_date=Period(date(2024, 1, 1), through),
        year_to_date_units=20,  # IQ 4 on 1 January, SA 16 on 10 March
        since_launch=Period(LAUNCH, through),
        since_launch_units=31,  # and SA 3 in 2022, CN 8 in 2023
        launch=date(2022, 7, 15),
    )
    # Zhongjiang is granted Saudi Arabia and Iraq: it counts those only.
    assert running_totals(
        facts=Facts(world.partner_viewer), measure=SALES, through=through
    ) == RunningTotals(
        year_to_date=Period(date(2024, 1, 1), through),
        year_to_date_units=20,
        since_launch=Period(LAUNCH, through),
        since_launch_units=23,
        launch=date(2022, 7, 15),
    )
    # Before the first sale: nothing yet, and no launch day.
    assert running_totals(facts=facts, measure=SALES, through=date(2022, 7, 14)) == (
        RunningTotals(
            year_to_date=Period(date(2022, 1, 1), date(2022, 7, 14)),
            year_to_date_units=0,
            since_launch=Period(LAUNCH, date(2022, 7, 14)),
            since_launch_units=0,
            launch=date(2022, 7, 15),  # the launch is the brand's, whatever the period
        )
    )
    # Vehicles in operation are a stock on a day: they do not add up over a year.
    assert running_totals(facts=facts, measure=Measure.IN_OPERATION, through=through) is None


def test_running_totals_reuse_what_the_kpis_read(world, django_assert_num_queries):
    """Beside the KPIs of a year to date, only the launch day is read; beside another
    period, the year to date too (its whole months, then its days)."""
    write_history(world, RUNNING)
    through = date(2024, 3, 10)
    facts = Facts(world.jac_viewer)
    kpis(facts=facts, measure=SALES, period=Period.year_to_date(through))
    with django_assert_num_queries(1):
        running = running_totals(facts=facts, measure=SALES, through=through)
    assert running is not None
    assert (running.year_to_date_units, running.since_launch_units) == (20, 31)
    facts = Facts(world.jac_viewer)
    kpis(facts=facts, measure=SALES, period=Period(date(2024, 3, 1), through))
    with django_assert_num_queries(3):
        running = running_totals(facts=facts, measure=SALES, through=through)
    assert running is not None
    assert (running.year_to_date_units, running.since_launch_units) == (20, 31)


# --- periods -----------------------------------------------------------------------------


def test_a_leap_year_to_date_compares_with_february_28(world):
    history = [
        Sold(on=date(2023, 1, 1), market="SA"),
        Sold(on=date(2023, 2, 28), market="SA"),
        Sold(on=date(2023, 3, 1), market="SA", units=5),
        Sold(on=date(2024, 1, 1), market="SA", units=2),
        Sold(on=date(2024, 2, 28), market="SA"),
        Sold(on=date(2024, 2, 29), market="SA", units=4),
        Sold(on=date(2024, 3, 1), market="SA", units=9),
        Sold(on=date(2025, 2, 28), market="SA", units=6),
    ]
    # In two writes: the second one's VINs follow the first one's.
    assert write_history(world, history[:4]) == 9
    assert write_history(world, history[4:]) == 20
    assert Vehicle.objects.count() == 29
    facts = Facts(world.jac_viewer)

    leap = kpis(facts=facts, measure=SALES, period=Period.year_to_date(date(2024, 2, 29)))
    assert leap.period == Period(date(2024, 1, 1), date(2024, 2, 29))
    assert leap.previous_period == Period(date(2023, 1, 1), date(2023, 2, 28))
    assert (leap.total.units, leap.total.previous_units, leap.total.pct) == (7, 2, Decimal("250.0"))

    # To 28 February 2024 (not a month's end): the same dates a year earlier.
    day_before = kpis(facts=facts, measure=SALES, period=Period.year_to_date(date(2024, 2, 28)))
    assert day_before.previous_period == Period(date(2023, 1, 1), date(2023, 2, 28))
    assert (day_before.total.units, day_before.total.previous_units) == (3, 2)

    # February 2025 ends on the 28th and compares with all of February 2024.
    after = kpis(facts=facts, measure=SALES, period=Period.year_to_date(date(2025, 2, 28)))
    assert after.previous_period == Period(date(2024, 1, 1), date(2024, 2, 29))
    assert (after.total.units, after.total.previous_units) == (6, 7)
    assert after.total.pct == Decimal("-14.3")


def test_a_period_with_partial_months_counts_exactly_the_days_inside(world):
    history = [
        Sold(on=date(2023, 12, 31), market="SA", units=100),
        Sold(on=date(2024, 1, 14), market="SA", units=100),
        Sold(on=date(2024, 1, 15), market="SA", units=1),
        Sold(on=date(2024, 1, 31), market="IQ", units=2),
        Sold(on=date(2024, 2, 1), market="SA", units=4),
        Sold(on=date(2024, 2, 29), market="CN", units=8),
        Sold(on=date(2024, 3, 10), market="SA", units=16),
        Sold(on=date(2024, 3, 11), market="SA", units=100),
        Sold(on=date(2024, 4, 1), market="SA", units=100),
    ]
    write_history(world, history)
    facts = Facts(world.jac_viewer)
    period = Period(date(2024, 1, 15), date(2024, 3, 10))
    assert facts.units(SALES, period) == 31
    assert facts.totals(SALES, period, ("month",)) == {
        (date(2024, 1, 1),): Total(3),
        (date(2024, 2, 1),): Total(12),
        (date(2024, 3, 1),): Total(16),
    }
    assert facts.totals(SALES, period, ("market_id", "is_domestic")) == {
        ("SA", False): Total(21),
        ("IQ", False): Total(2),
        ("CN", True): Total(8),
    }
    # Periods inside one month, and across two partial months, are read day by day.
    assert facts.units(SALES, Period(date(2024, 3, 5), date(2024, 3, 20))) == 116
    assert facts.units(SALES, Period(date(2024, 1, 15), date(2024, 2, 10))) == 7

    # The whole month comes from the monthly table, the partial ones from the daily one
    # (a new Facts each time: one Facts remembers what it read).
    DailyFact.objects.filter(day__month=2).delete()
    assert Facts(world.jac_viewer).units(SALES, period) == 31
    MonthlyFact.objects.filter(month=date(2024, 1, 1)).delete()
    assert Facts(world.jac_viewer).units(SALES, period) == 31
    MonthlyFact.objects.filter(month=date(2024, 2, 1)).delete()
    assert Facts(world.jac_viewer).units(SALES, period) == 19


def test_a_period_of_whole_years_reads_the_yearly_facts(world):
    history = [
        Sold(on=date(2021, 12, 31), market="SA", units=100),
        Sold(on=date(2022, 7, 15), market="SA", units=1),
        Sold(on=date(2022, 11, 30), market="SA", units=2),
        Sold(on=date(2023, 1, 1), market="IQ", units=4),
        Sold(on=date(2023, 12, 31), market="CN", units=8),
        Sold(on=date(2024, 2, 29), market="SA", units=16),
        Sold(on=date(2024, 3, 10), market="SA", units=32),
        Sold(on=date(2024, 3, 11), market="SA", units=100),
    ]
    write_history(world, history)
    facts = Facts(world.jac_viewer)
    period = Period(date(2022, 7, 15), date(2024, 3, 10))
    assert facts.units(SALES, period) == 63
    assert cumulative(facts=facts, measure=SALES, through=date(2024, 3, 10)) == 163
    # 2023 is read from the yearly table, its months and days are not needed.
    MonthlyFact.objects.filter(month__year=2023).delete()
    DailyFact.objects.filter(day__year=2023).delete()
    assert facts.units(SALES, period) == 63
    # By month, a whole year is read month by month (the memo is per Facts).
    assert Facts(world.jac_viewer).totals(SALES, period, ("month",)) == {
        (date(2022, 7, 1),): Total(1),
        (date(2022, 11, 1),): Total(2),
        (date(2024, 2, 1),): Total(16),
        (date(2024, 3, 1),): Total(32),
    }
    YearlyFact.objects.filter(year=date(2023, 1, 1)).delete()
    assert Facts(world.jac_viewer).units(SALES, period) == 51


FIRST_DAY, LAST_DAY = date(2022, 11, 1), date(2025, 2, 28)


@pytest.fixture
def every_day(world):
    """Sales on every day from November 2022 to February 2025, 1 to 3 a day; every
    vehicle retailed a week after its wholesale, those of every fifth day scrapped 100
    days after that."""
    history = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        index = (day - FIRST_DAY).days
        history.append(
            Sold(
                on=day,
                market=("SA", "CN", "IQ")[index % 3],
                units=1 + day.toordinal() % 3,
                retailed_on=day + timedelta(days=7),
                gone_on=day + timedelta(days=107) if index % 5 == 0 else None,
            )
        )
        day += timedelta(days=1)
    write_history(world, history)
    return world, history


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    start=st.dates(date(2022, 10, 1), date(2025, 3, 31)),
    length=st.integers(min_value=0, max_value=900),
)
def test_any_period_counts_exactly_its_days(every_day, start, length):
    """Whichever years, months and days a period is read as, it counts its days: no day
    twice, none left out; and the user base on any day is what the vehicles say."""
    world, history = every_day
    period = Period(start, start + timedelta(days=length))
    facts = Facts(world.jac_viewer)
    assert facts.units(SALES, period) == units_of(history, period)
    by_month = facts.totals(SALES, period, ("month",))
    assert sum(total.units for total in by_month.values()) == units_of(history, period)
    for (month,), total in by_month.items():
        days = Period(max(month, period.start), min(month_end(month), period.end))
        assert total.units == units_of(history, days)
    on = period.end
    expected = sum(sold.units for sold in history if sold.retailed_on and sold.retailed_on <= on)
    expected -= sum(sold.units for sold in history if sold.gone_on and sold.gone_on <= on)
    assert sum(facts.in_operation(on).values()) == expected
    figures = kpis(facts=facts, measure=SALES, period=period)
    assert figures.total.previous_units == units_of(history, period.previous_year())


def test_a_brand_with_no_sales_the_year_before_is_new(world):
    write_history(
        world,
        [
            Sold(on=date(2024, 5, 1), market="SA", units=3, variant=world.nezha_variant),
            Sold(on=date(2023, 5, 1), market="SA", units=7),  # JAC's, not Nezha's
        ],
    )
    figures = kpis(facts=Facts(world.nezha_admin), measure=SALES, period=Period.year(2024))
    assert figures.total == Growth(3, 0, Period.year(2023))
    assert figures.total.pct is None
    assert figures.total.is_new is True
    assert figures.international.growth.is_new is True
    # Nothing at home either year: neither new nor a growth.
    assert figures.domestic.growth == Growth(0, 0, Period.year(2023))
    assert (figures.domestic.growth.pct, figures.domestic.growth.is_new) == (None, False)
    as_json = figures.as_json()
    assert (as_json["units"], as_json["previous_units"], as_json["yoy_pct"]) == (3, 0, None)
    assert as_json["domestic"] == {
        "units": 0,
        "previous_units": 0,
        "yoy_pct": None,
        "countries": 0,
    }
    assert as_json["international"]["yoy_pct"] is None
    assert as_json["new_energy_share_pct"] == 0.0
    # A brand that grows is not new.
    jac = kpis(facts=Facts(world.jac_viewer), measure=SALES, period=Period.year(2024))
    assert (jac.total.units, jac.total.previous_units, jac.total.is_new) == (0, 7, False)
    assert jac.total.pct == Decimal("-100.0")
    assert jac.as_json()["new_energy_share_pct"] is None


# --- scope and filters -------------------------------------------------------------------


@pytest.fixture
def markets_2024(world, bev_variant):
    """JAC in CN, SA, IQ and OM, Nezha in SA, in 2023 and 2024."""
    history = [
        Sold(on=date(2024, 3, 3), market="CN", units=5),
        Sold(on=date(2024, 3, 3), market="SA", units=3, price=Decimal("100.5"), currency="USD"),
        Sold(on=date(2024, 3, 4), market="SA", units=6, variant=bev_variant),
        Sold(on=date(2024, 4, 1), market="IQ", units=2, price=Decimal("90"), currency="EUR"),
        Sold(on=date(2024, 4, 2), market="OM", units=4),
        Sold(on=date(2023, 4, 2), market="OM", units=8),
        Sold(on=date(2023, 3, 3), market="SA", units=1),
        Sold(on=date(2024, 3, 5), market="SA", units=7, variant=world.nezha_variant),
    ]
    write_history(world, history)
    return world


def test_every_actor_counts_only_what_its_scope_shows(markets_2024):
    world = markets_2024
    period = Period.year(2024)

    def total(actor, filters=None) -> tuple[int, int]:
        figures = kpis(facts=Facts(actor, filters), measure=SALES, period=period)
        return figures.total.units, figures.total.previous_units

    assert total(world.jac_viewer) == (20, 9)
    assert total(world.jac_admin) == (20, 9)
    # Zhongjiang: JAC in Saudi Arabia and Iraq, not Oman, China or Nezha.
    partner = kpis(facts=Facts(world.partner_viewer), measure=SALES, period=period)
    assert (partner.total.units, partner.total.previous_units) == (11, 1)
    assert (partner.domestic.growth.units, partner.international.growth.units) == (0, 11)
    assert (partner.countries, partner.countries_ever) == (2, 2)
    assert partner.revenue == {"EUR": Decimal("180"), "USD": Decimal("301.5")}
    assert [
        line.code
        for line in markets_ranked(facts=Facts(world.partner_admin), measure=SALES, period=period)
    ] == ["SA", "IQ"]
    # A filter never widens the scope.
    assert total(world.partner_viewer, Filters(market_codes=("OM", "CN"))) == (0, 0)
    # Riyadh Motors: JAC in Saudi Arabia.
    assert total(world.dealer_admin) == (9, 1)
    # Nezha's admin counts Nezha's own, nothing of JAC's.
    assert total(world.nezha_admin) == (7, 0)
    assert total(world.nezha_admin, Filters(brand_ids=(world.jac_brand.pk,))) == (0, 0)
    # No actor, no figures.
    assert total(None) == (0, 0)
    assert kpis(facts=Facts(None), measure=SALES, period=period).countries_ever == 0
    assert cumulative(facts=Facts(None), measure=SALES, through=date(2024, 12, 31)) == 0


def test_filters_by_product_line_market_region_and_powertrain(markets_2024, bev_variant):
    world = markets_2024
    period = Period.year(2024)

    def units(**filters) -> int:
        return Facts(world.jac_viewer, Filters(**filters)).units(SALES, period)

    assert units() == 20
    assert units(product_line_ids=(world.jac_line.pk,)) == 14
    assert units(product_line_ids=(bev_variant.product_line_id,)) == 6
    assert units(product_line_ids=(world.jac_line.pk, bev_variant.product_line_id)) == 20
    assert units(market_codes=("SA", "OM")) == 13
    assert units(market_codes=("CN",)) == 5
    assert units(region=world.region) == 13  # GCC: Saudi Arabia and Oman
    assert units(region=world.region, powertrains=("diesel",)) == 7
    assert units(powertrains=("bev", "phev", "erev")) == 6
    assert units(powertrains=("petrol",)) == 0
    assert units(brand_ids=(world.jac_brand.pk,)) == 20
    # Filters combine with AND; the region's figures keep their year-on-year base.
    gcc = kpis(
        facts=Facts(world.jac_viewer, Filters(region=world.region)), measure=SALES, period=period
    )
    assert (gcc.total.units, gcc.total.previous_units, gcc.total.pct) == (13, 9, Decimal("44.4"))
    assert gcc.regions == ["GCC"]
    empty = BusinessRegion.objects.create(code="latam", name="Latin America")
    assert units(region=empty) == 0


def test_markets_ranked_mix_and_revenue(markets_2024, bev_variant):
    world = markets_2024
    facts = Facts(world.jac_viewer)
    period = Period.year(2024)
    previous = Period.year(2023)
    assert markets_ranked(facts=facts, measure=SALES, period=period) == [
        MarketLine("SA", "Saudi Arabia", False, Growth(9, 1, previous)),
        MarketLine("CN", "China", True, Growth(5, 0, previous)),
        MarketLine("OM", "Oman", False, Growth(4, 8, previous)),
        MarketLine("IQ", "Iraq", False, Growth(2, 0, previous)),
    ]
    assert powertrain_mix(facts=facts, measure=SALES, period=period) == [
        MixLine("diesel", 14, Decimal("70.0")),
        MixLine("bev", 6, Decimal("30.0")),
    ]
    figures = kpis(facts=facts, measure=SALES, period=period)
    assert (figures.new_energy_units, figures.new_energy_share) == (6, Decimal("30.0"))
    # Revenue by the order currency; deliveries at home carry none.
    assert figures.revenue == {"EUR": Decimal("180"), "USD": Decimal("301.5")}
    assert facts.totals(SALES, period, ("currency",)) == {
        ("",): Total(15),
        ("USD",): Total(3, {"USD": Decimal("301.5")}),
        ("EUR",): Total(2, {"EUR": Decimal("180")}),
    }
    assert facts.totals(SALES, period, ("market_id",))[("SA",)] == Total(
        9, {"USD": Decimal("301.5")}
    )
    # Other measures carry no revenue.
    assert kpis(facts=facts, measure=Measure.SHIPPED, period=period).revenue == {}
    assert kpis(facts=facts, measure=Measure.SHIPPED, period=period).total.units == 15
    with pytest.raises(ValueError, match="Cannot group facts by vin"):
        facts.totals(SALES, period, ("vin",))


def test_monthly_trend_and_month_on_month(markets_2024):
    world = markets_2024
    facts = Facts(world.jac_viewer)
    period = Period(date(2024, 2, 1), date(2024, 4, 15))
    assert monthly_trend(facts=facts, measure=SALES, period=period) == [
        MonthPoint(date(2024, 2, 1), 0, 0),
        MonthPoint(date(2024, 3, 1), 14, 1),
        MonthPoint(date(2024, 4, 1), 6, 8),
    ]
    assert monthly_trend(facts=facts, measure=SALES, period=period)[2].yoy_pct == Decimal("-25.0")
    # 1–15 April (6) against 1–15 March (14).
    assert month_on_month(facts=facts, measure=SALES, period=period) == Growth(
        6, 14, Period(date(2024, 3, 1), date(2024, 3, 15))
    )
    # 1–2 April against 1–2 March: nothing then.
    early = month_on_month(
        facts=facts, measure=SALES, period=Period(date(2024, 1, 1), date(2024, 4, 2))
    )
    assert (early.units, early.previous_units, early.is_new) == (6, 0, True)
    # A period ending on a month's last day compares with the whole month before.
    whole = month_on_month(facts=facts, measure=SALES, period=Period.month(2024, 3))
    assert whole == Growth(14, 0, Period.month(2024, 2))


# --- vehicles in operation ---------------------------------------------------------------


def test_vehicles_in_operation_on_a_day(world, bev_variant):
    history = [
        Sold(on=date(2023, 1, 5), market="SA", units=4, retailed_on=date(2023, 2, 10)),
        Sold(
            on=date(2023, 1, 5),
            market="SA",
            units=2,
            retailed_on=date(2023, 3, 1),
            gone_on=date(2024, 2, 15),
        ),
        Sold(on=date(2023, 6, 1), market="CN", units=3, retailed_on=date(2023, 6, 20)),
        Sold(
            on=date(2023, 6, 1),
            market="OM",
            units=5,
            variant=bev_variant,
            retailed_on=date(2024, 1, 20),
        ),
        Sold(on=date(2023, 6, 1), market="IQ", units=7),  # in dealer stock: not in operation
    ]
    write_history(world, history)
    facts = Facts(world.jac_viewer)

    def on(day: date) -> int:
        return sum(facts.in_operation(day).values())

    assert on(date(2023, 2, 9)) == 0
    assert on(date(2023, 2, 10)) == 4
    assert on(date(2023, 3, 1)) == 6
    assert on(date(2023, 12, 31)) == 9
    assert on(date(2024, 2, 14)) == 14
    assert on(date(2024, 2, 15)) == 12
    assert facts.in_operation(date(2024, 3, 1), ("market_id",)) == {
        ("SA",): 4,
        ("CN",): 3,
        ("OM",): 5,
    }
    figures = kpis(facts=facts, measure=Measure.IN_OPERATION, period=Period.year(2024))
    assert (figures.total.units, figures.total.previous_units) == (12, 9)
    assert (figures.domestic.growth.units, figures.international.growth.units) == (3, 9)
    assert (figures.countries, figures.countries_ever) == (3, 3)
    assert (figures.new_energy_units, figures.new_energy_share) == (5, Decimal("41.7"))
    assert figures.revenue == {}
    assert monthly_trend(
        facts=facts, measure=Measure.IN_OPERATION, period=Period(date(2024, 1, 1), date(2024, 3, 5))
    ) == [
        MonthPoint(date(2024, 1, 1), 14, 0),
        MonthPoint(date(2024, 2, 1), 12, 4),
        MonthPoint(date(2024, 3, 1), 12, 6),
    ]
    assert month_on_month(
        facts=facts,
        measure=Measure.IN_OPERATION,
        period=Period(date(2024, 1, 1), date(2024, 2, 20)),
    ) == Growth(12, 14, Period(date(2024, 1, 1), date(2024, 1, 20)))
    assert powertrain_mix(facts=facts, measure=Measure.IN_OPERATION, period=Period.year(2024)) == [
        MixLine("diesel", 7, Decimal("58.3")),
        MixLine("bev", 5, Decimal("41.7")),
    ]
    assert markets_ranked(facts=facts, measure=Measure.IN_OPERATION, period=Period.year(2024)) == [
        MarketLine("OM", "Oman", False, Growth(5, 0, Period.year(2023))),
        MarketLine("SA", "Saudi Arabia", False, Growth(4, 6, Period.year(2023))),
        MarketLine("CN", "China", True, Growth(3, 3, Period.year(2023))),
    ]
    # Retail counts every sale, gone or not.
    assert facts.units(Measure.RETAIL, Period(date(2023, 1, 1), date(2024, 12, 31))) == 14


# --- the incremental path ----------------------------------------------------------------


def test_the_facts_kept_by_the_services_give_the_figures_of_a_rebuild(world, cn_dealer):
    """A small history through the real services: every figure the same before and after
    a rebuild, and the same as the history says."""
    saudi = export_order(world, "EO-2023-001", quantity=3, unit_price="18500.25")
    home = export_order(world, "EO-2023-002", destination="CN", buyer=cn_dealer, quantity=2)
    a, b, c, d, e, f = produce(world, 1, 2, 3, 4, 5, 6, on=date(2023, 1, 10))
    ship(
        world,
        saudi,
        [a, b, c],
        number="SH-2023-001",
        allocated_on=date(2023, 1, 20),
        departed_on=date(2023, 2, 1),
    )
    vehicles_allocate(
        actor=world.jac_staff,
        line=home.lines.get(),
        vehicle_ids=[d.pk, e.pk],
        allocated_on=date(2023, 2, 3),
    )
    vehicles_deliver_to_dealer(
        actor=world.jac_staff, vehicles=[d, e], dealer=cn_dealer, occurred_on=date(2023, 2, 5)
    )
    for vehicle in (d, e):
        vehicle.refresh_from_db()
    vehicle_retail(
        actor=world.jac_staff,
        vehicle=d,
        customer=NewCustomer(kind="person", name="Li Wei", country_id="CN"),
        occurred_on=date(2023, 3, 1),
        price=Decimal("120000"),
        currency="CNY",
    )
    d.refresh_from_db()
    vehicle_scrap(actor=world.jac_staff, vehicle=d, occurred_on=date(2023, 11, 30))
    del f  # produced only

    def figures(actor) -> tuple:
        facts = Facts(actor)
        year = Period.year(2023)
        return (
            kpis(facts=facts, measure=SALES, period=year).as_json(),
            kpis(facts=facts, measure=Measure.PRODUCTION, period=year).as_json(),
            kpis(facts=facts, measure=Measure.IN_OPERATION, period=Period.month(2023, 6)).as_json(),
            markets_ranked(facts=facts, measure=SALES, period=year),
            monthly_trend(facts=facts, measure=SALES, period=year),
            monthly_trend(facts=facts, measure=Measure.IN_OPERATION, period=year),
            powertrain_mix(facts=facts, measure=Measure.SHIPPED, period=year),
            cumulative(facts=facts, measure=Measure.RETAIL, through=date(2023, 12, 31)),
        )

    kept = {name: figures(getattr(world, name)) for name in ("jac_viewer", "partner_viewer")}
    sales = kept["jac_viewer"][0]
    assert (sales["units"], sales["domestic"]["units"], sales["international"]["units"]) == (
        5,
        2,
        3,
    )
    assert sales["revenue"] == {"USD": "55500.75"}
    assert kept["jac_viewer"][1]["units"] == 6
    assert kept["jac_viewer"][2]["units"] == 1
    assert [point.units for point in kept["jac_viewer"][5]] == [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0]
    assert kept["partner_viewer"][0]["units"] == 3
    assert kept["partner_viewer"][1]["units"] == 0
    assert facts_check() == []
    facts_rebuild()
    assert {name: figures(getattr(world, name)) for name in kept} == kept


def test_country_names_come_from_the_registry(markets_2024):
    Country.objects.filter(code="OM").update(name="Sultanate of Oman")
    lines = markets_ranked(
        facts=Facts(markets_2024.jac_viewer), measure=SALES, period=Period.year(2024)
    )
    assert [line.name for line in lines] == ["Saudi Arabia", "China", "Sultanate of Oman", "Iraq"]
