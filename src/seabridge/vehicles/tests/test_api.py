"""The vehicles API: the VIN registry list and lookups, the lifecycle moves, milestones.

Every refusal is checked in the one error shape ``{"error": {"code", "message",
"fields"}}``, and every refused write is checked to have changed nothing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seabridge.accounts.choices import Role
from seabridge.accounts.tests.factories import MembershipFactory
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.models import AuditEvent
from seabridge.core.tests.world import World
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Customer, Plant, Vehicle, VehicleEvent
from seabridge.vehicles.selectors import vehicle_by_vin
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.tests.access import NEZHA_VIN, valid_vin
from seabridge.vehicles.tests.conftest import jac_vin, produce

pytestmark = pytest.mark.django_db

API = "/api/v1/vehicles"
UNKNOWN_VIN = valid_vin("LJ12EKR10S9999999")
NOT_FOUND = {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}
STAFF_NEEDED = {
    "error": {
        "code": "forbidden",
        "message": "This needs the Staff role in JAC.",
        "fields": {},
    }
}


# --- helpers --------------------------------------------------------------------------


def bearer(world: World, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token_for(name)}"}


def get(client: Any, world: World, name: str, path: str, **query: Any) -> Any:
    return client.get(f"{API}{path}", query, headers=bearer(world, name))


def post(client: Any, world: World, name: str, path: str, body: dict[str, Any]) -> Any:
    return client.post(
        f"{API}{path}", body, content_type="application/json", headers=bearer(world, name)
    )


def registry() -> tuple[list, list, list, list]:
    """Every vehicle, event, customer and audit row: what a refused request must leave alone."""
    return (
        list(Vehicle.objects.order_by("pk").values_list()),
        list(VehicleEvent.objects.order_by("pk").values_list()),
        list(Customer.objects.order_by("pk").values_list()),
        list(AuditEvent.objects.order_by("pk").values_list()),
    )


def listed_vins(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["vin"] for item in response.json()["items"]]


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


def move(world: World, vehicle: Vehicle, type_: EventType, on: date, **facts: Any) -> None:
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[vehicle.pk],
        move=Move(type=type_, occurred_on=on, **facts),
    )


def into_stock(world: World, vehicle: Vehicle) -> None:
    """Allocated at home and delivered to JAC's Saudi dealer (who then holds it)."""
    move(world, vehicle, EventType.ALLOCATED, date(2025, 3, 5), market_id="SA")
    move(world, vehicle, EventType.DELIVERED, date(2025, 3, 8), holder=world.dealer)


RETAIL = {
    "customer": {"kind": "person", "name": "Faisal Al-Harbi", "country": "sa", "phone": "+966 50"},
    "occurred_on": "2025-05-02",
    "price": "95000.00",
    "currency": "sar",
    "document_ref": "INV-0502",
}


# --- the list -------------------------------------------------------------------------


@pytest.fixture
def fleet(world: World) -> World:
    """Six JAC vehicles over three months, two variants and two markets, and a Nezha one.

    ======  ==========  =======  =========  ======
    number  produced    variant  state      market
    ======  ==========  =======  =========  ======
    1       2025-01-10  T8-D     produced   CN
    2       2025-01-10  T8-D     allocated  SA
    3       2025-02-15  T8-D     produced   CN
    4       2025-02-15  T8-P     allocated  SA
    5       2025-03-20  T8-P     produced   CN
    21      2025-03-20  T8-D     produced   CN
    ======  ==========  =======  =========  ======
    """
    world.pickup = VariantFactory.create(product_line=world.jac_line, code="T8-P")  # type: ignore[attr-defined]  # the test world grows attributes per test
    rows = [
        (1, world.jac_variant, date(2025, 1, 10)),
        (2, world.jac_variant, date(2025, 1, 10)),
        (3, world.jac_variant, date(2025, 2, 15)),
        (4, world.pickup, date(2025, 2, 15)),
        (5, world.pickup, date(2025, 3, 20)),
        (21, world.jac_variant, date(2025, 3, 20)),
    ]
    vehicles = vehicles_produce(
        actor=world.jac_staff,
        rows=[
            ProductionRow(vin=jac_vin(number), variant_id=variant.pk, produced_on=on)
            for number, variant, on in rows
        ],
    ).vehicles
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[vehicles[1].pk, vehicles[3].pk],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 25), market_id="SA"),
    )
    world.nezha_vehicle = nezha_vehicle(world)  # type: ignore[attr-defined]  # the test world grows attributes per test
    return world


