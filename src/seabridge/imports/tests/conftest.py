"""Fixtures of the imports tests: the shared world, JAC's partner and dealer granted Saudi sales."""

from __future__ import annotations

import pytest

from seabridge.core.scope import Area
from seabridge.core.tests.world import World, build_world, grant
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
    return world


def jac_vin(number: int) -> str:
    return valid_vin(f"LJ12EKR10S{number:07d}")


def production_csv(
    *numbers: int, header: str = "VIN,Variant,Produced on", day: str = "2025-03-01"
) -> bytes:
    lines = [header] + [f"{jac_vin(number)},T8-D,{day}" for number in numbers]
    return ("\n".join(lines) + "\n").encode()
