"""Trade through the services: orders, allocation, shipments, landed cost and exchange rates."""

from __future__ import annotations

import threading
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from seabridge.accounts.choices import Role
from seabridge.catalog.tests.factories import VariantFactory
from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.markets.models import MarketProfile
from seabridge.trade import selectors, services
from seabridge.trade.choices import OrderStatus
from seabridge.trade.models import (
    Allocation,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)
from seabridge.trade.services import LineInput, ShipmentInput
from seabridge.trade.tests.conftest import (
    ALLOCATED_ON,
    CONFIRMED_ON,
    confirmed,
    draft,
    partner_sells_to_the_dealer,
    produce,
    produce_variant,
    snapshot,
)
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Vehicle, VehicleEvent

pytestmark = pytest.mark.django_db

T8 = "T8-D T8 T8-D"  # how the world's pickup variant reads in messages


def state_of(vehicle: Vehicle) -> tuple:
    vehicle.refresh_from_db()
    return (vehicle.state, vehicle.market_id, vehicle.holder.short_name, vehicle.wholesaled_on)


def last_event(vehicle: Vehicle) -> tuple:
    event = VehicleEvent.objects.filter(vehicle=vehicle).latest("id")
    return (
        event.type,
        event.from_state,
        event.to_state,
        event.occurred_on,
        event.place,
        event.country_id,
        event.is_wholesale,
        event.organization.short_name if event.organization else None,
        event.export_order_id,
        event.shipment_id,
        event.document_ref,
    )


def audit_actions(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).order_by("id").values_list("action", flat=True))


def ids(vehicles: list[Vehicle]) -> list[int]:
    return [vehicle.pk for vehicle in vehicles]


def ship_input(number: str = "SH-2025-009", **changes) -> ShipmentInput:
    data: dict[str, Any] = {
        "number": number,
        "mode": "roro",
        "port_of_loading": "CNSHA",
        "port_of_discharge": "SAJED",
    }
    data.update(changes)
    return ShipmentInput(**data)


# --- export orders ---------------------------------------------------------------------------


def test_staff_drafts_an_order_with_its_lines_and_an_audit_record(world):
    order = draft(
        world,
        "EO-2025-001",
        payment_terms="lc",
        lc_number=" LC-77 ",
        lc_expires_on=date(2025, 12, 31),
        requested_on=date(2025, 9, 30),
        notes="Two pickups for the Jeddah launch.",
    )
    order.refresh_from_db()
    assert (
        order.number,
        order.brand.name,
        order.seller.short_name,
        order.buyer.short_name,
        order.destination_id,
        order.incoterm,
        order.named_place,
        order.currency,
        order.payment_terms,
        order.lc_number,
        order.lc_expires_on,
        order.requested_on,
        order.confirmed_on,
        order.status,
        order.notes,
    ) == (
        "EO-2025-001",
        "JAC",
        "JAC",
        "Riyadh Motors",
        "SA",
        "CIF",
        "Jeddah",
        "USD",
        "lc",
        "LC-77",
        date(2025, 12, 31),
        date(2025, 9, 30),
        None,
        "draft",
        "Two pickups for the Jeddah launch.",
    )
    assert list(order.lines.values_list("variant__code", "quantity", "unit_price")) == [
        ("T8-D", 2, Decimal("18500.0000"))
    ]
    event = AuditEvent.objects.for_object(order).get()
    assert (event.action, event.actor_label, event.changes) == (
        "export_order.create",
        "jac_staff",
        {
            "brand": world.jac_brand.pk,
            "buyer": world.dealer.pk,
            "destination": "SA",
            "currency": "USD",
            "incoterm": "CIF",
            "lines": [f"{world.jac_variant.pk}×2@18500"],
        },
    )


def test_an_order_under_a_letter_of_credit_needs_its_number_and_expiry(world):
    with pytest.raises(ValidationFailed) as refused:
        draft(world, payment_terms="lc", lc_number="  ")
    assert refused.value.fields == {
        "lc_number": ["A letter of credit needs its number."],
        "lc_expires_on": ["A letter of credit needs its expiry date."],
    }
    with pytest.raises(ValidationFailed) as refused:
        draft(world, payment_terms="lc", lc_number="LC-77")
    assert refused.value.fields == {"lc_expires_on": ["A letter of credit needs its expiry date."]}
    assert ExportOrder.objects.count() == 0
    assert ExportOrderLine.objects.count() == 0


def test_an_order_outside_telegraphic_transfer_keeps_no_letter_of_credit(world):
    order = draft(world, payment_terms="tt", lc_number="LC-77", lc_expires_on=date(2025, 12, 31))
    order.refresh_from_db()
    assert (order.lc_number, order.lc_expires_on) == ("", None)


def test_a_wrong_order_is_refused_naming_every_field_and_nothing_is_written(world):
    draft(world, "EO-TAKEN")
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        draft(
            world,
            "EO-TAKEN",
            buyer=world.jac,
            destination="xx",
            incoterm="CIX",
            currency="usdx",
            payment_terms="cash",
            lines=[
                LineInput(variant_id=world.nezha_variant.pk, quantity=0, unit_price=Decimal(-1)),
                LineInput(variant_id=world.jac_variant.pk, quantity=1, unit_price=Decimal(1)),
                LineInput(variant_id=world.jac_variant.pk, quantity=1, unit_price=Decimal(1)),
            ],
        )
    assert refused.value.fields == {
        "number": ["Order number EO-TAKEN is taken."],
        "destination": ["XX is not an ISO 3166 country code."],
        "buyer": ["An organisation cannot buy from itself."],
        "currency": ["usdx is not an ISO 4217 currency code."],
        "incoterm": ["CIX is not an Incoterms 2020 rule."],
        "payment_terms": ["cash is not a payment term."],
        "lines.1.variant": [f"Line 1: variant {world.nezha_variant.pk} is not a variant of JAC."],
        "lines.1.quantity": ["Line 1: the quantity must be more than 0."],
        "lines.1.unit_price": ["Line 1: An amount cannot be negative."],
        "lines.3.variant": ["Line 3: T8-D is already on another line."],
    }
    assert refused.value.message == "Some fields are not valid."
    assert snapshot() == before


