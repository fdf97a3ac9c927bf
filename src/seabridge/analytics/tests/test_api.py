"""The analytics API: exact answers of every endpoint, the partner's scope, and 422s that
name every field at fault, in the caller's language."""

from __future__ import annotations

from typing import Any

import pytest

from seabridge.analytics.tests.histories import history_fixture  # noqa: F401 - the fixture
from seabridge.catalog.tests.factories import ProductLineFactory
from seabridge.core.tests.world import World

pytestmark = pytest.mark.django_db

API = "/api/v1/analytics"
PERIOD = {"from": "2024-01-01", "to": "2024-04-30"}


def get(client: Any, world: World, name: str, path: str, **query: Any) -> Any:
    headers = {"Authorization": f"Bearer {world.token_for(name)}"}
    return client.get(f"{API}{path}", query, headers=headers)


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return response.json()


def refused(response: Any, fields: dict[str, list[str]]) -> None:
    assert response.status_code == 422, response.content
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": fields,
        }
    }


def side(units: int, previous: int, pct: float | None, countries: int) -> dict[str, Any]:
    return {"units": units, "previous_units": previous, "yoy_pct": pct, "countries": countries}


# --- kpi ------------------------------------------------------------------------------------


def test_kpi(client, history):
    assert ok(get(client, history, "jac_viewer", "/kpi", brand="JAC", **PERIOD)) == {
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


def test_kpi_names_the_brand_by_id_or_name_or_not_at_all(client, history):
    by_name = ok(get(client, history, "jac_viewer", "/kpi", brand="jac", **PERIOD))
    by_id = ok(get(client, history, "jac_viewer", "/kpi", brand=history.jac_brand.pk, **PERIOD))
    every_brand = ok(get(client, history, "jac_viewer", "/kpi", **PERIOD))
    assert by_name == by_id == every_brand


def test_kpi_of_vehicles_in_operation(client, history):
    figures = ok(
        get(client, history, "jac_admin", "/kpi", brand="JAC", measure="in_operation", **PERIOD)
    )
    assert (figures["measure"], figures["units"], figures["previous_units"]) == (
        "in_operation",
        56,
        0,
    )
    assert figures["international"] == side(56, 0, None, 1)


def test_kpi_filters(client, history):
    saudi = ok(get(client, history, "jac_viewer", "/kpi", brand="JAC", market="sa", **PERIOD))
    assert (saudi["units"], saudi["countries"]) == (50, 1)
    gulf = ok(get(client, history, "jac_viewer", "/kpi", region="GCC", **PERIOD))
    assert (gulf["units"], gulf["countries"]) == (55, 2)
    line = ok(
        get(client, history, "jac_viewer", "/kpi", product_line=history.jac_line.pk, **PERIOD)
    )
    assert line["units"] == 91


def test_a_partner_gets_the_figures_of_its_scope_only(client, history):
    figures = ok(get(client, history, "partner_viewer", "/kpi", brand="JAC", **PERIOD))
    assert (figures["units"], figures["previous_units"], figures["yoy_pct"]) == (50, 0, None)
    assert figures["domestic"] == side(0, 0, None, 0)
    assert figures["international"] == side(50, 0, None, 1)
    assert (figures["countries"], figures["countries_ever"]) == (1, 2)
    assert figures["revenue"] == {"USD": "950025"}


def test_a_caller_for_no_organisation_sees_nothing(client, history):
    client.force_login(history.lonely)
    figures = ok(client.get(f"{API}/kpi", PERIOD))
    assert (figures["units"], figures["previous_units"], figures["countries"]) == (0, 0, 0)
    assert ok(client.get(f"{API}/markets", PERIOD)) == []
    # ... and cannot name a brand: none is visible to it.
    refused(
        client.get(f"{API}/kpi", {"brand": "JAC", **PERIOD}), {"brand": ["No brand named JAC."]}
    )


def test_an_anonymous_caller_is_refused(client, history):
    response = client.get(f"{API}/kpi", {"brand": "JAC", **PERIOD})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_brand_outside_the_scope_is_refused_like_an_unknown_one(client, history):
    for brand in ("JAC", str(history.jac_brand.pk)):
        refused(
            get(client, history, "nezha_admin", "/kpi", brand=brand, **PERIOD),
            {"brand": [f"No brand named {brand}."]},
        )


def test_kpi_refusals_name_every_field_at_fault(client, history):
    other_line = ProductLineFactory.create(brand=history.nezha_brand, name="U")
    refused(
        get(
            client,
            history,
            "jac_viewer",
            "/kpi",
            product_line=other_line.pk,
            market="ZZ",
            region="Atlantis",
            **{"from": "2024-05-01", "to": "2024-04-30"},
        ),
        {
            "product_line": ["No such product line."],
            "market": ["ZZ is not an ISO 3166 country code."],
            "region": ["No business region named Atlantis."],
            "from": ["The period starts after it ends."],
        },
    )
    refused(
        get(
            client, history, "jac_viewer", "/kpi", brand="JAC", product_line=other_line.pk, **PERIOD
        ),
        {"product_line": ["No such product line."]},
    )
    refused(
        get(client, history, "jac_viewer", "/kpi", **{"from": "1949-12-31", "to": "3000-01-01"}),
        {"from": ["Give a day from 1950-01-01 on."], "to": ["Give a day up to 2999-12-31."]},
    )


def test_kpi_refuses_malformed_parameters(client, history):
    response = get(client, history, "jac_viewer", "/kpi", measure="units", **{"from": "2024"})
    assert response.status_code == 422
    assert sorted(response.json()["error"]["fields"]) == ["from", "measure", "to"]


def test_an_error_speaks_the_callers_language(client, history):
    headers = {
        "Authorization": f"Bearer {history.token_for('jac_viewer')}",
        "Accept-Language": "zh-hans",
    }
    response = client.get(
        f"{API}/bulletin", {"brand": "JAC", "year": 2023, "through": "2023-06-30"}, headers=headers
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "through": ["请填写2023年之后的日期：年初至今的数据接在该年之后。"]
    }


# --- markets, trend, mix --------------------------------------------------------------------


def test_markets_ranked(client, history):
    assert ok(get(client, history, "jac_viewer", "/markets", brand="JAC", **PERIOD)) == [
        {
            "code": "SA",
            "name": "Saudi Arabia",
            "is_domestic": False,
            "units": 50,
            "previous_units": 0,
            "yoy_pct": None,
        },
        {
            "code": "CN",
            "name": "China",
            "is_domestic": True,
            "units": 36,
            "previous_units": 30,
            "yoy_pct": 20.0,
        },
        {
            "code": "OM",
            "name": "Oman",
            "is_domestic": False,
            "units": 5,
            "previous_units": 0,
            "yoy_pct": None,
        },
    ]
    # The partner ranks Saudi Arabia alone.
    assert [
        market["code"]
        for market in ok(get(client, history, "partner_admin", "/markets", brand="JAC", **PERIOD))
    ] == ["SA"]


def test_monthly_trend(client, history):
    period = {"from": "2023-03-01", "to": "2023-06-30"}
    assert ok(get(client, history, "jac_viewer", "/trend", brand="JAC", **period)) == [
        {"month": "2023-03-01", "units": 30, "previous_units": 0, "yoy_pct": None},
        {"month": "2023-04-01", "units": 0, "previous_units": 0, "yoy_pct": None},
        {"month": "2023-05-01", "units": 0, "previous_units": 0, "yoy_pct": None},
        {"month": "2023-06-01", "units": 40, "previous_units": 0, "yoy_pct": None},
    ]
    points = ok(get(client, history, "jac_viewer", "/trend", brand="JAC", **PERIOD))
    assert [(point["month"], point["units"], point["previous_units"]) for point in points] == [
        ("2024-01-01", 0, 0),
        ("2024-02-01", 36, 0),
        ("2024-03-01", 50, 30),
        ("2024-04-01", 5, 0),
    ]
    assert points[2]["yoy_pct"] == 66.7


def test_trend_of_vehicles_in_operation(client, history):
    points = ok(
        get(
            client,
            history,
            "jac_viewer",
            "/trend",
            measure="in_operation",
            **{"from": "2024-01-01", "to": "2024-04-30"},
        )
    )
    assert [(point["units"], point["previous_units"]) for point in points] == [
        (36, 0),
        (36, 0),
        (36, 0),
        (56, 0),
    ]


def test_a_trend_covers_at_most_ten_years(client, history):
    refused(
        get(client, history, "jac_viewer", "/trend", **{"from": "2014-01-01", "to": "2024-01-31"}),
        {"from": ["A trend covers at most 120 months."]},
    )


def test_powertrain_mix(client, history):
    assert ok(get(client, history, "jac_viewer", "/mix", brand="JAC", **PERIOD)) == [
        {"powertrain": "diesel", "units": 91, "share_pct": 100.0}
    ]
    assert ok(get(client, history, "jac_viewer", "/mix", brand="JAC", market="IQ", **PERIOD)) == []


# --- milestones -----------------------------------------------------------------------------


def test_milestones(client, history):
    assert ok(get(client, history, "jac_viewer", "/milestones", brand="JAC", every=100)) == [
        {
            "unit": 1,
            "produced_on": "2023-02-18",
            "vin": "LJ100000000000001",
            "days_since_previous": None,
            "interval": "",
        },
        {
            "unit": 100,
            "produced_on": "2024-01-26",
            "vin": "LJ100000000000100",
            "days_since_previous": 342,
            "interval": "11 months",
        },
    ]


def test_milestones_are_the_brand_owners(client, history):
    response = get(client, history, "partner_admin", "/milestones", brand="JAC")
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "Production milestones are shown to the brand owner only.",
        "fields": {},
    }
    refused(
        get(client, history, "nezha_admin", "/milestones", brand="JAC"),
        {"brand": ["No brand named JAC."]},
    )
    response = get(client, history, "jac_viewer", "/milestones", brand="JAC", every=0)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["every"]


