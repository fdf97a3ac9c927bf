"""Writes of the vehicles app: production, customers, delivery, retail, registration, scrapping.

Every state change goes through :func:`seabridge.vehicles.lifecycle.vehicles_move`
(or ``vehicles_move_each`` for bulk sales, each with its own facts), which guards
the transition, writes the event and re-checks the scope. The functions here parse
and check the facts that come with a move (dates, prices, customers, dealers) and
refuse bad input with a :class:`ValidationFailed` naming the field or VIN, before
anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind
from seabridge.accounts.models import Organization
from seabridge.catalog.models import Variant
from seabridge.core.bulk import chunks
from seabridge.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seabridge.core.money import amount_problem, currency_code
from seabridge.core.scope import Action, Actor, require, require_actor, restrict
from seabridge.core.services import audit_record
from seabridge.markets.models import Country
from seabridge.vehicles import hooks
from seabridge.vehicles.choices import CustomerKind, EventType, VehicleState
from seabridge.vehicles.lifecycle import CHUNK, Move, vehicles_move, vehicles_move_each
from seabridge.vehicles.models import Customer, Plant, Vehicle, VehicleEvent
from seabridge.vehicles.selectors import delivery_dealers
from seabridge.vehicles.vin import vin_validate

MAX_PRODUCTION_ROWS = 10_000
MAX_LISTED = 10
DEALER_KINDS = frozenset({OrganizationKind.DEALER, OrganizationKind.DISTRIBUTOR})


@dataclass(frozen=True)
class ProductionRow:
    """One vehicle off the line, as the plant reports it."""

    vin: str
    variant_id: int
    produced_on: date
    plant_id: int | None = None
    line_sequence: int | None = None


@dataclass(frozen=True)
class ProductionResult:
    """The vehicles registered, and check-digit warnings by VIN (never refusals)."""

    vehicles: list[Vehicle]
    warnings: dict[str, list[str]]


@dataclass(frozen=True)
class NewCustomer:
    """A retail customer recorded together with the sale."""

    kind: str
    name: str
    country_id: str
    email: str = ""
    phone: str = ""
    external_ref: str = ""


# --- helpers --------------------------------------------------------------------------


def _require_change(actor: Actor | None, vehicle: Vehicle) -> Actor:
    """404 for a vehicle the actor cannot see, 403 when it may only look at it."""
    if actor is None:
        raise NotFound()
    require(actor, vehicle, Action.CHANGE)
    return actor


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        shown += " " + _("and %(count)s more") % {"count": len(items) - MAX_LISTED}
    return shown


def _price(value: Decimal | None, currency: str) -> tuple[Decimal, str]:
    fields: dict[str, list[str]] = {}
    problem = amount_problem(value)
    if problem is not None:
        fields["price"] = [problem]
    try:
        code = currency_code(currency)
    except ValidationFailed as error:
        fields.update(error.fields)
        code = ""
    if fields:
        raise ValidationFailed(fields=fields)
    assert value is not None
    return value, code


def _not_before_history(vehicle_ids: Sequence[int], occurred_on: date) -> None:
    """Refuse a date before a vehicle's latest event: history is appended, never rewritten."""
    latest = (
        VehicleEvent.objects.filter(vehicle_id__in=vehicle_ids)
        .values("vehicle__vin")
        .annotate(last=Max("occurred_on"))
        .filter(last__gt=occurred_on)
        .order_by("vehicle__vin")
    )
    late = [
        _("%(vin)s has an event on %(date)s.") % {"vin": row["vehicle__vin"], "date": row["last"]}
        for row in latest[: MAX_LISTED + 1]
    ]
    if late:
        raise ValidationFailed(
            fields={
                "occurred_on": [
                    _("The date is before the vehicle's latest event: %(vins)s")
                    % {"vins": _listed(late)}
                ]
            }
        )


