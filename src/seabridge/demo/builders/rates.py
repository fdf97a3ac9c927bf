"""The demo world's exchange rates: yuan per unit of each currency its dealers sell in.

:func:`exchange_rates_create` writes one rate per currency for 1 January of every
year of :data:`~seabridge.demo.data.rates.RATE_YEARS`, in bulk: the dollar's from
the yuan-per-dollar table, every other currency's through its units per dollar
(interpolated between the years the table gives, the last value kept after them).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from seabridge.core.errors import Conflict
from seabridge.demo.data.rates import CNY_PER_USD, RATE_PLACES, RATE_YEARS, UNITS_PER_USD
from seabridge.trade.models import ExchangeRate


def exchange_rates_create(currencies: set[str]) -> list[ExchangeRate]:
    """The rates of ``currencies`` (the yuan not among them) for every year; refused, writing
    nothing, when the table lacks one of them."""
    missing = sorted(currencies - set(UNITS_PER_USD) - {"USD"})
    if missing:
        raise Conflict(
            _("The demo world has no exchange rates for %(codes)s.") % {"codes": ", ".join(missing)}
        )
    rates = []
    for currency in sorted(currencies):
        for year in RATE_YEARS:
            usd = Decimal(CNY_PER_USD[year])
            rate = usd if currency == "USD" else usd / _units_per_usd(currency, year)
            rates.append(
                ExchangeRate(
                    currency=currency, on=date(year, 1, 1), cny_per_unit=rate.quantize(RATE_PLACES)
                )
            )
    return ExchangeRate.objects.bulk_create(rates, batch_size=500)


def _units_per_usd(currency: str, year: int) -> Decimal:
    anchors = UNITS_PER_USD[currency]
    years = sorted(anchors)
    if year <= years[0]:
        return Decimal(anchors[years[0]])
    if year >= years[-1]:
        return Decimal(anchors[years[-1]])
    after = next(known for known in years if known >= year)
    before = max(known for known in years if known <= year)
    if before == after:
        return Decimal(anchors[before])
    share = Decimal(year - before) / Decimal(after - before)
    low, high = Decimal(anchors[before]), Decimal(anchors[after])
    return low + (high - low) * share
