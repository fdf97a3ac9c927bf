"""The vehicle lifecycle through the services: every state, every event, every refusal."""

from datetime import date
from decimal import Decimal

import pytest

from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.models import AuditEvent
from seabridge.vehicles import services
from seabridge.vehicles.choices import TRANSITIONS, EventType, VehicleState
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent
from seabridge.vehicles.services import NewCustomer, ProductionRow
from seabridge.vehicles.tests.conftest import jac_vin, produce

pytestmark = pytest.mark.django_db

BUYER = NewCustomer(kind="person", name="Faisal Al-Harbi", country_id="SA", phone="+966 50 000")


def state_of(vehicle: Vehicle) -> tuple:
    vehicle.refresh_from_db()
    return (
        vehicle.state,
        vehicle.market_id,
        vehicle.holder.short_name,
        vehicle.wholesaled_on,
        vehicle.retailed_on,
        vehicle.customer.name if vehicle.customer else None,
    )


def events_of(vehicle: Vehicle) -> list[tuple]:
    return [
        (
            event.type,
            event.from_state,
            event.to_state,
            event.occurred_on,
            event.organization.short_name if event.organization else None,
            event.is_wholesale,
            event.price,
            event.currency,
        )
        for event in VehicleEvent.objects.filter(vehicle=vehicle)
        .select_related("organization")
        .order_by("occurred_on", "id")
    ]


def frozen(vehicle: Vehicle) -> tuple:
    """Everything that a refused move must leave unchanged."""
    return (
        tuple(Vehicle.objects.filter(pk=vehicle.pk).values_list().get()),
        VehicleEvent.objects.filter(vehicle=vehicle).count(),
        Customer.objects.count(),
    )


def test_one_vin_from_the_line_to_its_registration(world):
    (vehicle,) = produce(world, 1, on=date(2025, 3, 1))
    produced = ("produced", "produced", date(2025, 3, 1), "JAC", False, None, "")
    assert state_of(vehicle) == ("produced", "CN", "JAC", None, None, None)
    assert events_of(vehicle) == [("produced", "", *produced[1:])]

    def move(type_: EventType, on: date, **facts) -> None:
        vehicles_move(
            actor=world.jac_staff,
            vehicle_ids=[vehicle.pk],
            move=Move(type=type_, occurred_on=on, **facts),
        )

    move(EventType.ALLOCATED, date(2025, 3, 10), market_id="SA")
    assert state_of(vehicle) == ("allocated", "SA", "JAC", None, None, None)
    move(EventType.SHIPPED, date(2025, 3, 20), is_wholesale=True)
    assert state_of(vehicle) == ("shipped", "SA", "JAC", date(2025, 3, 20), None, None)
    move(EventType.ARRIVED, date(2025, 4, 18), place="Jeddah Islamic Port")
    assert state_of(vehicle) == ("arrived", "SA", "JAC", date(2025, 3, 20), None, None)

    services.vehicles_deliver_to_dealer(
        actor=world.jac_staff,
        vehicles=[vehicle],
        dealer=world.dealer,
        occurred_on=date(2025, 4, 25),
        document_ref="DN-0425",
    )
    assert state_of(vehicle) == ("in_stock", "SA", "Riyadh Motors", date(2025, 3, 20), None, None)

    services.vehicle_retail(
        actor=world.partner_admin,
        vehicle=vehicle,
        customer=BUYER,
        occurred_on=date(2025, 5, 2),
        price=Decimal("95000.00"),
        currency="sar",
    )
    assert state_of(vehicle) == (
        "retailed",
        "SA",
        "Riyadh Motors",
        date(2025, 3, 20),
        date(2025, 5, 2),
        "Faisal Al-Harbi",
    )
    customer = Customer.objects.get()
    assert (customer.recorded_by, customer.country_id, customer.phone) == (
        world.partner,
        "SA",
        "+966 50 000",
    )

    services.vehicle_register(
        actor=world.jac_staff,
        vehicle=vehicle,
        occurred_on=date(2025, 5, 9),
        document_ref="RUH 1234",
    )
    assert state_of(vehicle) == (
        "registered",
        "SA",
        "Riyadh Motors",
        date(2025, 3, 20),
        date(2025, 5, 2),
        "Faisal Al-Harbi",
    )
    assert Vehicle.objects.in_operation().get() == vehicle
    assert events_of(vehicle) == [
        ("produced", "", "produced", date(2025, 3, 1), "JAC", False, None, ""),
        ("allocated", "produced", "allocated", date(2025, 3, 10), "JAC", False, None, ""),
        ("shipped", "allocated", "shipped", date(2025, 3, 20), "JAC", True, None, ""),
        ("arrived", "shipped", "arrived", date(2025, 4, 18), "JAC", False, None, ""),
        ("delivered", "arrived", "in_stock", date(2025, 4, 25), "JAC", False, None, ""),
        (
            "retailed",
            "in_stock",
            "retailed",
            date(2025, 5, 2),
            "Zhongjiang",
            False,
            Decimal("95000.0000"),
            "SAR",
        ),
        ("registered", "retailed", "registered", date(2025, 5, 9), "JAC", False, None, ""),
    ]


