"""Whole vehicle histories in bulk: a maker bringing its registry over from another system.

A maker that starts on Seabridge has years of vehicles behind it: produced,
allocated, shipped, delivered, sold, registered, scrapped. Replaying each through
the services one move at a time costs far more than the rows themselves (about a
millisecond a vehicle). :func:`vehicles_record_history` takes each vehicle's whole
life at once, checks it as the services would — the VIN, the brand owner's right
to register it, every transition against :data:`~seabridge.vehicles.choices.TRANSITIONS`,
dates in order, the organisations, countries, customers and shipments it names —
and then writes the vehicles in their final state, every event, the new customers
and the analytics facts, all or nothing, with :mod:`seabridge.core.bulk`.

The facts are counted exactly as :func:`seabridge.analytics.facts.facts_from_events`
recounts them (production in the home country on the production day; sales on the
wholesale event; shipped; retail and vehicles in operation on the final retail
day, all in the vehicle's final market; a sold vehicle scrapped or exported again
leaves operation), so ``seabridge analytics_facts --check`` finds no difference.
The demo world and the scale generator write their vehicles through here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from seabridge.accounts.models import Organization
from seabridge.analytics.choices import Measure
from seabridge.analytics.facts import Deltas, facts_apply, variant_facts
from seabridge.catalog.models import Variant
from seabridge.core.bulk import DateValues, chunks, db_now, ids_reserve, rows_insert
from seabridge.core.errors import FieldErrors, Forbidden, ValidationFailed
from seabridge.core.money import amount_problem
from seabridge.core.scope import Actor, require_actor, restrict
from seabridge.markets.models import Country
from seabridge.trade.models import ExportOrder, Shipment
from seabridge.vehicles.choices import (
    IN_OPERATION_STATES,
    TRANSITIONS,
    CustomerKind,
    EventType,
    VehicleState,
)
from seabridge.vehicles.models import Customer, Plant, Vehicle, VehicleEvent
from seabridge.vehicles.services import MAX_LISTED, NewCustomer
from seabridge.vehicles.vin import CHECK_DIGIT_REQUIRED_PREFIXES, check_digit, syntax_problem

MAX_VEHICLES = 200_000
VIN_SYNTAX = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_NO_CUSTOMER = -1


class Step(NamedTuple):
    """One thing that happened to a vehicle after it came off the line."""

    type: str
    occurred_on: date
    organization_id: int | None = None  # who did it (the event's "by")
    holder_id: int | None = None  # the new holder, when it changes
    market_id: str | None = None  # the new market, when it changes (allocation abroad)
    country_id: str | None = None  # where it happened
    place: str = ""
    is_wholesale: bool = False
    price: Decimal | None = None
    currency: str = ""
    customer: int = _NO_CUSTOMER  # the sale's customer: an index into the call's customers
    shipment_id: int | None = None
    export_order_id: int | None = None
    document_ref: str = ""


class History(NamedTuple):
    """A vehicle's whole life: its production, then its steps in the order they happened."""

    vin: str
    variant_id: int
    produced_on: date
    steps: tuple[Step, ...] = ()
    plant_id: int | None = None
    line_sequence: int | None = None


class HistoryResult(NamedTuple):
    vehicle_ids: list[int]  # in the order of the histories
    events: int
    customers: int


# The columns written, in the order the rows are built below.
VEHICLE_COLUMNS = (
    "id", "created_at", "updated_at", "vin", "brand_id", "variant_id", "plant_id",
    "line_sequence", "produced_on", "state", "market_id", "holder_id", "customer_id",
    "wholesaled_on", "retailed_on",
)  # fmt: skip
EVENT_COLUMNS = (
    "vehicle_id", "type", "from_state", "to_state", "occurred_on", "recorded_at", "actor_id",
    "organization_id", "place", "country_id", "is_wholesale", "price", "currency",
    "customer_id", "export_order_id", "shipment_id", "document_ref", "note",
)  # fmt: skip
CUSTOMER_COLUMNS = (
    "id", "created_at", "updated_at", "kind", "name", "country_id", "email", "phone",
    "external_ref", "recorded_by_id",
)  # fmt: skip


