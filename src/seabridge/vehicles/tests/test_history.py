"""Whole histories in bulk: what is written, the facts kept exact, and every refusal
changing nothing."""

from datetime import date
from decimal import Decimal

import pytest

from seabridge.analytics.facts import facts_check
from seabridge.analytics.models import DailyFact
from seabridge.core.bulk import ids_reserve
from seabridge.core.errors import Forbidden, ValidationFailed
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.history import History, Step, vehicles_record_history
from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent
from seabridge.vehicles.services import NewCustomer
from seabridge.vehicles.tests.conftest import jac_vin, produce

pytestmark = pytest.mark.django_db(transaction=False)

BUYER = NewCustomer(kind="person", name="Faisal Al-Harbi", country_id="SA")
AGAIN = NewCustomer(kind="company", name="Riyadh Oilfield Services", country_id="SA")


def exported(world, number: int, *, steps_after_delivery: tuple[Step, ...] = ()) -> History:
    """A JAC pickup allocated to Saudi Arabia, shipped, arrived and delivered to the dealer."""
    return History(
        vin=jac_vin(number),
        variant_id=world.jac_variant.pk,
        produced_on=date(2024, 1, 10),
        steps=(
            Step(EventType.ALLOCATED, date(2024, 1, 12), world.jac.pk, market_id="SA"),
            Step(
                EventType.SHIPPED,
                date(2024, 1, 20),
                world.jac.pk,
                country_id="CN",
                is_wholesale=True,
                price=Decimal("15800.00"),
                currency="USD",
            ),
            Step(
                EventType.ARRIVED, date(2024, 2, 13), world.partner.pk, holder_id=world.partner.pk
            ),
            Step(
                EventType.DELIVERED, date(2024, 2, 20), world.partner.pk, holder_id=world.dealer.pk
            ),
            *steps_after_delivery,
        ),
    )


def snapshot() -> tuple[int, int, int, int]:
    return (
        Vehicle.objects.count(),
        VehicleEvent.objects.count(),
        Customer.objects.count(),
        DailyFact.objects.count(),
    )


def test_a_sold_cancelled_resold_and_scrapped_history_is_written_whole(world):
    sold = exported(
        world,
        1,
        steps_after_delivery=(
            Step(EventType.RETAILED, date(2024, 3, 1), world.dealer.pk, country_id="SA",
                 price=Decimal("98000"), currency="SAR", customer=0),
            Step(EventType.RETAIL_CANCELLED, date(2024, 3, 4), world.dealer.pk),
            Step(EventType.RETAILED, date(2024, 3, 9), world.dealer.pk, country_id="SA",
                 price=Decimal("97000"), currency="SAR", customer=1),
            Step(EventType.REGISTERED, date(2024, 3, 20), country_id="SA", document_ref="RUH-1"),
            Step(EventType.SCRAPPED, date(2025, 6, 1), country_id="SA"),
        ),
    )  # fmt: skip
    in_stock = exported(world, 2)
    made = History(jac_vin(3), world.jac_variant.pk, date(2024, 1, 11))

    result = vehicles_record_history(
        actor=world.jac_staff, histories=[sold, in_stock, made], customers=[BUYER, AGAIN]
    )

    assert result.events == 5 + 4 + 5 + 1 + 1
    assert result.customers == 2
    first, second, third = (Vehicle.objects.get(pk=pk) for pk in result.vehicle_ids)
    assert (first.vin, first.state, first.market_id, first.holder_id) == (
        jac_vin(1), "scrapped", "SA", world.dealer.pk,
    )  # fmt: skip
    assert first.customer is not None
    assert first.customer.name == "Riyadh Oilfield Services"
    assert (first.wholesaled_on, first.retailed_on) == (date(2024, 1, 20), date(2024, 3, 9))
    assert (second.state, second.holder_id, second.retailed_on) == (
        "in_stock",
        world.dealer.pk,
        None,
    )
    assert (third.state, third.market_id, third.holder_id) == ("produced", "CN", world.jac.pk)
    assert list(
        VehicleEvent.objects.filter(vehicle=first)
        .order_by("id")
        .values_list("type", "from_state", "to_state", "occurred_on")
    ) == [
        ("produced", "", "produced", date(2024, 1, 10)),
        ("allocated", "produced", "allocated", date(2024, 1, 12)),
        ("shipped", "allocated", "shipped", date(2024, 1, 20)),
        ("arrived", "shipped", "arrived", date(2024, 2, 13)),
        ("delivered", "arrived", "in_stock", date(2024, 2, 20)),
        ("retailed", "in_stock", "retailed", date(2024, 3, 1)),
        ("retail_cancelled", "retailed", "in_stock", date(2024, 3, 4)),
        ("retailed", "in_stock", "retailed", date(2024, 3, 9)),
        ("registered", "retailed", "registered", date(2024, 3, 20)),
        ("scrapped", "registered", "scrapped", date(2025, 6, 1)),
    ]
    assert set(Customer.objects.values_list("name", "recorded_by_id")) == {
        ("Faisal Al-Harbi", world.jac.pk),
        ("Riyadh Oilfield Services", world.jac.pk),
    }
    assert facts_check() == []
    sales = DailyFact.objects.get(measure="sales", day=date(2024, 1, 20))
    assert (sales.units, sales.revenue_scaled, sales.currency) == (2, 2 * 158_000_000, "USD")


