"""The trade API: orders, allocation by VIN, shipments, landed cost and exchange rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from seabridge.markets.models import MarketProfile
from seabridge.trade.models import Allocation, ExchangeRate, ExportOrder, Shipment
from seabridge.trade.services import exchange_rate_set, shipment_depart
from seabridge.trade.tests.conftest import (
    bearer,
    confirmed,
    draft,
    produce,
    snapshot,
)
from seabridge.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


ORDERS = "/api/v1/trade/orders"
SHIPMENTS = "/api/v1/trade/shipments"
RATES = "/api/v1/trade/exchange-rates"


def post(client, url: str, body: dict[str, Any], world, name: str):
    return client.post(url, body, content_type="application/json", headers=bearer(world, name))


def error(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def order_body(world, **changes: Any) -> dict[str, Any]:
    body = {
        "number": "EO-2025-101",
        "brand_id": world.jac_brand.pk,
        "buyer_id": world.dealer.pk,
        "destination": "SA",
        "incoterm": "FOB",
        "named_place": "Shanghai",
        "currency": "USD",
        "payment_terms": "lc",
        "lc_number": "LC-2025-77",
        "lc_expires_on": "2025-12-31",
        "requested_on": "2025-09-30",
        "lines": [{"variant_id": world.jac_variant.pk, "quantity": 5, "unit_price": "18000.50"}],
    }
    body.update(changes)
    return body


def test_staff_drafts_an_order(client, world):
    response = post(client, ORDERS, order_body(world), world, "jac_staff")
    assert response.status_code == 201
    order = ExportOrder.objects.get()
    line = order.lines.get()
    assert response.json() == {
        "id": order.pk,
        "number": "EO-2025-101",
        "brand_id": world.jac_brand.pk,
        "brand": "JAC",
        "seller_id": world.jac.pk,
        "seller": "JAC",
        "buyer_id": world.dealer.pk,
        "buyer": "Riyadh Motors",
        "destination": "SA",
        "incoterm": "FOB",
        "named_place": "Shanghai",
        "currency": "USD",
        "payment_terms": "lc",
        "lc_number": "LC-2025-77",
        "lc_expires_on": "2025-12-31",
        "requested_on": "2025-09-30",
        "confirmed_on": None,
        "status": "draft",
        "buyer_response": "",
        "buyer_responded_on": None,
        "dispute_reason": "",
        "lines": [
            {
                "id": line.pk,
                "variant_id": world.jac_variant.pk,
                "variant_code": "T8-D",
                "quantity": 5,
                "unit_price": "18000.5000",
                "vins": [],
            }
        ],
    }


def test_a_letter_of_credit_without_its_number_is_a_422_naming_the_field(client, world):
    response = post(
        client, ORDERS, order_body(world, lc_number="", lc_expires_on=None), world, "jac_staff"
    )
    assert response.status_code == 422
    assert response.json() == error(
        "validation_error",
        "Some fields are not valid.",
        {
            "lc_number": ["A letter of credit needs its number."],
            "lc_expires_on": ["A letter of credit needs its expiry date."],
        },
    )
    assert ExportOrder.objects.count() == 0


def test_malformed_order_input_is_a_422_naming_each_field(client, world):
    response = post(
        client,
        ORDERS,
        order_body(world, incoterm="CIX", payment_terms="cash", lines=[]),
        world,
        "jac_staff",
    )
    assert response.status_code == 422
    assert response.json() == error(
        "validation_error",
        "Some fields are not valid.",
        {
            "incoterm": ["Choose one of: EXW, FCA, CPT, CIP, DAP, DPU, DDP, FAS, FOB, CFR, CIF."],
            "payment_terms": ["Choose one of: tt, lc, dp."],
            "lines": ["Too few items: at least 1."],
        },
    )
    assert ExportOrder.objects.count() == 0


def test_a_foreign_maker_or_a_viewer_drafts_nothing(client, world):
    response = post(client, ORDERS, order_body(world), world, "nezha_admin")
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"brand_id": ["There is no such brand."]},
        ),
    )
    response = post(client, ORDERS, order_body(world), world, "partner_viewer")
    assert (response.status_code, response.json()) == (
        403,
        error("forbidden", "This needs the Staff role in Zhongjiang."),
    )
    assert client.post(ORDERS, order_body(world), content_type="application/json").status_code == (
        401
    )
    assert ExportOrder.objects.count() == 0


def test_a_draft_is_patched_and_a_confirmed_order_is_not(client, world):
    order = draft(world)
    response = client.patch(
        f"{ORDERS}/{order.pk}",
        {"named_place": "Dammam", "requested_on": "2025-10-15"},
        content_type="application/json",
        headers=bearer(world, "jac_staff"),
    )
    assert response.status_code == 200
    assert (response.json()["named_place"], response.json()["requested_on"]) == (
        "Dammam",
        "2025-10-15",
    )
    confirmed_order = confirmed(world, "EO-2025-002")
    before = snapshot()
    response = client.patch(
        f"{ORDERS}/{confirmed_order.pk}",
        {"named_place": "Dammam"},
        content_type="application/json",
        headers=bearer(world, "jac_staff"),
    )
    assert (response.status_code, response.json()) == (
        409,
        error("conflict", "Only a draft order can be edited; EO-2025-002 is confirmed."),
    )
    assert snapshot() == before


def test_a_manager_confirms_an_order_and_staff_may_not(client, world):
    order = draft(world)
    url = f"{ORDERS}/{order.pk}/transition"
    body = {"status": "confirmed", "on": "2025-03-20"}
    before = snapshot()
    denied = post(client, url, body, world, "jac_staff")
    assert (denied.status_code, denied.json()) == (
        403,
        error("forbidden", "This needs the Manager role in JAC."),
    )
    assert post(client, url, body, world, "partner_viewer").status_code == 403
    hidden = post(client, url, body, world, "nezha_admin")
    assert (hidden.status_code, hidden.json()) == (404, error("not_found", "Not found."))
    assert snapshot() == before
    response = post(client, url, body, world, "jac_manager")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["confirmed_on"]) == (
        "confirmed",
        "2025-03-20",
    )
    again = post(client, url, body, world, "jac_manager")
    assert (again.status_code, again.json()) == (
        409,
        error("conflict", "Order EO-2025-001 is confirmed and cannot become confirmed."),
    )
    wrong = post(client, url, {"status": "lost"}, world, "jac_manager")
    assert wrong.status_code == 422
    assert list(wrong.json()["error"]["fields"]) == ["status"]


def test_orders_are_listed_by_scope_and_filters(client, world):
    saudi = draft(world, "EO-SA-1")
    iraq = confirmed(world, "EO-IQ-1", destination="IQ")
    oman = draft(world, "EO-OM-1", destination="OM")

    def numbers(name: str, **query: str) -> list[str]:
        response = client.get(ORDERS, query, headers=bearer(world, name))
        assert response.status_code == 200
        return [item["number"] for item in response.json()["items"]]

    assert numbers("jac_viewer") == ["EO-OM-1", "EO-IQ-1", "EO-SA-1"]
    assert numbers("jac_viewer", status="confirmed") == ["EO-IQ-1"]
    assert numbers("jac_viewer", q="iq") == ["EO-IQ-1"]
    assert numbers("jac_viewer", buyer=str(world.dealer.pk), status="draft") == [
        "EO-OM-1",
        "EO-SA-1",
    ]
    assert numbers("partner_viewer") == ["EO-IQ-1", "EO-SA-1"]  # its grant: SA and IQ
    assert numbers("nezha_admin") == []
    for order in (saudi, iraq, oman):
        hidden = client.get(f"{ORDERS}/{order.pk}", headers=bearer(world, "nezha_admin"))
        assert (hidden.status_code, hidden.json()) == (404, error("not_found", "Not found."))
    wrong = client.get(ORDERS, {"status": "lost"}, headers=bearer(world, "jac_viewer"))
    assert wrong.status_code == 422
    assert list(wrong.json()["error"]["fields"]) == ["status"]


@pytest.mark.parametrize("url", [ORDERS, SHIPMENTS])
def test_orders_and_shipments_are_filtered_by_destination(client, world, url):
    order = confirmed(world, "EO-SA-1")
    confirmed(world, "EO-IQ-1", destination="IQ")
    client.post(
        SHIPMENTS,
        shipment_body(order),
        content_type="application/json",
        headers=bearer(world, "jac_staff"),
    )
    response = client.get(url, {"destination": "sa"}, headers=bearer(world, "jac_viewer"))
    assert response.status_code == 200
    assert [item["number"] for item in response.json()["items"]] == (
        ["EO-SA-1"] if url == ORDERS else ["SH-2025-101"]
    )


def test_vins_are_allocated_by_vin_and_withdrawn(client, world):
    order = confirmed(world)
    line = order.lines.get()
    first, second = produce(world, 1, 2)
    url = f"{ORDERS}/{order.pk}/lines/{line.pk}/allocate"
    response = post(
        client,
        url,
        {"vins": [second.vin.lower(), first.vin], "on": "2025-04-01"},
        world,
        "jac_staff",
    )
    assert (response.status_code, response.json()) == (
        200,
        {"line_id": line.pk, "vins": [first.vin, second.vin]},
    )
    assert list(Vehicle.objects.order_by("vin").values_list("state", "market_id")) == [
        ("allocated", "SA"),
        ("allocated", "SA"),
    ]
    detail = client.get(f"{ORDERS}/{order.pk}", headers=bearer(world, "jac_viewer")).json()
    assert detail["lines"][0]["vins"] == [first.vin, second.vin]
    response = post(
        client,
        f"{ORDERS}/{order.pk}/lines/{line.pk}/deallocate",
        {"vins": [first.vin], "on": "2025-04-02"},
        world,
        "jac_staff",
    )
    assert (response.status_code, response.json()) == (
        200,
        {"line_id": line.pk, "vins": [second.vin]},
    )
    assert Vehicle.objects.get(pk=first.pk).state == "produced"


def test_refused_allocations_name_the_vin_and_change_nothing(client, world, petrol_variant):
    from seabridge.trade.tests.conftest import produce_variant

    first = confirmed(world, "EO-2025-001", quantity=1)
    second = confirmed(world, "EO-2025-002", quantity=1)
    (taken,) = produce(world, 1)
    (petrol,) = produce_variant(world, petrol_variant, 2)
    first_url = f"{ORDERS}/{first.pk}/lines/{first.lines.get().pk}/allocate"
    second_url = f"{ORDERS}/{second.pk}/lines/{second.lines.get().pk}/allocate"
    assert post(client, first_url, {"vins": [taken.vin]}, world, "jac_staff").status_code == 200
    before = snapshot()
    response = post(client, second_url, {"vins": [taken.vin]}, world, "jac_staff")
    message = f"{taken.vin} is already allocated to order EO-2025-001."
    assert (response.status_code, response.json()) == (
        409,
        error("conflict", message, {"vins": [message]}),
    )
    response = post(client, second_url, {"vins": [petrol.vin]}, world, "jac_staff")
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"vins": [f"{petrol.vin} is not a T8-D T8 T8-D."]},
        ),
    )
    response = post(client, second_url, {"vins": ["LJ12EKR10S9999999"]}, world, "jac_staff")
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"vins": ["There is no vehicle LJ12EKR10S9999999 that you may move."]},
        ),
    )
    # The partner's grant lets it read the order; only the seller allocates to it.
    response = post(client, second_url, {"vins": [petrol.vin]}, world, "partner_admin")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")
    assert post(
        client, second_url, {"vins": [petrol.vin]}, world, "partner_viewer"
    ).status_code == (403)
    assert post(client, second_url, {"vins": [petrol.vin]}, world, "nezha_admin").status_code == (
        404
    )
    assert snapshot() == before


def shipment_body(order: ExportOrder, **changes: Any) -> dict[str, Any]:
    body = {
        "number": "SH-2025-101",
        "order_ids": [order.pk],
        "mode": "roro",
        "carrier": "COSCO",
        "vessel": "Morning Ace",
        "voyage": "025W",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "SAJED",
        "bill_of_lading": "COSU6400101",
        "etd": "2025-05-02",
        "eta": "2025-05-30",
        "freight": "1000",
        "insurance": "50.5",
        "other_costs": "200",
        "cost_currency": "USD",
    }
    body.update(changes)
    return body


def test_a_shipment_is_planned(client, world):
    order = confirmed(world)
    response = post(client, SHIPMENTS, shipment_body(order), world, "jac_staff")
    assert response.status_code == 201
    shipment = Shipment.objects.get()
    assert response.json() == {
        "id": shipment.pk,
        "number": "SH-2025-101",
        "brand_id": world.jac_brand.pk,
        "destination": "SA",
        "order_ids": [order.pk],
        "mode": "roro",
        "carrier": "COSCO",
        "vessel": "Morning Ace",
        "voyage": "025W",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "SAJED",
        "bill_of_lading": "COSU6400101",
        "etd": "2025-05-02",
        "eta": "2025-05-30",
        "departed_on": None,
        "arrived_on": None,
        "status": "planned",
        "freight": "1000.0000",
        "insurance": "50.5000",
        "other_costs": "200.0000",
        "cost_currency": "USD",
        "vins": [],
    }


def test_a_wrong_port_or_an_unseen_order_is_a_422_naming_the_field(client, world):
    order = confirmed(world)
    before = snapshot()
    response = post(
        client, SHIPMENTS, shipment_body(order, port_of_discharge="SA-JD"), world, "jac_staff"
    )
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"port_of_discharge": ["SA-JD is not a UN/LOCODE (e.g. CNSHA)."]},
        ),
    )
    response = post(client, SHIPMENTS, shipment_body(order), world, "nezha_admin")
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"order_ids": [f"There is no order {order.pk}."]},
        ),
    )
    assert snapshot() == before


def test_a_shipment_is_loaded_departs_and_arrives(client, world):
    order = confirmed(world)
    vehicles = produce(world, 1, 2)
    vins = [vehicle.vin for vehicle in vehicles]
    line = order.lines.get()
    allocated = post(
        client, f"{ORDERS}/{order.pk}/lines/{line.pk}/allocate", {"vins": vins}, world, "jac_staff"
    )
    assert allocated.status_code == 200
    shipment_id = post(client, SHIPMENTS, shipment_body(order), world, "jac_staff").json()["id"]
    url = f"{SHIPMENTS}/{shipment_id}"
    loaded = post(client, f"{url}/vehicles", {"vins": vins}, world, "jac_staff")
    assert (loaded.status_code, loaded.json()["vins"], loaded.json()["status"]) == (
        200,
        vins,
        "planned",
    )
    departed = post(client, f"{url}/depart", {"departed_on": "2025-05-03"}, world, "jac_staff")
    assert (departed.status_code, departed.json()["status"], departed.json()["departed_on"]) == (
        200,
        "departed",
        "2025-05-03",
    )
    assert list(
        Vehicle.objects.order_by("vin").values_list("state", "wholesaled_on", "holder__short_name")
    ) == [("shipped", date(2025, 5, 3), "JAC"), ("shipped", date(2025, 5, 3), "JAC")]
    arrived = post(client, f"{url}/arrive", {"arrived_on": "2025-05-31"}, world, "jac_staff")
    assert (arrived.status_code, arrived.json()["status"], arrived.json()["arrived_on"]) == (
        200,
        "arrived",
        "2025-05-31",
    )
    assert list(Vehicle.objects.order_by("vin").values_list("state", "holder__short_name")) == [
        ("arrived", "Riyadh Motors"),
        ("arrived", "Riyadh Motors"),
    ]


def test_departing_twice_or_by_a_viewer_is_refused_and_changes_nothing(client, world, loaded):
    url = f"{SHIPMENTS}/{loaded.shipment.pk}/depart"
    before = snapshot()
    denied = post(client, url, {"departed_on": "2025-05-03"}, world, "partner_viewer")
    assert (denied.status_code, denied.json()) == (
        403,
        error("forbidden", "This needs the Staff role in Zhongjiang."),
    )
    hidden = post(client, url, {"departed_on": "2025-05-03"}, world, "nezha_admin")
    assert (hidden.status_code, hidden.json()) == (404, error("not_found", "Not found."))
    bad_date = post(client, url, {"departed_on": "3 May"}, world, "jac_staff")
    assert (bad_date.status_code, bad_date.json()["error"]["fields"]) == (
        422,
        {"departed_on": ["Use an ISO 8601 date, e.g. 2025-04-22."]},
    )
    assert snapshot() == before
    shipment_depart(actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3))
    before = snapshot()
    again = post(client, url, {"departed_on": "2025-05-09"}, world, "jac_staff")
    assert (again.status_code, again.json()) == (
        409,
        error("conflict", "Shipment SH-2025-001 is departed."),
    )
    assert snapshot() == before


def test_landed_cost_per_vin(client, world, loaded, steward):
    MarketProfile.objects.filter(country_id="SA").update(import_duty_pickup_pct=Decimal("5"))
    Shipment.objects.filter(pk=loaded.shipment.pk).update(
        freight=Decimal("1000"), insurance=Decimal("50.01"), cost_currency="USD"
    )
    exchange_rate_set(
        actor=steward, currency="USD", on=date(2025, 5, 1), cny_per_unit=Decimal("7.1")
    )
    response = client.get(
        f"{SHIPMENTS}/{loaded.shipment.pk}/landed-costs", headers=bearer(world, "partner_viewer")
    )
    assert response.status_code == 200
    # CIF = 18,500 + 500 freight + 25.01 / 25.00 insurance; duty 5 % of CIF.
    assert response.json() == {
        "shipment_id": loaded.shipment.pk,
        "rate_date": "2025-05-02",
        "rows": [
            {
                "vin": loaded.vins[0],
                "order_number": "EO-2025-001",
                "hs_code": "87042100",
                "currency": "USD",
                "price": "18500.00",
                "freight": "500.00",
                "insurance": "25.01",
                "cif_value": "19025.01",
                "duty_rate_pct": "5.00",
                "duty": "951.25",
                "other_costs": "0.00",
                "total": "19976.26",
                "cny_per_unit": "7.10000000",
                "total_cny": "141831.45",
            },
            {
                "vin": loaded.vins[1],
                "order_number": "EO-2025-001",
                "hs_code": "87042100",
                "currency": "USD",
                "price": "18500.00",
                "freight": "500.00",
                "insurance": "25.00",
                "cif_value": "19025.00",
                "duty_rate_pct": "5.00",
                "duty": "951.25",
                "other_costs": "0.00",
                "total": "19976.25",
                "cny_per_unit": "7.10000000",
                "total_cny": "141831.38",
            },
        ],
        "total_cny": "283662.83",
    }
    hidden = client.get(
        f"{SHIPMENTS}/{loaded.shipment.pk}/landed-costs", headers=bearer(world, "nezha_admin")
    )
    assert (hidden.status_code, hidden.json()) == (404, error("not_found", "Not found."))


def test_landed_cost_without_a_rate_is_a_422_naming_the_rate(client, world, loaded):
    response = client.get(
        f"{SHIPMENTS}/{loaded.shipment.pk}/landed-costs", headers=bearer(world, "jac_viewer")
    )
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "There is no USD exchange rate on or before 2025-05-02.",
            {"exchange_rate": ["Add a USD rate dated 2025-05-02 or earlier."]},
        ),
    )


def test_exchange_rates_are_kept_by_the_steward_and_read_by_everyone(client, world, steward):
    response = post(
        client,
        RATES,
        {"currency": "usd", "on": "2025-05-01", "cny_per_unit": "7.1"},
        world,
        "steward",
    )
    rate = ExchangeRate.objects.get()
    assert (response.status_code, response.json()) == (
        201,
        {"id": rate.pk, "currency": "USD", "on": "2025-05-01", "cny_per_unit": "7.1"},
    )
    post(
        client,
        RATES,
        {"currency": "SAR", "on": "2025-05-01", "cny_per_unit": "1.89"},
        world,
        "steward",
    )
    listed = client.get(RATES, headers=bearer(world, "nezha_viewer")).json()
    assert [(item["currency"], item["on"], item["cny_per_unit"]) for item in listed["items"]] == [
        ("SAR", "2025-05-01", "1.89000000"),
        ("USD", "2025-05-01", "7.10000000"),
    ]
    only_usd = client.get(RATES, {"currency": "usd"}, headers=bearer(world, "nezha_viewer")).json()
    assert [item["currency"] for item in only_usd["items"]] == ["USD"]


def test_a_wrong_rate_is_a_422_and_nobody_else_keeps_any(client, world, steward):
    response = post(
        client,
        RATES,
        {"currency": "CNY", "on": "2025-05-01", "cny_per_unit": "1"},
        world,
        "steward",
    )
    assert (response.status_code, response.json()) == (
        422,
        error(
            "validation_error",
            "Some fields are not valid.",
            {"currency": ["Rates are kept in CNY; CNY itself needs none."]},
        ),
    )
    response = post(
        client,
        RATES,
        {"currency": "USD", "on": "2025-05-01", "cny_per_unit": "0"},
        world,
        "steward",
    )
    assert (response.status_code, list(response.json()["error"]["fields"])) == (
        422,
        ["cny_per_unit"],
    )
    for name in ("jac_viewer", "jac_admin", "partner_admin", "nezha_admin"):
        response = post(
            client,
            RATES,
            {"currency": "USD", "on": "2025-05-01", "cny_per_unit": "0.0001"},
            world,
            name,
        )
        assert (response.status_code, response.json()) == (
            403,
            error(
                "forbidden",
                "Reference data is kept by the platform's stewards; ask one to change it.",
            ),
        )
    assert ExchangeRate.objects.count() == 0
    assert Allocation.objects.count() == 0