def test_an_order_needs_a_line(world):
    with pytest.raises(ValidationFailed) as refused:
        draft(world, lines=[])
    assert refused.value.fields == {"lines": ["An order needs at least one line."]}
    assert ExportOrder.objects.count() == 0


def test_a_partner_sells_only_where_its_grant_reaches(world):
    partner_sells_to_the_dealer(world)
    order = draft(world, "EO-ZJ-1", actor=world.partner_admin, destination="IQ")
    assert (order.seller.short_name, order.destination_id) == ("Zhongjiang", "IQ")
    with pytest.raises(ValidationFailed) as refused:
        draft(world, "EO-ZJ-2", actor=world.partner_admin, destination="OM")
    assert refused.value.fields == {"brand": ["Zhongjiang may not sell JAC in OM."]}
    with pytest.raises(ValidationFailed) as refused:
        draft(world, "EO-NZ-1", actor=world.nezha_admin)
    assert refused.value.fields == {
        "brand": ["Nezha may not sell JAC in SA."],
        "buyer": ["Nezha has no agreement in force with Riyadh Motors."],
    }
    assert list(ExportOrder.objects.values_list("number", flat=True)) == ["EO-ZJ-1"]


def test_a_viewer_or_no_organisation_drafts_nothing(world):
    with pytest.raises(Forbidden) as refused:
        draft(world, actor=world.jac_viewer)
    assert refused.value.message == "This needs the Staff role in JAC."
    with pytest.raises(NotFound):
        services.export_order_create(
            actor=None,
            number="EO-1",
            brand=world.jac_brand,
            buyer=world.dealer,
            destination="SA",
            incoterm="CIF",
            currency="USD",
            payment_terms="tt",
            lines=[LineInput(world.jac_variant.pk, 1, Decimal(1))],
        )
    assert ExportOrder.objects.count() == 0


def test_a_draft_changes_its_terms_and_lines(world, petrol_variant):
    order = draft(world)
    services.export_order_update(
        actor=world.jac_staff,
        order=order,
        changes={
            "incoterm": "FOB",
            "named_place": " Shanghai ",
            "currency": "sar",
            "payment_terms": "lc",
            "lc_number": "LC-9",
            "lc_expires_on": date(2025, 11, 30),
        },
        lines=[
            LineInput(world.jac_variant.pk, 3, Decimal("69000")),
            LineInput(petrol_variant.pk, 1, Decimal("66000.50")),
        ],
    )
    order.refresh_from_db()
    assert (
        order.incoterm,
        order.named_place,
        order.currency,
        order.payment_terms,
        order.lc_number,
        order.lc_expires_on,
        order.status,
    ) == ("FOB", "Shanghai", "SAR", "lc", "LC-9", date(2025, 11, 30), "draft")
    assert list(order.lines.values_list("variant__code", "quantity", "unit_price")) == [
        ("T8-D", 3, Decimal("69000.0000")),
        ("T8-P", 1, Decimal("66000.5000")),
    ]
    update = AuditEvent.objects.for_object(order).get(action="export_order.update")
    assert update.changes == {
        "incoterm": ["CIF", "FOB"],
        "named_place": ["Jeddah", "Shanghai"],
        "currency": ["USD", "SAR"],
        "payment_terms": ["tt", "lc"],
        "lc_number": ["", "LC-9"],
        "lc_expires_on": [None, "2025-11-30"],
        "lines": [f"{world.jac_variant.pk}×3@69000", f"{petrol_variant.pk}×1@66000.50"],
    }
    # Back to T/T: the letter of credit goes with it.
    services.export_order_update(
        actor=world.jac_staff, order=order, changes={"payment_terms": "tt"}
    )
    order.refresh_from_db()
    assert (order.payment_terms, order.lc_number, order.lc_expires_on) == ("tt", "", None)


def test_switching_a_draft_to_a_letter_of_credit_without_its_number_changes_nothing(world):
    order = draft(world)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.export_order_update(
            actor=world.jac_staff,
            order=order,
            changes={"payment_terms": "lc", "lc_expires_on": date(2025, 12, 31)},
        )
    assert refused.value.fields == {"lc_number": ["A letter of credit needs its number."]}
    assert snapshot() == before


def test_only_the_editable_terms_of_a_draft_change(world):
    order = draft(world)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.export_order_update(
            actor=world.jac_staff, order=order, changes={"status": "closed", "number": "X"}
        )
    assert refused.value.fields == {
        "number": ["This field cannot be changed."],
        "status": ["This field cannot be changed."],
    }
    confirmed_order = confirmed(world, "EO-2025-002")
    with pytest.raises(Conflict) as refused:  # type: ignore[assignment]
        services.export_order_update(
            actor=world.jac_staff, order=confirmed_order, changes={"notes": "late"}
        )
    assert refused.value.message == "Only a draft order can be edited; EO-2025-002 is confirmed."
    assert ExportOrder.objects.get(pk=order.pk).status == "draft"
    assert ExportOrder.objects.get(pk=confirmed_order.pk).notes == ""
    assert snapshot()[0][0] == before[0][0]