# --- bulletin -------------------------------------------------------------------------------


def test_bulletin(client, history):
    query = {"brand": history.jac_brand.pk, "year": 2024}
    assert ok(get(client, history, "jac_viewer", "/bulletin", lang="zh-hans", **query)) == {
        "language": "zh-hans",
        "text": "2024年全球销量达98辆，同比增长22.5%；其中国内销量增长20.0%，国际销量增长24.0%。",
    }
    assert ok(
        get(client, history, "partner_viewer", "/bulletin", through="2025-01-31", **query)
    ) == {
        "language": "en",
        "text": (
            "Global sales reached 57 units in 2024, up 14.0% year on year; there were no "
            "domestic sales and international sales grew 14.0%. In January 2025, sales "
            "totalled 0 units."
        ),
    }


def test_bulletin_in_the_callers_language_by_default(client, history):
    headers = {
        "Authorization": f"Bearer {history.token_for('jac_viewer')}",
        "Accept-Language": "ru",
    }
    response = client.get(f"{API}/bulletin", {"brand": "JAC", "year": 2024}, headers=headers)
    assert ok(response) == {
        "language": "ru",
        "text": (
            "В 2024 году мировые продажи составили 98 автомобилей, что на 22,5\xa0% больше, чем "
            "годом ранее; продажи на внутреннем рынке выросли на 20,0\xa0%, на внешних рынках — "
            "на 24,0\xa0%."
        ),
    }


def test_bulletin_refusals_name_the_field(client, history):
    refused(
        get(
            client, history, "jac_viewer", "/bulletin", brand="JAC", year=2024, through="2024-04-30"
        ),
        {"through": ["Give a day after 2024: the year to date follows the year."]},
    )
    response = get(client, history, "jac_viewer", "/bulletin", brand="JAC", year=1949, lang="de")
    assert response.status_code == 422
    assert sorted(response.json()["error"]["fields"]) == ["lang", "year"]
    assert response.json()["error"]["fields"]["lang"] == [
        "Choose one of en, zh-hans, ar, es, pt-br, fr, ru."
    ]