def test_the_list_answers_the_callers_vehicles_newest_first_with_what_a_row_shows(client, fleet):
    response = get(client, fleet, "jac_viewer", "/")
    assert listed_vins(response) == [
        jac_vin(21),
        jac_vin(5),
        jac_vin(4),
        jac_vin(3),
        jac_vin(2),
        jac_vin(1),
    ]
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (6, 1, 50, 1)
    assert body["items"][2] == {
        "vin": jac_vin(4),
        "brand_id": fleet.jac_brand.pk,
        "brand": "JAC",
        "variant_id": fleet.pickup.pk,
        "variant": "T8-P",
        "plant_id": None,
        "line_sequence": None,
        "produced_on": "2025-02-15",
        "state": "allocated",
        "market": "SA",
        "holder_id": fleet.jac.pk,
        "holder": "JAC",
        "customer_id": None,
        "wholesaled_on": None,
        "retailed_on": None,
    }
    # Each sees its own: Nezha its one vehicle; JAC's partner the two allocated to Saudi Arabia.
    assert listed_vins(get(client, fleet, "nezha_viewer", "/")) == [NEZHA_VIN]
    assert listed_vins(get(client, fleet, "partner_viewer", "/")) == [jac_vin(4), jac_vin(2)]


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        # A VIN prefix in any case (position 9 is the check digit: 4 and 21 share it).
        ({"q": "lj12ekr16"}, [21, 4]),
        ({"q": "LJ12EKR1"}, [21, 5, 4, 3, 2, 1]),
        ({"q": jac_vin(3)}, [3]),
        ({"q": "LJ12EKR10S0000002"}, []),
        ({"q": "WVW"}, []),
        ({"state": "allocated"}, [4, 2]),
        ({"state": "produced"}, [21, 5, 3, 1]),
        ({"market": "sa"}, [4, 2]),
        ({"market": "CN"}, [21, 5, 3, 1]),
        ({"market": "OM"}, []),
        ({"variant": "pickup"}, [5, 4]),
        ({"produced_from": "2025-02-15"}, [21, 5, 4, 3]),
        ({"produced_to": "2025-02-15"}, [4, 3, 2, 1]),
        ({"produced_from": "2025-02-01", "produced_to": "2025-02-28"}, [4, 3]),
        ({"state": "produced", "market": "CN", "produced_from": "2025-03-01"}, [21, 5]),
        ({"brand": "jac", "variant": "pickup", "state": "produced"}, [5]),
        ({"brand": "nezha"}, []),
    ],
)
def test_every_filter_of_the_list(client, fleet, query, numbers):
    ids = {"jac": fleet.jac_brand.pk, "nezha": fleet.nezha_brand.pk, "pickup": fleet.pickup.pk}
    query = {name: ids.get(value, value) for name, value in query.items()}
    response = get(client, fleet, "jac_admin", "/", **query)
    assert listed_vins(response) == [jac_vin(number) for number in numbers]
    assert response.json()["count"] == len(numbers)


def test_a_bad_filter_is_a_422_naming_the_filter(client, fleet):
    response = get(
        client,
        fleet,
        "jac_admin",
        "/",
        q="LJ-12",
        state="sold",
        market="SAU",
        produced_from="yesterday",
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "q": ["Enter a valid value."],
                "state": [
                    "Choose one of: produced, allocated, shipped, arrived, in_stock, retailed, "
                    "registered, scrapped, re_exported."
                ],
                "market": ["Enter a valid value."],
                "produced_from": ["Use an ISO 8601 date, e.g. 2025-04-22."],
            },
        }
    }


def test_the_list_is_paged(client, fleet):
    response = get(client, fleet, "jac_admin", "/", page=2, page_size=4)
    assert listed_vins(response) == [jac_vin(2), jac_vin(1)]
    body = response.json()
    assert (body["count"], body["page"], body["page_size"], body["pages"]) == (6, 2, 4, 2)