def too_early(vin: str, latest: date) -> str:
    """The refusal of a date before ``vin``'s latest event (on ``latest``): history is
    appended, never rewritten. Bulk services and imports say it alike."""
    return _("The date is before the vehicle's latest event: %(vins)s") % {
        "vins": _("%(vin)s has an event on %(date)s.") % {"vin": vin, "date": latest}
    }


# --- production -----------------------------------------------------------------------


def vehicles_produce(*, actor: Actor | None, rows: Sequence[ProductionRow]) -> ProductionResult:
    """Register vehicles off the line: one vehicle and one PRODUCED event per row, all or none.

    Only the brand owner's staff register production. Each vehicle's market is the
    brand owner's home country and its holder the brand owner. A VIN twice in the
    rows or already registered is refused, naming it. Runs in a fixed number of
    queries whatever the number of rows.
    """
    actor = require_actor(actor)
    if not rows:
        raise ValidationFailed(fields={"rows": [_("Give at least one vehicle.")]})
    if len(rows) > MAX_PRODUCTION_ROWS:
        raise ValidationFailed(
            fields={
                "rows": [
                    _("Give at most %(limit)d vehicles at once.") % {"limit": MAX_PRODUCTION_ROWS}
                ]
            }
        )
    fields: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    vins: list[str] = []
    seen: set[str] = set()
    for index, row in enumerate(rows):
        try:
            info = vin_validate(row.vin, field_name=f"rows.{index}.vin")
        except ValidationFailed as error:
            fields.update(error.fields)
            vins.append("")
            continue
        if info.vin in seen:
            fields.setdefault(f"rows.{index}.vin", []).append(
                _("%(vin)s is given twice.") % {"vin": info.vin}
            )
        seen.add(info.vin)
        vins.append(info.vin)
        if info.warnings:
            warnings[info.vin] = info.warnings

    variants = restrict(
        actor, Variant.objects.select_related("brand__owner__home_country")
    ).in_bulk({row.variant_id for row in rows})
    plant_ids = {row.plant_id for row in rows if row.plant_id is not None}
    plants = Plant.objects.in_bulk(plant_ids) if plant_ids else {}
    not_owner = False
    for index, row in enumerate(rows):
        variant = variants.get(row.variant_id)
        if variant is None:
            fields.setdefault(f"rows.{index}.variant_id", []).append(
                _("No such variant: %(id)s.") % {"id": row.variant_id}
            )
        elif variant.brand.owner_id != actor.organization_id:
            not_owner = True
        if row.plant_id is not None:
            plant = plants.get(row.plant_id)
            if plant is None or plant.owner_id != actor.organization_id:
                fields.setdefault(f"rows.{index}.plant_id", []).append(
                    _("No such plant: %(id)s.") % {"id": row.plant_id}
                )
        if row.line_sequence is not None and not 0 <= row.line_sequence < 2**63:
            fields.setdefault(f"rows.{index}.line_sequence", []).append(
                _("Use a whole number from 0.")
            )
    if not_owner:
        raise Forbidden(_("Only the brand owner's staff register production."))
    taken = sorted(
        Vehicle.objects.filter(vin__in=[vin for vin in vins if vin]).values_list("vin", flat=True)
    )
    for index, vin in enumerate(vins):
        if vin in taken:
            fields.setdefault(f"rows.{index}.vin", []).append(
                _("%(vin)s is already registered.") % {"vin": vin}
            )
    if fields:
        raise ValidationFailed(fields=fields)

    vehicles = []
    for row, vin in zip(rows, vins, strict=True):
        variant = variants[row.variant_id]
        owner = variant.brand.owner
        vehicles.append(
            Vehicle(
                vin=vin,
                brand=variant.brand,
                variant=variant,
                plant_id=row.plant_id,
                line_sequence=row.line_sequence,
                produced_on=row.produced_on,
                state=VehicleState.PRODUCED,
                market_id=owner.home_country_id,
                holder=owner,
            )
        )
    try:
        with transaction.atomic():
            Vehicle.objects.bulk_create(vehicles, batch_size=1000)
            VehicleEvent.objects.bulk_create(
                [
                    VehicleEvent(
                        vehicle=vehicle,
                        type=EventType.PRODUCED,
                        from_state="",
                        to_state=VehicleState.PRODUCED,
                        occurred_on=vehicle.produced_on,
                        actor=actor.user,
                        organization=actor.organization,
                        place=str(plants[vehicle.plant_id]) if vehicle.plant_id else "",
                        country_id=vehicle.market_id,
                    )
                    for vehicle in vehicles
                ],
                batch_size=1000,
            )
            hooks.produced(vehicles)  # the analytics facts
    except IntegrityError:
        # Another writer registered one of these VINs since the check above.
        raise ValidationFailed(
            fields={"rows": [_("A VIN was registered by someone else meanwhile; try again.")]}
        ) from None
    return ProductionResult(vehicles=vehicles, warnings=warnings)