def test_an_order_goes_from_draft_to_closed(world):
    order = draft(world)
    steps = [
        (world.jac_manager, OrderStatus.CONFIRMED),
        (world.jac_staff, OrderStatus.IN_PRODUCTION),
        (world.jac_staff, OrderStatus.SHIPPED),
        (world.jac_staff, OrderStatus.DELIVERED),
        (world.jac_staff, OrderStatus.CLOSED),
    ]
    seen = []
    for actor, status in steps:
        order = services.export_order_transition(
            actor=actor, order=order, to=status, on=date(2025, 3, 20)
        )
        order.refresh_from_db()
        seen.append((order.status, order.confirmed_on))
    assert seen == [
        ("confirmed", date(2025, 3, 20)),
        ("in_production", date(2025, 3, 20)),
        ("shipped", date(2025, 3, 20)),
        ("delivered", date(2025, 3, 20)),
        ("closed", date(2025, 3, 20)),
    ]
    assert [
        event.changes["status"]
        for event in AuditEvent.objects.for_object(order)
        .filter(action="export_order.transition")
        .order_by("id")
    ] == [
        ["draft", "confirmed"],
        ["confirmed", "in_production"],
        ["in_production", "shipped"],
        ["shipped", "delivered"],
        ["delivered", "closed"],
    ]


def test_a_closed_order_moves_no_more(world):
    order = confirmed(world)
    for status in ("shipped", "delivered", "closed"):
        services.export_order_transition(actor=world.jac_staff, order=order, to=status)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.export_order_transition(actor=world.jac_manager, order=order, to="cancelled")
    assert refused.value.message == "Order EO-2025-001 is closed and cannot become cancelled."
    with pytest.raises(ValidationFailed) as refused:  # type: ignore[assignment]
        services.export_order_transition(actor=world.jac_manager, order=order, to="lost")
    assert refused.value.fields == {"status": ["lost is not a status."]}
    assert snapshot() == before


def test_a_draft_cannot_skip_confirmation(world):
    order = draft(world)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.export_order_transition(actor=world.jac_admin, order=order, to="shipped")
    assert refused.value.message == "Order EO-2025-001 is draft and cannot become shipped."
    assert snapshot() == before


def test_only_a_manager_confirms_or_cancels_an_order(world):
    order = draft(world)
    before = snapshot()
    for status in ("confirmed", "cancelled"):
        with pytest.raises(Forbidden) as refused:
            services.export_order_transition(actor=world.jac_staff, order=order, to=status)
        assert refused.value.message == "This needs the Manager role in JAC."
    with pytest.raises(NotFound):
        services.export_order_transition(actor=world.nezha_admin, order=order, to="confirmed")
    assert snapshot() == before
    services.export_order_transition(
        actor=world.jac_manager, order=order, to="confirmed", on=CONFIRMED_ON
    )
    order.refresh_from_db()
    assert (order.status, order.confirmed_on) == ("confirmed", CONFIRMED_ON)


def test_a_partner_confirms_the_orders_it_sells_and_not_the_makers_in_its_market(world):
    partner_sells_to_the_dealer(world)
    makers = draft(world)
    own = draft(world, "EO-ZJ-1", actor=world.partner_admin)
    before = snapshot()
    # Its sales grant of Saudi Arabia lets it read JAC's order there, not confirm it.
    with pytest.raises(Forbidden):
        services.export_order_transition(actor=world.partner_admin, order=makers, to="confirmed")
    with pytest.raises(Forbidden):
        services.export_order_transition(actor=world.partner_viewer, order=own, to="confirmed")
    assert snapshot() == before
    services.export_order_transition(actor=world.partner_admin, order=own, to="confirmed")
    assert ExportOrder.objects.get(pk=own.pk).status == "confirmed"
    assert ExportOrder.objects.get(pk=makers.pk).status == "draft"


def test_the_buyer_sees_its_order_but_does_not_confirm_it(world):
    from seabridge.agreements.models import AgreementScopeEntry

    # Without a grant of its own, the buyer reads its order only as its buyer.
    AgreementScopeEntry.objects.filter(agreement__grantee=world.dealer).delete()
    order = draft(world)
    assert selectors.order_get(actor=world.dealer_admin, order_id=order.pk) == order
    before = snapshot()
    with pytest.raises(Forbidden):
        services.export_order_transition(actor=world.dealer_admin, order=order, to="confirmed")
    assert snapshot() == before


def test_the_buyer_does_not_change_the_prices_of_its_draft_order(world):
    from seabridge.agreements.models import AgreementScopeEntry

    AgreementScopeEntry.objects.filter(agreement__grantee=world.dealer).delete()
    order = draft(world)
    before = snapshot()
    with pytest.raises(Forbidden):
        services.export_order_update(
            actor=world.dealer_admin,
            order=order,
            changes={},
            lines=[LineInput(world.jac_variant.pk, 2, Decimal("1"))],
        )
    assert snapshot() == before


def test_an_order_with_allocated_vehicles_is_not_cancelled(world):
    order = confirmed(world)
    (vehicle,) = produce(world, 1)
    services.vehicles_allocate(
        actor=world.jac_staff, line=order.lines.get(), vehicle_ids=[vehicle.pk]
    )
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.export_order_transition(actor=world.jac_manager, order=order, to="cancelled")
    assert refused.value.message == (
        "Order EO-2025-001 still has allocated vehicles; withdraw them first."
    )
    assert snapshot() == before
    services.vehicles_deallocate(
        actor=world.jac_staff, line=order.lines.get(), vehicle_ids=[vehicle.pk]
    )
    services.export_order_transition(actor=world.jac_manager, order=order, to="cancelled")
    assert ExportOrder.objects.get(pk=order.pk).status == "cancelled"


# --- allocation ------------------------------------------------------------------------------