def test_a_signed_in_person_reads_the_list_for_the_organisation_they_act_for(client, fleet):
    """The browser session works too; the acting organisation decides what is listed."""
    person = fleet.jac_viewer.user
    MembershipFactory.create(user=person, organization=fleet.nezha, role=Role.VIEWER)
    client.force_login(person)
    session = client.session
    session["acting_organization_id"] = fleet.nezha.pk
    session.save()
    assert listed_vins(client.get(f"{API}/")) == [NEZHA_VIN]
    not_found = client.get(f"{API}/{jac_vin(1)}")
    assert (not_found.status_code, not_found.json()) == (404, NOT_FOUND)
    session["acting_organization_id"] = fleet.jac.pk
    session.save()
    assert listed_vins(client.get(f"{API}/", {"market": "SA"})) == [jac_vin(4), jac_vin(2)]
    assert client.get(f"{API}/{jac_vin(1)}").json()["vin"] == jac_vin(1)
    client.logout()
    signed_out = client.get(f"{API}/")
    assert (signed_out.status_code, signed_out.json()["error"]["code"]) == (
        401,
        "not_authenticated",
    )


# --- lookup and timeline ----------------------------------------------------------------


def test_a_vehicle_is_read_by_its_vin_in_any_case(client, world):
    plant = Plant.objects.create(owner=world.jac, code="NJ1", name="Nanjing", country_id="CN")
    response = post(
        client,
        world,
        "jac_staff",
        "/produce",
        {
            "rows": [
                {
                    "vin": jac_vin(1),
                    "variant_id": world.jac_variant.pk,
                    "produced_on": "2025-03-01",
                    "plant_id": plant.pk,
                    "line_sequence": 4711,
                }
            ]
        },
    )
    assert response.status_code == 201
    read = get(client, world, "jac_viewer", f"/ {jac_vin(1).lower()} ")
    assert read.status_code == 200
    assert read.json() == {
        "vin": jac_vin(1),
        "brand_id": world.jac_brand.pk,
        "brand": "JAC",
        "variant_id": world.jac_variant.pk,
        "variant": "T8-D",
        "plant_id": plant.pk,
        "line_sequence": 4711,
        "produced_on": "2025-03-01",
        "state": "produced",
        "market": "CN",
        "holder_id": world.jac.pk,
        "holder": "JAC",
        "customer_id": None,
        "wholesaled_on": None,
        "retailed_on": None,
    }


