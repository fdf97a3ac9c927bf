"""The database keeps the money invariant of the VIN timeline: no negative price, even
from a writer that bypasses the services."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from seabridge.vehicles.models import VehicleEvent
from seabridge.vehicles.tests.conftest import produce


def test_an_event_with_a_negative_price_is_refused(world):
    (vehicle,) = produce(world, 1)
    events = VehicleEvent.objects.filter(vehicle=vehicle)

    with pytest.raises(IntegrityError), transaction.atomic():
        events.update(price=Decimal("-1"), currency="USD")

    assert list(events.values_list("price", "currency")) == [(None, "")]
    events.update(price=Decimal(0), currency="USD")  # a vehicle given away is not refused
    assert list(events.values_list("price", "currency")) == [(Decimal(0), "USD")]
