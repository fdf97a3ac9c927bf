"""The order and shipment exports: the list pages' scope and filters as CSV or XLSX, with
exact rows and money as an amount rounded to its currency plus the currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.core.tests.world import World
from seabridge.trade.models import Shipment
from seabridge.trade.services import ShipmentInput, shipment_create
from seabridge.trade.tests.conftest import Trade, confirmed, sign_in

pytestmark = pytest.mark.django_db

ORDERS_CSV = reverse("trade:order-export", args=["csv"])
ORDERS_XLSX = reverse("trade:order-export", args=["xlsx"])
SHIPMENTS_CSV = reverse("trade:shipment-export", args=["csv"])
SHIPMENTS_XLSX = reverse("trade:shipment-export", args=["xlsx"])

ORDER_HEADER = (
    "Number,Brand,Seller,Buyer,Destination (ISO code),Destination,Incoterms,Named place,"
    "Payment terms,L/C number,Requested delivery,Confirmed on,Units,Value,Currency,Status"
)
OMAN_ORDER = (
    "EO-OM-1,JAC,JAC,Riyadh Motors,OM,Oman,CIF,Jeddah,Telegraphic transfer (T/T),,,"
    "2025-03-20,3,60000.38,USD,Confirmed"
)
SAUDI_ORDER = (
    "EO-2025-001,JAC,JAC,Riyadh Motors,SA,Saudi Arabia,CIF,Jeddah,"
    "Telegraphic transfer (T/T),,,2025-03-20,2,37000.00,USD,Confirmed"
)
SHIPMENT_HEADER = (
    "Number,Brand,Destination (ISO code),Destination,Orders,Mode,Carrier,Vessel,Voyage,"
    "Port of loading,Port of discharge,Bill of lading,ETD,ETA,Departed on,Arrived on,Status,"
    "Freight,Insurance,Other costs,Cost currency"
)
OMAN_SHIPMENT = (
    "SH-OM-1,JAC,OM,Oman,EO-OM-1,Roll-on/roll-off vessel,,,,CNSHA,OMSOH,,,,,,Planned,"
    "1200.50,30.00,,USD"
)
SAUDI_SHIPMENT = (
    "SH-2025-001,JAC,SA,Saudi Arabia,EO-2025-001,Roll-on/roll-off vessel,COSCO,Morning Ace,"
    "025W,CNSHA,SAJED,COSU6400001,2025-05-02,2025-05-30,,,Planned,,,,"
)


@pytest.fixture
def oman(world: World, loaded: Trade) -> Shipment:
    """Besides the loaded Saudi order and shipment: an Oman order of three at 20,000.125 USD
    (outside the partner's grant) on a shipment whose costs are in USD."""
    order = confirmed(world, "EO-OM-1", destination="OM", quantity=3, unit_price="20000.125")
    return shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ShipmentInput(
            number="SH-OM-1",
            mode="roro",
            port_of_loading="CNSHA",
            port_of_discharge="OMSOH",
            freight=Decimal("1200.5"),
            insurance=Decimal("30"),
            cost_currency="USD",
        ),
    )


def firsts(lines: list[str]) -> list[str]:
    """The first cell of each data line."""
    return [line.split(",")[0] for line in lines[1:-1]]


# --- orders ----------------------------------------------------------------------------------


def test_jac_member_gets_every_order_with_its_units_and_value(client, world, oman):
    sign_in(client, world.jac_viewer)
    response = client.get(ORDERS_CSV)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="orders-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == [ORDER_HEADER, OMAN_ORDER, SAUDI_ORDER, ""]


def test_the_partner_order_export_holds_only_its_grant(client, world, oman):
    sign_in(client, world.partner_viewer)
    assert csv_lines(client.get(ORDERS_CSV)) == [ORDER_HEADER, SAUDI_ORDER, ""]
    sign_in(client, world.nezha_admin)
    assert csv_lines(client.get(ORDERS_CSV)) == [ORDER_HEADER, ""]