def test_the_timeline_lists_every_event_in_order_with_who_and_where(client, world):
    plant = Plant.objects.create(owner=world.jac, code="NJ1", name="Nanjing", country_id="CN")
    produced = post(
        client,
        world,
        "jac_staff",
        "/produce",
        {
            "rows": [
                {
                    "vin": jac_vin(1),
                    "variant_id": world.jac_variant.pk,
                    "produced_on": "2025-03-01",
                    "plant_id": plant.pk,
                }
            ]
        },
    )
    assert produced.status_code == 201
    vehicle = Vehicle.objects.get(vin=jac_vin(1))
    move(world, vehicle, EventType.ALLOCATED, date(2025, 3, 10), market_id="SA")
    move(
        world,
        vehicle,
        EventType.SHIPPED,
        date(2025, 3, 20),
        is_wholesale=True,
        place="Shanghai",
        country_id="CN",
        document_ref="BL-0320",
    )
    move(
        world,
        vehicle,
        EventType.ARRIVED,
        date(2025, 4, 18),
        place="Jeddah Islamic Port",
        country_id="SA",
    )
    delivered = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {
            "vins": [jac_vin(1)],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-04-25",
            "document_ref": "DN-0425",
        },
    )
    assert delivered.status_code == 200
    retailed = post(client, world, "dealer_admin", f"/{jac_vin(1)}/retail", RETAIL)
    assert retailed.status_code == 200
    registered = post(
        client,
        world,
        "dealer_admin",
        f"/{jac_vin(1)}/register",
        {"occurred_on": "2025-05-09", "document_ref": "RUH 1234", "place": "Riyadh"},
    )
    assert registered.status_code == 200

    response = get(client, world, "dealer_admin", f"/{jac_vin(1)}/events")
    assert response.status_code == 200
    event = {
        "from_state": "",
        "organization": "JAC",
        "place": "",
        "country": None,
        "is_wholesale": False,
        "price": None,
        "currency": "",
        "customer": None,
        "document_ref": "",
        "note": "",
    }
    assert response.json() == [
        {
            **event,
            "type": "produced",
            "to_state": "produced",
            "occurred_on": "2025-03-01",
            "place": "NJ1 Nanjing",
            "country": "CN",
        },
        {
            **event,
            "type": "allocated",
            "from_state": "produced",
            "to_state": "allocated",
            "occurred_on": "2025-03-10",
        },
        {
            **event,
            "type": "shipped",
            "from_state": "allocated",
            "to_state": "shipped",
            "occurred_on": "2025-03-20",
            "place": "Shanghai",
            "country": "CN",
            "is_wholesale": True,
            "document_ref": "BL-0320",
        },
        {
            **event,
            "type": "arrived",
            "from_state": "shipped",
            "to_state": "arrived",
            "occurred_on": "2025-04-18",
            "place": "Jeddah Islamic Port",
            "country": "SA",
        },
        {
            **event,
            "type": "delivered",
            "from_state": "arrived",
            "to_state": "in_stock",
            "occurred_on": "2025-04-25",
            "country": "SA",
            "document_ref": "DN-0425",
        },
        {
            **event,
            "type": "retailed",
            "from_state": "in_stock",
            "to_state": "retailed",
            "occurred_on": "2025-05-02",
            "organization": "Riyadh Motors",
            "country": "SA",
            "price": "95000.0000",
            "currency": "SAR",
            "customer": "Faisal Al-Harbi",
            "document_ref": "INV-0502",
        },
        {
            **event,
            "type": "registered",
            "from_state": "retailed",
            "to_state": "registered",
            "occurred_on": "2025-05-09",
            "organization": "Riyadh Motors",
            "place": "Riyadh",
            "country": "SA",
            "document_ref": "RUH 1234",
        },
    ]
    # The partner granted Saudi Arabia sees the sale, not who bought nor at what price.
    sale = get(client, world, "partner_viewer", f"/{jac_vin(1)}/events").json()[5]
    assert (sale["type"], sale["customer"], sale["price"], sale["currency"]) == (
        "retailed",
        None,
        None,
        "",
    )


def test_a_foreign_vin_is_not_found_exactly_like_an_unknown_one(client, world):
    nezha_vehicle(world)
    produce(world, 1)
    before = registry()
    for vin in (NEZHA_VIN, UNKNOWN_VIN, "TOO-SHORT"):
        for path in (f"/{vin}", f"/{vin}/events"):
            response = get(client, world, "jac_admin", path)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), path
        for path, body in (
            (f"/{vin}/retail", RETAIL),
            (f"/{vin}/register", {"occurred_on": "2025-06-01"}),
            (f"/{vin}/scrap", {"occurred_on": "2025-06-01"}),
        ):
            response = post(client, world, "jac_admin", path, body)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    delivered = post(
        client,
        world,
        "jac_admin",
        "/deliver",
        {
            "vins": [jac_vin(1), NEZHA_VIN],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-06-01",
        },
    )
    assert (delivered.status_code, delivered.json()) == (404, NOT_FOUND)
    # Nezha's own people, and JAC's partner outside its granted markets, do not see JAC's VIN.
    for name in ("nezha_admin", "partner_admin"):
        response = get(client, world, name, f"/{jac_vin(1)}")
        assert (response.status_code, response.json()) == (404, NOT_FOUND), name
    assert registry() == before


# --- production -----------------------------------------------------------------------


