"""The analytics commands: ``kpi``, ``bulletin``, ``analytics_facts`` and ``milestones``
(the vehicles app's command, which ``seabridge milestones`` runs), with exact output."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db.models import F

from seabridge.analytics.models import DailyFact
from seabridge.analytics.tests.histories import history_fixture  # noqa: F401 - the fixture
from seabridge.core.tests.world import World

pytestmark = pytest.mark.django_db

PERIOD = ("--from", "2024-01-01", "--to", "2024-04-30")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def kpi_json(*args: str) -> dict[str, Any]:
    return json.loads(run("kpi", "--brand", "JAC", *PERIOD, "--json", *args))


def side(units: int, previous: int, pct: float | None, countries: int) -> dict[str, Any]:
    return {"units": units, "previous_units": previous, "yoy_pct": pct, "countries": countries}


# --- kpi --------------------------------------------------------------------------------------


def test_kpi_json_of_sales(history: World):
    assert kpi_json("--measure", "sales") == {
        "measure": "sales",
        "from": "2024-01-01",
        "to": "2024-04-30",
        "previous_from": "2023-01-01",
        "previous_to": "2023-04-30",
        "units": 91,
        "previous_units": 30,
        "yoy_pct": 203.3,
        "domestic": side(36, 30, 20.0, 1),
        "international": side(55, 0, None, 2),
        "countries": 3,
        "countries_ever": 4,
        "regions": ["GCC"],
        "new_energy_units": 0,
        "new_energy_share_pct": 0.0,
        "revenue": {"USD": "950025"},
    }


def test_kpi_json_of_vehicles_in_operation_counts_them_on_the_last_day(history: World):
    figures = kpi_json("--measure", "in_operation")
    # 40 sold in Saudi Arabia in 2023, 4 of them scrapped in January, and 20 sold in April.
    assert (figures["units"], figures["previous_units"], figures["yoy_pct"]) == (56, 0, None)
    assert figures["domestic"] == side(0, 0, None, 0)
    assert figures["international"] == side(56, 0, None, 1)
    assert (figures["countries"], figures["countries_ever"], figures["revenue"]) == (1, 1, {})


def test_kpi_json_of_retail_and_production(history: World):
    retail = kpi_json("--measure", "retail")
    assert (retail["units"], retail["previous_units"], retail["countries"]) == (20, 0, 1)
    production = kpi_json("--measure", "production")
    # Produced 20 days before each sale: 36 + 50 + 5 (+ 7 in April for May) at home.
    assert (production["units"], production["previous_units"]) == (98, 30)
    assert production["domestic"] == side(98, 30, 226.7, 1)


def test_kpi_limited_to_a_market_or_a_region(history: World):
    saudi = kpi_json("--measure", "sales", "--market", "sa")
    assert (saudi["units"], saudi["previous_units"], saudi["countries"]) == (50, 0, 1)
    gulf = kpi_json("--measure", "sales", "--region", "gcc")
    assert (gulf["units"], gulf["countries"], gulf["regions"]) == (55, 2, ["GCC"])


def test_kpi_as_a_partner_counts_its_granted_markets_only(history: World):
    figures = kpi_json(
        "--measure", "sales", "--as", "zhongjiang", "--user", "partner_viewer@example.com"
    )
    assert (figures["units"], figures["previous_units"]) == (50, 0)
    assert figures["domestic"] == side(0, 0, None, 0)
    assert figures["international"] == side(50, 0, None, 1)
    assert (figures["countries"], figures["countries_ever"]) == (1, 2)


def test_kpi_table(history: World):
    output = run("kpi", "--brand", "jac", "--measure", "sales", *PERIOD)
    assert output.splitlines() == [
        "JAC · Sales (wholesale) · 2024-01-01..2024-04-30 (against 2023-01-01..2023-04-30)",
        "                      Units   Year before    Change  Countries",
        "Total                    91            30   +203.3%          3",
        "Domestic                 36            30    +20.0%          1",
        "International            55             0       new          2",
        "Countries ever: 4",
        "Regions: GCC",
        "New energy: 0 (0.0%)",
        "Revenue: USD 950,025.00",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--brand", "Shuailing", "--measure", "sales", *PERIOD],
            "--brand: no brand named 'Shuailing'.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", "--from", "2024-13-01", "--to", "2024-04-30"],
            "Error: argument --from: '2024-13-01' is not a date as YYYY-MM-DD.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", "--from", "2024-01-01", "--to", "30/04/2024"],
            "Error: argument --to: '30/04/2024' is not a date as YYYY-MM-DD.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", "--from", "1900-01-01", "--to", "2024-04-30"],
            "Error: argument --from: 1900-01-01 is outside 1950-01-01..2999-12-31.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", "--from", "2024-05-01", "--to", "2024-04-30"],
            "--from 2024-05-01 is after --to 2024-04-30.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", *PERIOD, "--market", "ZZ"],
            "--market: ZZ is not an ISO 3166 country code.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", *PERIOD, "--region", "Atlantis"],
            "--region: No business region named Atlantis.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", *PERIOD, "--as", "Zhongjiang"],
            "--as and --user go together: name the organisation and the person.",
        ),
        (
            ["--brand", "JAC", "--measure", "sales", *PERIOD, "--as", "JAC", "--user", "x@y.z"],
            "--user x@y.z is not a member of --as JAC.",
        ),
        # Nezha's member cannot see JAC: refused as an unknown brand.
        (
            [
                "--brand",
                "JAC",
                "--measure",
                "sales",
                *PERIOD,
                "--as",
                "Nezha",
                "--user",
                "nezha_admin",
            ],
            "--brand: No brand named JAC.",
        ),
    ],
)
def test_kpi_refuses_bad_options_naming_them(history: World, args: list[str], message: str):
    with pytest.raises(CommandError) as refused:
        run("kpi", *args)
    assert str(refused.value) == message


def test_kpi_refuses_an_unknown_measure(history: World):
    with pytest.raises(CommandError, match=r"argument --measure: invalid choice: 'units'"):
        run("kpi", "--brand", "JAC", "--measure", "units", *PERIOD)


def test_a_refusal_exits_non_zero_from_the_command_line(history: World, capsys):
    argv = ["seabridge", "kpi", "--brand", "JAC", "--measure", "sales"]
    with pytest.raises(SystemExit) as exited:
        ManagementUtility([*argv, "--from", "2024-05-01", "--to", "2024-04-30"]).execute()
    assert exited.value.code == 1
    assert capsys.readouterr().err == "CommandError: --from 2024-05-01 is after --to 2024-04-30.\n"


# --- bulletin ---------------------------------------------------------------------------------


def test_bulletin(history: World):
    output = run(
        "bulletin", "--brand", "JAC", "--year", "2023", "--through", "2024-04-30", "--lang", "en"
    )
    assert output == (
        "Global sales reached 80 units in 2023, against none the year before; domestic sales "
        "rose from none to 30 units and international sales rose from none to 50 units. From "
        "January to April 2024, cumulative sales totalled 91 units.\n"
    )
    output = run("bulletin", "--brand", "jac", "--year", "2024", "--lang", "zh-hans")
    assert output == (
        "2024年全球销量达98辆，同比增长22.5%；其中国内销量增长20.0%，国际销量增长24.0%。\n"
    )


def test_bulletin_as_a_partner(history: World):
    output = run(
        "bulletin",
        *("--brand", "JAC", "--year", "2024", "--lang", "en"),
        *("--as", "Zhongjiang", "--user", "partner_admin"),
    )
    # Saudi Arabia and Iraq: 57 in 2024 against 50 in 2023 (Oman is not granted).
    assert output == (
        "Global sales reached 57 units in 2024, up 14.0% year on year; there were no domestic "
        "sales and international sales grew 14.0%.\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--year", "2023", "--through", "2023-12-31"],
            "--through: Give a day after 2023: the year to date follows the year.",
        ),
        (["--year", "1800"], "--year: Give a year from 1950 to 2998."),
        (["--year", "twenty"], "Error: argument --year: invalid int value: 'twenty'"),
        (
            ["--year", "2023", "--through", "2024-04-31"],
            "Error: argument --through: '2024-04-31' is not a date as YYYY-MM-DD.",
        ),
    ],
)
def test_bulletin_refuses_bad_options_naming_them(history: World, args: list[str], message: str):
    with pytest.raises(CommandError) as refused:
        run("bulletin", "--brand", "JAC", "--lang", "en", *args)
    assert str(refused.value) == message


def test_bulletin_refuses_an_unknown_language(history: World):
    with pytest.raises(CommandError, match=r"argument --lang: invalid choice: 'de'"):
        run("bulletin", "--brand", "JAC", "--year", "2023", "--lang", "de")


# --- milestones (the vehicles app's command) --------------------------------------------------


def test_milestones(history: World):
    # Each vehicle of the history came off the line 20 days before its sale.
    assert json.loads(run("milestones", "--brand", "JAC", "--every", "50", "--json")) == [
        {
            "unit": 1,
            "produced_on": "2023-02-18",
            "vin": "LJ100000000000001",
            "days_since_previous": None,
            "interval": "",
        },
        {
            "unit": 50,
            "produced_on": "2023-05-12",
            "vin": "LJ100000000000050",
            "days_since_previous": 83,
            "interval": "2 months",
        },
        {
            "unit": 100,
            "produced_on": "2024-01-26",
            "vin": "LJ100000000000100",
            "days_since_previous": 259,
            "interval": "8 months",
        },
        {
            "unit": 150,
            "produced_on": "2024-02-29",
            "vin": "LJ100000000000150",
            "days_since_previous": 34,
            "interval": "1 month",
        },
    ]
    assert run("milestones", "--brand", "jac", "--every", "100").splitlines() == [
        "           1  2023-02-18  -",
        "         100  2024-01-26  342 days (11 months)",
    ]


def test_milestones_refuse_an_unknown_brand(history: World):
    with pytest.raises(CommandError, match=r"No brand named 'Shuailing'\."):
        run("milestones", "--brand", "Shuailing")


# --- analytics_facts --------------------------------------------------------------------------


def test_facts_check_and_rebuild(history: World):
    assert run("analytics_facts", "--check") == "The facts match the events.\n"
    # A fact goes wrong (a lost update, a hand edit): --check lists it and fails.
    DailyFact.objects.filter(measure="sales", market_id="OM").update(units=F("units") + 2)
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("analytics_facts", "--check", stdout=out)
    assert str(refused.value) == (
        "1 fact(s) differ from the events; run `seabridge analytics_facts --rebuild`."
    )
    line = history.jac_line.pk
    brand = history.jac_brand.pk
    assert out.getvalue() == (
        f"daily sales 2024-04-10 brand {brand} line {line} diesel OM -: "
        "stored (7, 0), events say (5, 0)\n"
    )
    rows = DailyFact.objects.count()
    assert run("analytics_facts", "--rebuild") == (
        f"Rebuilt the facts from the events: {rows} daily rows.\n"
    )
    assert run("analytics_facts", "--check") == "The facts match the events.\n"


def test_facts_needs_one_action(history: World):
    with pytest.raises(CommandError, match="one of the arguments --rebuild --check is required"):
        run("analytics_facts")
    with pytest.raises(CommandError, match="argument --check: not allowed with argument --rebuild"):
        run("analytics_facts", "--rebuild", "--check")