def test_the_order_export_applies_the_list_filter(client, world, oman):
    sign_in(client, world.jac_viewer)
    assert firsts(csv_lines(client.get(ORDERS_CSV, {"destination": "om"}))) == ["EO-OM-1"]
    assert firsts(csv_lines(client.get(ORDERS_CSV, {"q": "2025"}))) == ["EO-2025-001"]
    assert firsts(csv_lines(client.get(ORDERS_CSV, {"status": "draft"}))) == []
    refused = client.get(ORDERS_CSV, {"status": "lost"})
    assert refused.status_code == 422
    assert list(refused.json()["error"]["fields"]) == ["status"]


def test_the_order_xlsx_holds_typed_cells(client, world, oman):
    sign_in(client, world.jac_viewer)
    response = client.get(ORDERS_XLSX, {"destination": "OM"})
    assert xlsx_rows(response.content) == [
        ORDER_HEADER.split(","),
        [
            "EO-OM-1",
            "JAC",
            "JAC",
            "Riyadh Motors",
            "OM",
            "Oman",
            "CIF",
            "Jeddah",
            "Telegraphic transfer (T/T)",
            None,
            None,
            datetime(2025, 3, 20),
            3,
            60000.38,
            "USD",
            "Confirmed",
        ],
    ]


# --- shipments -------------------------------------------------------------------------------


def test_jac_member_gets_every_shipment_with_its_costs(client, world, oman):
    sign_in(client, world.jac_viewer)
    response = client.get(SHIPMENTS_CSV)
    assert response["Content-Disposition"] == (
        f'attachment; filename="shipments-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    assert csv_lines(response) == [SHIPMENT_HEADER, OMAN_SHIPMENT, SAUDI_SHIPMENT, ""]


def test_the_partner_shipment_export_holds_only_its_grant(client, world, oman):
    sign_in(client, world.partner_admin)
    assert csv_lines(client.get(SHIPMENTS_CSV)) == [SHIPMENT_HEADER, SAUDI_SHIPMENT, ""]


def test_the_shipment_export_applies_the_list_filter(client, world, oman):
    sign_in(client, world.jac_viewer)
    assert firsts(csv_lines(client.get(SHIPMENTS_CSV, {"q": "morning"}))) == ["SH-2025-001"]
    assert firsts(csv_lines(client.get(SHIPMENTS_CSV, {"mode": "rail"}))) == []


def test_the_shipment_xlsx_holds_typed_cells(client, world, oman):
    sign_in(client, world.jac_viewer)
    rows = xlsx_rows(client.get(SHIPMENTS_XLSX, {"destination": "OM"}).content)
    assert rows[1][12:] == [None, None, None, None, "Planned", 1200.5, 30, None, "USD"]
    rows = xlsx_rows(client.get(SHIPMENTS_XLSX, {"destination": "SA"}).content)
    assert rows[1][12:14] == [datetime(2025, 5, 2), datetime(2025, 5, 30)]


def test_an_unknown_format_is_refused(client, world):
    sign_in(client, world.jac_viewer)
    response = client.get(reverse("trade:shipment-export", args=["json"]))
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"format": ["Choose csv or xlsx, not json."]}


def test_both_list_pages_link_their_downloads_with_the_filter(client, world):
    sign_in(client, world.jac_viewer)
    orders = client.get(reverse("trade:order-list"), {"status": "draft"}).content.decode()
    assert f'href="{ORDERS_CSV}?status=draft"' in orders
    assert f'href="{ORDERS_XLSX}?status=draft"' in orders
    shipments = client.get(reverse("trade:shipment-list")).content.decode()
    assert f'href="{SHIPMENTS_CSV}"' in shipments
    assert f'href="{SHIPMENTS_XLSX}"' in shipments


def test_a_date_is_a_date_in_the_csv(client, world, oman):
    # ISO 8601, whatever the reader's language.
    sign_in(client, world.jac_viewer)
    client.cookies["django_language"] = "zh-hans"
    lines = csv_lines(client.get(SHIPMENTS_CSV, {"destination": "SA"}))
    assert lines[1].split(",")[12:14] == [f"{date(2025, 5, 2)}", f"{date(2025, 5, 30)}"]