def test_production_registers_the_rows_and_answers_the_vehicles_and_warnings(client, world):
    response = post(
        client,
        world,
        "jac_staff",
        "/produce",
        {
            "rows": [
                {
                    "vin": jac_vin(2).lower(),
                    "variant_id": world.jac_variant.pk,
                    "produced_on": "2025-03-02",
                    "line_sequence": 2,
                },
                {
                    "vin": "WVWZZZ1JZXW000001",
                    "variant_id": world.jac_variant.pk,
                    "produced_on": "2025-03-03",
                },
            ]
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["count"], body["warnings"]) == (
        2,
        {"WVWZZZ1JZXW000001": ["Check digit expected 0, got Z."]},
    )
    assert [
        (item["vin"], item["state"], item["market"], item["holder"], item["line_sequence"])
        for item in body["vehicles"]
    ] == [
        (jac_vin(2), "produced", "CN", "JAC", 2),
        ("WVWZZZ1JZXW000001", "produced", "CN", "JAC", None),
    ]
    assert list(
        VehicleEvent.objects.order_by("vehicle__vin").values_list(
            "vehicle__vin", "type", "to_state", "occurred_on", "organization__short_name"
        )
    ) == [
        (jac_vin(2), "produced", "produced", date(2025, 3, 2), "JAC"),
        ("WVWZZZ1JZXW000001", "produced", "produced", date(2025, 3, 3), "JAC"),
    ]


def test_production_with_a_bad_vin_names_the_row_and_what_is_wrong_and_writes_nothing(
    client, world
):
    produce(world, 1)
    before = registry()

    def row(vin: str) -> dict[str, Any]:
        return {"vin": vin, "variant_id": world.jac_variant.pk, "produced_on": "2025-03-02"}

    wrong_digit = jac_vin(2)[:8] + ("1" if jac_vin(2)[8] != "1" else "2") + jac_vin(2)[9:]
    response = post(
        client,
        world,
        "jac_staff",
        "/produce",
        {
            "rows": [
                row(jac_vin(3)),
                row(wrong_digit),
                row("LJ12EKR10S400000"),
                row("LJ12EKR1OS4000001"),
                row(jac_vin(1)),
                row(jac_vin(3)),
            ]
        },
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {
                "rows.1.vin": [f"Check digit expected {jac_vin(2)[8]}, got {wrong_digit[8]}."],
                "rows.2.vin": ["VIN must be 17 characters, got 16."],
                "rows.3.vin": ["VIN contains the letter O at position 9; I, O and Q are not used."],
                "rows.4.vin": [f"{jac_vin(1)} is already registered."],
                "rows.5.vin": [f"{jac_vin(3)} is given twice."],
            },
        }
    }
    assert registry() == before


def test_production_is_for_the_brand_owners_staff(client, world):
    body = {
        "rows": [
            {"vin": jac_vin(1), "variant_id": world.jac_variant.pk, "produced_on": "2025-03-02"}
        ]
    }
    before = registry()
    viewer = post(client, world, "jac_viewer", "/produce", body)
    assert (viewer.status_code, viewer.json()) == (403, STAFF_NEEDED)
    partner = post(client, world, "partner_admin", "/produce", body)
    assert (partner.status_code, partner.json()["error"]["message"]) == (
        403,
        "Only the brand owner's staff register production.",
    )
    assert registry() == before
    assert Vehicle.objects.count() == 0


# --- moves ----------------------------------------------------------------------------


def test_delivery_moves_every_named_vehicle_into_the_dealers_stock(client, world):
    vehicles = produce(world, 1, 2)
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 5), market_id="SA"),
    )
    response = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {
            "vins": [jac_vin(2).lower(), jac_vin(1)],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-03-08",
            "document_ref": "DN-0308",
        },
    )
    assert response.status_code == 200
    assert [
        (item["vin"], item["state"], item["holder"], item["wholesaled_on"])
        for item in response.json()
    ] == [
        (jac_vin(2), "in_stock", "Riyadh Motors", "2025-03-08"),
        (jac_vin(1), "in_stock", "Riyadh Motors", "2025-03-08"),
    ]
    assert list(
        VehicleEvent.objects.filter(type="delivered")
        .order_by("vehicle__vin")
        .values_list("vehicle__vin", "is_wholesale", "country_id", "document_ref")
    ) == [(jac_vin(1), True, "SA", "DN-0308"), (jac_vin(2), True, "SA", "DN-0308")]


