"""The vehicles pages: the list with its filters and HTMX partial, the VIN search, the
timeline, the retail form, the bulk delivery and the production milestones.

A refused page changes nothing, and a VIN the person may not see is a 404 like one
that does not exist.
"""

from __future__ import annotations

import json
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.models import AuditEvent
from seabridge.core.tests.world import World
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Customer, Plant, Vehicle, VehicleEvent
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.tests.access import NEZHA_VIN, valid_vin
from seabridge.vehicles.tests.conftest import jac_vin, produce
from seabridge.vehicles.tests.test_api import many_vehicles

pytestmark = pytest.mark.django_db

LIST = reverse("vehicles:vehicle-list")
DELIVER = reverse("vehicles:vehicle-deliver")
MILESTONES = reverse("vehicles:milestones")
UNKNOWN_VIN = valid_vin("LJ12EKR10S9999999")


# --- helpers --------------------------------------------------------------------------


def sign_in(client: Any, actor: Any) -> None:
    client.force_login(actor.user)
    session = client.session
    session["acting_organization_id"] = actor.organization_id
    session.save()


def timeline_url(vin: str) -> str:
    return reverse("vehicles:vehicle-timeline", args=[vin])


def retail_url(vin: str) -> str:
    return reverse("vehicles:vehicle-retail", args=[vin])


class TableRows(HTMLParser):
    """The text of each cell of each body row of a page's tables, blanks collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []
        elif self._cell is not None:
            self._cell.append(" ")  # a nested element reads as a separate word

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def rows_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    parser = TableRows()
    parser.feed(response.content.decode())
    return parser.rows


def vins_of(response: Any) -> list[str]:
    """The VIN column of the vehicle list (the first cell is the selection box)."""
    return [row[1] for row in rows_of(response) if len(row) > 1]


def messages_of(response: Any) -> list[str]:
    """The messages a redirect left for the next page (they are shown there once)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def delivered(client: Any, body: dict[str, Any]) -> list[str]:
    """Post the bulk delivery, follow it back to the list and answer the messages shown."""
    response = client.post(DELIVER, body, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    return [str(message) for message in response.context["messages"]]


def registry() -> tuple[list, list, list, list]:
    """Every vehicle, event, customer and audit row: what a refused request must leave alone."""
    return (
        list(Vehicle.objects.order_by("pk").values_list()),
        list(VehicleEvent.objects.order_by("pk").values_list()),
        list(Customer.objects.order_by("pk").values_list()),
        list(AuditEvent.objects.order_by("pk").values_list()),
    )


def nezha_vehicle(world: World) -> Vehicle:
    (vehicle,) = vehicles_produce(
        actor=world.nezha_admin,
        rows=[
            ProductionRow(
                vin=NEZHA_VIN, variant_id=world.nezha_variant.pk, produced_on=date(2025, 3, 1)
            )
        ],
    ).vehicles
    return vehicle


def move(world: World, vehicles: list[Vehicle], type_: EventType, on: date, **facts: Any) -> None:
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        move=Move(type=type_, occurred_on=on, **facts),
    )


def into_stock(world: World, vehicle: Vehicle) -> None:
    """Allocated to Saudi Arabia and delivered to JAC's Saudi dealer."""
    move(world, [vehicle], EventType.ALLOCATED, date(2025, 3, 5), market_id="SA")
    move(world, [vehicle], EventType.DELIVERED, date(2025, 3, 8), holder=world.dealer)


# --- the list -------------------------------------------------------------------------


