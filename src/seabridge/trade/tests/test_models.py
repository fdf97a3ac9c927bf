"""The database keeps the money invariants itself: a row with a negative amount (or a
rate of 0) is refused even when it bypasses the services."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from seabridge.trade.models import ExchangeRate, ExportOrderLine, Shipment
from seabridge.trade.tests.conftest import draft


def refused(queryset, **values) -> bool:
    """Whether the database refuses to set ``values`` on the rows of ``queryset``."""
    try:
        with transaction.atomic():
            queryset.update(**values)
    except IntegrityError:
        return True
    return False


def test_an_order_line_with_a_negative_unit_price_is_refused(world):
    line = draft(world).lines.get()
    lines = ExportOrderLine.objects.filter(pk=line.pk)

    assert refused(lines, unit_price=Decimal("-0.01"))
    assert lines.get().unit_price == Decimal("18500")
    assert not refused(lines, unit_price=Decimal(0))


@pytest.mark.parametrize("column", ["freight", "insurance", "other_costs"])
def test_a_negative_landed_cost_part_is_refused(loaded, column):
    shipments = Shipment.objects.filter(pk=loaded.shipment.pk)

    assert refused(shipments, **{column: Decimal("-1")})
    assert getattr(shipments.get(), column) is None
    assert not refused(shipments, **{column: Decimal(0)})


@pytest.mark.parametrize("rate", [Decimal(0), Decimal("-7.1")])
def test_an_exchange_rate_of_zero_or_less_is_refused(db, rate):
    with pytest.raises(IntegrityError), transaction.atomic():
        ExchangeRate.objects.create(currency="USD", on=date(2025, 5, 1), cny_per_unit=rate)

    assert not ExchangeRate.objects.exists()
