"""The demo world states the three cases' figures through the commands people run.

One test builds the whole world (over 800,000 vehicles with their events) and reads
every figure back with ``seabridge milestones``, ``seabridge kpi`` and ``seabridge
bulletin``, exactly; it runs on SQLite and on PostgreSQL like every test.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from seabridge.accounts.models import Organization
from seabridge.analytics.facts import facts_check
from seabridge.planning.models import PlanMilestone
from seabridge.vehicles.models import Vehicle


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def as_json(*args: str) -> Any:
    return json.loads(run(*args, "--json"))


@pytest.mark.django_db
def test_the_demo_world_reports_the_figures_of_the_three_cases(settings) -> None:
    settings.DEBUG = True
    built = run("demo")

    assert "Demo world built" in built
    assert "the password is 'seabridge-demo'" in built
    assert "sales@jac-lagos-ikeja.example" in built

    # JAC, 2024-05-23: the 300,000th pickup; 13 years to 200,000, under two years since.
    by_100k = as_json("milestones", "--brand", "JAC")
    assert [(m["unit"], m["produced_on"], m["interval"]) for m in by_100k[:4]] == [
        (1, "2009-07-15", ""),
        (100_000, "2018-05-16", "8 years 10 months"),
        (200_000, "2022-08-04", "4 years 2 months"),
        (300_000, "2024-05-23", "1 year 9 months"),
    ]
    assert by_100k[3]["days_since_previous"] == 658
    by_200k = as_json("milestones", "--brand", "JAC", "--every", "200000")
    assert [(m["unit"], m["produced_on"], m["interval"]) for m in by_200k[:2]] == [
        (1, "2009-07-15", ""),
        (200_000, "2022-08-04", "13 years"),
    ]

    # 2023: 55,000 units, +11.3 %; at home +16.3 %, abroad +9.9 %.
    year = as_json(
        "kpi", "--brand", "JAC", "--measure", "sales", "--from", "2023-01-01", "--to", "2023-12-31"
    )
    assert (year["units"], year["previous_units"], year["yoy_pct"]) == (55_000, 49_416, 11.3)
    assert (year["domestic"]["units"], year["domestic"]["yoy_pct"]) == (12_571, 16.3)
    assert (year["international"]["units"], year["international"]["yoy_pct"]) == (42_429, 9.9)
    # Fuel and new-energy pickups both sold.
    assert (year["new_energy_units"], year["new_energy_share_pct"]) == (1_400, 2.5)

    # January–April 2024: 18,200 units.
    four_months = as_json(
        "kpi", "--brand", "JAC", "--measure", "sales", "--from", "2024-01-01", "--to", "2024-04-30"
    )
    assert four_months["units"] == 18_200

    # 132 countries and regions outside China with sales, ever.
    ever = as_json(
        "kpi", "--brand", "JAC", "--measure", "sales", "--from", "2009-01-01", "--to", "2026-11-23"
    )
    assert ever["international"]["countries"] == 132
    assert ever["domestic"]["countries"] == 1

    assert run("bulletin", "--brand", "JAC", "--year", "2023", "--through", "2024-04-30",
               "--lang", "en").strip() == (
        "Global sales reached 55,000 units in 2023, up 11.3% year on year; domestic sales "
        "grew 16.3% and international sales 9.9%. From January to April 2024, cumulative "
        "sales totalled 18,200 units."
    )  # fmt: skip

    # Nezha: more than 320,000 users, abroad in ASEAN, South America and the Middle East.
    users = as_json(
        "kpi", "--brand", "Nezha", "--measure", "in_operation",
        "--from", "2026-01-01", "--to", "2026-11-23",
    )  # fmt: skip
    assert users["units"] == 328_353
    assert users["units"] > 320_000
    assert {"ASEAN", "South America", "Middle East"} <= set(users["regions"])
    assert users["international"]["countries"] == 15

    # Zhengzhou Nissan and Zhongjiang: the samples procured in time, the plan behind.
    samples = PlanMilestone.objects.get(title="First batch of sample vehicles procured")
    assert samples.status == "done"
    assert samples.completed_on is not None
    assert samples.completed_on.isoformat() <= "2025-06-30"
    plan_year = as_json(
        "kpi", "--brand", "Zhengzhou Nissan", "--measure", "sales",
        "--from", "2025-01-01", "--to", "2025-12-31",
    )  # fmt: skip
    assert plan_year["international"]["units"] == 310  # the plan's 2025 step: 500
    assert plan_year["international"]["countries"] == 3

    assert facts_check() == []


@pytest.mark.django_db
def test_the_demo_is_refused_without_debug_and_writes_nothing(settings) -> None:
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refused when DEBUG is off"):
        run("demo")

    assert Organization.objects.count() == 0
    assert Vehicle.objects.count() == 0