# --- customers ------------------------------------------------------------------------


def customer_create(*, actor: Actor | None, customer: NewCustomer) -> Customer:
    """Record a retail customer for the actor's organisation."""
    actor = require_actor(actor)
    fields: dict[str, list[str]] = {}
    name = customer.name.strip()
    if not name:
        fields["customer.name"] = [_("This field is required.")]
    elif len(name) > 200:
        fields["customer.name"] = [_("Use at most 200 characters.")]
    if customer.kind not in CustomerKind.values:
        fields["customer.kind"] = [
            _("%(value)s is not one of: %(choices)s.")
            % {"value": customer.kind, "choices": ", ".join(CustomerKind.values)}
        ]
    country_code = (customer.country_id or "").strip().upper()
    if not Country.objects.filter(code=country_code).exists():
        fields["customer.country"] = [
            _("%(code)s is not a known country code.") % {"code": customer.country_id}
        ]
    for name_, value, limit in (
        ("email", customer.email, 254),
        ("phone", customer.phone, 40),
        ("external_ref", customer.external_ref, 60),
    ):
        if len(value) > limit:
            fields[f"customer.{name_}"] = [
                _("Use at most %(limit)d characters.") % {"limit": limit}
            ]
    if fields:
        raise ValidationFailed(fields=fields)
    created = Customer.objects.create(
        kind=customer.kind,
        name=name,
        country_id=country_code,
        email=customer.email.strip(),
        phone=customer.phone.strip(),
        external_ref=customer.external_ref.strip(),
        recorded_by=actor.organization,
    )
    audit_record(
        actor=actor.user,
        action="customer.create",
        obj=created,
        changes={"name": created.name, "country": country_code},
    )
    return created


# --- moves ----------------------------------------------------------------------------


def _delivery_dealer_ids(actor: Actor, dealers: Sequence[Organization]) -> set[int]:
    """Which of ``dealers`` the actor may deliver to: itself or its counterparties."""
    ids = {dealer.pk for dealer in dealers}
    return set(delivery_dealers(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))


def _no_agreement_with(actor: Actor, dealer: Organization) -> str:
    return _("%(organization)s has no agreement in force with %(buyer)s.") % {
        "organization": actor.organization,
        "buyer": dealer,
    }