def test_vins_are_allocated_to_a_line_and_move_to_its_market(world):
    order = confirmed(world)
    line = order.lines.get()
    vehicles = produce(world, 1, 2)
    allocations = services.vehicles_allocate(
        actor=world.jac_staff, line=line, vehicle_ids=ids(vehicles), allocated_on=ALLOCATED_ON
    )
    assert [(a.line_id, a.vehicle.vin, a.allocated_on) for a in allocations] == [
        (line.pk, vehicles[0].vin, ALLOCATED_ON),
        (line.pk, vehicles[1].vin, ALLOCATED_ON),
    ]
    assert sorted(Allocation.objects.values_list("vehicle__vin", "line_id")) == [
        (vehicles[0].vin, line.pk),
        (vehicles[1].vin, line.pk),
    ]
    for vehicle in vehicles:
        assert state_of(vehicle) == ("allocated", "SA", "JAC", None)
        assert last_event(vehicle) == (
            "allocated",
            "produced",
            "allocated",
            ALLOCATED_ON,
            "",
            None,
            False,
            "JAC",
            order.pk,
            None,
            "EO-2025-001",
        )
    event = AuditEvent.objects.for_object(order).get(action="export_order.allocate")
    assert event.changes == {"line": line.pk, "vins": [vehicles[0].vin, vehicles[1].vin]}


def test_a_vin_of_another_variant_is_refused_by_name_and_nothing_moves(world, petrol_variant):
    order = confirmed(world)
    (pickup,) = produce(world, 1)
    (petrol,) = produce_variant(world, petrol_variant, 3)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.vehicles_allocate(
            actor=world.jac_staff, line=order.lines.get(), vehicle_ids=[pickup.pk, petrol.pk]
        )
    assert refused.value.fields == {"vins": [f"{petrol.vin} is not a {T8}."]}
    assert snapshot() == before
    assert state_of(pickup) == state_of(petrol) == ("produced", "CN", "JAC", None)


def test_a_vin_allocated_elsewhere_is_refused_naming_the_other_order(world):
    first = confirmed(world, "EO-2025-001")
    second = confirmed(world, "EO-2025-002")
    taken, free = produce(world, 1, 2)
    services.vehicles_allocate(
        actor=world.jac_staff, line=first.lines.get(), vehicle_ids=[taken.pk]
    )
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.vehicles_allocate(
            actor=world.jac_staff, line=second.lines.get(), vehicle_ids=[free.pk, taken.pk]
        )
    message = f"{taken.vin} is already allocated to order EO-2025-001."
    assert (refused.value.message, refused.value.fields) == (message, {"vins": [message]})
    assert snapshot() == before
    assert state_of(free) == ("produced", "CN", "JAC", None)
    assert list(Allocation.objects.values_list("vehicle_id", "line__order__number")) == [
        (taken.pk, "EO-2025-001")
    ]


def test_more_vins_than_the_line_takes_are_refused_and_nothing_moves(world):
    order = confirmed(world, quantity=2)
    line = order.lines.get()
    first, second, third = produce(world, 1, 2, 3)
    services.vehicles_allocate(actor=world.jac_staff, line=line, vehicle_ids=[first.pk])
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.vehicles_allocate(
            actor=world.jac_staff, line=line, vehicle_ids=[second.pk, third.pk]
        )
    assert refused.value.fields == {
        "vins": ["The line takes 2 vehicles; 1 are allocated, 2 more is too many."]
    }
    assert snapshot() == before
    assert [state_of(vehicle)[0] for vehicle in (first, second, third)] == [
        "allocated",
        "produced",
        "produced",
    ]


def test_a_draft_order_takes_no_vins(world):
    order = draft(world)
    (vehicle,) = produce(world, 1)
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.vehicles_allocate(
            actor=world.jac_staff, line=order.lines.get(), vehicle_ids=[vehicle.pk]
        )
    assert refused.value.message == (
        "Order EO-2025-001 is draft; vehicles are allocated to confirmed orders."
    )
    assert snapshot() == before


def test_a_partner_cannot_allocate_vehicles_outside_its_grant(world):
    partner_sells_to_the_dealer(world)
    order = services.export_order_transition(
        actor=world.partner_admin,
        order=draft(world, "EO-ZJ-1", actor=world.partner_admin),
        to="confirmed",
    )
    (vehicle,) = produce(world, 1)  # still in China, outside the partner's Saudi grant
    before = snapshot()
    with pytest.raises(NotFound):
        services.vehicles_allocate(
            actor=world.partner_admin, line=order.lines.get(), vehicle_ids=[vehicle.pk]
        )
    with pytest.raises(Forbidden):
        services.vehicles_allocate(
            actor=world.partner_viewer, line=order.lines.get(), vehicle_ids=[vehicle.pk]
        )
    # The maker sees the partner's order, and allocates nothing to what it did not sell.
    with pytest.raises(Forbidden):
        services.vehicles_allocate(
            actor=world.jac_staff, line=order.lines.get(), vehicle_ids=[vehicle.pk]
        )
    with pytest.raises(ValidationFailed) as refused:
        services.vehicles_allocate(
            actor=world.partner_admin, line=order.lines.get(), vehicle_ids=[]
        )
    assert refused.value.fields == {"vins": ["Give at least one VIN."]}
    assert snapshot() == before


def test_deallocated_vins_go_back_to_the_maker_and_off_a_planned_shipment(world, loaded):
    first, second = loaded.vehicles
    count = services.vehicles_deallocate(
        actor=world.jac_staff, line=loaded.line, vehicle_ids=[first.pk], on=date(2025, 4, 5)
    )
    assert count == 1
    assert state_of(first) == ("produced", "CN", "JAC", None)
    assert state_of(second) == ("allocated", "SA", "JAC", None)
    assert last_event(first) == (
        "deallocated",
        "allocated",
        "produced",
        date(2025, 4, 5),
        "",
        None,
        False,
        "JAC",
        loaded.order.pk,
        None,
        "EO-2025-001",
    )
    assert list(Allocation.objects.values_list("vehicle_id", flat=True)) == [second.pk]
    assert list(ShipmentVehicle.objects.values_list("vehicle_id", flat=True)) == [second.pk]


