"""The trade pages: lists with filters, details, forms and the bulk VIN forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from seabridge.markets.models import MarketProfile
from seabridge.trade.models import Allocation, ExchangeRate, ExportOrder, Shipment
from seabridge.trade.services import exchange_rate_set, shipment_depart
from seabridge.trade.tests.conftest import (
    confirmed,
    draft,
    produce,
    sign_in,
    snapshot,
)
from seabridge.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db

ORDER_LIST_QUERIES = 8  # session, user, membership, grants, count, page, lines, membership


def page(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def order_row(order: ExportOrder, destination: str, units: str, status: str) -> str:
    return (
        f'<td><a href="/trade/orders/{order.pk}/">{order.number}</a></td>\n'
        f"      <td>JAC</td><td>JAC</td><td>Riyadh Motors</td>\n"
        f"      <td>{destination}</td><td>CIF Jeddah</td>\n"
        f'      <td class="text-end">{units}</td>\n'
        f"      <td>{status}</td>"
    )


# --- order list ------------------------------------------------------------------------------


def test_the_order_list_shows_the_orders_in_scope_and_filters_them(client, world):
    saudi = draft(world, "EO-SA-1")
    iraq = confirmed(world, "EO-IQ-1", destination="IQ", quantity=3)
    draft(world, "EO-OM-1", destination="OM")
    url = reverse("trade:order-list")
    sign_in(client, world.jac_viewer)
    html = page(client.get(url))
    assert order_row(saudi, "Saudi Arabia", "2", "Draft") in html
    assert order_row(iraq, "Iraq", "3", "Confirmed") in html
    assert '<p class="text-body-secondary small">3 records</p>' in html
    assert "New export order" not in html  # a viewer creates nothing
    html = page(client.get(url, {"status": "confirmed"}))
    assert '<option value="confirmed" selected>Confirmed</option>' in html
    assert ("EO-IQ-1" in html, "EO-SA-1" in html, "EO-OM-1" in html) == (True, False, False)
    html = page(client.get(url, {"q": "sa-"}))
    assert ("EO-SA-1" in html, "EO-IQ-1" in html, "EO-OM-1" in html) == (True, False, False)
    html = page(client.get(url, {"status": "lost"}))
    assert "<strong>status</strong>: Choose one of: draft, " in html
    assert "No export orders." in html
    sign_in(client, world.partner_viewer)
    html = page(client.get(url))
    assert ("EO-SA-1" in html, "EO-IQ-1" in html, "EO-OM-1" in html) == (True, True, False)
    sign_in(client, world.nezha_admin)
    html = page(client.get(url))
    assert '<tr><td colspan="8" class="text-body-secondary">No export orders.</td></tr>' in html


def test_htmx_asks_the_order_list_for_its_results_only(client, world):
    draft(world)
    sign_in(client, world.jac_staff)
    html = page(client.get(reverse("trade:order-list"), headers={"HX-Request": "true"}))
    assert html.lstrip().startswith("<table")
    assert "EO-2025-001" in html
    assert "<h1" not in html


@pytest.mark.parametrize("name", ["trade:order-list", "trade:shipment-list"])
def test_the_lists_filter_by_destination(client, world, name):
    draft(world, "EO-SA-1")
    draft(world, "EO-IQ-1", destination="IQ")
    sign_in(client, world.jac_viewer)
    html = page(client.get(reverse(name), {"destination": "iq"}))
    assert "EO-SA-1" not in html


def test_the_order_list_takes_as_many_queries_for_thirty_orders_as_for_one(
    client, world, django_assert_num_queries
):
    sign_in(client, world.partner_viewer)
    url = reverse("trade:order-list")
    draft(world, "EO-0001")
    client.get(url)  # the first request of a session settles its caches
    with django_assert_num_queries(ORDER_LIST_QUERIES):
        html = page(client.get(url))
    assert html.count('<td><a href="/trade/orders/') == 1
    for number in range(2, 31):
        draft(world, f"EO-{number:04d}", destination="IQ" if number % 2 else "SA", quantity=number)
    with django_assert_num_queries(ORDER_LIST_QUERIES):
        html = page(client.get(url))
    assert html.count('<td><a href="/trade/orders/') == 30


# --- order detail, create, transitions -------------------------------------------------------


def test_the_order_detail_shows_terms_lines_and_what_the_person_may_do(client, world):
    order = draft(
        world,
        payment_terms="lc",
        lc_number="LC-77",
        lc_expires_on=date(2025, 12, 31),
        requested_on=date(2025, 9, 30),
    )
    url = reverse("trade:order-detail", args=[order.pk])
    sign_in(client, world.jac_manager)
    html = page(client.get(url))
    assert (
        '<h1 class="h3 me-auto mb-0">EO-2025-001 '
        '<span class="badge text-bg-secondary">Draft</span></h1>'
    ) in html
    assert '<dt class="col-sm-3">Buyer</dt><dd class="col-sm-9">Riyadh Motors</dd>' in html
    assert '<dt class="col-sm-3">Destination</dt><dd class="col-sm-9">Saudi Arabia</dd>' in html
    assert '<dd class="col-sm-9">Letter of credit (L/C) — LC-77, expires 12/31/2025</dd>' in html
    assert '<dd class="col-sm-9">09/30/2025</dd>' in html
    assert '<td class="text-end">$18,500.00</td>' in html
    assert f'href="/trade/orders/{order.pk}/edit/">Edit</a>' in html
    assert 'value="confirmed">' in html
    assert ">Mark Confirmed</button>" in html
    assert ">Mark Cancelled</button>" in html
    assert "Allocate VINs</a>" not in html  # a draft takes no VINs
    assert '<li class="text-body-secondary">No shipments yet.</li>' in html
    sign_in(client, world.jac_viewer)
    html = page(client.get(url))
    assert ("Mark Confirmed" in html, "/edit/" in html) == (False, False)
    sign_in(client, world.nezha_admin)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (
        302,
        f"{reverse('web:sign-in')}?next={url}",
    )


def line_data(world, **changes: Any) -> dict[str, Any]:
    data = {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-variant": str(world.jac_variant.pk),
        "lines-0-quantity": "4",
        "lines-0-unit_price": "18250.50",
    }
    data.update(changes)
    return data


def order_form_data(world, **changes: Any) -> dict[str, Any]:
    data = {
        "number": "EO-2025-201",
        "brand": str(world.jac_brand.pk),
        "buyer": str(world.dealer.pk),
        "destination": "SA",
        "incoterm": "CFR",
        "named_place": "Jeddah",
        "currency": "usd",
        "payment_terms": "lc",
        "lc_number": "LC-2025-201",
        "lc_expires_on": "2025-12-31",
        "requested_on": "",
        "notes": "",
        **line_data(world),
    }
    data.update(changes)
    return data


def test_staff_drafts_an_order_in_the_form(client, world):
    sign_in(client, world.jac_staff)
    url = reverse("trade:order-create")
    html = page(client.get(url))
    brands = html.split('id="id_brand"', 1)[1].split("</select>", 1)[0]
    assert ">JAC</option>" in brands
    assert "Nezha" not in brands
    buyers = html.split('id="id_buyer"', 1)[1].split("</select>", 1)[0]
    assert ">JAC</option>" not in buyers  # nobody sells to itself
    response = client.post(url, order_form_data(world))
    order = ExportOrder.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("trade:order-detail", args=[order.pk]),
    )
    assert (
        order.number,
        order.incoterm,
        order.currency,
        order.payment_terms,
        order.lc_number,
        order.lc_expires_on,
        order.status,
    ) == ("EO-2025-201", "CFR", "USD", "lc", "LC-2025-201", date(2025, 12, 31), "draft")
    assert list(order.lines.values_list("variant__code", "quantity", "unit_price")) == [
        ("T8-D", 4, Decimal("18250.5000"))
    ]
    assert messages_of(client.get(response["Location"])) == ["Order EO-2025-201 drafted."]


def test_a_letter_of_credit_without_its_number_shows_on_its_field(client, world):
    sign_in(client, world.jac_staff)
    response = client.post(reverse("trade:order-create"), order_form_data(world, lc_number=""))
    html = page(response)
    assert (
        '<div class="invalid-feedback d-block" id="id_lc_number_error">'
        "A letter of credit needs its number.</div>"
    ) in html
    assert ExportOrder.objects.count() == 0


def test_a_wrong_line_shows_on_the_form_and_nothing_is_written(client, world):
    sign_in(client, world.jac_staff)
    response = client.post(
        reverse("trade:order-create"),
        order_form_data(world, **{"lines-0-quantity": "0"}),
    )
    html = page(response)
    assert (
        '<div class="invalid-feedback d-block" id="id_lines-0-quantity_error">'
        "Ensure this value is greater than or equal to 1.</div>"
    ) in html
    html = page(client.post(reverse("trade:order-create"), order_form_data(world, buyer="")))
    assert 'id="id_buyer_error">This field is required.</div>' in html
    html = page(client.post(reverse("trade:order-create"), order_form_data(world, currency="US$")))
    assert 'id="id_currency_error">US$ is not an ISO 4217 currency code.</div>' in html
    assert ExportOrder.objects.count() == 0


def test_a_viewer_has_no_order_form(client, world):
    sign_in(client, world.jac_viewer)
    assert client.get(reverse("trade:order-create")).status_code == 403
    assert client.post(reverse("trade:order-create"), order_form_data(world)).status_code == 403
    assert ExportOrder.objects.count() == 0


def test_a_draft_is_edited_in_the_form(client, world):
    order = draft(world)
    sign_in(client, world.jac_staff)
    url = reverse("trade:order-edit", args=[order.pk])
    html = page(client.get(url))
    assert 'name="named_place" value="Jeddah"' in html
    data = {
        key: value
        for key, value in order_form_data(world).items()
        if key not in ("number", "brand", "buyer", "destination")
    }
    data.update(payment_terms="tt", named_place="Dammam", **{"lines-0-quantity": "6"})
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("trade:order-detail", args=[order.pk]),
    )
    order.refresh_from_db()
    assert (order.incoterm, order.named_place, order.lc_number) == ("CFR", "Dammam", "")
    assert list(order.lines.values_list("quantity", flat=True)) == [6]


def test_a_manager_confirms_in_the_page_and_staff_is_refused(client, world):
    order = draft(world)
    url = reverse("trade:order-transition", args=[order.pk])
    sign_in(client, world.jac_staff)
    before = snapshot()
    assert client.post(url, {"status": "confirmed"}).status_code == 403
    assert snapshot() == before
    sign_in(client, world.jac_manager)
    response = client.post(url, {"status": "shipped"}, follow=True)
    assert response.redirect_chain == [(reverse("trade:order-detail", args=[order.pk]), 302)]
    assert messages_of(response) == ["Order EO-2025-001 is draft and cannot become shipped."]
    assert snapshot() == before
    response = client.post(url, {"status": "confirmed"}, follow=True)
    assert messages_of(response) == ["Order EO-2025-001 updated."]
    assert '<span class="badge text-bg-secondary">Confirmed</span>' in page(response)
    assert ExportOrder.objects.get(pk=order.pk).status == "confirmed"
    assert client.get(url).status_code == 405


# --- the bulk VIN forms: allocate, ship, receive ---------------------------------------------


def test_vins_pasted_in_the_form_are_allocated(client, world):
    order = confirmed(world)
    line = order.lines.get()
    first, second = produce(world, 1, 2)
    url = reverse("trade:line-allocate", args=[order.pk, line.pk])
    sign_in(client, world.jac_staff)
    html = page(client.get(url))
    assert '<h1 class="h3 mb-3">Allocate VINs to EO-2025-001: T8-D T8 T8-D</h1>' in html
    assert f'href="/trade/orders/{order.pk}/">Cancel</a>' in html
    response = client.post(
        url, {"vins": f"{first.vin.lower()},\n {second.vin}\n", "on": "2025-04-01"}
    )
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("trade:order-detail", args=[order.pk]),
    )
    detail = client.get(response["Location"])
    assert messages_of(detail) == ["2 vehicles allocated."]
    assert (
        f"<td><code>{first.vin}</code> Allocated<br><code>{second.vin}</code> Allocated</td>"
    ) in page(detail)
    assert list(Allocation.objects.order_by("vehicle__vin").values_list("allocated_on")) == [
        (date(2025, 4, 1),),
        (date(2025, 4, 1),),
    ]


def test_a_refused_allocation_names_the_vin_on_the_field(client, world, petrol_variant):
    from seabridge.trade.tests.conftest import produce_variant

    order = confirmed(world)
    line = order.lines.get()
    (petrol,) = produce_variant(world, petrol_variant, 3)
    url = reverse("trade:line-allocate", args=[order.pk, line.pk])
    sign_in(client, world.jac_staff)
    before = snapshot()
    html = page(client.post(url, {"vins": f"{petrol.vin}\nLJ12EKR10S9999999"}))
    assert (
        '<div class="invalid-feedback d-block" id="id_vins_error">'
        "There is no vehicle LJ12EKR10S9999999 that you may move.</div>"
    ) in html
    html = page(client.post(url, {"vins": petrol.vin}))
    assert (
        f'<div class="invalid-feedback d-block" id="id_vins_error">{petrol.vin} is not a '
        "T8-D T8 T8-D.</div>"
    ) in html
    html = page(client.post(url, {"vins": " "}))
    assert 'id="id_vins_error">This field is required.</div>' in html
    assert snapshot() == before
    sign_in(client, world.partner_viewer)
    assert client.post(url, {"vins": petrol.vin}).status_code == 403
    sign_in(client, world.nezha_admin)
    assert client.get(url).status_code == 404
    assert snapshot() == before


def test_vins_are_loaded_shipped_and_received_in_the_pages(client, world):
    order = confirmed(world)
    line = order.lines.get()
    vehicles = produce(world, 1, 2)
    vins = [vehicle.vin for vehicle in vehicles]
    sign_in(client, world.jac_staff)
    client.post(reverse("trade:line-allocate", args=[order.pk, line.pk]), {"vins": " ".join(vins)})
    response = client.post(
        reverse("trade:shipment-create"),
        {
            "number": "SH-2025-301",
            "orders": [order.pk],
            "mode": "roro",
            "port_of_loading": "CNSHA",
            "port_of_discharge": "SAJED",
            "bill_of_lading": "COSU6400301",
        },
    )
    shipment = Shipment.objects.get()
    detail = reverse("trade:shipment-detail", args=[shipment.pk])
    assert (response.status_code, response["Location"]) == (302, detail)
    response = client.post(
        reverse("trade:shipment-vehicles", args=[shipment.pk]), {"vins": "\n".join(vins)}
    )
    assert (response.status_code, response["Location"]) == (302, detail)
    assert messages_of(client.get(detail)) == [
        "2 vehicles allocated.",
        "Shipment SH-2025-301 planned.",
        "2 vehicles added.",
    ]
    response = client.post(
        reverse("trade:shipment-depart", args=[shipment.pk]), {"on": "2025-05-03"}, follow=True
    )
    assert response.redirect_chain == [(detail, 302)]
    assert messages_of(response) == ["Shipment SH-2025-301 updated."]
    html = page(response)
    assert '<dd class="col-sm-9">05/03/2025 / —</dd>' in html
    assert f"<code>{vins[0]}</code> T8-D (Shipped)" in html
    assert "Add VINs" not in html
    assert f'action="/trade/shipments/{shipment.pk}/arrive/"' in html
    response = client.post(
        reverse("trade:shipment-arrive", args=[shipment.pk]), {"on": "2025-05-31"}, follow=True
    )
    assert messages_of(response) == ["Shipment SH-2025-301 updated."]
    assert '<dd class="col-sm-9">05/03/2025 / 05/31/2025</dd>' in page(response)
    assert list(
        Vehicle.objects.order_by("vin").values_list("state", "holder__short_name", "wholesaled_on")
    ) == [
        ("arrived", "Riyadh Motors", date(2025, 5, 3)),
        ("arrived", "Riyadh Motors", date(2025, 5, 3)),
    ]


def test_departing_twice_in_the_page_shows_why_and_changes_nothing(client, world, loaded):
    shipment_depart(actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3))
    url = reverse("trade:shipment-depart", args=[loaded.shipment.pk])
    sign_in(client, world.jac_staff)
    before = snapshot()
    response = client.post(url, {"on": "2025-05-09"}, follow=True)
    assert messages_of(response) == ["Shipment SH-2025-001 is departed."]
    assert snapshot() == before
    sign_in(client, world.partner_viewer)
    assert client.post(reverse("trade:shipment-arrive", args=[loaded.shipment.pk])).status_code == (
        403
    )
    assert snapshot() == before


def test_a_vin_not_on_the_shipments_orders_is_named_on_the_field(client, world, loaded):
    (stranger,) = produce(world, 3)
    url = reverse("trade:shipment-vehicles", args=[loaded.shipment.pk])
    sign_in(client, world.jac_staff)
    html = page(client.get(url))
    assert '<h1 class="h3 mb-3">Add VINs to shipment SH-2025-001</h1>' in html
    before = snapshot()
    html = page(client.post(url, {"vins": stranger.vin}))
    assert (
        f'<div class="invalid-feedback d-block" id="id_vins_error">{stranger.vin} is not '
        "allocated to an order of this shipment.</div>"
    ) in html
    assert snapshot() == before


# --- shipments -------------------------------------------------------------------------------


def test_the_shipment_form_refuses_a_wrong_port_on_its_field(client, world):
    order = confirmed(world)
    draft(world, "EO-DRAFT")
    sign_in(client, world.jac_staff)
    url = reverse("trade:shipment-create")
    html = page(client.get(url))
    orders = html.split('id="id_orders"', 1)[1].split("</select>", 1)[0]
    assert (">EO-2025-001</option>" in orders, "EO-DRAFT" in orders) == (True, False)
    data = {
        "number": "SH-2025-301",
        "orders": [order.pk],
        "mode": "roro",
        "port_of_loading": "CNSH1",
        "port_of_discharge": "SAJED",
        "freight": "100",
    }
    html = page(client.post(url, data))
    assert (
        '<div class="invalid-feedback d-block" id="id_port_of_loading_error">'
        "CNSH1 is not a UN/LOCODE (e.g. CNSHA).</div>"
    ) in html
    assert (
        '<div class="invalid-feedback d-block" id="id_cost_currency_error">'
        " is not an ISO 4217 currency code.</div>"
    ) in html
    assert Shipment.objects.count() == 0


def test_the_shipment_list_and_detail_show_the_voyage_and_landed_cost(
    client, world, loaded, steward
):
    MarketProfile.objects.filter(country_id="SA").update(import_duty_pickup_pct=Decimal("5"))
    Shipment.objects.filter(pk=loaded.shipment.pk).update(
        freight=Decimal("1000"), insurance=Decimal("50.01"), cost_currency="USD"
    )
    sign_in(client, world.jac_viewer)
    detail = reverse("trade:shipment-detail", args=[loaded.shipment.pk])
    html = page(client.get(detail))
    assert (
        '<div class="alert alert-warning" role="alert">'
        "There is no USD exchange rate on or before 2025-05-02.</div>"
    ) in html
    assert "Add VINs" not in html  # a viewer moves nothing
    exchange_rate_set(
        actor=steward, currency="USD", on=date(2025, 5, 1), cny_per_unit=Decimal("7.1")
    )
    html = page(client.get(detail))
    assert "<caption>CNY at the latest rate on or before 05/02/2025</caption>" in html
    assert (
        f"<td><code>{loaded.vins[0]}</code></td><td>EO-2025-001</td>\n"
        '      <td class="text-end">$18,500.00</td><td class="text-end">$500.00</td>'
        '<td class="text-end">$25.01</td>\n'
        '      <td class="text-end">$19,025.01</td><td class="text-end">$951.25 (5 %)</td>\n'
        '      <td class="text-end">$0.00</td><td class="text-end">$19,976.26</td>'
        '<td class="text-end">CN¥141,831.45</td>'
    ) in html
    assert '<td class="text-end">CN¥283,662.83</td>' in html
    assert '<dd class="col-sm-9">Freight $1,000.00, insurance $50.01, other —</dd>' in html
    listing = reverse("trade:shipment-list")
    html = page(client.get(listing))
    assert (
        f'<td><a href="/trade/shipments/{loaded.shipment.pk}/">SH-2025-001</a></td>\n'
        "      <td>JAC</td><td>Saudi Arabia</td>\n"
        "      <td>EO-2025-001</td>\n"
        "      <td>Roll-on/roll-off vessel</td><td>Morning Ace 025W</td>\n"
        '      <td>CNSHA <span aria-hidden="true">→</span>'
        '<span class="visually-hidden">to</span> SAJED</td>\n'
        "      <td>05/02/2025</td><td>05/30/2025</td>\n"
        "      <td>Planned</td>"
    ) in html
    assert "SH-2025-001" in page(client.get(listing, {"q": "morning", "mode": "roro"}))
    assert "SH-2025-001" not in page(client.get(listing, {"status": "departed"}))
    sign_in(client, world.nezha_admin)
    assert client.get(detail).status_code == 404
    assert "No shipments." in page(client.get(listing))


# --- exchange rates --------------------------------------------------------------------------


def test_exchange_rates_are_listed_and_added_in_the_form(client, world, steward):
    exchange_rate_set(
        actor=steward, currency="USD", on=date(2025, 5, 1), cny_per_unit=Decimal("7.1")
    )
    sign_in(client, steward)
    assert "New exchange rate" in page(client.get(reverse("trade:exchange-rate-list")))
    url = reverse("trade:exchange-rate-create")
    response = client.post(url, {"currency": "sar", "on": "2025-05-01", "cny_per_unit": "1.89"})
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("trade:exchange-rate-list"),
    )
    html = page(client.get(response["Location"]))
    assert '<tr><td>SAR</td><td>05/01/2025</td><td class="text-end">1.89000000</td></tr>' in html
    assert '<tr><td>USD</td><td>05/01/2025</td><td class="text-end">7.10000000</td></tr>' in html
    html = page(client.get(reverse("trade:exchange-rate-list"), {"currency": "usd"}))
    assert ("<td>USD</td>" in html, "<td>SAR</td>" in html) == (True, False)


def test_a_wrong_rate_shows_on_its_field_and_others_have_no_form(client, world, steward):
    sign_in(client, steward)
    url = reverse("trade:exchange-rate-create")
    html = page(client.post(url, {"currency": "CNY", "on": "2025-05-01", "cny_per_unit": "1"}))
    assert (
        '<div class="invalid-feedback d-block" id="id_currency_error">'
        "Rates are kept in CNY; CNY itself needs none.</div>"
    ) in html
    html = page(client.post(url, {"currency": "USD", "on": "2025-05-01", "cny_per_unit": "0"}))
    assert (
        '<div class="invalid-feedback d-block" id="id_cny_per_unit_error">'
        "An amount must be more than 0.</div>"
    ) in html
    for other in (world.jac_viewer, world.jac_admin, world.nezha_admin, world.partner_admin):
        sign_in(client, other)
        assert client.get(url).status_code == 403
        refused = client.post(url, {"currency": "USD", "on": "2025-05-01", "cny_per_unit": "7"})
        assert refused.status_code == 403
        html = page(client.get(reverse("trade:exchange-rate-list")))
        assert "New exchange rate" not in html
        assert (
            '<tr><td colspan="3" class="text-body-secondary">No exchange rates.</td></tr>' in html
        )
    assert ExchangeRate.objects.count() == 0
