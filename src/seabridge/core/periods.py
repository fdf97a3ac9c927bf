"""Reporting periods: days, months, quarters, years, year-to-date, rolling twelve months.

A :class:`Period` is a closed range of dates (both ends included), which is how
people state them ("January to April 2024"). Comparisons with the year before
move both ends back a year; 29 February becomes 28 February.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed


def shift_months(day: date, months: int) -> date:
    """Move ``day`` by whole months, keeping the day of month where that month has it."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, slots=True)
class Period:
    """A closed range of dates, ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(
                fields={"end": [_("The period ends before it starts.")]},
            )

    @classmethod
    def day(cls, day: date) -> Period:
        return cls(day, day)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(start, month_end(start))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if quarter not in (1, 2, 3, 4):
            raise ValidationFailed(fields={"quarter": [_("A quarter is 1, 2, 3 or 4.")]})
        start = date(year, 3 * quarter - 2, 1)
        return cls(start, month_end(shift_months(start, 2)))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def year_to_date(cls, through: date) -> Period:
        """From 1 January of ``through``'s year to ``through``."""
        return cls(date(through.year, 1, 1), through)

    @classmethod
    def rolling_twelve_months(cls, through: date) -> Period:
        """The twelve months ending on ``through``."""
        return cls(shift_months(through, -12) + timedelta(days=1), through)

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def previous_year(self) -> Period:
        """The same dates one year earlier, the base for year-on-year growth."""
        start = shift_months(self.start, -12)
        end = shift_months(self.end, -12)
        if self.end == month_end(self.end):
            # A period ending on a month's last day compares with that month's last day:
            # February 2024 (to the 29th) compares with February 2023 (to the 28th).
            end = month_end(end)
        return Period(start, end)

    def previous_month(self) -> Period:
        """The same span one month earlier, the base for month-on-month growth."""
        end = shift_months(self.end, -1)
        if self.end == month_end(self.end):
            end = month_end(end)
        return Period(shift_months(self.start, -1), end)

    def months(self) -> Iterator[date]:
        """The first day of every month the period touches."""
        current = date(self.start.year, self.start.month, 1)
        while current <= self.end:
            yield current
            current = shift_months(current, 1)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"