def test_a_vin_not_on_the_line_is_not_deallocated(world, loaded):
    (stranger,) = produce(world, 3)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.vehicles_deallocate(
            actor=world.jac_staff,
            line=loaded.line,
            vehicle_ids=[loaded.vehicles[0].pk, stranger.pk],
        )
    assert refused.value.fields == {"vins": [f"{stranger.vin} is not allocated to this line."]}
    assert snapshot() == before


def test_a_shipped_vin_is_not_deallocated(world, loaded):
    services.shipment_depart(
        actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 2)
    )
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.vehicles_deallocate(
            actor=world.jac_staff, line=loaded.line, vehicle_ids=[loaded.vehicles[0].pk]
        )
    assert refused.value.message == (
        f"{loaded.vins[0]} is shipped and cannot be allocation withdrawn."
    )
    assert snapshot() == before


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two connections contend for row locks (SELECT … FOR UPDATE) on PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_two_connections_allocating_one_vin_to_two_orders_at_once_one_wins(world):
    orders = [confirmed(world, "EO-RACE-A", quantity=1), confirmed(world, "EO-RACE-B", quantity=1)]
    lines = [order.lines.select_related("order").get() for order in orders]
    (vehicle,) = produce(world, 1)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def allocate(line: ExportOrderLine) -> None:
        try:
            barrier.wait(timeout=10)
            services.vehicles_allocate(actor=world.jac_staff, line=line, vehicle_ids=[vehicle.pk])
            outcomes[line.order.number] = "allocated"
        except Exception as error:
            outcomes[line.order.number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate, args=(line,)) for line in lines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    for outcome in outcomes.values():
        if isinstance(outcome, Exception) and not isinstance(outcome, Conflict):
            raise outcome  # an unexpected error, with its own traceback
    winners = [number for number, outcome in outcomes.items() if outcome == "allocated"]
    assert len(winners) == 1, outcomes
    (loser,) = {"EO-RACE-A", "EO-RACE-B"} - set(winners)
    assert isinstance(outcomes[loser], Conflict), outcomes
    # The loser queued on the VIN's row lock, then found the winner's allocation.
    assert str(outcomes[loser]) == f"{vehicle.vin} is already allocated to order {winners[0]}."
    assert list(Allocation.objects.values_list("vehicle_id", "line__order__number")) == [
        (vehicle.pk, winners[0])
    ]
    assert state_of(vehicle) == ("allocated", "SA", "JAC", None)
    assert VehicleEvent.objects.filter(vehicle=vehicle, type=EventType.ALLOCATED).count() == 1


# --- shipments -------------------------------------------------------------------------------


def test_a_shipment_is_planned_for_confirmed_orders(world):
    order = confirmed(world)
    shipment = services.shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ship_input(
            "SH-2025-009",
            mode="container",
            port_of_loading=" cn sha ",
            port_of_discharge="sajed",
            carrier=" COSCO ",
            vessel="Morning Ace",
            voyage="025W",
            bill_of_lading="COSU6400001",
            etd=date(2025, 5, 2),
            eta=date(2025, 5, 30),
            freight=Decimal("7000"),
            insurance=Decimal("710.03"),
            cost_currency="cny",
        ),
    )
    shipment.refresh_from_db()
    assert (
        shipment.number,
        shipment.brand.name,
        shipment.destination_id,
        shipment.mode,
        shipment.carrier,
        shipment.port_of_loading,
        shipment.port_of_discharge,
        shipment.bill_of_lading,
        shipment.etd,
        shipment.eta,
        shipment.status,
        shipment.freight,
        shipment.insurance,
        shipment.other_costs,
        shipment.cost_currency,
    ) == (
        "SH-2025-009",
        "JAC",
        "SA",
        "container",
        "COSCO",
        "CNSHA",
        "SAJED",
        "COSU6400001",
        date(2025, 5, 2),
        date(2025, 5, 30),
        "planned",
        Decimal("7000.0000"),
        Decimal("710.0300"),
        None,
        "CNY",
    )
    assert list(shipment.orders.values_list("number", flat=True)) == ["EO-2025-001"]
    assert audit_actions(shipment) == ["shipment.create"]


def test_a_port_that_is_not_a_un_locode_is_refused_naming_the_field(world):
    order = confirmed(world)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(
            actor=world.jac_staff,
            orders=[order],
            data=ship_input(port_of_loading="CNSH1", port_of_discharge="Jeddah"),
        )
    assert refused.value.fields == {
        "port_of_loading": ["CNSH1 is not a UN/LOCODE (e.g. CNSHA)."],
        "port_of_discharge": ["JEDDAH is not a UN/LOCODE (e.g. CNSHA)."],
    }
    assert snapshot() == before


def test_a_wrong_shipment_is_refused_naming_every_field(world):
    first = confirmed(world, "EO-2025-001")
    iraq = confirmed(world, "EO-2025-002", destination="IQ")
    still_draft = draft(world, "EO-2025-003")
    services.shipment_create(actor=world.jac_staff, orders=[first], data=ship_input("SH-TAKEN"))
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(
            actor=world.jac_staff,
            orders=[first, iraq, still_draft],
            data=ship_input(
                "SH-TAKEN",
                mode="air",
                etd=date(2025, 5, 2),
                eta=date(2025, 5, 1),
                freight=Decimal("-1"),
            ),
        )
    assert refused.value.fields == {
        "orders": [
            "All orders of a shipment share one brand and one destination.",
            "Order EO-2025-003 is draft.",
        ],
        "number": ["Shipment number SH-TAKEN is taken."],
        "mode": ["air is not a shipment mode."],
        "eta": ["The ETA is before the ETD."],
        "freight": ["An amount cannot be negative."],
        "cost_currency": [" is not an ISO 4217 currency code."],
    }
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_create(actor=world.jac_staff, orders=[], data=ship_input())
    assert refused.value.fields == {"orders": ["Choose at least one order."]}
    assert snapshot() == before