def test_a_delivery_with_one_wrong_vehicle_is_a_409_and_delivers_none(client, world):
    vehicles = produce(world, 1, 2)
    move(world, vehicles[0], EventType.ALLOCATED, date(2025, 3, 5))
    before = registry()
    response = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {
            "vins": [jac_vin(1), jac_vin(2)],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-03-8",
        },
    )
    assert response.status_code == 422  # not an ISO date: 2025-03-8
    response = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {
            "vins": [jac_vin(1), jac_vin(2)],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-03-08",
        },
    )
    assert (response.status_code, response.json()) == (
        409,
        {
            "error": {
                "code": "conflict",
                "message": f"{jac_vin(2)} is produced and cannot be delivered to dealer stock.",
                "fields": {},
            }
        },
    )
    assert registry() == before


def test_a_delivery_names_bad_vins_and_unknown_dealers(client, world):
    produce(world, 1)
    before = registry()
    response = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {
            "vins": [jac_vin(1), "LJ12EKR10S40000", jac_vin(1).lower()],
            "dealer_id": world.dealer.pk,
            "occurred_on": "2025-03-08",
        },
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {
            "vins.1": ["VIN must be 17 characters, got 15."],
            "vins.2": [f"{jac_vin(1)} is given twice."],
        },
    )
    # Zhongjiang is no dealer, and Nezha's dealers are not JAC's to deliver to.
    response = post(
        client,
        world,
        "jac_staff",
        "/deliver",
        {"vins": [jac_vin(1)], "dealer_id": world.partner.pk, "occurred_on": "2025-03-08"},
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {"dealer_id": [f"No such dealer: {world.partner.pk}."]},
    )
    assert registry() == before


def test_retail_sells_a_vehicle_in_stock_and_records_the_customer(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    response = post(client, world, "dealer_admin", f"/{jac_vin(1)}/retail", RETAIL)
    assert response.status_code == 200
    customer = Customer.objects.get()
    body = response.json()
    assert (
        body["vin"],
        body["state"],
        body["holder"],
        body["customer_id"],
        body["retailed_on"],
        body["wholesaled_on"],
    ) == (jac_vin(1), "retailed", "Riyadh Motors", customer.pk, "2025-05-02", None)
    assert (
        customer.name,
        customer.kind,
        customer.country_id,
        customer.phone,
        customer.recorded_by,
    ) == ("Faisal Al-Harbi", "person", "SA", "+966 50", world.dealer)
    assert list(
        VehicleEvent.objects.filter(type="retailed").values_list(
            "price", "currency", "customer__name", "organization__short_name", "country_id"
        )
    ) == [(95000, "SAR", "Faisal Al-Harbi", "Riyadh Motors", "SA")]


def test_retail_refusals_name_the_field_and_write_nothing(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    before = registry()
    response = post(
        client,
        world,
        "dealer_admin",
        f"/{jac_vin(1)}/retail",
        {
            **RETAIL,
            "price": "-1",
            "currency": "SARS",
            "customer": {**RETAIL["customer"], "name": ""},  # type: ignore[dict-item]  # a JSON object read back from the file
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "customer.name": ["Too short (minimum length: 1)."],
        "price": ["An amount cannot be negative."],
        "currency": ["Enter a valid value."],
    }
    response = post(
        client, world, "dealer_admin", f"/{jac_vin(1)}/retail", {**RETAIL, "currency": "XYZ"}
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {"currency": ["XYZ is not an ISO 4217 currency code."]},
    )
    response = post(
        client,
        world,
        "dealer_admin",
        f"/{jac_vin(1)}/retail",
        {**RETAIL, "occurred_on": "2025-03-07"},
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {
            "occurred_on": [
                f"The date is before the vehicle's latest event: {jac_vin(1)} has an event on "
                "2025-03-08."
            ]
        },
    )
    assert registry() == before


def test_register_and_scrap_move_the_vehicle_on(client, world):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    assert post(client, world, "jac_staff", f"/{jac_vin(1)}/retail", RETAIL).status_code == 200
    response = post(
        client,
        world,
        "jac_staff",
        f"/{jac_vin(1)}/register",
        {"occurred_on": "2025-05-09", "document_ref": "皖A·12345", "place": "Riyadh"},
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["retailed_on"]) == (
        "registered",
        "2025-05-02",
    )
    response = post(
        client,
        world,
        "jac_staff",
        f"/{jac_vin(1)}/scrap",
        {"occurred_on": "2031-01-15", "note": "Written off after a flood"},
    )
    assert response.status_code == 200
    assert response.json()["state"] == "scrapped"
    assert list(
        VehicleEvent.objects.filter(type__in=["registered", "scrapped"])
        .order_by("id")
        .values_list("type", "occurred_on", "document_ref", "place", "country_id", "note")
    ) == [
        ("registered", date(2025, 5, 9), "皖A·12345", "Riyadh", "SA", ""),
        ("scrapped", date(2031, 1, 15), "", "", None, "Written off after a flood"),
    ]
    assert Vehicle.objects.in_operation().count() == 0


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("retail", RETAIL, "{vin} is produced and cannot be retailed."),
        ("register", {"occurred_on": "2025-06-01"}, "{vin} is produced and cannot be registered."),
        ("scrap", {"occurred_on": "2025-06-01"}, "{vin} is scrapped and cannot be scrapped."),
    ],
)
def test_an_illegal_move_is_a_409_and_changes_nothing(client, world, path, body, message):
    (vehicle,) = produce(world, 1)
    if path == "scrap":
        move(world, vehicle, EventType.SCRAPPED, date(2025, 3, 2))
    before = registry()
    response = post(client, world, "jac_staff", f"/{jac_vin(1)}/{path}", body)
    assert (response.status_code, response.json()) == (
        409,
        {
            "error": {
                "code": "conflict",
                "message": message.format(vin=jac_vin(1)),
                "fields": {},
            }
        },
    )
    assert registry() == before  # not even the customer of the refused sale is kept


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/{vin}/retail", RETAIL),
        ("/{vin}/register", {"occurred_on": "2025-06-01"}),
        ("/{vin}/scrap", {"occurred_on": "2025-06-01"}),
        ("/deliver", None),
    ],
)
def test_a_viewers_write_is_a_403_and_changes_nothing(client, world, path, body):
    (vehicle,) = produce(world, 1)
    into_stock(world, vehicle)
    if path == "/{vin}/register":
        move(world, vehicle, EventType.RETAILED, date(2025, 3, 9))
    if body is None:
        body = {"vins": [jac_vin(1)], "dealer_id": world.dealer.pk, "occurred_on": "2025-06-01"}
    before = registry()
    response = post(client, world, "jac_viewer", path.format(vin=jac_vin(1)), body)
    assert (response.status_code, response.json()) == (403, STAFF_NEEDED)
    assert registry() == before


