"""A small sales history shared by the command and API tests, written as vehicles and
their events (see :func:`~seabridge.analytics.tests.conftest.write_history`).

JAC sells at home (CN) and in Saudi Arabia, Iraq and Oman; Zhongjiang is granted
Saudi Arabia and Iraq. From January to April 2024 against the same months of 2023:

* sales: 91 units against 30 (CN 36 against 30; SA 50 and OM 5 against none);
* in operation on 30 April 2024: 56 in Saudi Arabia (40 sold in 2023, 4 of them
  scrapped in January, and 20 of those sold in March 2024), none a year earlier.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from seabridge.analytics.tests.conftest import Sold, write_history
from seabridge.core.tests.world import World

PRICE = Decimal("19000.50")

SALES = [
    Sold(date(2023, 3, 10), "CN", 30),
    Sold(date(2023, 6, 1), "SA", 36, retailed_on=date(2023, 7, 1)),
    Sold(date(2023, 6, 1), "SA", 4, retailed_on=date(2023, 7, 1), gone_on=date(2024, 1, 10)),
    Sold(date(2023, 9, 1), "IQ", 10),
    Sold(date(2024, 2, 15), "CN", 36),
    Sold(date(2024, 3, 20), "SA", 30, price=PRICE, currency="USD"),
    Sold(date(2024, 3, 20), "SA", 20, price=PRICE, currency="USD", retailed_on=date(2024, 4, 2)),
    Sold(date(2024, 4, 10), "OM", 5),
    Sold(date(2024, 5, 2), "SA", 7),  # after the period under test
]


@pytest.fixture(name="history")
def history_fixture(world: World) -> World:
    """The world with :data:`SALES` written and the facts rebuilt from it (178 vehicles)."""
    write_history(world, SALES)
    return world