def test_only_allocated_vins_of_the_shipments_orders_are_loaded(world, loaded):
    other = confirmed(world, "EO-2025-002")
    (elsewhere,) = produce(world, 3)
    services.vehicles_allocate(
        actor=world.jac_staff, line=other.lines.get(), vehicle_ids=[elsewhere.pk]
    )
    (unallocated,) = produce(world, 4)
    second = services.shipment_create(
        actor=world.jac_staff, orders=[loaded.order], data=ship_input("SH-2025-002")
    )
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.shipment_add_vehicles(
            actor=world.jac_staff,
            shipment=second,
            vehicle_ids=[loaded.vehicles[0].pk, elsewhere.pk, unallocated.pk],
        )
    assert refused.value.fields == {
        "vins": [
            f"{loaded.vins[0]} is already on shipment SH-2025-001.",
            f"{elsewhere.vin} is not allocated to an order of this shipment.",
            f"{unallocated.vin} is not allocated to an order of this shipment.",
        ]
    }
    assert snapshot() == before
    assert sorted(ShipmentVehicle.objects.values_list("shipment__number", "vehicle_id")) == [
        ("SH-2025-001", loaded.vehicles[0].pk),
        ("SH-2025-001", loaded.vehicles[1].pk),
    ]


def test_loading_records_the_vins_on_the_shipment(world, loaded):
    assert list(loaded.shipment.vehicles.order_by("vin").values_list("vin", flat=True)) == (
        loaded.vins
    )
    event = AuditEvent.objects.for_object(loaded.shipment).get(action="shipment.add_vehicles")
    assert event.changes == {"vins": loaded.vins}
    # Loading moves no vehicle: they stay allocated until the ship sails.
    assert [state_of(vehicle)[0] for vehicle in loaded.vehicles] == ["allocated", "allocated"]


def test_departure_ships_every_vin_as_a_wholesale_in_one_go(world, loaded):
    shipment = services.shipment_depart(
        actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
    )
    shipment.refresh_from_db()
    assert (shipment.status, shipment.departed_on, shipment.arrived_on) == (
        "departed",
        date(2025, 5, 3),
        None,
    )
    for vehicle in loaded.vehicles:
        assert state_of(vehicle) == ("shipped", "SA", "JAC", date(2025, 5, 3))
        assert last_event(vehicle) == (
            "shipped",
            "allocated",
            "shipped",
            date(2025, 5, 3),
            "CNSHA",
            "CN",
            True,
            "JAC",
            loaded.order.pk,
            shipment.pk,
            "COSU6400001",
        )
    event = AuditEvent.objects.for_object(shipment).get(action="shipment.depart")
    assert event.changes == {"departed_on": "2025-05-03", "vehicles": 2}
    assert ExportOrder.objects.get(pk=loaded.order.pk).status == "confirmed"


def test_departing_twice_is_refused_and_changes_nothing(world, loaded):
    services.shipment_depart(
        actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
    )
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.shipment_depart(
            actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 9)
        )
    assert refused.value.message == "Shipment SH-2025-001 is departed."
    assert snapshot() == before
    assert Shipment.objects.get(pk=loaded.shipment.pk).departed_on == date(2025, 5, 3)


def test_an_empty_shipment_does_not_depart(world):
    order = confirmed(world)
    shipment = services.shipment_create(actor=world.jac_staff, orders=[order], data=ship_input())
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.shipment_depart(
            actor=world.jac_staff, shipment=shipment, departed_on=date(2025, 5, 3)
        )
    assert refused.value.message == "Shipment SH-2025-009 has no vehicles."
    assert snapshot() == before


def test_one_vin_that_cannot_sail_keeps_the_whole_shipment_ashore(world, loaded):
    """Two orders on one shipment: the second one's VIN was scrapped, so nothing ships."""
    other = confirmed(world, "EO-2025-002", quantity=1)
    (scrapped,) = produce(world, 3)
    services.vehicles_allocate(
        actor=world.jac_staff, line=other.lines.get(), vehicle_ids=[scrapped.pk]
    )
    loaded.shipment.orders.add(other)
    services.shipment_add_vehicles(
        actor=world.jac_staff, shipment=loaded.shipment, vehicle_ids=[scrapped.pk]
    )
    vehicles_move(
        actor=world.jac_staff,
        vehicle_ids=[scrapped.pk],
        move=Move(type=EventType.SCRAPPED, occurred_on=date(2025, 4, 20)),
    )
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.shipment_depart(
            actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
        )
    assert refused.value.message == f"{scrapped.vin} is scrapped and cannot be shipped."
    assert snapshot() == before
    assert [state_of(vehicle)[0] for vehicle in loaded.vehicles] == ["allocated", "allocated"]


def test_arrival_passes_every_vin_to_its_buyer(world, loaded):
    services.shipment_depart(
        actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
    )
    shipment = services.shipment_arrive(
        actor=world.jac_staff, shipment=loaded.shipment, arrived_on=date(2025, 5, 31)
    )
    shipment.refresh_from_db()
    assert (shipment.status, shipment.departed_on, shipment.arrived_on) == (
        "arrived",
        date(2025, 5, 3),
        date(2025, 5, 31),
    )
    for vehicle in loaded.vehicles:
        assert state_of(vehicle) == ("arrived", "SA", "Riyadh Motors", date(2025, 5, 3))
        assert last_event(vehicle) == (
            "arrived",
            "shipped",
            "arrived",
            date(2025, 5, 31),
            "SAJED",
            "SA",
            False,
            "JAC",
            loaded.order.pk,
            shipment.pk,
            "COSU6400001",
        )
    assert audit_actions(shipment) == [
        "shipment.create",
        "shipment.add_vehicles",
        "shipment.depart",
        "shipment.arrive",
    ]


