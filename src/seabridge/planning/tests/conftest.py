"""Fixtures of the planning tests: the memorandum between JAC and Zhongjiang, and its plan."""

from __future__ import annotations

from datetime import date

import pytest

from seabridge.core.scope import Area
from seabridge.core.tests.world import World, build_world, grant
from seabridge.planning import services
from seabridge.planning.models import SalesPlan


@pytest.fixture
def world(db) -> World:
    world = build_world()
    world.agreement = grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA", "IQ", "OM", "NG"],
        areas=[Area.SALES],
    )
    return world


def three_steps(world: World) -> SalesPlan:
    """The memorandum's "three-year, three-step" plan to 3,000 cumulative units."""
    plan = services.sales_plan_create(
        actor=world.jac_staff,
        brand=world.jac_brand,
        agreement=world.agreement,
        data=services.PlanInput(
            title="Three-Year, Three-Step",
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            cumulative_target=3000,
        ),
    )
    services.plan_phases_set(
        actor=world.jac_staff,
        plan=plan,
        phases=[
            services.PhaseInput(
                1,
                "Three emerging markets",
                date(2025, 1, 1),
                date(2025, 12, 31),
                ["SA", "IQ", "OM"],
                500,
            ),
            services.PhaseInput(
                2,
                "Resource-rich expansion",
                date(2026, 1, 1),
                date(2026, 12, 31),
                ["SA", "IQ", "OM", "NG"],
                1000,
            ),
            services.PhaseInput(
                3, "Scale", date(2027, 1, 1), date(2027, 12, 31), ["SA", "IQ", "OM", "NG"], 1500
            ),
        ],
    )
    return plan


@pytest.fixture
def plan(world: World) -> SalesPlan:
    return three_steps(world)
