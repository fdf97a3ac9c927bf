"""The headline bulletin: a brand's sales in one year, and the year to date after it, written
out in each of our languages from the KPIs.

Every sentence comes from the translation catalogues (``gettext`` with named
placeholders, so that translators may reorder them); numbers, percentages, month
names and dates come from babel, in the language's own conventions. "Sales" are
wholesale, as makers report them. Growth over nothing is "new", never a division.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from seabridge.analytics.choices import Measure
from seabridge.analytics.selectors import Facts, Growth, brand_by_name, kpis
from seabridge.core.errors import FieldErrors
from seabridge.core.periods import Period, month_end

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# The days any analytics figure may be asked about: comparisons reach a year back and
# the user base is summed from 1900, so earlier days are refused rather than misread.
FIRST_DAY = date(1950, 1, 1)
LAST_DAY = date(2999, 12, 31)
FIRST_YEAR = FIRST_DAY.year
LAST_YEAR = LAST_DAY.year - 1  # the year to date after it must fit too


class _Formats:
    """Numbers, percentages, months and days as the language writes them (babel)."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(translation.to_locale(language))
        pattern = self.locale.percent_formats[None].pattern
        # One decimal, in the locale's own percent pattern ("11.3%", "11,3 %").
        self.percent_pattern = (
            pattern.replace("#,##0", "#,##0.0", 1) if "#,##0" in pattern else "#,##0.0%"
        )

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: Decimal) -> str:
        """``value`` percent without its sign: the sentence says up or down."""
        return format_percent(abs(value) / 100, format=self.percent_pattern, locale=self.locale)

    def month(self, day: date) -> str:
        # Translators: a babel (CLDR) date pattern for a month named in the bulletin,
        # e.g. "MMMM" (January, января) or "M月" (1月).
        return format_date(day, pgettext("bulletin month pattern", "MMMM"), locale=self.locale)

    def day(self, day: date) -> str:
        return format_date(day, format="long", locale=self.locale)


def _direction(growth: Growth) -> str:
    """``none`` (nothing in either year), ``new`` (nothing the year before), ``up``,
    ``down`` or ``flat``."""
    if growth.units <= 0 and growth.previous_units <= 0:
        return "none"
    if growth.is_new:
        return "new"
    pct = growth.pct or Decimal(0)
    if pct > 0:
        return "up"
    return "down" if pct < 0 else "flat"


def _headline(total: Growth, year: int, formats: _Formats) -> tuple[str, bool]:
    """The year's global sales, and whether the domestic and international split follows."""
    direction = _direction(total)
    units = total.units
    values = {
        "units": formats.number(units),
        "previous": formats.number(total.previous_units),
        "year": year,
        "percent": formats.percent(total.pct or Decimal(0)),
    }
    if direction == "none":
        return _("There were no sales in %(year)s.") % values, False
    if units <= 0:
        text = ngettext(
            "There were no sales in %(year)s, against %(previous)s unit the year before.",
            "There were no sales in %(year)s, against %(previous)s units the year before.",
            total.previous_units,
        )
        return text % values, False
    if direction == "new":
        text = ngettext(
            "Global sales reached %(units)s unit in %(year)s, against none the year before",
            "Global sales reached %(units)s units in %(year)s, against none the year before",
            units,
        )
    elif direction == "up":
        text = ngettext(
            "Global sales reached %(units)s unit in %(year)s, up %(percent)s year on year",
            "Global sales reached %(units)s units in %(year)s, up %(percent)s year on year",
            units,
        )
    elif direction == "down":
        text = ngettext(
            "Global sales totalled %(units)s unit in %(year)s, down %(percent)s year on year",
            "Global sales totalled %(units)s units in %(year)s, down %(percent)s year on year",
            units,
        )
    else:
        text = ngettext(
            "Global sales totalled %(units)s unit in %(year)s, flat year on year",
            "Global sales totalled %(units)s units in %(year)s, flat year on year",
            units,
        )
    return text % values, True


def _domestic(growth: Growth, formats: _Formats) -> str:
    direction = _direction(growth)
    values = {"percent": formats.percent(growth.pct or Decimal(0))}
    if direction == "none":
        return _("there were no domestic sales")
    if direction == "new":
        text = ngettext(
            "domestic sales rose from none to %(units)s unit",
            "domestic sales rose from none to %(units)s units",
            growth.units,
        )
        return text % {"units": formats.number(growth.units)}
    if direction == "up":
        return _("domestic sales grew %(percent)s") % values
    if direction == "down":
        return _("domestic sales fell %(percent)s") % values
    return _("domestic sales were flat")