def test_a_shipment_arrives_only_after_it_departed(world, loaded):
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        services.shipment_arrive(
            actor=world.jac_staff, shipment=loaded.shipment, arrived_on=date(2025, 5, 31)
        )
    assert refused.value.message == "Shipment SH-2025-001 is planned."
    assert snapshot() == before
    services.shipment_depart(
        actor=world.jac_staff, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
    )
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:  # type: ignore[assignment]
        services.shipment_arrive(
            actor=world.jac_staff, shipment=loaded.shipment, arrived_on=date(2025, 5, 2)
        )
    assert refused.value.fields == {
        "arrived_on": ["The shipment cannot arrive before it departed."]
    }
    assert snapshot() == before


def test_a_viewer_or_a_foreign_maker_moves_no_shipment(world, loaded):
    before = snapshot()
    with pytest.raises(Forbidden):
        services.shipment_depart(
            actor=world.jac_viewer, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
        )
    with pytest.raises(Forbidden):
        services.shipment_depart(
            actor=world.partner_viewer, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
        )
    with pytest.raises(NotFound):
        services.shipment_depart(
            actor=world.nezha_admin, shipment=loaded.shipment, departed_on=date(2025, 5, 3)
        )
    assert snapshot() == before


# --- landed cost -----------------------------------------------------------------------------


@pytest.fixture
def two_car_shipment(world, petrol_variant, steward):
    """A pickup (5 % duty) and a passenger car (10 %) sailing on 2 May 2025, costs in CNY."""
    MarketProfile.objects.filter(country_id="SA").update(
        import_duty_pickup_pct=Decimal("5.00"), import_duty_passenger_pct=Decimal("10.00")
    )
    sedan = VariantFactory.create(
        product_line__brand=world.jac_brand,
        product_line__name="J7",
        code="J7-E",
        hs_code="87032300",
    )
    order = confirmed(
        world,
        lines=[
            LineInput(world.jac_variant.pk, 1, Decimal("18500")),
            LineInput(sedan.pk, 1, Decimal("12000")),
        ],
    )
    pickup_line, sedan_line = order.lines.order_by("id")
    (pickup,) = produce(world, 1)
    (car,) = produce_variant(world, sedan, 2)
    services.vehicles_allocate(actor=world.jac_staff, line=pickup_line, vehicle_ids=[pickup.pk])
    services.vehicles_allocate(actor=world.jac_staff, line=sedan_line, vehicle_ids=[car.pk])
    shipment = services.shipment_create(
        actor=world.jac_staff,
        orders=[order],
        data=ship_input(
            etd=date(2025, 5, 1),
            freight=Decimal("7000.00"),
            insurance=Decimal("710.03"),
            other_costs=Decimal("1420.00"),
            cost_currency="CNY",
        ),
    )
    services.shipment_add_vehicles(
        actor=world.jac_staff, shipment=shipment, vehicle_ids=[pickup.pk, car.pk]
    )
    services.shipment_depart(actor=world.jac_staff, shipment=shipment, departed_on=date(2025, 5, 2))
    for on, rate in [("2025-01-02", "7.30"), ("2025-05-01", "7.10"), ("2025-06-01", "7.00")]:
        services.exchange_rate_set(
            actor=steward,
            currency="USD",
            on=date.fromisoformat(on),
            cny_per_unit=Decimal(rate),
        )
    shipment.refresh_from_db()
    return shipment


def money(row_money) -> tuple[Decimal, str]:
    return (row_money.amount, row_money.currency)


def test_landed_cost_per_vin_in_the_order_currency_and_in_cny(world, two_car_shipment):
    result = selectors.shipment_landed_cost(shipment=two_car_shipment)
    assert result.rate_date == date(2025, 5, 2)
    rows = [
        (
            row.vin,
            row.order_number,
            row.hs_code,
            row.price.amount,
            row.freight.amount,
            row.insurance.amount,
            row.cif_value.amount,
            row.duty_rate_pct,
            row.duty.amount,
            row.other_costs.amount,
            row.total.amount,
            row.total.currency,
            row.cny_per_unit,
            row.total_cny.amount,
            row.total_cny.currency,
        )
        for row in result.rows
    ]
    # Freight 7,000 CNY → 3,500 CNY a VIN → 492.96 USD at 7.10; insurance 710.03 CNY →
    # 355.02 + 355.01 CNY → 50.00 USD each; other costs 1,420 CNY → 100.00 USD each.
    assert rows == [
        (
            "LJ12EKR10S0000001",
            "EO-2025-001",
            "87042100",
            Decimal("18500.00"),
            Decimal("492.96"),
            Decimal("50.00"),
            Decimal("19042.96"),
            Decimal("5.00"),
            Decimal("952.15"),
            Decimal("100.00"),
            Decimal("20095.11"),
            "USD",
            Decimal("7.10"),
            Decimal("142675.28"),
            "CNY",
        ),
        (
            "LJ12EKR12S0000002",
            "EO-2025-001",
            "87032300",
            Decimal("12000.00"),
            Decimal("492.96"),
            Decimal("50.00"),
            Decimal("12542.96"),
            Decimal("10.00"),
            Decimal("1254.30"),
            Decimal("100.00"),
            Decimal("13897.26"),
            "USD",
            Decimal("7.10"),
            Decimal("98670.55"),
            "CNY",
        ),
    ]
    assert money(result.total_cny) == (Decimal("241345.83"), "CNY")


def test_shipment_costs_split_to_the_cent(world):
    from seabridge.core.money import Money

    shares = selectors.split_evenly(Money(Decimal("710.03"), "CNY"), 3)
    assert [share.amount for share in shares] == [
        Decimal("236.68"),
        Decimal("236.68"),
        Decimal("236.67"),
    ]
    assert sum(share.amount for share in shares) == Decimal("710.03")
    assert selectors.split_evenly(Money(Decimal(100), "JPY"), 3) == [
        Money(Decimal(34), "JPY"),
        Money(Decimal(33), "JPY"),
        Money(Decimal(33), "JPY"),
    ]


