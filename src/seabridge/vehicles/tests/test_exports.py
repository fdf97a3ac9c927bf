"""The vehicle export: the list page's scope and filter as CSV or XLSX, exact rows, and
a fixed number of queries whatever the number of vehicles."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from seabridge.core.tests.test_exports import csv_lines, xlsx_rows
from seabridge.core.tests.world import World
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Vehicle
from seabridge.vehicles.services import ProductionRow, vehicles_produce
from seabridge.vehicles.tests.access import NEZHA_VIN
from seabridge.vehicles.tests.conftest import jac_vin, produce
from seabridge.vehicles.tests.test_api import many_vehicles
from seabridge.vehicles.tests.test_views import sign_in

pytestmark = pytest.mark.django_db

CSV = reverse("vehicles:vehicle-export", args=["csv"])
XLSX = reverse("vehicles:vehicle-export", args=["xlsx"])
HEADER = (
    "VIN,Brand,Variant code,Variant,Produced on,State,Market (ISO code),Market,"
    "Current holder,Wholesaled on,Retailed on"
)
# Session, person, membership, the actor's grants, and one read of the vehicles.
EXPORT_QUERIES = 5


@pytest.fixture
def fleet(world: World) -> list[Vehicle]:
    """JAC's vehicle 1 at home (China), 2 allocated to Saudi Arabia, 3 produced later; and
    a Nezha vehicle no one at JAC sees."""
    first, second = produce(world, 1, 2)
    (third,) = produce(world, 3, on=date(2025, 4, 2))
    vehicles_move(
        actor=None,
        vehicle_ids=[second.pk],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 10), market_id="SA"),
    )
    vehicles_produce(
        actor=world.nezha_admin,
        rows=[
            ProductionRow(
                vin=NEZHA_VIN, variant_id=world.nezha_variant.pk, produced_on=date(2025, 3, 1)
            )
        ],
    )
    return [first, second, third]


def test_jac_member_gets_every_jac_vehicle_newest_first(client, world, fleet):
    sign_in(client, world.jac_viewer)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        f'attachment; filename="vehicles-{today:%Y-%m-%d}.csv"'
    )
    variant = world.jac_variant
    assert csv_lines(response) == [
        HEADER,
        f"{jac_vin(3)},JAC,T8-D,{variant.name},2025-04-02,Produced,CN,China,JAC,,",
        f"{jac_vin(2)},JAC,T8-D,{variant.name},2025-03-01,Allocated,SA,Saudi Arabia,JAC,,",
        f"{jac_vin(1)},JAC,T8-D,{variant.name},2025-03-01,Produced,CN,China,JAC,,",
        "",
    ]


def test_the_partner_export_holds_only_what_its_grant_covers(client, world, fleet):
    sign_in(client, world.partner_viewer)
    lines = csv_lines(client.get(CSV))
    assert [line.split(",")[0] for line in lines[1:-1]] == [jac_vin(2)]


def test_a_foreign_maker_and_a_person_without_organisation_get_only_the_header(
    client, world, fleet
):
    sign_in(client, world.nezha_admin)
    assert [line.split(",")[0] for line in csv_lines(client.get(CSV))[1:-1]] == [NEZHA_VIN]
    client.force_login(world.lonely)
    assert csv_lines(client.get(CSV)) == [HEADER, ""]


def test_the_export_applies_the_list_filter(client, world, fleet):
    sign_in(client, world.jac_viewer)
    by_market = csv_lines(client.get(CSV, {"market": "sa"}))
    assert [line.split(",")[0] for line in by_market[1:-1]] == [jac_vin(2)]
    by_date = csv_lines(client.get(CSV, {"produced_to": "2025-03-31", "state": "produced"}))
    assert [line.split(",")[0] for line in by_date[1:-1]] == [jac_vin(1)]
    by_vin = csv_lines(client.get(CSV, {"q": jac_vin(3)[:16].lower(), "page": "7"}))
    assert [line.split(",")[0] for line in by_vin[1:-1]] == [jac_vin(3)]


def test_a_wrong_filter_value_is_refused_naming_the_field(client, world, fleet):
    sign_in(client, world.jac_viewer)
    response = client.get(CSV, {"produced_from": "yesterday"})
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "validation_error"
    assert list(body["fields"]) == ["produced_from"]


def test_an_unknown_format_is_refused_naming_the_field(client, world, fleet):
    sign_in(client, world.jac_viewer)
    response = client.get(reverse("vehicles:vehicle-export", args=["pdf"]))
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "validation_error",
            "message": "Some fields are not valid.",
            "fields": {"format": ["Choose csv or xlsx, not pdf."]},
        }
    }


def test_the_xlsx_holds_typed_cells(client, world, fleet):
    sign_in(client, world.partner_viewer)
    response = client.get(XLSX, {"market": "SA"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_rows(response.content) == [
        HEADER.split(","),
        [
            jac_vin(2),
            "JAC",
            "T8-D",
            world.jac_variant.name,
            datetime(2025, 3, 1),
            "Allocated",
            "SA",
            "Saudi Arabia",
            "JAC",
            None,
            None,
        ],
    ]


def test_a_person_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(CSV)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_runs_a_fixed_number_of_queries(client, world, count, django_assert_num_queries):
    many_vehicles(world, count)
    sign_in(client, world.jac_viewer)
    with django_assert_num_queries(EXPORT_QUERIES):
        lines = csv_lines(client.get(CSV))
    # Every tenth of ``many_vehicles`` is Nezha's.
    assert len(lines) == 1 + count - count // 10 + 1


def test_the_list_page_links_both_downloads_with_its_filter(client, world, fleet):
    sign_in(client, world.jac_viewer)
    html = client.get(reverse("vehicles:vehicle-list"), {"market": "SA", "page": "2"}).content
    text = html.decode()
    assert f'href="{CSV}?market=SA"' in text
    assert f'href="{XLSX}?market=SA"' in text