@pytest.fixture
def fleet(world: World) -> World:
    """Four JAC vehicles (two variants, two months, two markets) and a Nezha one."""
    world.pickup = VariantFactory.create(product_line=world.jac_line, code="T8-P")  # type: ignore[attr-defined]  # the test world grows attributes per test
    vehicles = vehicles_produce(
        actor=world.jac_staff,
        rows=[
            ProductionRow(vin=jac_vin(number), variant_id=variant.pk, produced_on=on)
            for number, variant, on in [
                (1, world.jac_variant, date(2025, 1, 10)),
                (2, world.jac_variant, date(2025, 1, 10)),
                (3, world.pickup, date(2025, 2, 15)),
                (4, world.jac_variant, date(2025, 2, 15)),
            ]
        ],
    ).vehicles
    move(world, [vehicles[1], vehicles[2]], EventType.ALLOCATED, date(2025, 3, 1), market_id="SA")
    world.nezha_vehicle = nezha_vehicle(world)  # type: ignore[attr-defined]  # the test world grows attributes per test
    return world


def test_the_list_page_shows_the_vehicles_in_scope_newest_first(client, fleet):
    sign_in(client, fleet.jac_viewer)
    response = client.get(LIST)
    assert rows_of(response) == [
        ["", jac_vin(4), "JAC", "T8-D", "02/15/2025", "Produced", "China", "JAC"],
        ["", jac_vin(3), "JAC", "T8-P", "02/15/2025", "Allocated", "Saudi Arabia", "JAC"],
        ["", jac_vin(2), "JAC", "T8-D", "01/10/2025", "Allocated", "Saudi Arabia", "JAC"],
        ["", jac_vin(1), "JAC", "T8-D", "01/10/2025", "Produced", "China", "JAC"],
    ]
    html = response.content.decode()
    assert "4 records" in html
    assert f'href="{timeline_url(jac_vin(4))}"' in html
    assert 'id="bulk-deliver"' not in html  # a viewer delivers nothing
    sign_in(client, fleet.partner_viewer)
    assert vins_of(client.get(LIST)) == [jac_vin(3), jac_vin(2)]
    sign_in(client, fleet.nezha_viewer)
    assert vins_of(client.get(LIST)) == [NEZHA_VIN]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ({"q": "lj12ekr16"}, [4]),
        ({"q": "LJ12EKR1"}, [4, 3, 2, 1]),
        ({"state": "allocated"}, [3, 2]),
        ({"market": "sa"}, [3, 2]),
        ({"market": "CN", "state": "allocated"}, []),
        ({"brand": "jac"}, [4, 3, 2, 1]),
        ({"brand": "nezha"}, []),
        ({"variant": "pickup"}, [3]),
        ({"produced_from": "2025-02-01"}, [4, 3]),
        ({"produced_to": "2025-01-31"}, [2, 1]),
        ({"produced_from": "2025-01-10", "produced_to": "2025-01-10", "state": "produced"}, [1]),
        ({"state": "", "market": ""}, [4, 3, 2, 1]),  # an empty field filters nothing
    ],
)
def test_the_list_page_filters(client, fleet, query, numbers):
    ids = {"jac": fleet.jac_brand.pk, "nezha": fleet.nezha_brand.pk, "pickup": fleet.pickup.pk}
    sign_in(client, fleet.jac_staff)
    response = client.get(LIST, {name: ids.get(value, value) for name, value in query.items()})
    assert vins_of(response) == [jac_vin(number) for number in numbers]
    assert f"{len(numbers)} record" in response.content.decode()


def test_a_bad_filter_names_the_field_and_lists_nothing(client, fleet):
    sign_in(client, fleet.jac_staff)
    response = client.get(LIST, {"state": "sold", "produced_from": "2025-02-01"})
    assert rows_of(response) == [["No vehicles."]]
    html = response.content.decode()
    assert "<strong>state</strong>: Choose one of: produced, allocated, " in html
    assert "produced_from" not in html.split('role="alert"', 1)[1].split("</div></div>", 1)[0]


