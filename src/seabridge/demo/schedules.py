"""Each maker's wholesale schedule, and one slot per vehicle drawn from it.

A maker's schedule is a run of :class:`~seabridge.demo.data.common.Period`: how many
units it sold wholesale at home and abroad from one day to another. :func:`slots`
spreads each period over its days (seasonality, quiet Sundays; largest remainders,
so the period's totals are exact) into one slot per vehicle, home and abroad
interleaved evenly within each day.

Zhengzhou Nissan's and Nezha's periods are fixed tables. JAC's are solved for the
figures of case 2 (:func:`jac_periods`): its fixed years from 2022, and before them
exactly as many units as put the 300,000th unit on 2024-05-23, the first one coming
off the line 13 years before the 200,000th.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from seabridge.demo.data.common import LAG, Period
from seabridge.demo.data.jac import JAC_FIXED, JAC_UNIT_300K_ON
from seabridge.demo.services import apportion

# Relative wholesale by calendar month: the Spring Festival dip, a year-end push.
SEASON = (0.95, 0.72, 1.05, 1.00, 1.00, 1.02, 0.95, 0.97, 1.05, 1.03, 1.08, 1.18)


def _spread(period: Period, total: int) -> list[tuple[date, int]]:
    """``total`` units over the period's days with seasonality and quiet Sundays."""
    days = (period.last - period.first).days + 1
    weights = []
    for offset in range(days):
        day = period.first + timedelta(days=offset)
        weights.append(SEASON[day.month - 1] * (0.35 if day.weekday() == 6 else 1.0))
    counts = apportion(total, weights)
    return [(period.first + timedelta(days=offset), count) for offset, count in enumerate(counts)]


def slots(periods: Sequence[Period]) -> list[tuple[date, bool]]:
    """One (wholesale day, sold at home) per vehicle, in order; home and abroad
    interleaved within each day as evenly as their counts allow."""
    result: list[tuple[date, bool]] = []
    for period in periods:
        total = period.domestic + period.international
        home_days = dict(_spread(period, period.domestic))
        for day, count in _spread(period, total):
            home = min(home_days.get(day, 0), count)
            for index in range(count):
                # Bresenham: the first `home` of every `count` positions, spread evenly.
                is_home = (index + 1) * home // count > index * home // count
                result.append((day, is_home))
    return result


def _years_weights(first: date, last: date, growth: float) -> list[tuple[date, date, float]]:
    spans = []
    year = first.year
    while year <= last.year:
        start = max(first, date(year, 1, 1))
        end = min(last, date(year, 12, 31))
        share = ((end - start).days + 1) / 365
        spans.append((start, end, share * (1 + growth) ** (year - first.year)))
        year += 1
    return spans


def _early_periods(first: date, last: date, total: int, export_share: float) -> list[Period]:
    """``total`` units from ``first`` to ``last``, growing 9 % a year, exactly."""
    spans = _years_weights(first, last, 0.09)
    counts = apportion(total, [span[2] for span in spans])
    periods = []
    for (start, end, _weight), count in zip(spans, counts, strict=True):
        abroad = round(count * export_share)
        periods.append(Period(start, end, count - abroad, abroad))
    return periods


def jac_periods() -> tuple[Period, ...]:
    """JAC's schedule: the fixed years from 2022, and before them exactly as many units
    as put unit 300,000 on 2024-05-23, starting 13 years before unit 200,000."""
    later = slots(JAC_FIXED)
    # Unit 300,000 is the first vehicle of the slot day LAG days after its production.
    day_300k = JAC_UNIT_300K_ON + timedelta(days=LAG)
    before_day = sum(1 for day, _home in later if day < day_300k)
    early_total = 300_000 - 1 - before_day
    unit_200k_slot = later[200_000 - early_total - 1][0]
    # 13 whole years and a few weeks before unit 200,000 came off the line.
    unit_200k_on = unit_200k_slot - timedelta(days=LAG)
    first_on = unit_200k_on.replace(year=unit_200k_on.year - 13) - timedelta(days=20)
    early = _early_periods(first_on + timedelta(days=LAG), date(2021, 12, 31), early_total, 0.7)
    return (*early, *JAC_FIXED)