def test_a_domestic_delivery_from_allocation_is_the_wholesale(world):
    vehicles = produce(world, 1, 2)
    vehicles_move(
        actor=None,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 5)),
    )
    moved = services.vehicles_deliver_to_dealer(
        actor=world.jac_staff, vehicles=vehicles, dealer=world.dealer, occurred_on=date(2025, 3, 8)
    )
    assert [vehicle.vin for vehicle in moved] == [jac_vin(1), jac_vin(2)]
    assert sorted(Vehicle.objects.values_list("state", "wholesaled_on", "holder__short_name")) == [
        ("in_stock", date(2025, 3, 8), "Riyadh Motors"),
        ("in_stock", date(2025, 3, 8), "Riyadh Motors"),
    ]
    assert list(
        VehicleEvent.objects.filter(type="delivered").values_list("is_wholesale", "country_id")
    ) == [(True, "SA"), (True, "SA")]


ILLEGAL = [
    (event, state)
    for event, (allowed, _to) in TRANSITIONS.items()
    for state in VehicleState
    if state not in allowed
]


@pytest.mark.parametrize(("event", "state"), ILLEGAL, ids=[f"{e}-from-{s}" for e, s in ILLEGAL])
def test_every_illegal_transition_is_refused_naming_the_vin_and_changing_nothing(
    world, event, state
):
    (vehicle,) = produce(world, 7)
    Vehicle.objects.filter(pk=vehicle.pk).update(state=state)
    before = frozen(vehicle)
    with pytest.raises(Conflict) as caught:
        vehicles_move(
            actor=world.jac_staff,
            vehicle_ids=[vehicle.pk],
            move=Move(type=event, occurred_on=date(2025, 6, 1)),
        )
    assert caught.value.message == (
        f"{jac_vin(7)} is {VehicleState(state).label.lower()} "
        f"and cannot be {EventType(event).label.lower()}."
    )
    assert frozen(vehicle) == before


def test_the_service_refusals_read_as_sentences(world):
    (vehicle,) = produce(world, 1)
    before = frozen(vehicle)
    with pytest.raises(Conflict) as caught:
        services.vehicle_retail(
            actor=world.jac_staff,
            vehicle=vehicle,
            customer=BUYER,
            occurred_on=date(2025, 6, 1),
            price=Decimal("1"),
            currency="CNY",
        )
    assert caught.value.message == f"{jac_vin(1)} is produced and cannot be retailed."
    assert frozen(vehicle) == before  # the new customer was rolled back too
    with pytest.raises(Conflict) as caught:
        services.vehicle_register(
            actor=world.jac_staff, vehicle=vehicle, occurred_on=date(2025, 6, 1)
        )
    assert caught.value.message == f"{jac_vin(1)} is produced and cannot be registered."
    with pytest.raises(Conflict) as caught:
        services.vehicle_retail_cancel(
            actor=world.jac_staff, vehicle=vehicle, occurred_on=date(2025, 6, 1)
        )
    assert caught.value.message == f"{jac_vin(1)} is produced and cannot be retail sale cancelled."
    assert frozen(vehicle) == before


def test_a_bulk_delivery_with_one_wrong_vehicle_delivers_none(world):
    vehicles = produce(world, 1, 2, 3)
    vehicles_move(
        actor=None,
        vehicle_ids=[vehicles[0].pk, vehicles[2].pk],
        move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 5)),
    )
    before = [frozen(vehicle) for vehicle in vehicles]
    with pytest.raises(Conflict) as caught:
        services.vehicles_deliver_to_dealer(
            actor=world.jac_staff,
            vehicles=vehicles,
            dealer=world.dealer,
            occurred_on=date(2025, 3, 8),
        )
    assert (
        caught.value.message == f"{jac_vin(2)} is produced and cannot be delivered to dealer stock."
    )
    assert [frozen(vehicle) for vehicle in vehicles] == before