class _Problems(FieldErrors):
    """Field errors, of which the first :data:`MAX_LISTED` fields are listed and the rest
    counted (a history of 200,000 vehicles may be wrong 200,000 times)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0
        self.listed = 0

    def add(self, name: str, message: str) -> None:
        self.count += 1
        if name in self.fields or len(self.fields) < MAX_LISTED:
            self.listed += 1
            super().add(name, message)

    def raise_if_any(self) -> None:
        if self.count > self.listed:
            super().add("histories", _("%(count)d problems in all.") % {"count": self.count})
        super().raise_if_any()


def _vin_problem(vin: str) -> str | None:
    if VIN_SYNTAX.fullmatch(vin) is None:
        return syntax_problem(vin) or _("This is not a VIN.")
    if vin[0] in CHECK_DIGIT_REQUIRED_PREFIXES and vin[8] != check_digit(vin):
        return _("The check digit of %(vin)s should be %(digit)s.") % {
            "vin": vin,
            "digit": check_digit(vin),
        }
    return None


def _existing(model: type[Any], ids: set[Any], column: str = "pk") -> set[Any]:
    found: set[Any] = set()
    ordered = sorted(ids)
    # As many values per query as the database takes (SQLite 3.32+: 32,766).
    size = min(connection.features.max_query_params or 30_000, 30_000)
    for chunk in chunks(ordered, size):
        found.update(
            model.objects.filter(**{f"{column}__in": chunk}).values_list(column, flat=True)
        )
    return found


class _Final(NamedTuple):
    """Where a vehicle's history leaves it."""

    state: str
    market_id: str
    holder_id: int
    customer: int
    wholesaled_on: date | None
    retailed_on: date | None


def _walk(
    index: int, history: History, home: str, owner_id: int, problems: _Problems
) -> _Final | None:
    """Follow one history through the lifecycle; None (and a problem) at the first illegal step."""
    state: str = VehicleState.PRODUCED
    market, holder, customer = home, owner_id, _NO_CUSTOMER
    wholesaled_on: date | None = None
    retailed_on: date | None = None
    last = history.produced_on
    for number, step in enumerate(history.steps):
        field = f"histories.{index}.steps.{number}"
        rule = TRANSITIONS.get(step.type)
        if rule is None or state not in rule[0]:
            problems.add(
                field,
                _("%(vin)s cannot be %(event)s from the state %(state)s.")
                % {"vin": history.vin, "event": step.type, "state": state},
            )
            return None
        if step.occurred_on < last:
            problems.add(
                field,
                _("%(vin)s: %(date)s is before the step before it (%(previous)s).")
                % {"vin": history.vin, "date": step.occurred_on, "previous": last},
            )
            return None
        if step.is_wholesale and wholesaled_on is not None:
            problems.add(field, _("%(vin)s is sold wholesale twice.") % {"vin": history.vin})
            return None
        if step.price is not None:
            problem = amount_problem(step.price)
            if problem is None and not step.currency:
                problem = _("A price needs its currency.")
            if problem is not None:
                problems.add(
                    field, _("%(vin)s: %(problem)s") % {"vin": history.vin, "problem": problem}
                )
                return None
        last = step.occurred_on
        state = rule[1]
        if step.market_id is not None:
            market = step.market_id
        if step.holder_id is not None:
            holder = step.holder_id
        if step.is_wholesale:
            wholesaled_on = step.occurred_on
        if step.type == EventType.RETAILED:
            if step.customer == _NO_CUSTOMER:
                problems.add(field, _("%(vin)s: a sale needs its customer.") % {"vin": history.vin})
                return None
            customer, retailed_on = step.customer, step.occurred_on
        elif step.type == EventType.RETAIL_CANCELLED:
            customer, retailed_on = _NO_CUSTOMER, None
    return _Final(state, market, holder, customer, wholesaled_on, retailed_on)


def _check_customers(customers: Sequence[NewCustomer], problems: _Problems) -> set[str]:
    countries: set[str] = set()
    kinds = set(CustomerKind.values)
    for index, customer in enumerate(customers):
        field = f"customers.{index}"
        if customer.kind not in kinds:
            problems.add(
                f"{field}.kind",
                _("%(value)s is not one of: %(choices)s.")
                % {"value": customer.kind, "choices": ", ".join(sorted(kinds))},
            )
        if not customer.name.strip() or len(customer.name) > 200:
            problems.add(f"{field}.name", _("Give a name of at most 200 characters."))
        if len(customer.external_ref) > 60:
            problems.add(f"{field}.external_ref", _("Use at most 60 characters."))
        countries.add(customer.country_id)
    return countries