def vehicles_deliver_to_dealer(
    *,
    actor: Actor | None,
    vehicles: Sequence[Vehicle],
    dealer: Organization,
    occurred_on: date,
    document_ref: str = "",
) -> list[Vehicle]:
    """Deliver vehicles into a dealer's stock, all or none, in one transaction.

    From ALLOCATED (a domestic delivery straight from the maker) the delivery is the
    wholesale; from ARRIVED the wholesale was the export. Any vehicle in another
    state refuses the whole delivery, naming each VIN and its state.
    """
    actor = require_actor(actor)
    if not vehicles:
        raise ValidationFailed(fields={"vins": [_("Select at least one vehicle.")]})
    if dealer.kind not in DEALER_KINDS:
        raise ValidationFailed(
            fields={"dealer_id": [_("%(name)s is not a dealer or importer.") % {"name": dealer}]}
        )
    if dealer.pk not in _delivery_dealer_ids(actor, [dealer]):
        raise ValidationFailed(fields={"dealer_id": [_no_agreement_with(actor, dealer)]})
    ids = [vehicle.pk for vehicle in vehicles]
    with transaction.atomic():
        _not_before_history(ids, occurred_on)
        states = dict(Vehicle.objects.filter(pk__in=ids).values_list("pk", "state"))
        domestic = [pk for pk in ids if states.get(pk) == VehicleState.ALLOCATED]
        others = [pk for pk in ids if states.get(pk) != VehicleState.ALLOCATED]
        moved: list[Vehicle] = []
        # Refusals of either group roll back the whole delivery.
        for group, is_wholesale in ((others, False), (domestic, True)):
            if group:
                moved += vehicles_move(
                    actor=actor,
                    vehicle_ids=group,
                    move=Move(
                        type=EventType.DELIVERED,
                        occurred_on=occurred_on,
                        holder=dealer,
                        is_wholesale=is_wholesale,
                        country_id=dealer.home_country_id,
                        document_ref=document_ref,
                    ),
                )
    order = {pk: index for index, pk in enumerate(ids)}
    return sorted(moved, key=lambda vehicle: order[vehicle.pk])


class Delivery(NamedTuple):
    """One vehicle of a bulk delivery (a wholesale import): to which dealer, when."""

    vehicle_id: int
    dealer: Organization
    occurred_on: date
    document_ref: str = ""


def vehicles_deliver_bulk(
    *, actor: Actor | None, deliveries: Sequence[Delivery], answer: bool = True
) -> list[Vehicle]:
    """Deliver vehicles into dealers' stock, each to its own dealer on its own date, all
    or none; answers the vehicles as they now are, in the order of ``deliveries``
    (nothing with ``answer=False``).

    The rules of :func:`vehicles_deliver_to_dealer`, checked for all deliveries before
    anything is written: the dealer is a dealer or importer, the date is not before
    the vehicle's history, and from ALLOCATED the delivery is the wholesale.
    """
    actor = require_actor(actor)
    if not deliveries:
        return []
    if len({delivery.vehicle_id for delivery in deliveries}) != len(deliveries):
        raise ValidationFailed(fields={"deliveries": [_("A vehicle is delivered twice.")]})
    facts = vehicle_facts([delivery.vehicle_id for delivery in deliveries])
    dealer_ids = _delivery_dealer_ids(actor, [delivery.dealer for delivery in deliveries])
    fields: dict[str, list[str]] = {}
    for index, delivery in enumerate(deliveries):
        vehicle = facts.get(delivery.vehicle_id)
        if vehicle is None:
            raise NotFound()
        if delivery.dealer.kind not in DEALER_KINDS:
            fields[f"deliveries.{index}.dealer"] = [
                _("%(name)s is not a dealer or importer.") % {"name": delivery.dealer}
            ]
        elif delivery.dealer.pk not in dealer_ids:
            fields[f"deliveries.{index}.dealer"] = [_no_agreement_with(actor, delivery.dealer)]
        ends_on = vehicle.history_ends_on
        if ends_on is not None and delivery.occurred_on < ends_on:
            fields[f"deliveries.{index}.occurred_on"] = [too_early(vehicle.vin, ends_on)]
    if fields:
        raise ValidationFailed(fields=fields)
    moved = vehicles_move_each(
        actor=actor,
        moves=[
            (
                delivery.vehicle_id,
                Move(
                    type=EventType.DELIVERED,
                    occurred_on=delivery.occurred_on,
                    holder=delivery.dealer,
                    is_wholesale=facts[delivery.vehicle_id].state == VehicleState.ALLOCATED,
                    country_id=delivery.dealer.home_country_id,
                    document_ref=delivery.document_ref,
                ),
            )
            for delivery in deliveries
        ],
        answer=answer,
    )
    if not answer:
        return []
    by_id = {vehicle.pk: vehicle for vehicle in moved}
    return [by_id[delivery.vehicle_id] for delivery in deliveries]