def test_a_delivery_to_an_organisation_that_is_no_dealer_is_refused(world):
    (vehicle,) = produce(world, 1)
    with pytest.raises(ValidationFailed) as caught:
        services.vehicles_deliver_to_dealer(
            actor=world.jac_staff,
            vehicles=[vehicle],
            dealer=world.partner,
            occurred_on=date(2025, 3, 8),
        )
    assert caught.value.fields == {"dealer_id": ["Zhongjiang is not a dealer or importer."]}


def test_a_cancelled_retail_sale_is_a_new_event_and_history_stays(world):
    (vehicle,) = produce(world, 1)
    for type_, on in ((EventType.ALLOCATED, 2), (EventType.DELIVERED, 3)):
        vehicles_move(
            actor=None,
            vehicle_ids=[vehicle.pk],
            move=Move(type=type_, occurred_on=date(2025, 3, on)),
        )
    services.vehicle_retail(
        actor=world.jac_staff,
        vehicle=vehicle,
        customer=BUYER,
        occurred_on=date(2025, 3, 10),
        price=Decimal("90000"),
        currency="SAR",
    )
    services.vehicle_retail_cancel(
        actor=world.jac_staff,
        vehicle=vehicle,
        occurred_on=date(2025, 3, 12),
        note="Financing refused",
    )
    assert state_of(vehicle) == ("in_stock", "CN", "JAC", None, None, None)
    assert [row[0] for row in events_of(vehicle)] == [
        "produced",
        "allocated",
        "delivered",
        "retailed",
        "retail_cancelled",
    ]
    services.vehicle_scrap(actor=world.jac_staff, vehicle=vehicle, occurred_on=date(2025, 3, 20))
    assert state_of(vehicle)[0] == "scrapped"


def test_a_date_before_the_latest_event_is_refused(world):
    (vehicle,) = produce(world, 1, on=date(2025, 3, 1))
    before = frozen(vehicle)
    with pytest.raises(ValidationFailed) as caught:
        services.vehicle_scrap(actor=world.jac_staff, vehicle=vehicle, occurred_on=date(2025, 2, 1))
    assert caught.value.fields == {
        "occurred_on": [
            f"The date is before the vehicle's latest event: {jac_vin(1)} has an event on "
            "2025-03-01."
        ]
    }
    assert frozen(vehicle) == before


def test_retail_refuses_a_bad_price_and_currency_naming_both(world):
    (vehicle,) = produce(world, 1)
    with pytest.raises(ValidationFailed) as caught:
        services.vehicle_retail(
            actor=world.jac_staff,
            vehicle=vehicle,
            customer=BUYER,
            occurred_on=date(2025, 6, 1),
            price=Decimal("-1"),
            currency="XYZ",
        )
    assert caught.value.fields == {
        "price": ["An amount cannot be negative."],
        "currency": ["XYZ is not an ISO 4217 currency code."],
    }


def test_who_may_move_a_vehicle(world):
    (vehicle,) = produce(world, 1)
    with pytest.raises(Forbidden):
        services.vehicle_scrap(
            actor=world.jac_viewer, vehicle=vehicle, occurred_on=date(2025, 6, 1)
        )
    with pytest.raises(NotFound):
        services.vehicle_scrap(
            actor=world.nezha_admin, vehicle=vehicle, occurred_on=date(2025, 6, 1)
        )
    with pytest.raises(NotFound):
        services.vehicle_scrap(actor=None, vehicle=vehicle, occurred_on=date(2025, 6, 1))
    # The partner's grant covers Saudi Arabia, not the domestic market.
    with pytest.raises(NotFound):
        services.vehicle_scrap(
            actor=world.partner_admin, vehicle=vehicle, occurred_on=date(2025, 6, 1)
        )
    assert state_of(vehicle)[0] == "produced"


# --- production -----------------------------------------------------------------------


