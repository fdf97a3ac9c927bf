"""Pre-aggregated facts: unit counts by day and by month, kept exact with the events.

Every event that changes a figure (production, wholesale, shipping, retail, a
retail cancellation, a vehicle leaving the road) adds its delta to the three
tables in the same transaction as the event (:mod:`seabridge.analytics.facts`).
Reports read whole years from :class:`YearlyFact`, whole months from
:class:`MonthlyFact` and the days of partial months from :class:`DailyFact`, so a
KPI reads a few thousand rows however many vehicles lie behind them.
``seabridge analytics_facts --rebuild`` recomputes them from the events and
``--check`` compares.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from seabridge.analytics.choices import Measure
from seabridge.catalog.choices import Powertrain
from seabridge.core.money import CurrencyField

# Revenue is kept as an integer number of ten-thousandths (amounts have four
# decimal places) so that sums are exact on SQLite too, where decimals are floats.
REVENUE_SCALE = 10_000

DIMENSIONS = (
    "measure",
    "brand_id",
    "product_line_id",
    "powertrain",
    "market_id",
    "is_domestic",
    "currency",
)


def covering_index(date_column: str, name: str) -> models.Index:
    """The index reports read: the key in the order they filter and group, then the
    counts, so that a KPI is answered from the index alone (no table lookups)."""
    return models.Index(
        fields=[
            "measure",
            "brand",
            date_column,
            "market",
            "is_domestic",
            "powertrain",
            "currency",
            "product_line",
            "units",
            "revenue_scaled",
        ],
        name=name,
    )


class Fact(models.Model):
    """Units (and revenue, for wholesale) of one measure for one combination of dimensions.

    ``market`` is where the vehicle is sold (for production: the brand owner's home
    country); ``is_domestic`` says whether that is the brand owner's home country.
    ``currency`` is the order currency of wholesale revenue and empty elsewhere.
    """

    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices)
    brand = models.ForeignKey(
        "catalog.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="+"
    )
    product_line = models.ForeignKey(
        "catalog.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    powertrain = models.CharField(_("powertrain"), max_length=8, choices=Powertrain.choices)
    market = models.ForeignKey(
        "markets.Country", verbose_name=_("market"), on_delete=models.PROTECT, related_name="+"
    )
    is_domestic = models.BooleanField(_("domestic"))
    currency = CurrencyField(verbose_name=_("currency"), blank=True)
    units = models.BigIntegerField(_("units"), default=0)
    revenue_scaled = models.BigIntegerField(
        _("revenue"), default=0, help_text=_("Revenue in ten-thousandths of the currency.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.measure} {self.brand_id} {self.market_id}: {self.units}"


class DailyFact(Fact):
    """The facts of one day."""

    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("daily fact")
        verbose_name_plural = _("daily facts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "measure",
                    "brand",
                    "day",
                    *[d.removesuffix("_id") for d in DIMENSIONS[2:]],
                ],
                name="daily_fact_key",
            )
        ]
        indexes = [covering_index("day", "daily_fact_read")]


class MonthlyFact(Fact):
    """The facts of one calendar month; ``month`` is its first day."""

    month = models.DateField(_("month"))

    class Meta:
        verbose_name = _("monthly fact")
        verbose_name_plural = _("monthly facts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "measure",
                    "brand",
                    "month",
                    *[d.removesuffix("_id") for d in DIMENSIONS[2:]],
                ],
                name="monthly_fact_key",
            )
        ]
        indexes = [covering_index("month", "monthly_fact_read")]


class YearlyFact(Fact):
    """The facts of one calendar year; ``year`` is its first day. Figures since launch
    (cumulative units, countries ever, vehicles in operation) read these."""

    year = models.DateField(_("year"))

    class Meta:
        verbose_name = _("yearly fact")
        verbose_name_plural = _("yearly facts")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "measure",
                    "brand",
                    "year",
                    *[d.removesuffix("_id") for d in DIMENSIONS[2:]],
                ],
                name="yearly_fact_key",
            )
        ]
        indexes = [covering_index("year", "yearly_fact_read")]