def vehicle_retail(
    *,
    actor: Actor | None,
    vehicle: Vehicle,
    customer: Customer | NewCustomer,
    occurred_on: date,
    price: Decimal | None,
    currency: str,
    outlet: Organization | None = None,
    document_ref: str = "",
) -> Vehicle:
    """Sell a vehicle in dealer stock to a customer, at a price, from an outlet.

    ``outlet`` defaults to the vehicle's holder; a new customer is recorded in the
    same transaction as the sale.
    """
    actor = _require_change(actor, vehicle)
    amount, code = _price(price, currency)
    with transaction.atomic():
        _not_before_history([vehicle.pk], occurred_on)
        if isinstance(customer, NewCustomer):
            customer = customer_create(actor=actor, customer=customer)
        (moved,) = vehicles_move(
            actor=actor,
            vehicle_ids=[vehicle.pk],
            move=Move(
                type=EventType.RETAILED,
                occurred_on=occurred_on,
                holder=outlet,
                price=amount,
                currency=code,
                customer=customer,
                country_id=(outlet or vehicle.holder).home_country_id,
                document_ref=document_ref,
            ),
        )
    return moved


class RetailSale(NamedTuple):
    """One sale of a bulk retail (a retail import): a vehicle, a date, a price, a customer.

    ``outlet`` defaults to the vehicle's holder. ``correction`` says that the vehicle
    is retailed already and this sale replaces the recorded one: the recorded sale is
    cancelled (a new event: history is never edited) and this one recorded.
    """

    vehicle_id: int
    occurred_on: date
    price: Decimal
    currency: str
    customer: Customer | NewCustomer
    outlet: Organization | None = None
    document_ref: str = ""
    correction: bool = False


class VehicleFacts(NamedTuple):
    """What a bulk move (a retail or delivery import) checks of a vehicle before it moves."""

    vin: str
    state: str
    holder_id: int
    holder_country_id: str
    retailed_on: date | None
    history_ends_on: date | None  # the latest event a new sale may not precede


def vehicle_facts(
    vehicle_ids: Sequence[int], *, corrections: Sequence[int] = ()
) -> dict[int, VehicleFacts]:
    """What bulk moves check of each vehicle (:class:`VehicleFacts`), a chunk of ids per query.

    A vehicle's history ends with its latest event; for a vehicle whose sale is being
    corrected, with its latest event before that sale (the sale itself is replaced).
    Unscoped: callers ask the scope which vehicles the actor may sell.
    """
    latest = VehicleEvent.objects.filter(vehicle=OuterRef("pk")).order_by("-occurred_on", "-id")
    facts: dict[int, VehicleFacts] = {}
    ids = list(dict.fromkeys(vehicle_ids))
    for chunk in chunks(ids, CHUNK):
        rows = (
            Vehicle.objects.filter(pk__in=chunk)
            .annotate(history_ends_on=Subquery(latest.values("occurred_on")[:1]))
            .values_list(
                "pk",
                "vin",
                "state",
                "holder_id",
                "holder__home_country_id",
                "retailed_on",
                "history_ends_on",
            )
        )
        for pk, *values in rows:
            facts[pk] = VehicleFacts(*values)
    corrected = [pk for pk in dict.fromkeys(corrections) if pk in facts]
    for chunk in chunks(corrected, CHUNK):
        events = VehicleEvent.objects.filter(vehicle_id__in=chunk)
        before: dict[int, list[tuple[date, int, str]]] = {}
        for vehicle_id, occurred_on, pk, type_ in events.values_list(
            "vehicle_id", "occurred_on", "id", "type"
        ):
            before.setdefault(vehicle_id, []).append((occurred_on, pk, type_))
        for vehicle_id, history in before.items():
            history.sort()
            sales = [
                index
                for index, (*_rest, type_) in enumerate(history)
                if type_ == EventType.RETAILED
            ]
            kept = history[: sales[-1]] if sales else history
            facts[vehicle_id] = facts[vehicle_id]._replace(
                history_ends_on=kept[-1][0] if kept else None
            )
    return facts