def vehicles_record_history(
    *,
    actor: Actor | None,
    histories: Sequence[History],
    customers: Sequence[NewCustomer] = (),
) -> HistoryResult:
    """Register vehicles with their whole history, all or none.

    Only the brand owner's staff bring a brand's history over. Each vehicle starts as
    production in the brand owner's home country, held by the brand owner; each step
    must be a legal move from the state the steps before it left, on or after their
    date. ``customers`` are new customers (recorded for the actor's organisation),
    named by sales through their index. A VIN given twice or already registered,
    an unknown variant, plant, organisation, country, shipment or order is refused,
    naming where it was given.
    """
    actor = require_actor(actor)
    if not histories:
        raise ValidationFailed(fields={"histories": [_("Give at least one vehicle.")]})
    if len(histories) > MAX_VEHICLES:
        raise ValidationFailed(
            fields={
                "histories": [
                    _("Give at most %(limit)d vehicles at once.") % {"limit": MAX_VEHICLES}
                ]
            }
        )
    problems = _Problems()
    variants = {
        variant.pk: variant
        for variant in restrict(
            actor, Variant.objects.select_related("brand__owner__home_country")
        ).filter(pk__in={history.variant_id for history in histories})
    }
    if any(variant.brand.owner_id != actor.organization_id for variant in variants.values()):
        raise Forbidden(_("Only the brand owner's staff register production."))
    owner_home = {pk: variant.brand.owner.home_country_id for pk, variant in variants.items()}

    seen: set[str] = set()
    finals: list[_Final | None] = []
    countries: set[str | None] = set(_check_customers(customers, problems))
    plants: set[int] = set()
    for index, history in enumerate(histories):
        problem = _vin_problem(history.vin)
        if problem:
            problems.add(f"histories.{index}.vin", problem)
        elif history.vin in seen:
            problems.add(
                f"histories.{index}.vin", _("%(vin)s is given twice.") % {"vin": history.vin}
            )
        seen.add(history.vin)
        if history.variant_id not in variants:
            problems.add(
                f"histories.{index}.variant_id",
                _("No such variant: %(id)s.") % {"id": history.variant_id},
            )
            finals.append(None)
            continue
        if history.plant_id is not None:
            plants.add(history.plant_id)
        final = _walk(
            index, history, owner_home[history.variant_id], actor.organization_id, problems
        )
        finals.append(final)
    # What the steps name, gathered over all of them at once (set comprehensions run
    # several times faster than a test per step).
    steps = [step for history in histories for step in history.steps]
    organizations = {step.organization_id for step in steps} | {step.holder_id for step in steps}
    countries |= {step.market_id for step in steps} | {step.country_id for step in steps}
    shipments = {step.shipment_id for step in steps}
    orders = {step.export_order_id for step in steps}
    named = [step.customer for step in steps if step.customer != _NO_CUSTOMER]
    if len(set(named)) != len(named) or (
        named and not 0 <= min(named) <= max(named) < len(customers)
    ):
        problems.add(
            "customers",
            _("A sale names a customer that is not one of the new customers given, or a "
              "customer is named by two sales."),
        )  # fmt: skip
    wanted_sets: tuple[tuple[str, type[Any], set[Any], str, str], ...] = (
        ("organization", Organization, organizations, "pk", _("No such organization: %(id)s.")),
        ("country", Country, countries, "code", _("%(code)s is not a known country code.")),
        ("shipment", Shipment, shipments, "pk", _("No such shipment: %(id)s.")),
        ("export_order", ExportOrder, orders, "pk", _("No such export order: %(id)s.")),
    )
    for field, model, wanted, column, message in wanted_sets:
        wanted.discard(None)
        for missing in sorted(wanted - _existing(model, wanted, column), key=str)[:MAX_LISTED]:
            problems.add(field, message % {"id": missing, "code": missing})
    own_plants = set(
        Plant.objects.filter(pk__in=plants, owner=actor.organization_id).values_list(
            "pk", flat=True
        )
    )
    for missing in sorted(plants - own_plants):
        problems.add("plant_id", _("No such plant: %(id)s.") % {"id": missing})
    for taken in sorted(_existing(Vehicle, seen, "vin"))[:MAX_LISTED]:
        problems.add("vin", _("%(vin)s is already registered.") % {"vin": taken})
    problems.raise_if_any()

    try:
        with transaction.atomic():
            return _write(actor, histories, finals, customers, variants)
    except IntegrityError:
        # Another writer registered one of these VINs since the check above.
        raise ValidationFailed(
            fields={"histories": [_("A VIN was registered by someone else meanwhile; try again.")]}
        ) from None