def test_the_htmx_request_gets_only_the_results(client, fleet):
    sign_in(client, fleet.jac_staff)
    response = client.get(LIST, {"state": "allocated"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith("<table")
    assert "<html" not in html
    assert 'id="vehicle-q"' not in html
    assert vins_of(response) == [jac_vin(3), jac_vin(2)]
    assert "2 records" in html
    full = client.get(LIST, {"state": "allocated"}).content.decode()
    assert "<html" in full
    assert '<div id="results">' in full
    assert '<option value="allocated" selected>' in full


def test_the_list_is_paged(client, world):
    produce(world, *range(1, 53))
    sign_in(client, world.jac_staff)
    first = client.get(LIST)
    assert len(vins_of(first)) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(LIST, {"page": 2}, headers={"HX-Request": "true"})
    assert vins_of(second) == [jac_vin(2), jac_vin(1)]
    assert "Page 2 of 2" in second.content.decode()


# --- the VIN search -------------------------------------------------------------------


def test_an_exact_vin_in_the_search_opens_its_timeline(client, fleet):
    sign_in(client, fleet.jac_staff)
    response = client.get(LIST, {"q": f" {jac_vin(2).lower()} "})
    assert (response.status_code, response["Location"]) == (302, timeline_url(jac_vin(2)))
    htmx = client.get(LIST, {"q": jac_vin(2).lower()}, headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, timeline_url(jac_vin(2)))


def test_a_foreign_or_unknown_exact_vin_in_the_search_finds_nothing(client, fleet):
    sign_in(client, fleet.jac_staff)
    for vin in (NEZHA_VIN, UNKNOWN_VIN):
        response = client.get(LIST, {"q": vin})
        assert response.status_code == 200
        assert rows_of(response) == [["No vehicles."]]
        assert "0 records" in response.content.decode()


# --- the timeline ---------------------------------------------------------------------


@pytest.fixture
def history(world: World) -> Vehicle:
    """One JAC vehicle from the Nanjing line to its registration in Riyadh."""
    plant = Plant.objects.create(owner=world.jac, code="NJ1", name="Nanjing", country_id="CN")
    (vehicle,) = vehicles_produce(
        actor=world.jac_staff,
        rows=[
            ProductionRow(
                vin=jac_vin(1),
                variant_id=world.jac_variant.pk,
                produced_on=date(2025, 3, 1),
                plant_id=plant.pk,
                line_sequence=4711,
            )
        ],
    ).vehicles
    move(world, [vehicle], EventType.ALLOCATED, date(2025, 3, 10), market_id="SA")
    move(
        world,
        [vehicle],
        EventType.SHIPPED,
        date(2025, 3, 20),
        is_wholesale=True,
        place="Shanghai",
        country_id="CN",
        document_ref="BL-0320",
    )
    move(
        world,
        [vehicle],
        EventType.ARRIVED,
        date(2025, 4, 18),
        place="Jeddah Islamic Port",
        country_id="SA",
    )
    move(
        world,
        [vehicle],
        EventType.DELIVERED,
        date(2025, 4, 25),
        holder=world.dealer,
        country_id="SA",
        document_ref="DN-0425",
    )
    return vehicle


def test_the_timeline_shows_every_event_in_order_with_who_and_where(client, world, history):
    sign_in(client, world.dealer_admin)
    response = client.post(
        retail_url(history.vin),
        {
            "customer_kind": "person",
            "customer_name": "Faisal Al-Harbi",
            "customer_country": "SA",
            "occurred_on": "2025-05-02",
            "price": "95000",
            "currency": "sar",
            "document_ref": "INV-0502",
        },
    )
    assert (response.status_code, response["Location"]) == (302, timeline_url(history.vin))
    move(world, [history], EventType.REGISTERED, date(2025, 5, 9), place="Riyadh", country_id="SA")
    sign_in(client, world.partner_viewer)
    page = client.get(timeline_url(history.vin.lower()))
    assert rows_of(page) == [
        ["03/01/2025", "Produced", "Produced", "JAC", "NJ1 Nanjing · China", "—", "—"],
        ["03/10/2025", "Allocated", "Produced → to Allocated", "JAC", "", "—", "—"],
        [
            "03/20/2025",
            "Shipped wholesale",
            "Allocated → to Shipped",
            "JAC",
            "Shanghai · China",
            "—",
            "BL-0320",
        ],
        [
            "04/18/2025",
            "Arrived at port",
            "Shipped → to Arrived at port",
            "JAC",
            "Jeddah Islamic Port · Saudi Arabia",
            "—",
            "—",
        ],
        [
            "04/25/2025",
            "Delivered to dealer stock",
            "Arrived at port → to In dealer stock",
            "JAC",
            "Saudi Arabia",
            "—",
            "DN-0425",
        ],
        # The partner sees the sale, not who bought nor the price: the dealer recorded it.
        [
            "05/02/2025",
            "Retailed",
            "In dealer stock → to Retailed",
            "Riyadh Motors",
            "Saudi Arabia",
            "—",
            "INV-0502",
        ],
        [
            "05/09/2025",
            "Registered",
            "Retailed → to Registered",
            "JAC",
            "Riyadh · Saudi Arabia",
            "—",
            "—",
        ],
    ]
    html = page.content.decode()
    assert f'<h1 class="h3 me-auto mb-0 font-monospace" dir="ltr">{history.vin}</h1>' in html
    assert "03/01/2025 · NJ1 Nanjing · line sequence 4711" in html
    assert "Faisal Al-Harbi" not in html
    assert "Record retail sale" not in html  # registered, and the partner only looks
    sign_in(client, world.dealer_admin)
    page = client.get(timeline_url(history.vin))
    assert rows_of(page)[5] == [
        "05/02/2025",
        "Retailed Faisal Al-Harbi",
        "In dealer stock → to Retailed",
        "Riyadh Motors",
        "Saudi Arabia",
        "SAR 95,000.00",
        "INV-0502",
    ]
    assert "Faisal Al-Harbi</dd>" in page.content.decode()


def test_the_retail_button_is_for_who_may_sell_a_vehicle_in_stock(client, world, history):
    sign_in(client, world.jac_staff)
    assert (
        f'href="{retail_url(history.vin)}"'
        in client.get(timeline_url(history.vin)).content.decode()
    )
    sign_in(client, world.jac_viewer)
    assert "Record retail sale" not in client.get(timeline_url(history.vin)).content.decode()


def test_a_foreign_or_unknown_vin_page_is_a_404(client, world):
    nezha_vehicle(world)
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    sign_in(client, world.jac_admin)
    for vin in (NEZHA_VIN, UNKNOWN_VIN, "NOT-A-VIN"):
        assert client.get(timeline_url(vin)).status_code == 404, vin
        assert client.get(retail_url(vin)).status_code == 404, vin
    # JAC's vehicle is Saudi now: Nezha never sees it, nor the partner before the grant.
    sign_in(client, world.nezha_admin)
    before = registry()
    assert client.get(timeline_url(vehicle.vin)).status_code == 404
    assert client.get(retail_url(vehicle.vin)).status_code == 404
    response = client.post(
        retail_url(vehicle.vin),
        {
            "customer_kind": "person",
            "customer_name": "Wang Lei",
            "customer_country": "CN",
            "occurred_on": "2025-06-01",
            "price": "1",
            "currency": "CNY",
        },
    )
    assert response.status_code == 404
    assert registry() == before


# --- the retail form ------------------------------------------------------------------

SALE = {
    "customer_kind": "person",
    "customer_name": "Faisal Al-Harbi",
    "customer_country": "SA",
    "customer_email": "faisal@example.com",
    "customer_phone": "+966 50",
    "occurred_on": "2025-05-02",
    "price": "95000.50",
    "currency": "SAR",
    "document_ref": "INV-0502",
}


def test_the_retail_form_records_the_sale_and_the_customer(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    sign_in(client, world.dealer_admin)
    form = client.get(retail_url(vehicle.vin))
    assert form.status_code == 200
    html = form.content.decode()
    assert '<option value="SA" selected>' in html  # the vehicle's market
    assert "a sale will be refused" not in html
    response = client.post(retail_url(vehicle.vin), SALE)
    assert (response.status_code, response["Location"]) == (302, timeline_url(vehicle.vin))
    assert messages_of(response) == [f"{vehicle.vin} retailed."]
    vehicle.refresh_from_db()
    assert (
        vehicle.state,
        vehicle.retailed_on,
        vehicle.customer.name,  # type: ignore[union-attr]  # the sale above set the customer
        vehicle.customer.email,  # type: ignore[union-attr]  # the sale above set the customer
        vehicle.customer.recorded_by,  # type: ignore[union-attr]  # the sale above set the customer
    ) == ("retailed", date(2025, 5, 2), "Faisal Al-Harbi", "faisal@example.com", world.dealer)
    assert list(
        VehicleEvent.objects.filter(type="retailed").values_list(
            "price", "currency", "document_ref", "organization__short_name"
        )
    ) == [(95000.5, "SAR", "INV-0502", "Riyadh Motors")]


def test_the_retail_form_names_each_wrong_field_and_writes_nothing(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    sign_in(client, world.dealer_admin)
    before = registry()
    response = client.post(
        retail_url(vehicle.vin),
        {**SALE, "customer_name": "", "price": "-5", "customer_email": "faisal", "occurred_on": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "customer_name": ["This field is required."],
        "customer_email": ["Enter a valid email address."],
        "occurred_on": ["This field is required."],
        "price": ["An amount cannot be negative."],
    }
    html = response.content.decode()
    assert (
        '<div class="invalid-feedback d-block" id="id_customer_name_error">'
        "This field is required.</div>"
    ) in html
    assert (
        '<div class="invalid-feedback d-block" id="id_price_error">'
        "An amount cannot be negative.</div>"
    ) in html
    # What only the service knows lands on its field too.
    response = client.post(
        retail_url(vehicle.vin), {**SALE, "currency": "XYZ", "occurred_on": "2025-03-07"}
    )
    assert response.context["form"].errors == {
        "currency": ["XYZ is not an ISO 4217 currency code."],
    }
    response = client.post(retail_url(vehicle.vin), {**SALE, "occurred_on": "2025-03-07"})
    assert response.context["form"].errors == {
        "occurred_on": [
            f"The date is before the vehicle's latest event: {vehicle.vin} has an event on "
            "2025-03-08."
        ],
    }
    assert registry() == before


def test_the_retail_form_refuses_a_vehicle_not_in_stock_and_writes_nothing(client, world):
    (vehicle,) = produce(world, 1)
    sign_in(client, world.jac_staff)
    page = client.get(retail_url(vehicle.vin)).content.decode()
    assert "This vehicle is not in dealer stock (Produced); a sale will be refused." in page
    before = registry()
    response = client.post(retail_url(vehicle.vin), {**SALE, "customer_country": "CN"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": [f"{vehicle.vin} is produced and cannot be retailed."]
    }
    assert registry() == before


def test_a_viewer_gets_no_retail_form_and_changes_nothing(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    sign_in(client, world.jac_viewer)
    before = registry()
    assert client.get(retail_url(vehicle.vin)).status_code == 403
    assert client.post(retail_url(vehicle.vin), SALE).status_code == 403
    assert registry() == before


# --- the bulk delivery ----------------------------------------------------------------


def test_the_bulk_action_delivers_the_selected_vehicles(client, world):
    vehicles = produce(world, 1, 2, 3)
    move(world, vehicles[:2], EventType.ALLOCATED, date(2025, 3, 5), market_id="SA")
    sign_in(client, world.jac_staff)
    page = client.get(LIST).content.decode()
    dealers = page.split('name="dealer"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.dealer.pk}">Riyadh Motors</option>' in dealers
    assert "Zhongjiang" not in dealers  # no dealer
    body = {
        "vins": [jac_vin(1).lower(), jac_vin(2)],
        "dealer": world.dealer.pk,
        "occurred_on": "2025-03-08",
        "document_ref": "DN-0308",
    }
    assert delivered(client, body) == ["2 vehicles delivered to Riyadh Motors."]
    assert list(
        Vehicle.objects.order_by("vin").values_list(
            "vin", "state", "holder__short_name", "wholesaled_on"
        )
    ) == [
        (jac_vin(1), "in_stock", "Riyadh Motors", date(2025, 3, 8)),
        (jac_vin(2), "in_stock", "Riyadh Motors", date(2025, 3, 8)),
        (jac_vin(3), "produced", "JAC", None),
    ]
    assert VehicleEvent.objects.filter(type="delivered", document_ref="DN-0308").count() == 2


def test_the_bulk_action_delivers_none_when_one_vehicle_cannot_go(client, world):
    vehicles = produce(world, 1, 2)
    move(world, vehicles[:1], EventType.ALLOCATED, date(2025, 3, 5))
    sign_in(client, world.jac_staff)
    before = registry()
    body = {
        "vins": [jac_vin(1), jac_vin(2)],
        "dealer": world.dealer.pk,
        "occurred_on": "2025-03-08",
    }
    assert delivered(client, body) == [
        f"{jac_vin(2)} is produced and cannot be delivered to dealer stock."
    ]
    assert delivered(client, {**body, "dealer": "", "occurred_on": "8 March"}) == [
        "This field is required.",
        "Enter a valid date.",
    ]
    assert delivered(client, {**body, "occurred_on": "2025-03-02"}) == [
        "Some fields are not valid.",
        f"The date is before the vehicle's latest event: {jac_vin(1)} has an event on 2025-03-05.",
    ]
    assert registry() == before


def test_the_bulk_action_refuses_viewers_and_foreign_vins_changing_nothing(client, world):
    nezha_vehicle(world)
    (vehicle,) = produce(world, 1)
    move(world, [vehicle], EventType.ALLOCATED, date(2025, 3, 5))
    before = registry()
    body = {"vins": [jac_vin(1)], "dealer": world.dealer.pk, "occurred_on": "2025-03-08"}
    sign_in(client, world.jac_viewer)
    assert client.post(DELIVER, body).status_code == 403
    sign_in(client, world.jac_staff)
    assert client.post(DELIVER, {**body, "vins": [jac_vin(1), NEZHA_VIN]}).status_code == 404
    assert client.post(DELIVER, {**body, "vins": [UNKNOWN_VIN]}).status_code == 404
    assert client.get(DELIVER).status_code == 405
    assert registry() == before


# --- the milestones -------------------------------------------------------------------


def test_the_milestones_page_shows_each_round_unit(client, world):
    for number, on in enumerate(
        [date(2020, 1, 1), date(2020, 1, 20), date(2021, 7, 1), date(2023, 3, 15)], start=1
    ):
        produce(world, number, on=on)
    sign_in(client, world.jac_viewer)
    empty = client.get(MILESTONES)
    assert rows_of(empty) == []  # no brand chosen yet
    brands = empty.content.decode().split('name="brand"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{world.jac_brand.pk}">JAC</option>' in brands
    assert "Nezha" not in brands
    response = client.get(MILESTONES, {"brand": world.jac_brand.pk, "every": 2})
    assert rows_of(response) == [
        ["1", "01/01/2020", jac_vin(1), "—", "—"],
        ["2", "01/20/2020", jac_vin(2), "19", "19 days"],
        ["4", "03/15/2023", jac_vin(4), "1,150", "3 years 1 month"],
    ]
    assert "Production milestones · JAC</h1>" in response.content.decode()
    assert rows_of(client.get(MILESTONES, {"brand": world.jac_brand.pk})) == [
        ["1", "01/01/2020", jac_vin(1), "—", "—"]
    ]


def test_the_milestones_page_is_for_the_brand_owner(client, world):
    produce(world, 1)
    sign_in(client, world.partner_admin)
    assert client.get(MILESTONES, {"brand": world.jac_brand.pk}).status_code == 403
    sign_in(client, world.nezha_admin)
    assert client.get(MILESTONES, {"brand": world.jac_brand.pk}).status_code == 404
    assert client.get(MILESTONES, {"brand": "JAC"}).status_code == 404
    sign_in(client, world.jac_admin)
    empty = client.get(MILESTONES, {"brand": world.nezha_brand.pk})
    assert empty.status_code == 404


def test_the_pages_need_a_sign_in(client, world):
    (vehicle,) = produce(world, 1)
    for url in (LIST, timeline_url(vehicle.vin), retail_url(vehicle.vin), MILESTONES):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("web:sign-in")), url


# --- scale: query-count baselines -------------------------------------------------------

QUERY_COUNTS = Path(__file__).with_name("query_counts.json")


def full_history(world: World, vehicle: Vehicle) -> None:
    """Take a JAC vehicle from allocation to registration: events by JAC and its dealer,
    in two countries, one with a customer."""
    customer = Customer.objects.create(
        kind="person", name="Faisal Al-Harbi", country_id="SA", recorded_by=world.dealer
    )
    VehicleEvent.objects.bulk_create(
        [
            VehicleEvent(
                vehicle=vehicle,
                type=type_,
                from_state=from_state,
                to_state=to_state,
                occurred_on=date(2025, 6, day),
                organization=organization,
                country_id=country,
                customer=customer if type_ == "retailed" else None,
            )
            for day, (type_, from_state, to_state, organization, country) in enumerate(
                [
                    ("allocated", "produced", "allocated", world.jac, None),
                    ("shipped", "allocated", "shipped", world.jac, "CN"),
                    ("arrived", "shipped", "arrived", world.jac, "SA"),
                    ("delivered", "arrived", "in_stock", world.jac, "SA"),
                    ("retailed", "in_stock", "retailed", world.dealer, "SA"),
                    ("registered", "retailed", "registered", world.dealer, "SA"),
                ],
                start=1,
            )
        ]
    )
    Vehicle.objects.filter(pk=vehicle.pk).update(
        state="registered", market_id="SA", holder=world.dealer, customer=customer
    )


@pytest.mark.parametrize("count", [10, 10_000])
def test_first_pages_take_the_baseline_queries_whatever_the_number_of_vehicles(
    client, world, django_assert_num_queries, count
):
    """The list page, the list endpoint and the timeline page each take the number of
    queries committed in query_counts.json, with 10 vehicles as with 10,000 (no N+1).

    Each request is made once before it is counted, as a person or a script using
    the registry would have: the API token's last use is then already recorded.
    """
    baseline = json.loads(QUERY_COUNTS.read_text())
    vehicles = many_vehicles(world, count)
    one_event, seven_events = vehicles[0], vehicles[2]
    full_history(world, seven_events)
    sign_in(client, world.jac_staff)
    script = Client(headers={"Authorization": f"Bearer {world.token_for('jac_staff')}"})
    requests = {
        "vehicle:list_page": [(client, LIST)],
        "vehicle:api_list": [(script, "/api/v1/vehicles/")],
        "vehicle:timeline_page": [
            (client, timeline_url(one_event.vin)),
            (client, timeline_url(seven_events.vin)),
        ],
    }
    assert sorted(baseline) == sorted(requests)
    for name, calls in requests.items():
        for browser, url in calls:
            browser.get(url)
            info = (
                f"{name} ({url}, {count:,} vehicles) is not at its baseline. If the change "
                f"is intended, update {QUERY_COUNTS.name} (src/seabridge/vehicles/tests/) "
                "to the new number in the same commit."
            )
            with django_assert_num_queries(baseline[name], info=info):
                response = browser.get(url)
            assert response.status_code == 200
    # The pages did show the first page of the vehicles (the newest first).
    page = client.get(LIST)
    newest = Vehicle.objects.filter(brand=world.jac_brand).order_by("-produced_on", "-id")
    assert vins_of(page) == [vehicle.vin for vehicle in newest[:50]]
    assert f"{newest.count()} records" in page.content.decode()
    listed = script.get("/api/v1/vehicles/").json()
    assert [item["vin"] for item in listed["items"]] == [vehicle.vin for vehicle in newest[:50]]
    assert listed["count"] == count - count // 10
    assert len(rows_of(client.get(timeline_url(seven_events.vin)))) == 7
