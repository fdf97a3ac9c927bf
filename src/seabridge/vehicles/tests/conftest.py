"""Fixtures of the vehicles tests: the shared world, with JAC's partner granted Saudi sales."""

from __future__ import annotations

from datetime import date

import pytest

from seabridge.core.scope import Area
from seabridge.core.tests.world import World, build_world, grant
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.tests.access import valid_vin


@pytest.fixture
def world(db) -> World:
    world = build_world()
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ"],
        areas=[Area.SALES],
    )
    grant(
        by=world.jac_admin,
        to=world.dealer,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    return world


def produce(world: World, *numbers: int, on: date = date(2025, 3, 1)) -> list[Vehicle]:
    """JAC vehicles with valid Chinese VINs ending in ``numbers``, produced through the service."""
    rows = [
        ProductionRow(vin=jac_vin(number), variant_id=world.jac_variant.pk, produced_on=on)
        for number in numbers
    ]
    return vehicles_produce(actor=world.jac_staff, rows=rows).vehicles


def jac_vin(number: int) -> str:
    return valid_vin(f"LJ12EKR10S{number:07d}")