def _write(
    actor: Actor,
    histories: Sequence[History],
    finals: Sequence[_Final | None],
    customers: Sequence[NewCustomer],
    variants: dict[int, Variant],
) -> HistoryResult:
    now = db_now()
    day = DateValues()
    owner_id = actor.organization_id
    user_id = actor.user.pk if actor.user is not None else None
    customer_ids = ids_reserve(Customer, len(customers))
    rows_insert(
        Customer,
        CUSTOMER_COLUMNS,
        (
            (
                pk,
                now,
                now,
                customer.kind,
                customer.name.strip(),
                customer.country_id,
                customer.email,
                customer.phone,
                customer.external_ref,
                owner_id,
            )
            for pk, customer in zip(customer_ids, customers, strict=True)
        ),
    )
    vehicle_ids = ids_reserve(Vehicle, len(histories))
    plant_names = dict(Plant.objects.filter(owner=owner_id).values_list("pk", "name"))

    def customer_id(number: int) -> int | None:
        return None if number == _NO_CUSTOMER else customer_ids[number]

    vehicle_rows = []
    for pk, history, final in zip(vehicle_ids, histories, finals, strict=True):
        assert final is not None  # refused above otherwise
        variant = variants[history.variant_id]
        vehicle_rows.append(
            (
                pk,
                now,
                now,
                history.vin,
                variant.brand_id,
                history.variant_id,
                history.plant_id,
                history.line_sequence,
                day[history.produced_on],
                final.state,
                final.market_id,
                final.holder_id,
                customer_id(final.customer),
                day[final.wholesaled_on],
                day[final.retailed_on],
            )
        )
    rows_insert(Vehicle, VEHICLE_COLUMNS, vehicle_rows)

    def events() -> Iterator[tuple[Any, ...]]:
        for pk, history in zip(vehicle_ids, histories, strict=True):
            home = variants[history.variant_id].brand.owner.home_country_id
            place = plant_names.get(history.plant_id, "") if history.plant_id else ""
            yield (
                pk, EventType.PRODUCED.value, "", VehicleState.PRODUCED.value,
                day[history.produced_on], now, user_id, owner_id, place, home, False, None, "",
                None, None, None, "", "",
            )  # fmt: skip
            state: str = VehicleState.PRODUCED
            for step in history.steps:
                to_state = TRANSITIONS[step.type][1]
                yield (
                    pk, step.type, state, to_state, day[step.occurred_on], now, user_id,
                    step.organization_id, step.place, step.country_id, step.is_wholesale,
                    step.price, step.currency, customer_id(step.customer),
                    step.export_order_id, step.shipment_id, step.document_ref, "",
                )  # fmt: skip
                state = to_state

    event_count = rows_insert(VehicleEvent, EVENT_COLUMNS, events())
    _record_facts(histories, finals)
    return HistoryResult(vehicle_ids=vehicle_ids, events=event_count, customers=len(customers))


def _record_facts(histories: Sequence[History], finals: Sequence[_Final | None]) -> None:
    """The facts of the histories, counted as the rebuild counts them (module docstring)."""
    counts: Counter[tuple[str, int, str, date, str, Decimal | None]] = Counter()
    for history, final in zip(histories, finals, strict=True):
        assert final is not None
        variant, market = history.variant_id, final.market_id
        counts[(Measure.PRODUCTION, variant, "", history.produced_on, "", None)] += 1
        if final.retailed_on is not None:
            counts[(Measure.RETAIL, variant, market, final.retailed_on, "", None)] += 1
            counts[(Measure.IN_OPERATION, variant, market, final.retailed_on, "", None)] += 1
        state: str = VehicleState.PRODUCED
        for step in history.steps:
            if step.is_wholesale:
                key = (Measure.SALES, variant, market, step.occurred_on, step.currency, step.price)
                counts[key] += 1
            if step.type == EventType.SHIPPED:
                counts[(Measure.SHIPPED, variant, market, step.occurred_on, "", None)] += 1
            elif step.type in (EventType.SCRAPPED, EventType.RE_EXPORTED) and (
                state in IN_OPERATION_STATES
            ):
                counts[(Measure.IN_OPERATION, variant, market, step.occurred_on, "", None)] -= 1
            state = TRANSITIONS[step.type][1]
    facts = variant_facts({key[1] for key in counts})
    deltas = Deltas()
    for (measure, variant_id, market, day, currency, price), units in counts.items():
        dimensions = facts[variant_id]
        deltas.add(
            Measure(measure),
            day,
            dimensions,
            market or dimensions.home_country_id,
            units,
            revenue=price if measure == Measure.SALES else None,
            currency=currency,
        )
    facts_apply(deltas)