def test_production_registers_vehicles_of_the_brand_owner_with_one_event_each(world):
    rows = [
        ProductionRow(
            vin=jac_vin(number).lower(),
            variant_id=world.jac_variant.pk,
            produced_on=date(2025, 3, number),
            line_sequence=1000 + number,
        )
        for number in (1, 2)
    ] + [
        ProductionRow(
            vin="WVWZZZ1JZXW000001", variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 3)
        )
    ]
    result = services.vehicles_produce(actor=world.jac_staff, rows=rows)
    assert [vehicle.vin for vehicle in result.vehicles] == [
        jac_vin(1),
        jac_vin(2),
        "WVWZZZ1JZXW000001",
    ]
    assert result.warnings == {"WVWZZZ1JZXW000001": ["Check digit expected 0, got Z."]}
    assert list(
        Vehicle.objects.order_by("vin").values_list(
            "vin", "brand__name", "market_id", "holder__short_name", "state", "line_sequence"
        )
    ) == [
        (jac_vin(1), "JAC", "CN", "JAC", "produced", 1001),
        (jac_vin(2), "JAC", "CN", "JAC", "produced", 1002),
        ("WVWZZZ1JZXW000001", "JAC", "CN", "JAC", "produced", None),
    ]
    assert (
        VehicleEvent.objects.filter(type="produced", from_state="", to_state="produced").count()
        == 3
    )


def test_production_refuses_duplicates_in_the_input_and_in_the_registry_naming_the_vin(world):
    produce(world, 1)
    rows = [
        ProductionRow(
            vin=jac_vin(number), variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 2)
        )
        for number in (2, 2, 1)
    ]
    with pytest.raises(ValidationFailed) as caught:
        services.vehicles_produce(actor=world.jac_staff, rows=rows)
    assert caught.value.fields == {
        "rows.1.vin": [f"{jac_vin(2)} is given twice."],
        "rows.2.vin": [f"{jac_vin(1)} is already registered."],
    }
    assert Vehicle.objects.count() == 1


def test_production_refuses_a_bad_vin_naming_the_row(world):
    rows = [
        ProductionRow(
            vin="LJ166A2X3A1000001", variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 2)
        ),
        ProductionRow(
            vin="LJ166A2X0A100000", variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 2)
        ),
    ]
    with pytest.raises(ValidationFailed) as caught:
        services.vehicles_produce(actor=world.jac_staff, rows=rows)
    assert caught.value.fields == {
        "rows.0.vin": ["Check digit expected 0, got 3."],
        "rows.1.vin": ["VIN must be 17 characters, got 16."],
    }
    assert Vehicle.objects.count() == 0


def test_only_the_brand_owner_registers_production(world):
    row = ProductionRow(
        vin=jac_vin(1), variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 2)
    )
    with pytest.raises(Forbidden):
        services.vehicles_produce(actor=world.partner_admin, rows=[row])
    with pytest.raises(ValidationFailed) as caught:
        services.vehicles_produce(actor=world.nezha_admin, rows=[row])
    assert caught.value.fields == {
        "rows.0.variant_id": [f"No such variant: {world.jac_variant.pk}."]
    }
    with pytest.raises(Forbidden):
        services.vehicles_produce(actor=world.jac_viewer, rows=[row])
    assert Vehicle.objects.count() == 0


@pytest.mark.parametrize("count", [1, 50])
def test_production_takes_a_fixed_number_of_queries(world, django_assert_num_queries, count):
    rows = [
        ProductionRow(
            vin=jac_vin(number), variant_id=world.jac_variant.pk, produced_on=date(2025, 3, 2)
        )
        for number in range(count)
    ]
    # grants, variants, existing VINs, savepoint, vehicles, events, release: one INSERT per
    # table for as many rows as one statement takes (SQLite allows 999 parameters).
    with django_assert_num_queries(PRODUCTION_QUERIES):
        services.vehicles_produce(actor=world.jac_staff, rows=rows)
    assert Vehicle.objects.count() == count


PRODUCTION_QUERIES = 10  # with the three fact upserts (daily, monthly, yearly)


def test_a_customer_is_recorded_for_the_actor_with_an_audit_event(world):
    customer = services.customer_create(actor=world.partner_admin, customer=BUYER)
    assert (customer.name, customer.kind, customer.recorded_by) == (
        "Faisal Al-Harbi",
        "person",
        world.partner,
    )
    assert (
        AuditEvent.objects.filter(action="customer.create", object_id=str(customer.pk)).count() == 1
    )
    with pytest.raises(ValidationFailed) as caught:
        services.customer_create(
            actor=world.partner_admin, customer=NewCustomer(kind="alien", name=" ", country_id="ZZ")
        )
    assert caught.value.fields == {
        "customer.name": ["This field is required."],
        "customer.kind": ["alien is not one of: person, company."],
        "customer.country": ["ZZ is not a known country code."],
    }


# --- production milestones ------------------------------------------------------------

FIRST = date(2009, 6, 15)
UNIT_200K = date(2022, 6, 20)
UNIT_300K = date(2024, 5, 23)