def _international(growth: Growth, formats: _Formats) -> str:
    direction = _direction(growth)
    values = {"percent": formats.percent(growth.pct or Decimal(0))}
    if direction == "none":
        return _("there were no international sales")
    if direction == "new":
        text = ngettext(
            "international sales rose from none to %(units)s unit",
            "international sales rose from none to %(units)s units",
            growth.units,
        )
        return text % {"units": formats.number(growth.units)}
    if direction == "up":
        return _("international sales grew %(percent)s") % values
    if direction == "down":
        return _("international sales fell %(percent)s") % values
    return _("international sales were flat")


def _breakdown(domestic: Growth, international: Growth, formats: _Formats) -> str:
    """The domestic and international growth, in one clause."""
    directions = (_direction(domestic), _direction(international))
    values = {
        "domestic": formats.percent(domestic.pct or Decimal(0)),
        "international": formats.percent(international.pct or Decimal(0)),
    }
    if directions == ("up", "up"):
        return _("domestic sales grew %(domestic)s and international sales %(international)s") % (
            values
        )
    if directions == ("down", "down"):
        return _("domestic sales fell %(domestic)s and international sales %(international)s") % (
            values
        )
    return _("%(domestic)s and %(international)s") % {
        "domestic": _domestic(domestic, formats),
        "international": _international(international, formats),
    }


def _year_to_date(units: int, through: date, formats: _Formats) -> str:
    """Sales from 1 January of ``through``'s year to ``through``."""
    values = {"units": formats.number(units), "year": through.year}
    if through != month_end(through):
        # Part of the last month: name the days, not the months.
        values.update(start=formats.day(date(through.year, 1, 1)), end=formats.day(through))
        text = ngettext(
            "From %(start)s to %(end)s, cumulative sales totalled %(units)s unit.",
            "From %(start)s to %(end)s, cumulative sales totalled %(units)s units.",
            units,
        )
    elif through.month == 1:
        values["month"] = formats.month(through)
        text = ngettext(
            "In %(month)s %(year)s, sales totalled %(units)s unit.",
            "In %(month)s %(year)s, sales totalled %(units)s units.",
            units,
        )
    else:
        values.update(
            first_month=formats.month(date(through.year, 1, 1)), last_month=formats.month(through)
        )
        text = ngettext(
            "From %(first_month)s to %(last_month)s %(year)s, cumulative sales totalled "
            "%(units)s unit.",
            "From %(first_month)s to %(last_month)s %(year)s, cumulative sales totalled "
            "%(units)s units.",
            units,
        )
    return text % values


def bulletin(
    *, facts: Facts, brand_name: str, year: int, through: date | None, language: str
) -> str:
    """The bulletin of the brand named ``brand_name`` (as ``facts``' actor may see it).

    The first sentence is the full ``year``: global sales, their growth year on year,
    and the domestic and international growth. With ``through`` (a day in a later
    year), the second is January to ``through`` of that year. ``language`` is one of
    :data:`LANGUAGES`.
    """
    errors = FieldErrors()
    if language not in LANGUAGES:
        errors.add(
            "language",
            _("Choose one of %(languages)s.") % {"languages": ", ".join(LANGUAGES)},
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors.add(
            "year",
            _("Give a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    elif through is not None and through.year <= year:
        errors.add(
            "through",
            _("Give a day after %(year)s: the year to date follows the year.") % {"year": year},
        )
    errors.raise_if_any()
    brand = brand_by_name(facts.actor, brand_name)
    facts = Facts(facts.actor, replace(facts.filters, brand_ids=(brand.pk,)))
    figures = kpis(facts=facts, measure=Measure.SALES, period=Period.year(year))
    year_to_date = (
        facts.units(Measure.SALES, Period.year_to_date(through)) if through is not None else None
    )
    with translation.override(language):
        formats = _Formats(language)
        headline, with_breakdown = _headline(figures.total, year, formats)
        if with_breakdown:
            headline = _("%(headline)s; %(breakdown)s.") % {
                "headline": headline,
                "breakdown": _breakdown(
                    figures.domestic.growth, figures.international.growth, formats
                ),
            }
        if through is None or year_to_date is None:
            return headline
        # Translators: joins the bulletin's two sentences (no space in Chinese).
        return pgettext("bulletin sentences", "%(first)s %(second)s") % {
            "first": headline,
            "second": _year_to_date(year_to_date, through, formats),
        }