def test_landed_cost_without_a_rate_on_the_date_names_the_missing_rate(world, loaded, steward):
    services.exchange_rate_set(
        actor=steward, currency="USD", on=date(2025, 5, 3), cny_per_unit=Decimal("7.2")
    )
    with pytest.raises(ValidationFailed) as refused:
        selectors.shipment_landed_cost(shipment=loaded.shipment)  # ETD 2 May 2025
    assert refused.value.message == "There is no USD exchange rate on or before 2025-05-02."
    assert refused.value.fields == {
        "exchange_rate": ["Add a USD rate dated 2025-05-02 or earlier."]
    }


# --- exchange rates --------------------------------------------------------------------------


def test_a_rate_is_recorded_then_corrected(world, steward):
    rate = services.exchange_rate_set(
        actor=steward, currency=" usd ", on=date(2025, 5, 1), cny_per_unit=Decimal("7.1")
    )
    corrected = services.exchange_rate_set(
        actor=steward, currency="USD", on=date(2025, 5, 1), cny_per_unit=Decimal("7.12")
    )
    assert corrected.pk == rate.pk
    assert list(ExchangeRate.objects.values_list("currency", "on", "cny_per_unit")) == [
        ("USD", date(2025, 5, 1), Decimal("7.12000000"))
    ]
    assert [
        (event.action, event.actor_label, event.changes)
        for event in AuditEvent.objects.for_object(rate).order_by("id")
    ] == [
        (
            "exchange_rate.create",
            "steward",
            {
                "currency": "USD",
                "on": "2025-05-01",
                "cny_per_unit": "7.1",
                "acting_for": steward.organization_id,
            },
        ),
        (
            "exchange_rate.update",
            "steward",
            {
                "currency": "USD",
                "on": "2025-05-01",
                "cny_per_unit": "7.12",
                "acting_for": steward.organization_id,
            },
        ),
    ]
    assert selectors.rate_on("USD", date(2025, 5, 20)) == Decimal("7.12")
    assert selectors.rate_on("CNY", date(2025, 5, 20)) == Decimal(1)


@pytest.mark.parametrize(
    ("currency", "rate", "fields"),
    [
        ("CNY", "1", {"currency": ["Rates are kept in CNY; CNY itself needs none."]}),
        ("ABC", "2", {"currency": ["ABC is not an ISO 4217 currency code."]}),
        ("USD", "0", {"cny_per_unit": ["A rate must be more than 0."]}),
        ("USD", "-7.1", {"cny_per_unit": ["A rate must be more than 0."]}),
        ("USD", "NaN", {"cny_per_unit": ["A rate must be more than 0."]}),
        ("USD", "7.123456789", {"cny_per_unit": ["Use at most 8 decimal places."]}),
        ("USD", "1E10", {"cny_per_unit": ["A rate must be less than 10,000,000,000."]}),
    ],
)
def test_a_wrong_rate_is_refused_naming_the_field(world, steward, currency, rate, fields):
    with pytest.raises(ValidationFailed) as refused:
        services.exchange_rate_set(
            actor=steward,
            currency=currency,
            on=date(2025, 5, 1),
            cny_per_unit=Decimal(rate),
        )
    assert refused.value.fields == fields
    assert ExchangeRate.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="exchange_rate").count() == 0


def test_only_a_steward_keeps_rates(world):
    """Issue 18: an organisation with no agreement at all recorded a USD rate of 0.0001
    CNY that every landed cost then used."""
    # Nezha has no agreement at all; the others are a maker and its partners.
    for name in ("nezha_admin", "jac_staff", "jac_admin", "partner_admin", "dealer_admin"):
        with pytest.raises(Forbidden) as refused:
            services.exchange_rate_set(
                actor=world.actors[name],
                currency="USD",
                on=date(2025, 5, 1),
                cny_per_unit=Decimal("0.0001"),
            )
        assert refused.value.message == (
            "Reference data is kept by the platform's stewards; ask one to change it."
        )
    with pytest.raises(NotFound):
        services.exchange_rate_set(
            actor=None, currency="USD", on=date(2025, 5, 1), cny_per_unit=Decimal(7)
        )
    assert ExchangeRate.objects.count() == 0
    assert AuditEvent.objects.filter(action__startswith="exchange_rate").count() == 0


def test_the_buyer_disputes_a_confirmed_order_then_accepts_it_and_the_seller_cannot(world):
    from seabridge.core.tests.world import _member

    order = confirmed(world)
    _member(world, "dealer_manager", world.dealer, Role.MANAGER)
    before = snapshot()
    with pytest.raises(Forbidden):
        services.export_order_respond(actor=world.jac_manager, order=order, accept=True)
    with pytest.raises(ValidationFailed) as refused:
        services.export_order_respond(actor=world.dealer_manager, order=order, accept=False)
    assert refused.value.fields == {"reason": ["Say what the dispute is about."]}
    assert snapshot() == before
    services.export_order_respond(
        actor=world.dealer_manager,
        order=order,
        accept=False,
        reason=" Two units, not three ",
        on=date(2025, 3, 21),
    )
    order.refresh_from_db()
    assert (order.buyer_response, order.buyer_responded_on, order.dispute_reason) == (
        "disputed",
        date(2025, 3, 21),
        "Two units, not three",
    )
    services.export_order_respond(
        actor=world.dealer_manager, order=order, accept=True, on=date(2025, 3, 22)
    )
    order.refresh_from_db()
    assert (order.buyer_response, order.buyer_responded_on, order.dispute_reason) == (
        "accepted",
        date(2025, 3, 22),
        "",
    )
    with pytest.raises(Conflict) as again:
        services.export_order_respond(
            actor=world.dealer_manager, order=order, accept=False, reason="Late"
        )
    assert again.value.message == "Order EO-2025-001 is already accepted."
