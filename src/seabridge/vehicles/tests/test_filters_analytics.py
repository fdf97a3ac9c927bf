"""The vehicle filters the dashboard's figures link to: wholesale and retail dates,
product line, business region and domestic or international, on the list page and
the API alike (one filter definition), each returning exactly the VINs it names.

JAC is at home in China. Its vehicles here:

====  ======  ===========  ==========  ==========  =====
VIN   market  product line  wholesaled  retailed   note
====  ======  ===========  ==========  ==========  =====
1     CN      T8           2025-01-10  2025-02-01
2     CN      iEV          2025-03-31  —
3     SA      T8           2025-04-01  2025-05-15
4     SA      iEV          2025-06-30  2025-07-01
5     OM      T8           2024-12-31  —
6     IQ      T8           —           —           in production stock
7     NG      iEV          2025-02-02  2025-02-20
====  ======  ===========  ==========  ==========  =====

A Nezha vehicle in Saudi Arabia (its owner is at home in China too) shows that the
filters never widen the scope.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from seabridge.catalog.choices import Powertrain
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.tests.world import World
from seabridge.vehicles.choices import VehicleState
from seabridge.vehicles.filters import VehicleFilter
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.tests.access import NEZHA_VIN
from seabridge.vehicles.tests.conftest import jac_vin

pytestmark = pytest.mark.django_db

LIST = reverse("vehicles:vehicle-list")
API = "/api/v1/vehicles/"
ROWS = [
    (1, "CN", "T8", date(2025, 1, 10), date(2025, 2, 1)),
    (2, "CN", "iEV", date(2025, 3, 31), None),
    (3, "SA", "T8", date(2025, 4, 1), date(2025, 5, 15)),
    (4, "SA", "iEV", date(2025, 6, 30), date(2025, 7, 1)),
    (5, "OM", "T8", date(2024, 12, 31), None),
    (6, "IQ", "T8", None, None),
    (7, "NG", "iEV", date(2025, 2, 2), date(2025, 2, 20)),
]


@pytest.fixture
def fleet(world: World) -> dict[str, Any]:
    electric = VariantFactory.create(
        product_line__brand=world.jac_brand,
        product_line__name="iEV",
        code="IEV-BEV",
        powertrain=Powertrain.BEV,
    )
    variants = {"T8": world.jac_variant, "iEV": electric}
    vehicles = [
        Vehicle(
            vin=jac_vin(number),
            brand=world.jac_brand,
            variant=variants[line],
            produced_on=date(2024, 11, 1),
            state=(
                VehicleState.RETAILED
                if retailed
                else VehicleState.IN_STOCK
                if wholesaled
                else VehicleState.PRODUCED
            ),
            market_id=market,
            holder=world.jac,
            wholesaled_on=wholesaled,
            retailed_on=retailed,
        )
        for number, market, line, wholesaled, retailed in ROWS
    ]
    vehicles.append(
        Vehicle(
            vin=NEZHA_VIN,
            brand=world.nezha_brand,
            variant=world.nezha_variant,
            produced_on=date(2024, 11, 1),
            state=VehicleState.IN_STOCK,
            market_id="SA",
            holder=world.nezha,
            wholesaled_on=date(2025, 4, 1),
        )
    )
    Vehicle.objects.bulk_create(vehicles)
    return {"t8": world.jac_variant.product_line_id, "iev": electric.product_line_id}


def filtered(**values: Any) -> set[str]:
    """The VINs the filter keeps among every vehicle (no scope: the filter alone)."""
    filters = VehicleFilter.model_validate(values)
    return set(filters.filter(Vehicle.objects.all()).values_list("vin", flat=True))


def jac(*numbers: int) -> set[str]:
    return {jac_vin(number) for number in numbers}


def test_wholesale_dates_include_both_ends(fleet):
    assert filtered(wholesaled_from="2025-01-10", wholesaled_to="2025-03-31") == jac(1, 2, 7)
    assert filtered(wholesaled_from="2025-04-01") == jac(3, 4) | {NEZHA_VIN}
    assert filtered(wholesaled_to="2024-12-31") == jac(5)


def test_retail_dates_include_both_ends(fleet):
    assert filtered(retailed_from="2025-02-01", retailed_to="2025-05-15") == jac(1, 3, 7)
    assert filtered(retailed_from="2025-05-16") == jac(4)
    assert filtered(retailed_to="2025-01-31") == set()


def test_product_line(fleet):
    assert filtered(product_line=fleet["iev"]) == jac(2, 4, 7)
    assert filtered(product_line=fleet["t8"], wholesaled_from="2025-01-01") == jac(1, 3)


def test_business_region(world, fleet):
    # The world's GCC: Saudi Arabia and Oman.
    assert filtered(region="gcc") == jac(3, 4, 5) | {NEZHA_VIN}
    assert filtered(region="gcc", brand=world.jac_brand.pk) == jac(3, 4, 5)
    assert filtered(region="atlantis") == set()


def test_domestic_is_the_brand_owners_home_country(world, fleet):
    assert filtered(domestic=True) == jac(1, 2)
    assert filtered(domestic=False) == jac(3, 4, 5, 6, 7) | {NEZHA_VIN}
    assert filtered(domestic=False, wholesaled_from="2025-01-01", brand=world.jac_brand.pk) == (
        jac(3, 4, 7)
    )


def test_the_filters_never_widen_the_scope(client, world, fleet):
    """The partner (JAC in Saudi Arabia and Iraq for sales) lists only those, page and API."""
    query = {"domestic": "false", "wholesaled_from": "2025-01-01", "wholesaled_to": "2025-12-31"}
    response = client.get(
        API, query, headers={"Authorization": f"Bearer {world.token_for('partner_viewer')}"}
    )
    assert response.status_code == 200
    assert {item["vin"] for item in response.json()["items"]} == jac(3, 4)
    response = client.get(
        API,
        {**query, "product_line": fleet["iev"]},
        headers={"Authorization": f"Bearer {world.token_for('jac_viewer')}"},
    )
    assert {item["vin"] for item in response.json()["items"]} == jac(4, 7)
    client.force_login(world.partner_viewer.user)
    session = client.session
    session["acting_organization_id"] = world.partner.pk
    session.save()
    page = client.get(LIST, {**query, "region": "gcc"})
    assert page.status_code == 200
    assert [vehicle.vin for vehicle in page.context["page"]["items"]] == [jac_vin(4), jac_vin(3)]
    # The list's own form keeps the figure's filters when a field of it changes.
    html = page.content.decode()
    for name, value in {**query, "region": "gcc"}.items():
        assert f'<input type="hidden" name="{name}" value="{value}">' in html


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("wholesaled_from", "2025-02-30"),
        ("retailed_to", "1700000000"),
        ("product_line", "0"),
        ("region", "g c c"),
        ("domestic", "perhaps"),
    ],
)
def test_a_bad_value_names_its_field(client, world, fleet, name, value):
    response = client.get(
        API, {name: value}, headers={"Authorization": f"Bearer {world.token_for('jac_viewer')}"}
    )
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == [name]
    client.force_login(world.jac_viewer.user)
    session = client.session
    session["acting_organization_id"] = world.jac.pk
    session.save()
    page = client.get(LIST, {name: value})
    assert page.status_code == 200
    assert list(page.context["filter_errors"]) == [name]
    assert list(page.context["page"]["items"]) == []