def produced_on(unit: int) -> date:
    """Unit 1 on 2009-06-15, 200,000 on 2022-06-20, 300,000 on 2024-05-23, evenly between."""
    from datetime import timedelta

    if unit <= 200_000:
        return FIRST + timedelta(days=(unit - 1) * (UNIT_200K - FIRST).days // 199_999)
    return UNIT_200K + timedelta(days=(unit - 200_000) * (UNIT_300K - UNIT_200K).days // 100_000)


@pytest.fixture
def three_hundred_thousand(world):
    """300,000 JAC vehicles written directly with one prepared INSERT (services are tested
    elsewhere; building 300,000 model instances would take most of a minute)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    columns = (
        "created_at, updated_at, vin, brand_id, variant_id, produced_on, state, market_id, "
        "holder_id"
    )
    rows = [
        (
            now,
            now,
            f"LJ1{unit:014d}",
            world.jac_brand.pk,
            world.jac_variant.pk,
            produced_on(unit),
            "produced",
            "CN",
            world.jac.pk,
        )
        for unit in range(1, 300_001)
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO vehicles_vehicle ({columns}) VALUES ({', '.join(['%s'] * 9)})",  # noqa: S608 -- fixed column list, no input
            rows,
        )
    # ... and their production counted by day, as the services count it.
    from collections import Counter

    from seabridge.analytics.choices import Measure
    from seabridge.analytics.facts import Deltas, facts_apply, variant_facts

    variant = variant_facts([world.jac_variant.pk])[world.jac_variant.pk]
    deltas = Deltas()
    for day, count in Counter(row[5] for row in rows).items():
        deltas.add(Measure.PRODUCTION, day, variant, variant.home_country_id, count)
    facts_apply(deltas)
    return world


def test_production_milestones_of_300000_vehicles(
    three_hundred_thousand, django_assert_num_queries
):
    from seabridge.vehicles.selectors import production_milestones

    world = three_hundred_thousand
    with django_assert_num_queries(5):  # the days from the facts, one indexed read per milestone
        milestones = production_milestones(brand=world.jac_brand)
    assert [
        (m.unit, m.produced_on, m.vin, m.days_since_previous, m.interval) for m in milestones
    ] == [
        (1, date(2009, 6, 15), "LJ100000000000001", None, ""),
        (100_000, date(2015, 12, 17), "LJ100000000100000", 2376, "6 years 6 months"),
        (200_000, date(2022, 6, 20), "LJ100000000200000", 2377, "6 years 6 months"),
        (300_000, date(2024, 5, 23), "LJ100000000300000", 703, "1 year 11 months"),
    ]
    by_200k = production_milestones(brand=world.jac_brand, every=200_000)
    assert [(m.unit, m.days_since_previous, m.interval) for m in by_200k] == [
        (1, None, ""),
        (200_000, 4753, "13 years"),
    ]
    # The JAC pickup line only (all of these vehicles are of it), and a brand with none.
    assert len(production_milestones(brand=world.jac_brand, product_line=world.jac_line)) == 4
    assert production_milestones(brand=world.nezha_brand) == []

    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("milestones", brand="jac", every=100_000, stdout=out)
    assert out.getvalue().splitlines() == [
        "           1  2009-06-15  -",
        "     100,000  2015-12-17  2376 days (6 years 6 months)",
        "     200,000  2022-06-20  2377 days (6 years 6 months)",
        "     300,000  2024-05-23  703 days (1 year 11 months)",
    ]
    out = StringIO()
    call_command("milestones", "--brand", "JAC", "--every", "200000", "--json", stdout=out)
    import json

    assert json.loads(out.getvalue()) == [
        {
            "unit": 1,
            "produced_on": "2009-06-15",
            "vin": "LJ100000000000001",
            "days_since_previous": None,
            "interval": "",
        },
        {
            "unit": 200_000,
            "produced_on": "2022-06-20",
            "vin": "LJ100000000200000",
            "days_since_previous": 4753,
            "interval": "13 years",
        },
    ]


def test_human_intervals():
    from seabridge.vehicles.selectors import human_interval

    assert human_interval(date(2011, 5, 23), date(2024, 5, 23)) == "13 years"
    assert human_interval(date(2022, 6, 20), date(2024, 5, 23)) == "1 year 11 months"
    assert human_interval(date(2024, 1, 31), date(2024, 2, 29)) == "29 days"
    assert human_interval(date(2024, 1, 1), date(2024, 2, 1)) == "1 month"