# --- milestones -----------------------------------------------------------------------


def test_milestones_give_the_date_of_each_round_unit(client, world):
    for number, on in enumerate(
        [
            date(2020, 1, 1),
            date(2020, 1, 20),
            date(2021, 7, 1),
            date(2023, 3, 15),
            date(2024, 1, 1),
        ],
        start=1,
    ):
        produce(world, number, on=on)
    response = get(client, world, "jac_viewer", "/milestones", brand=world.jac_brand.pk, every=2)
    assert response.status_code == 200
    assert response.json() == [
        {
            "unit": 1,
            "produced_on": "2020-01-01",
            "vin": jac_vin(1),
            "days_since_previous": None,
            "interval": "",
        },
        {
            "unit": 2,
            "produced_on": "2020-01-20",
            "vin": jac_vin(2),
            "days_since_previous": 19,
            "interval": "19 days",
        },
        {
            "unit": 4,
            "produced_on": "2023-03-15",
            "vin": jac_vin(4),
            "days_since_previous": 1150,
            "interval": "3 years 1 month",
        },
    ]
    by_line = get(
        client,
        world,
        "jac_viewer",
        "/milestones",
        brand=world.jac_brand.pk,
        product_line=world.jac_line.pk,
        every=5,
    )
    assert [(row["unit"], row["vin"]) for row in by_line.json()] == [
        (1, jac_vin(1)),
        (5, jac_vin(5)),
    ]