def _new_customer_problems(
    customers: Sequence[tuple[int, NewCustomer]], countries: set[str]
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    kinds = set(CustomerKind.values)
    for index, customer in customers:
        name = customer.name.strip()
        problems: list[tuple[str, str]] = []
        if not name:
            problems.append(("name", _("This field is required.")))
        elif len(name) > 200:
            problems.append(("name", _("Use at most 200 characters.")))
        if customer.kind not in kinds:
            problems.append(
                (
                    "kind",
                    _("%(value)s is not one of: %(choices)s.")
                    % {"value": customer.kind, "choices": ", ".join(CustomerKind.values)},
                )
            )
        if customer.country_id not in countries:
            problems.append(
                (
                    "country",
                    _("%(code)s is not a known country code.") % {"code": customer.country_id},
                )
            )
        for name_, value, limit in (
            ("email", customer.email, 254),
            ("phone", customer.phone, 40),
            ("external_ref", customer.external_ref, 60),
        ):
            if len(value) > limit:
                problems.append((name_, _("Use at most %(limit)d characters.") % {"limit": limit}))
        for name_, message in problems:
            fields[f"sales.{index}.customer.{name_}"] = [message]
    return fields


CUSTOMER_COLUMNS = (
    "created_at",
    "updated_at",
    "kind",
    "name",
    "country_id",
    "email",
    "phone",
    "external_ref",
    "recorded_by_id",
)


def _customers_create(customers: Sequence[NewCustomer], *, recorded_by: Organization) -> list[int]:
    """Record checked new customers in multi-row INSERTs that answer their ids.

    ``bulk_create`` builds a model instance and compiles every value through the
    field machinery, which costs more than the write for the hundred thousand
    customers of a retail import.
    """
    if not customers:
        return []
    now = timezone.now()
    rows = [
        (
            customer.kind,
            customer.name.strip(),
            customer.country_id,
            customer.email.strip(),
            customer.phone.strip(),
            customer.external_ref.strip(),
        )
        for customer in customers
    ]
    if not connection.features.can_return_rows_from_bulk_insert:
        made = Customer.objects.bulk_create(
            [
                Customer(
                    kind=kind,
                    name=name,
                    country_id=country,
                    email=email,
                    phone=phone,
                    external_ref=reference,
                    recorded_by_id=recorded_by.pk,
                )
                for kind, name, country, email, phone, reference in rows
            ],
            batch_size=1000,
        )
        return [customer.pk for customer in made]
    quote = connection.ops.quote_name
    stamp = Customer._meta.get_field("created_at").get_db_prep_save(now, connection)
    columns = ", ".join(quote(column) for column in CUSTOMER_COLUMNS)
    placeholders = "(" + ", ".join(["%s"] * len(CUSTOMER_COLUMNS)) + ")"
    size = (connection.features.max_query_params or 999) // len(CUSTOMER_COLUMNS)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for batch in chunks(rows, size):
            parameters: list[Any] = []
            for row in batch:
                parameters += (stamp, stamp, *row, recorded_by.pk)
            cursor.execute(
                f"INSERT INTO {quote(Customer._meta.db_table)} ({columns}) "  # noqa: S608 - names are ours
                f"VALUES {', '.join([placeholders] * len(batch))} RETURNING {quote('id')}",
                parameters,
            )
            answered = [pk for (pk,) in cursor.fetchall()]
            # Both databases answer the rows of a multi-row INSERT in its order (Django's
            # bulk_create relies on it too); sorting guards against an engine that does not.
            ids += sorted(answered)
    return ids


def vehicles_retail_bulk(
    *, actor: Actor | None, sales: Sequence[RetailSale], answer: bool = True
) -> list[Vehicle]:
    """Sell many vehicles in dealer stock, each with its own date, price, customer and
    outlet, all or none; answers the vehicles as they now are, in the order of ``sales``
    (nothing with ``answer=False``: an import needs no model instances).

    The same rules as :func:`vehicle_retail`, checked for all sales before anything is
    written (refusals name the sale's index and the VIN): a price with a currency, a
    date not before the vehicle's history, an outlet that is the actor's organisation
    or the vehicle's holder, new customers recorded for the actor's organisation (in
    bulk, in the same transaction). Corrections cancel the recorded sale first. The
    moves go through :func:`vehicles_move_each`, which locks the vehicles, guards the
    transitions and re-checks the scope: a vehicle the actor may not sell is not found.
    """
    actor = require_actor(actor)
    if not sales:
        return []
    if len({sale.vehicle_id for sale in sales}) != len(sales):
        raise ValidationFailed(fields={"sales": [_("A vehicle is sold twice.")]})
    fields: dict[str, list[str]] = {}
    currencies: dict[str, str | None] = {}
    for index, sale in enumerate(sales):
        problem = amount_problem(sale.price)
        if problem is not None:
            fields[f"sales.{index}.price"] = [problem]
        if sale.currency not in currencies:
            try:
                currencies[sale.currency] = currency_code(sale.currency)
            except ValidationFailed:
                currencies[sale.currency] = None
        if currencies[sale.currency] is None:
            fields[f"sales.{index}.currency"] = [
                _("%(code)s is not an ISO 4217 currency code.") % {"code": sale.currency}
            ]
    # New customers with the same reference (one buyer of several vehicles) are one.
    new_customers: list[tuple[int, NewCustomer]] = []
    customer_of_sale: dict[int, int] = {}
    by_reference: dict[str, int] = {}
    for index, sale in enumerate(sales):
        if isinstance(sale.customer, NewCustomer):
            reference = sale.customer.external_ref.strip()
            if reference and reference in by_reference:
                customer_of_sale[index] = by_reference[reference]
                continue
            customer_of_sale[index] = len(new_customers)
            if reference:
                by_reference[reference] = len(new_customers)
            new_customers.append((index, sale.customer))
    codes = {customer.country_id for _index, customer in new_customers}
    countries = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    fields.update(_new_customer_problems(new_customers, countries))
    facts = vehicle_facts(
        [sale.vehicle_id for sale in sales],
        corrections=[sale.vehicle_id for sale in sales if sale.correction],
    )
    for index, sale in enumerate(sales):
        vehicle = facts.get(sale.vehicle_id)
        if vehicle is None:
            raise NotFound()
        if sale.outlet is not None and sale.outlet.pk not in (
            actor.organization_id,
            vehicle.holder_id,
        ):
            fields[f"sales.{index}.outlet"] = [
                _("%(outlet)s does not hold %(vin)s; sell it from %(organization)s or its holder.")
                % {"outlet": sale.outlet, "vin": vehicle.vin, "organization": actor.organization}
            ]
        if vehicle.history_ends_on is not None and sale.occurred_on < vehicle.history_ends_on:
            fields[f"sales.{index}.occurred_on"] = [too_early(vehicle.vin, vehicle.history_ends_on)]
        if sale.correction and vehicle.state != VehicleState.RETAILED:
            fields[f"sales.{index}.vehicle"] = [
                _("%(vin)s is %(state)s; only a retail sale not yet registered is corrected.")
                % {"vin": vehicle.vin, "state": VehicleState(vehicle.state).label.lower()}
            ]
    if fields:
        raise ValidationFailed(fields=fields)

    with transaction.atomic():
        created = _customers_create(
            [customer for _index, customer in new_customers], recorded_by=actor.organization
        )
        customer_ids = {index: created[position] for index, position in customer_of_sale.items()}
        corrections = [
            (
                sale.vehicle_id,
                Move(
                    type=EventType.RETAIL_CANCELLED,
                    occurred_on=facts[sale.vehicle_id].retailed_on or sale.occurred_on,
                    note=_("Corrected: sold again on %(date)s.") % {"date": sale.occurred_on},
                ),
            )
            for sale in sales
            if sale.correction
        ]
        vehicles_move_each(actor=actor, moves=corrections, answer=False)
        moves = []
        for index, sale in enumerate(sales):
            customer = sale.customer if isinstance(sale.customer, Customer) else None
            vehicle = facts[sale.vehicle_id]
            moves.append(
                (
                    sale.vehicle_id,
                    Move(
                        type=EventType.RETAILED,
                        occurred_on=sale.occurred_on,
                        holder=sale.outlet,
                        price=sale.price,
                        currency=currencies[sale.currency] or "",
                        customer=customer,
                        customer_id=customer_ids.get(index),
                        country_id=sale.outlet.home_country_id
                        if sale.outlet is not None
                        else vehicle.holder_country_id,
                        document_ref=sale.document_ref,
                    ),
                )
            )
        moved = vehicles_move_each(actor=actor, moves=moves, answer=answer)
    if not answer:
        return []
    by_id = {vehicle.pk: vehicle for vehicle in moved}
    return [by_id[sale.vehicle_id] for sale in sales]


def _move_one(*, actor: Actor | None, vehicle: Vehicle, move: Move) -> Vehicle:
    actor = _require_change(actor, vehicle)
    with transaction.atomic():
        _not_before_history([vehicle.pk], move.occurred_on)
        (moved,) = vehicles_move(actor=actor, vehicle_ids=[vehicle.pk], move=move)
    return moved


def vehicle_retail_cancel(
    *, actor: Actor | None, vehicle: Vehicle, occurred_on: date, note: str = ""
) -> Vehicle:
    """Cancel a retail sale: a new event back to dealer stock; the sale stays in history."""
    move = Move(type=EventType.RETAIL_CANCELLED, occurred_on=occurred_on, note=note)
    return _move_one(actor=actor, vehicle=vehicle, move=move)


def vehicle_register(
    *,
    actor: Actor | None,
    vehicle: Vehicle,
    occurred_on: date,
    document_ref: str = "",
    place: str = "",
) -> Vehicle:
    """Record the registration of a retailed vehicle (``document_ref``: plate or certificate)."""
    move = Move(
        type=EventType.REGISTERED,
        occurred_on=occurred_on,
        document_ref=document_ref,
        place=place,
        country_id=vehicle.market_id,
    )
    return _move_one(actor=actor, vehicle=vehicle, move=move)


def vehicle_scrap(
    *, actor: Actor | None, vehicle: Vehicle, occurred_on: date, note: str = ""
) -> Vehicle:
    """Take a vehicle out of the registry's active life; its history stays."""
    move = Move(type=EventType.SCRAPPED, occurred_on=occurred_on, note=note)
    return _move_one(actor=actor, vehicle=vehicle, move=move)


def vehicle_remove(*, actor: Actor | None, vehicle: Vehicle) -> None:
    """Remove a vehicle registered in error: only while it has done nothing but come off
    the line, and only by the brand owner's staff. It no longer counts as produced."""
    actor = require_actor(actor)
    with transaction.atomic():
        require(actor, vehicle, Action.DELETE)
        vehicle = Vehicle.objects.select_for_update().select_related("variant").get(pk=vehicle.pk)
        if vehicle.brand.owner_id != actor.organization_id:
            raise Forbidden(_("Only the brand owner's staff remove a vehicle registered in error."))
        if (
            vehicle.state != VehicleState.PRODUCED
            or vehicle.events.exclude(type=EventType.PRODUCED).exists()
        ):
            raise Conflict(
                _("%(vin)s has a history beyond production; record a correction instead.")
                % {"vin": vehicle.vin}
            )
        hooks.removed([vehicle])  # the analytics facts
        audit_record(
            actor=actor.user,
            action="vehicle.remove",
            obj=vehicle,
            changes={"vin": vehicle.vin, "produced_on": vehicle.produced_on},
        )
        vehicle.events.all().delete()
        vehicle.delete()