def test_the_next_history_continues_after_vehicles_made_by_the_services(world):
    produce(world, 10)
    result = vehicles_record_history(actor=world.jac_staff, histories=[exported(world, 11)])

    assert result.vehicle_ids[0] > Vehicle.objects.get(vin=jac_vin(10)).pk
    assert produce(world, 12)[0].pk > result.vehicle_ids[0]
    assert facts_check() == []


def test_reserved_ids_are_never_handed_out_twice(world):
    first = ids_reserve(Customer, 3)
    second = ids_reserve(Customer, 2)

    assert first == list(range(first[0], first[0] + 3))
    assert second == [first[-1] + 1, first[-1] + 2]
    made = Customer.objects.create(
        kind="person", name="Next", country_id="SA", recorded_by=world.jac
    )
    assert made.pk > max(second)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            (Step(EventType.RETAILED, date(2024, 3, 1), customer=0),),
            "cannot be retailed from the state produced",
        ),
        (
            (Step(EventType.ALLOCATED, date(2024, 1, 1)),),
            "2024-01-01 is before the step before it (2024-01-10)",
        ),
        (
            (
                Step(EventType.ALLOCATED, date(2024, 1, 12)),
                Step(EventType.DELIVERED, date(2024, 1, 20), holder_id=-1),
            ),
            "No such organization: -1.",
        ),
    ],
)
def test_an_illegal_history_is_refused_naming_it_and_nothing_is_written(world, steps, message):
    good = exported(world, 20)
    bad = History(jac_vin(21), world.jac_variant.pk, date(2024, 1, 10), steps=steps)
    before = snapshot()

    with pytest.raises(ValidationFailed) as refused:
        vehicles_record_history(actor=world.jac_staff, histories=[good, bad], customers=[BUYER])

    assert message in str(refused.value.fields)
    assert snapshot() == before


def test_a_vin_already_registered_or_given_twice_is_refused(world):
    produce(world, 30)
    before = snapshot()

    with pytest.raises(ValidationFailed) as refused:
        vehicles_record_history(
            actor=world.jac_staff,
            histories=[exported(world, 30), exported(world, 31), exported(world, 31)],
        )

    assert refused.value.fields == {
        "histories.2.vin": [f"{jac_vin(31)} is given twice."],
        "vin": [f"{jac_vin(30)} is already registered."],
    }
    assert snapshot() == before


@pytest.mark.parametrize(
    ("price", "currency", "message"),
    [
        # The bulk writer once compared abs(price) with the limit: a negative price passed.
        (Decimal("-15800"), "USD", "An amount cannot be negative."),
        (Decimal(10) ** 14, "USD", "An amount must be less than 10^14."),
        (Decimal("1.23456"), "USD", "Use at most 4 decimal places."),
        (Decimal("15800"), "", "A price needs its currency."),
    ],
)
def test_a_wrong_wholesale_price_is_refused_by_the_one_money_rule(world, price, currency, message):
    allocated = Step(EventType.ALLOCATED, date(2024, 1, 12), world.jac.pk, market_id="SA")
    shipped = Step(
        EventType.SHIPPED,
        date(2024, 1, 20),
        world.jac.pk,
        country_id="CN",
        is_wholesale=True,
        price=price,
        currency=currency,
    )
    history = History(jac_vin(50), world.jac_variant.pk, date(2024, 1, 10), (allocated, shipped))
    before = snapshot()

    with pytest.raises(ValidationFailed) as refused:
        vehicles_record_history(actor=world.jac_staff, histories=[history])

    assert refused.value.fields == {"histories.0.steps.1": [f"{jac_vin(50)}: {message}"]}
    assert snapshot() == before


def test_only_the_brand_owner_brings_its_history_over(world):
    before = snapshot()

    with pytest.raises(ValidationFailed) as unseen:
        vehicles_record_history(actor=world.nezha_admin, histories=[exported(world, 40)])
    with pytest.raises(Forbidden):
        vehicles_record_history(actor=world.partner_admin, histories=[exported(world, 40)])

    assert unseen.value.fields == {
        "histories.0.variant_id": [f"No such variant: {world.jac_variant.pk}."]
    }
    assert snapshot() == before
