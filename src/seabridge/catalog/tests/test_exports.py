"""The variant export: the variant list page's scope and filter as CSV or XLSX, with the
list price as an amount rounded to its currency plus the currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.catalog.models import Variant
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.scope import Area
from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.core.tests.world import World, build_world, grant

pytestmark = pytest.mark.django_db

CSV = reverse("catalog:variant-export", args=["csv"])
XLSX = reverse("catalog:variant-export", args=["xlsx"])
HEADER = (
    "Code,Name,Brand,Product line,Body,Powertrain,Steering,Emission standard,Engine or battery,"
    "HS code,List price,Currency,Active"
)
T8_DIESEL = (
    'T8-D,T8 T8-D,JAC,T8,"Pickup, double cab",Diesel,Left-hand drive,,,87042100,120000.00,CNY,yes'
)
T8_PETROL = (
    'T8-P,T8 بنزين,JAC,T8,"Pickup, double cab",Petrol,Right-hand drive,Euro 6,2.0 L turbo,'
    "87042100,,,no"
)
NEZHA_V = (
    'V-BEV,V V-BEV,Nezha,V,"Pickup, double cab",Diesel,Left-hand drive,,,87042100,120000.00,CNY,yes'
)


def sign_in(client, actor) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


@pytest.fixture
def world(db) -> World:
    """The shared world; JAC grants Zhongjiang sales of its brand in Saudi Arabia."""
    world = build_world()
    grant(
        by=world.jac_admin,
        to=world.partner,
        brands=[world.jac_brand],
        countries=["SA"],
        areas=[Area.SALES],
    )
    return world


@pytest.fixture
def petrol(world: World) -> Variant:
    """An inactive, unpriced JAC variant with an Arabic name."""
    return VariantFactory.create(
        product_line=world.jac_line,
        code="T8-P",
        name="T8 بنزين",
        powertrain="petrol",
        steering="rhd",
        emission_standard="Euro 6",
        engine="2.0 L turbo",
        list_price=None,
        list_price_currency="",
        is_active=False,
    )


def test_jac_member_gets_every_jac_variant(client, world, petrol):
    sign_in(client, world.jac_viewer)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="variants-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == [HEADER, T8_DIESEL, T8_PETROL, ""]


def test_each_organisation_exports_only_the_variants_it_sees(client, world, petrol):
    sign_in(client, world.partner_viewer)  # through its grant of the JAC brand
    assert csv_lines(client.get(CSV)) == [HEADER, T8_DIESEL, T8_PETROL, ""]
    sign_in(client, world.nezha_admin)
    assert csv_lines(client.get(CSV)) == [HEADER, NEZHA_V, ""]
    client.force_login(world.lonely)
    assert csv_lines(client.get(CSV)) == [HEADER, ""]


def test_the_export_applies_the_list_filter(client, world, petrol):
    sign_in(client, world.jac_viewer)
    assert csv_lines(client.get(CSV, {"powertrain": "petrol"})) == [HEADER, T8_PETROL, ""]
    assert csv_lines(client.get(CSV, {"q": "t8-d", "new_energy": "false"})) == [
        HEADER,
        T8_DIESEL,
        "",
    ]
    refused = client.get(CSV, {"body": "tractor"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["body"]


def test_the_xlsx_keeps_the_price_a_number_and_the_hs_code_text(client, world, petrol):
    world.jac_variant.list_price = Decimal("118500.125")
    world.jac_variant.save(update_fields=["list_price"])
    sign_in(client, world.jac_viewer)
    rows = xlsx_rows(client.get(XLSX).content)
    assert rows == [
        HEADER.split(","),
        [
            "T8-D",
            "T8 T8-D",
            "JAC",
            "T8",
            "Pickup, double cab",
            "Diesel",
            "Left-hand drive",
            None,
            None,
            "87042100",
            118500.12,  # rounded to the fen, half to even
            "CNY",
            "yes",
        ],
        [
            "T8-P",
            "T8 بنزين",
            "JAC",
            "T8",
            "Pickup, double cab",
            "Petrol",
            "Right-hand drive",
            "Euro 6",
            "2.0 L turbo",
            "87042100",
            None,
            None,
            "no",
        ],
    ]


def test_an_unknown_format_is_refused(client, world):
    sign_in(client, world.jac_viewer)
    response = client.get(reverse("catalog:variant-export", args=["xml"]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"format": ["Choose csv or xlsx, not xml."]}


def test_the_list_page_links_its_downloads_with_the_filter(client, world):
    sign_in(client, world.jac_viewer)
    html = client.get(reverse("catalog:variant-list"), {"powertrain": "diesel"}).content
    text = html.decode()
    assert f'href="{CSV}?powertrain=diesel"' in text
    assert f'href="{XLSX}?powertrain=diesel"' in text