def test_milestones_are_for_the_brand_owner_only(client, world):
    produce(world, 1)
    partner = get(client, world, "partner_admin", "/milestones", brand=world.jac_brand.pk)
    assert (partner.status_code, partner.json()) == (
        403,
        {
            "error": {
                "code": "forbidden",
                "message": "Production milestones are shown to the brand owner only.",
                "fields": {},
            }
        },
    )
    nezha = get(client, world, "nezha_admin", "/milestones", brand=world.jac_brand.pk)
    assert (nezha.status_code, nezha.json()) == (404, NOT_FOUND)
    foreign_line = get(
        client,
        world,
        "jac_admin",
        "/milestones",
        brand=world.jac_brand.pk,
        product_line=world.nezha_variant.product_line_id,
    )
    assert (foreign_line.status_code, foreign_line.json()["error"]["fields"]) == (
        422,
        {"product_line": [f"No such product line: {world.nezha_variant.product_line_id}."]},
    )
    zero = get(client, world, "jac_admin", "/milestones", brand=world.jac_brand.pk, every=0)
    assert (zero.status_code, zero.json()["error"]["fields"]) == (
        422,
        {"every": ["Ensure this value is greater than or equal to 1."]},
    )


# --- scale: the VIN index -------------------------------------------------------------


def many_vehicles(world: World, count: int) -> list[Vehicle]:
    """``count`` vehicles written with bulk INSERTs, one PRODUCED event each.

    Every tenth is Nezha's (outside JAC's scope); JAC's alternate between the home
    market and Saudi Arabia and are spread over 2020-2024. The services are tested
    elsewhere; going through them for thousands of vehicles would only be slow.
    """
    vehicles = []
    for number in range(1, count + 1):
        is_nezha = number % 10 == 0
        vehicles.append(
            Vehicle(
                vin=f"LJ1{number:014d}",
                brand=world.nezha_brand if is_nezha else world.jac_brand,
                variant=world.nezha_variant if is_nezha else world.jac_variant,
                produced_on=date(2020 + number % 5, 1 + number % 12, 1 + number % 28),
                state="produced" if number % 3 else "allocated",
                market_id="SA" if number % 2 else "CN",
                holder=world.nezha if is_nezha else world.jac,
            )
        )
    Vehicle.objects.bulk_create(vehicles, batch_size=500)
    VehicleEvent.objects.bulk_create(
        [
            VehicleEvent(
                vehicle=vehicle,
                type="produced",
                to_state="produced",
                occurred_on=vehicle.produced_on,
                organization=vehicle.holder,
                country_id="CN",
            )
            for vehicle in vehicles
        ],
        batch_size=500,
    )
    return vehicles


def test_the_vin_lookup_uses_the_unique_vin_index(world):
    many_vehicles(world, 3000)
    vin = "LJ100000000001234"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        assert vehicle_by_vin(actor=world.jac_viewer, vin=vin.lower()).vin == vin
    # The selector asks the scope for the actor's grants, then reads the vehicle.
    (lookup,) = [
        query["sql"]
        for query in captured.captured_queries
        if 'FROM "vehicles_vehicle"' in query["sql"]
    ]
    assert f'"vehicles_vehicle"."vin" = \'{vin}\'' in lookup
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(explain + lookup)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
    lines = [line.strip(" ->|`") for line in plan.splitlines()]
    if connection.vendor == "sqlite":
        # One step reads vehicles_vehicle, e.g. "SEARCH vehicles_vehicle USING INDEX
        # sqlite_autoindex_vehicles_vehicle_1 (vin=?)"; a full scan would read "SCAN ...".
        steps = [line for line in lines if line.split(" ")[1:2] == ["vehicles_vehicle"]]
        assert len(steps) == 1, plan
        assert re.fullmatch(
            r"SEARCH vehicles_vehicle USING (COVERING )?INDEX \S+ \(vin=\?\)", steps[0]
        ), plan
    else:
        # An index on vin: the unique constraint's (vehicles_vehicle_vin_key) or Django's
        # varchar_pattern_ops twin (vehicles_vehicle_vin_…_like), which the planner may pick
        # for equality as well; never "Seq Scan on vehicles_vehicle".
        steps = [line for line in lines if re.search(r" on vehicles_vehicle\b", line)]
        assert len(steps) == 1, plan
        assert re.match(r"Index (Only )?Scan using \S*vin\S* on vehicles_vehicle\b", steps[0]), plan
