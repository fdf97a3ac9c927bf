"""Writes of trade: export orders and their lines, VIN allocation, shipments, exchange rates.

Vehicle states change only through :func:`seabridge.vehicles.lifecycle.vehicles_move`;
these services decide *which* vehicles move and record the trade side (allocations,
shipment membership) in the same transaction, so a refusal anywhere writes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.models import Organization
from seabridge.agreements.selectors import counterparties_visible
from seabridge.catalog.models import Brand, Variant
from seabridge.core.errors import Conflict, FieldErrors, NotFound, ValidationFailed
from seabridge.core.money import amount_problem, currency_code
from seabridge.core.scope import (
    Action,
    Actor,
    may_create,
    require,
    require_actor,
    require_steward,
    restrict,
)
from seabridge.core.services import audit_record, field_changes
from seabridge.markets.models import Country
from seabridge.trade.choices import (
    ANSWERABLE_STATUSES,
    ORDER_TRANSITIONS,
    BuyerResponse,
    Incoterm,
    OrderStatus,
    PaymentTerms,
    ShipmentMode,
    ShipmentStatus,
)
from seabridge.trade.models import (
    Allocation,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)
from seabridge.vehicles import hooks as vehicle_hooks
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.models import Vehicle

UNLOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
# Orders whose VINs may be allocated and shipped.
ORDER_OPEN_FOR_ALLOCATION = frozenset({OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION})
ORDER_OPEN_FOR_SHIPPING = frozenset(
    {OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED}
)
# Confirming and cancelling an order commit the business: a manager approves them.
APPROVAL_TRANSITIONS = frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED})


@dataclass(frozen=True)
class LineInput:
    """One order line as people enter it."""

    variant_id: int
    quantity: int
    unit_price: Decimal


# --- export orders --------------------------------------------------------------------------


def check_terms(
    errors: FieldErrors,
    *,
    incoterm: str,
    payment_terms: str,
    lc_number: str,
    lc_expires_on: date | None,
) -> None:
    """An order's terms: an Incoterms 2020 rule, a payment term, and a letter of credit
    with its number and its expiry date (the pages, the API and the imports alike)."""
    if incoterm not in Incoterm.values:
        errors.add("incoterm", _("%(value)s is not an Incoterms 2020 rule.") % {"value": incoterm})
    if payment_terms not in PaymentTerms.values:
        errors.add(
            "payment_terms", _("%(value)s is not a payment term.") % {"value": payment_terms}
        )
    if payment_terms == PaymentTerms.LC:
        if not lc_number.strip():
            errors.add("lc_number", _("A letter of credit needs its number."))
        if lc_expires_on is None:
            errors.add("lc_expires_on", _("A letter of credit needs its expiry date."))


def _check_currency(errors: FieldErrors, value: str, name: str = "currency") -> str:
    try:
        return currency_code(value, field=name)
    except ValidationFailed as error:
        for message in error.fields.get(name, []):
            errors.add(name, message)
        return value


def _check_lines(
    errors: FieldErrors, brand: Brand, lines: Sequence[LineInput]
) -> dict[int, Variant]:
    if not lines:
        errors.add("lines", _("An order needs at least one line."))
        return {}
    variants = Variant.objects.in_bulk({line.variant_id for line in lines})
    seen: set[int] = set()
    for number, line in enumerate(lines, start=1):
        variant = variants.get(line.variant_id)
        if variant is None or variant.brand_id != brand.pk:
            errors.add(
                f"lines.{number}.variant",
                _("Line %(number)s: variant %(id)s is not a variant of %(brand)s.")
                % {"number": number, "id": line.variant_id, "brand": brand.name},
            )
        elif line.variant_id in seen:
            errors.add(
                f"lines.{number}.variant",
                _("Line %(number)s: %(variant)s is already on another line.")
                % {"number": number, "variant": variant.code},
            )
        seen.add(line.variant_id)
        if line.quantity <= 0:
            errors.add(
                f"lines.{number}.quantity",
                _("Line %(number)s: the quantity must be more than 0.") % {"number": number},
            )
        problem = amount_problem(line.unit_price)
        if problem is not None:
            errors.add(
                f"lines.{number}.unit_price",
                _("Line %(number)s: %(problem)s") % {"number": number, "problem": problem},
            )
    return variants


def _write_lines(order: ExportOrder, lines: Sequence[LineInput]) -> None:
    ExportOrderLine.objects.bulk_create(
        ExportOrderLine(
            order=order,
            variant_id=line.variant_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in lines
    )


def _lines_audit(lines: Sequence[LineInput]) -> list[str]:
    return [f"{line.variant_id}×{line.quantity}@{line.unit_price}" for line in lines]


@transaction.atomic
def export_order_create(
    *,
    actor: Actor | None,
    number: str,
    brand: Brand,
    buyer: Organization,
    destination: str,
    incoterm: str,
    currency: str,
    payment_terms: str,
    lines: Sequence[LineInput],
    named_place: str = "",
    lc_number: str = "",
    lc_expires_on: date | None = None,
    requested_on: date | None = None,
    notes: str = "",
) -> ExportOrder:
    """Draft an order sold by the actor's organisation: the brand's owner, or a granted partner."""
    actor = require_actor(actor)
    errors = FieldErrors()
    number = number.strip()
    if not number:
        errors.add("number", _("Give the order a number."))
    elif ExportOrder.objects.filter(number=number).exists():
        errors.add("number", _("Order number %(number)s is taken.") % {"number": number})
    destination = destination.strip().upper()
    country = Country.objects.filter(code=destination).first()
    if country is None:
        errors.add(
            "destination",
            _("%(code)s is not an ISO 3166 country code.") % {"code": destination},
        )
    elif not may_create(
        actor, ExportOrder, brand_id=brand.pk, owner_id=brand.owner_id, market=destination
    ):
        errors.add(
            "brand",
            _("%(organization)s may not sell %(brand)s in %(country)s.")
            % {"organization": actor.organization, "brand": brand.name, "country": destination},
        )
    if buyer.pk == actor.organization_id:
        errors.add("buyer", _("An organisation cannot buy from itself."))
    elif not counterparties_visible(actor).filter(pk=buyer.pk).exists():
        errors.add(
            "buyer",
            _("%(organization)s has no agreement in force with %(buyer)s.")
            % {"organization": actor.organization, "buyer": buyer},
        )
    currency = _check_currency(errors, currency)
    check_terms(
        errors,
        incoterm=incoterm,
        payment_terms=payment_terms,
        lc_number=lc_number,
        lc_expires_on=lc_expires_on,
    )
    _check_lines(errors, brand, lines)
    errors.raise_if_any()
    assert country is not None
    try:
        with transaction.atomic():
            order = ExportOrder.objects.create(
                number=number,
                brand=brand,
                seller=actor.organization,
                buyer=buyer,
                destination=country,
                incoterm=incoterm,
                named_place=named_place.strip(),
                currency=currency,
                payment_terms=payment_terms,
                lc_number=lc_number.strip() if payment_terms == PaymentTerms.LC else "",
                lc_expires_on=lc_expires_on if payment_terms == PaymentTerms.LC else None,
                requested_on=requested_on,
                notes=notes,
            )
    except IntegrityError:
        raise ValidationFailed(
            fields={"number": [_("Order number %(number)s is taken.") % {"number": number}]}
        ) from None
    _write_lines(order, lines)
    audit_record(
        actor=actor.user,
        action="export_order.create",
        obj=order,
        changes={
            "brand": brand.pk,
            "buyer": buyer.pk,
            "destination": destination,
            "currency": currency,
            "incoterm": incoterm,
            "lines": _lines_audit(lines),
        },
    )
    require(actor, order, Action.CHANGE)
    return order


ORDER_EDITABLE = (
    "incoterm",
    "named_place",
    "currency",
    "payment_terms",
    "lc_number",
    "lc_expires_on",
    "requested_on",
    "notes",
)


def _lock_order(order: ExportOrder) -> ExportOrder:
    return (
        ExportOrder.objects.select_for_update(of=("self",))
        .select_related("brand", "buyer", "destination")
        .get(pk=order.pk)
    )


@transaction.atomic
def export_order_update(
    *,
    actor: Actor | None,
    order: ExportOrder,
    changes: dict[str, Any],
    lines: Sequence[LineInput] | None = None,
) -> ExportOrder:
    """Change a draft's terms and, when ``lines`` is given, replace its lines."""
    actor = require_actor(actor)
    require(actor, order, Action.CHANGE)
    order = _lock_order(order)
    if order.status != OrderStatus.DRAFT:
        raise Conflict(
            _("Only a draft order can be edited; %(number)s is %(status)s.")
            % {"number": order.number, "status": OrderStatus(order.status).label.lower()}
        )
    unknown = set(changes) - set(ORDER_EDITABLE)
    if unknown:
        raise ValidationFailed(
            fields={name: [_("This field cannot be changed.")] for name in sorted(unknown)}
        )
    before = {name: getattr(order, name) for name in ORDER_EDITABLE}
    errors = FieldErrors()
    for name, value in changes.items():
        if name in ("named_place", "lc_number", "notes") and value is None:
            value = ""
        setattr(order, name, value.strip() if isinstance(value, str) else value)
    if "currency" in changes:
        order.currency = _check_currency(errors, changes["currency"] or "")
    check_terms(
        errors,
        incoterm=order.incoterm,
        payment_terms=order.payment_terms,
        lc_number=order.lc_number,
        lc_expires_on=order.lc_expires_on,
    )
    if lines is not None:
        _check_lines(errors, order.brand, lines)
    errors.raise_if_any()
    if order.payment_terms != PaymentTerms.LC:
        order.lc_number, order.lc_expires_on = "", None
    order.save()
    audit_changes: dict[str, Any] = field_changes(
        before, {name: getattr(order, name) for name in ORDER_EDITABLE}
    )
    if lines is not None:
        order.lines.all().delete()
        _write_lines(order, lines)
        audit_changes["lines"] = _lines_audit(lines)
    audit_record(actor=actor.user, action="export_order.update", obj=order, changes=audit_changes)
    require(actor, order, Action.CHANGE)
    return order


@transaction.atomic
def export_order_transition(
    *, actor: Actor | None, order: ExportOrder, to: str, on: date | None = None
) -> ExportOrder:
    """Move an order along draft → confirmed → … → closed (or cancelled), refusing the rest."""
    actor = require_actor(actor)
    action = Action.APPROVE if to in APPROVAL_TRANSITIONS else Action.CHANGE
    require(actor, order, action)
    order = _lock_order(order)
    if to not in OrderStatus.values:
        raise ValidationFailed(fields={"status": [_("%(value)s is not a status.") % {"value": to}]})
    if to not in ORDER_TRANSITIONS[order.status]:
        raise Conflict(
            _("Order %(number)s is %(status)s and cannot become %(target)s.")
            % {
                "number": order.number,
                "status": OrderStatus(order.status).label.lower(),
                "target": OrderStatus(to).label.lower(),
            }
        )
    if to == OrderStatus.CANCELLED and order.lines.filter(allocations__isnull=False).exists():
        raise Conflict(
            _("Order %(number)s still has allocated vehicles; withdraw them first.")
            % {"number": order.number}
        )
    before = order.status
    order.status = to
    fields = ["status", "updated_at"]
    if to == OrderStatus.CONFIRMED:
        order.confirmed_on = on or timezone.localdate()
        fields.append("confirmed_on")
    order.save(update_fields=fields)
    audit_record(
        actor=actor.user,
        action="export_order.transition",
        obj=order,
        changes={"status": [before, to]},
    )
    if to == OrderStatus.CONFIRMED:
        vehicle_hooks.sales_changed([order.brand_id])  # plan milestones
    return order


@transaction.atomic
def export_order_respond(
    *,
    actor: Actor | None,
    order: ExportOrder,
    accept: bool,
    reason: str = "",
    on: date | None = None,
) -> ExportOrder:
    """The buyer accepts or disputes an order its seller confirmed (a manager's decision).

    A dispute names its reason; a disputed order may be accepted later, once the
    parties agree; an accepted one stays accepted. Nothing else of the order changes.
    """
    actor = require_actor(actor)
    require(actor, order, Action.RESPOND)
    order = _lock_order(order)
    if order.status not in ANSWERABLE_STATUSES:
        raise Conflict(
            _("Order %(number)s is %(status)s; a buyer answers a confirmed order.")
            % {"number": order.number, "status": OrderStatus(order.status).label.lower()}
        )
    if order.buyer_response == BuyerResponse.ACCEPTED:
        raise Conflict(_("Order %(number)s is already accepted.") % {"number": order.number})
    reason = reason.strip()
    if not accept and not reason:
        raise ValidationFailed(fields={"reason": [_("Say what the dispute is about.")]})
    before = order.buyer_response
    order.buyer_response = BuyerResponse.ACCEPTED if accept else BuyerResponse.DISPUTED
    order.buyer_responded_on = on or timezone.localdate()
    order.dispute_reason = "" if accept else reason
    order.save(
        update_fields=["buyer_response", "buyer_responded_on", "dispute_reason", "updated_at"]
    )
    audit_record(
        actor=actor.user,
        action="export_order.respond",
        obj=order,
        changes={"buyer_response": [before, order.buyer_response], "reason": reason},
    )
    return order


# --- allocation ----------------------------------------------------------------------------


def _locked_vehicles(actor: Actor, vehicle_ids: Sequence[int]) -> list[Vehicle]:
    ids = sorted(set(vehicle_ids))
    if not ids:
        raise ValidationFailed(fields={"vins": [_("Give at least one VIN.")]})
    # The scope check is its own query: PostgreSQL refuses FOR UPDATE with DISTINCT.
    if restrict(actor, Vehicle.objects.filter(pk__in=ids), Action.CHANGE).count() != len(ids):
        raise NotFound()
    return list(Vehicle.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk"))


@transaction.atomic
def vehicles_allocate(
    *,
    actor: Actor | None,
    line: ExportOrderLine,
    vehicle_ids: Sequence[int],
    allocated_on: date | None = None,
) -> list[Allocation]:
    """Allocate produced vehicles of the line's variant to it, all or none.

    The order row is locked first, then the vehicles (in id order), so that two
    allocations of one VIN to two orders queue on the vehicle's lock and the second
    finds the first one's allocation; the one-to-one allocation column is the last
    guard.
    """
    actor = require_actor(actor)
    require(actor, line.order, Action.CHANGE)
    order = _lock_order(line.order)
    line = ExportOrderLine.objects.select_related("variant").get(pk=line.pk)
    if order.status not in ORDER_OPEN_FOR_ALLOCATION:
        raise Conflict(
            _("Order %(number)s is %(status)s; vehicles are allocated to confirmed orders.")
            % {"number": order.number, "status": OrderStatus(order.status).label.lower()}
        )
    vehicles = _locked_vehicles(actor, vehicle_ids)
    allocated = {
        allocation.vehicle_id: allocation
        for allocation in Allocation.objects.filter(vehicle__in=vehicles).select_related(
            "line__order"
        )
    }
    already = [
        _("%(vin)s is already allocated to order %(order)s.")
        % {"vin": vehicle.vin, "order": allocated[vehicle.pk].line.order.number}
        for vehicle in vehicles
        if vehicle.pk in allocated
    ]
    if already:
        raise Conflict("; ".join(already), fields={"vins": already})
    errors = FieldErrors()
    for vehicle in vehicles:
        if vehicle.variant_id != line.variant_id:
            errors.add(
                "vins",
                _("%(vin)s is not a %(variant)s.") % {"vin": vehicle.vin, "variant": line.variant},
            )
    taken = line.allocations.count()
    if taken + len(vehicles) > line.quantity:
        errors.add(
            "vins",
            _(
                "The line takes %(quantity)s vehicles; %(taken)s are allocated, "
                "%(more)s more is too many."
            )
            % {"quantity": line.quantity, "taken": taken, "more": len(vehicles)},
        )
    errors.raise_if_any()
    on = allocated_on or timezone.localdate()
    allocations = [Allocation(line=line, vehicle=vehicle, allocated_on=on) for vehicle in vehicles]
    try:
        with transaction.atomic():
            Allocation.objects.bulk_create(allocations)
    except IntegrityError:
        raise Conflict(_("One of these vehicles was allocated meanwhile; try again.")) from None
    vehicles_move(
        actor=actor,
        vehicle_ids=[vehicle.pk for vehicle in vehicles],
        move=Move(
            type=EventType.ALLOCATED,
            occurred_on=on,
            market_id=order.destination_id,
            export_order_id=order.pk,
            document_ref=order.number,
        ),
    )
    audit_record(
        actor=actor.user,
        action="export_order.allocate",
        obj=order,
        changes={"line": line.pk, "vins": [vehicle.vin for vehicle in vehicles]},
    )
    return allocations


@transaction.atomic
def vehicles_deallocate(
    *,
    actor: Actor | None,
    line: ExportOrderLine,
    vehicle_ids: Sequence[int],
    on: date | None = None,
) -> int:
    """Withdraw allocated (not yet shipped) vehicles from a line; they return to the maker."""
    actor = require_actor(actor)
    require(actor, line.order, Action.CHANGE)
    order = _lock_order(line.order)
    vehicles = _locked_vehicles(actor, vehicle_ids)
    on_line = set(
        Allocation.objects.filter(line=line, vehicle__in=vehicles).values_list(
            "vehicle_id", flat=True
        )
    )
    errors = FieldErrors()
    for vehicle in vehicles:
        if vehicle.pk not in on_line:
            errors.add("vins", _("%(vin)s is not allocated to this line.") % {"vin": vehicle.vin})
    errors.raise_if_any()
    ids = [vehicle.pk for vehicle in vehicles]
    home = order.brand.owner.home_country_id
    vehicles_move(
        actor=actor,
        vehicle_ids=ids,
        move=Move(
            type=EventType.DEALLOCATED,
            occurred_on=on or timezone.localdate(),
            market_id=home,
            export_order_id=order.pk,
            document_ref=order.number,
        ),
    )
    ShipmentVehicle.objects.filter(
        vehicle_id__in=ids, shipment__status=ShipmentStatus.PLANNED
    ).delete()
    Allocation.objects.filter(vehicle_id__in=ids).delete()
    audit_record(
        actor=actor.user,
        action="export_order.deallocate",
        obj=order,
        changes={"line": line.pk, "vins": [vehicle.vin for vehicle in vehicles]},
    )
    return len(ids)


# --- shipments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShipmentInput:
    """A shipment as people enter it (costs in ``cost_currency``)."""

    number: str
    mode: str
    port_of_loading: str
    port_of_discharge: str
    carrier: str = ""
    vessel: str = ""
    voyage: str = ""
    bill_of_lading: str = ""
    etd: date | None = None
    eta: date | None = None
    freight: Decimal | None = None
    insurance: Decimal | None = None
    other_costs: Decimal | None = None
    cost_currency: str = ""


@transaction.atomic
def shipment_create(
    *, actor: Actor | None, orders: Sequence[ExportOrder], data: ShipmentInput
) -> Shipment:
    """Plan a shipment for confirmed orders of one brand to one destination."""
    actor = require_actor(actor)
    errors = FieldErrors()
    if not orders:
        raise ValidationFailed(fields={"orders": [_("Choose at least one order.")]})
    first = orders[0]
    for order in orders:
        require(actor, order, Action.CHANGE)
        if order.brand_id != first.brand_id or order.destination_id != first.destination_id:
            errors.add("orders", _("All orders of a shipment share one brand and one destination."))
            break
    for order in orders:
        if order.status not in ORDER_OPEN_FOR_SHIPPING:
            errors.add(
                "orders",
                _("Order %(number)s is %(status)s.")
                % {"number": order.number, "status": OrderStatus(order.status).label.lower()},
            )
    number = data.number.strip()
    if not number:
        errors.add("number", _("Give the shipment a number."))
    elif Shipment.objects.filter(number=number).exists():
        errors.add("number", _("Shipment number %(number)s is taken.") % {"number": number})
    if data.mode not in ShipmentMode.values:
        errors.add("mode", _("%(value)s is not a shipment mode.") % {"value": data.mode})
    ports = {}
    for name in ("port_of_loading", "port_of_discharge"):
        value = getattr(data, name).strip().upper().replace(" ", "")
        ports[name] = value
        if not UNLOCODE.match(value):
            errors.add(name, _("%(value)s is not a UN/LOCODE (e.g. CNSHA).") % {"value": value})
    if data.etd and data.eta and data.eta < data.etd:
        errors.add("eta", _("The ETA is before the ETD."))
    costs = {"freight": data.freight, "insurance": data.insurance, "other_costs": data.other_costs}
    for name, cost in costs.items():
        problem = None if cost is None else amount_problem(cost)
        if problem is not None:
            errors.add(name, problem)
    cost_currency = ""
    if any(amount is not None for amount in costs.values()) or data.cost_currency:
        cost_currency = _check_currency(errors, data.cost_currency, "cost_currency")
    errors.raise_if_any()
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                number=number,
                brand_id=first.brand_id,
                destination_id=first.destination_id,
                mode=data.mode,
                carrier=data.carrier.strip(),
                vessel=data.vessel.strip(),
                voyage=data.voyage.strip(),
                bill_of_lading=data.bill_of_lading.strip(),
                etd=data.etd,
                eta=data.eta,
                cost_currency=cost_currency,
                **ports,
                **costs,
            )
    except IntegrityError:
        raise ValidationFailed(
            fields={"number": [_("Shipment number %(number)s is taken.") % {"number": number}]}
        ) from None
    shipment.orders.set(orders)
    audit_record(
        actor=actor.user,
        action="shipment.create",
        obj=shipment,
        changes={"orders": [order.number for order in orders], **ports, "mode": data.mode},
    )
    require(actor, shipment, Action.CHANGE)
    return shipment


def _lock_shipment(shipment: Shipment) -> Shipment:
    return Shipment.objects.select_for_update(of=("self",)).get(pk=shipment.pk)


def _require_status(shipment: Shipment, status: str) -> None:
    if shipment.status != status:
        raise Conflict(
            _("Shipment %(number)s is %(status)s.")
            % {
                "number": shipment.number,
                "status": ShipmentStatus(shipment.status).label.lower(),
            }
        )


@transaction.atomic
def shipment_add_vehicles(
    *, actor: Actor | None, shipment: Shipment, vehicle_ids: Sequence[int]
) -> int:
    """Put vehicles allocated to the shipment's orders on a planned shipment."""
    actor = require_actor(actor)
    require(actor, shipment, Action.CHANGE)
    shipment = _lock_shipment(shipment)
    _require_status(shipment, ShipmentStatus.PLANNED)
    vehicles = _locked_vehicles(actor, vehicle_ids)
    order_ids = set(shipment.orders.values_list("pk", flat=True))
    allocated_to = dict(
        Allocation.objects.filter(vehicle__in=vehicles).values_list("vehicle_id", "line__order_id")
    )
    elsewhere = dict(
        ShipmentVehicle.objects.filter(
            vehicle__in=vehicles,
            shipment__status=ShipmentStatus.PLANNED,
        ).values_list("vehicle_id", "shipment__number")
    )
    errors = FieldErrors()
    for vehicle in vehicles:
        if allocated_to.get(vehicle.pk) not in order_ids:
            errors.add(
                "vins",
                _("%(vin)s is not allocated to an order of this shipment.") % {"vin": vehicle.vin},
            )
        elif vehicle.pk in elsewhere:
            errors.add(
                "vins",
                _("%(vin)s is already on shipment %(number)s.")
                % {"vin": vehicle.vin, "number": elsewhere[vehicle.pk]},
            )
    errors.raise_if_any()
    ShipmentVehicle.objects.bulk_create(
        ShipmentVehicle(shipment=shipment, vehicle=vehicle) for vehicle in vehicles
    )
    audit_record(
        actor=actor.user,
        action="shipment.add_vehicles",
        obj=shipment,
        changes={"vins": [vehicle.vin for vehicle in vehicles]},
    )
    return len(vehicles)


def _vehicles_by_order(shipment: Shipment) -> dict[int, list[int]]:
    rows = Allocation.objects.filter(
        vehicle_id__in=ShipmentVehicle.objects.filter(shipment=shipment).values("vehicle_id")
    ).values_list("line__order_id", "vehicle_id")
    grouped: dict[int, list[int]] = defaultdict(list)
    for order_id, vehicle_id in rows:
        grouped[order_id].append(vehicle_id)
    return dict(grouped)


def _country_of_port(port: str) -> str | None:
    return port[:2] if Country.objects.filter(code=port[:2]).exists() else None


@transaction.atomic
def shipment_depart(*, actor: Actor | None, shipment: Shipment, departed_on: date) -> Shipment:
    """Ship every VIN on the shipment (each an export wholesale), all in one transaction."""
    actor = require_actor(actor)
    require(actor, shipment, Action.CHANGE)
    shipment = _lock_shipment(shipment)
    _require_status(shipment, ShipmentStatus.PLANNED)
    grouped = _vehicles_by_order(shipment)
    if not grouped:
        raise Conflict(_("Shipment %(number)s has no vehicles.") % {"number": shipment.number})
    country = _country_of_port(shipment.port_of_loading)
    # Each order line's vehicles leave at the line's price: the wholesale revenue.
    by_line: dict[tuple[int, Decimal, str], list[int]] = defaultdict(list)
    for order_id, price, currency, vehicle_id in Allocation.objects.filter(
        vehicle_id__in=[pk for ids in grouped.values() for pk in ids]
    ).values_list("line__order_id", "line__unit_price", "line__order__currency", "vehicle_id"):
        by_line[(order_id, price, currency)].append(vehicle_id)
    for (order_id, price, currency), vehicle_ids in sorted(by_line.items()):
        vehicles_move(
            actor=actor,
            vehicle_ids=vehicle_ids,
            move=Move(
                type=EventType.SHIPPED,
                occurred_on=departed_on,
                place=shipment.port_of_loading,
                country_id=country,
                is_wholesale=True,
                price=price,
                currency=currency,
                export_order_id=order_id,
                shipment_id=shipment.pk,
                document_ref=shipment.bill_of_lading,
            ),
        )
    shipment.status = ShipmentStatus.DEPARTED
    shipment.departed_on = departed_on
    shipment.save(update_fields=["status", "departed_on", "updated_at"])
    audit_record(
        actor=actor.user,
        action="shipment.depart",
        obj=shipment,
        changes={"departed_on": departed_on, "vehicles": sum(map(len, grouped.values()))},
    )
    return shipment


@transaction.atomic
def shipment_arrive(*, actor: Actor | None, shipment: Shipment, arrived_on: date) -> Shipment:
    """Every VIN arrives at the port of discharge and passes to its order's buyer."""
    actor = require_actor(actor)
    require(actor, shipment, Action.CHANGE)
    shipment = _lock_shipment(shipment)
    _require_status(shipment, ShipmentStatus.DEPARTED)
    if shipment.departed_on and arrived_on < shipment.departed_on:
        raise ValidationFailed(
            fields={"arrived_on": [_("The shipment cannot arrive before it departed.")]}
        )
    grouped = _vehicles_by_order(shipment)
    buyers = dict(ExportOrder.objects.filter(pk__in=grouped).values_list("pk", "buyer_id"))
    organizations = Organization.objects.in_bulk(set(buyers.values()))
    for order_id, vehicle_ids in sorted(grouped.items()):
        vehicles_move(
            actor=actor,
            vehicle_ids=vehicle_ids,
            move=Move(
                type=EventType.ARRIVED,
                occurred_on=arrived_on,
                place=shipment.port_of_discharge,
                country_id=shipment.destination_id,
                holder=organizations[buyers[order_id]],
                export_order_id=order_id,
                shipment_id=shipment.pk,
                document_ref=shipment.bill_of_lading,
            ),
        )
    shipment.status = ShipmentStatus.ARRIVED
    shipment.arrived_on = arrived_on
    shipment.save(update_fields=["status", "arrived_on", "updated_at"])
    audit_record(
        actor=actor.user, action="shipment.arrive", obj=shipment, changes={"arrived_on": arrived_on}
    )
    return shipment


# --- exchange rates ------------------------------------------------------------------------

# A rate more than this many times the previous rate of its currency, or less than its
# inverse, is refused unless the steward confirms it. A currency rarely moves threefold
# between two recorded rates (the naira, floated in 2023, lost two thirds of its value
# over eight months, not from one month to the next); the mistakes this catches move
# far more: a decimal point in the wrong place (10×), a rate keyed the wrong way round
# (USD per CNY instead of CNY per USD, about 50×).
EXCHANGE_RATE_BAND = Decimal(3)
RATE_QUANTUM = Decimal("0.00000001")  # the column keeps 8 decimal places
RATE_LIMIT = Decimal(10) ** 10  # … and 10 digits before the point


def exchange_rate_problem(value: Decimal) -> str | None:
    """Why ``value`` cannot be a rate (CNY per unit), or None when it can."""
    if not value.is_finite() or value <= 0:
        return _("A rate must be more than 0.")
    if value >= RATE_LIMIT:
        return _("A rate must be less than 10,000,000,000.")
    if value != value.quantize(RATE_QUANTUM):
        return _("Use at most 8 decimal places.")
    return None


def _shown_rate(value: Decimal) -> str:
    """A rate as people write it: ``7.1``, not ``7.10000000``."""
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class PreviousRate:
    """The rate a new one is compared with: the latest of its currency dated before it,
    or, for a currency's earliest date, the first one after it."""

    on: date
    cny_per_unit: Decimal


def exchange_rate_previous(currency: str, on: date) -> PreviousRate | None:
    """The rate of ``currency`` that a rate dated ``on`` is compared with (see
    :class:`PreviousRate`); None for a currency's first rate."""
    rates = ExchangeRate.objects.filter(currency=currency)
    nearest = (
        rates.filter(on__lt=on).order_by("-on").first()
        or rates.filter(on__gt=on).order_by("on").first()
    )
    return None if nearest is None else PreviousRate(nearest.on, nearest.cny_per_unit)


def exchange_rate_band_problem(
    *, currency: str, cny_per_unit: Decimal, previous: PreviousRate | None
) -> str | None:
    """Why ``cny_per_unit`` looks wrong beside ``previous`` (outside
    :data:`EXCHANGE_RATE_BAND`), naming both rates; None when it is inside."""
    if previous is None:
        return None
    values = {
        "rate": _shown_rate(cny_per_unit),
        "currency": currency,
        "previous": _shown_rate(previous.cny_per_unit),
        "date": previous.on.isoformat(),
        "band": EXCHANGE_RATE_BAND,
    }
    if cny_per_unit > previous.cny_per_unit * EXCHANGE_RATE_BAND:
        return (
            _(
                "%(rate)s CNY per %(currency)s is more than %(band)s times the rate of "
                "%(date)s, %(previous)s CNY; check it, or confirm it to record it anyway."
            )
            % values
        )
    if cny_per_unit * EXCHANGE_RATE_BAND < previous.cny_per_unit:
        return (
            _(
                "%(rate)s CNY per %(currency)s is less than 1/%(band)s of the rate of "
                "%(date)s, %(previous)s CNY; check it, or confirm it to record it anyway."
            )
            % values
        )
    return None


@transaction.atomic
def exchange_rate_set(
    *,
    actor: Actor | None,
    currency: str,
    on: date,
    cny_per_unit: Decimal,
    confirm: bool = False,
) -> ExchangeRate:
    """Record (or correct) how many CNY one unit of ``currency`` bought on ``on``.

    A steward's work (exchange rates are reference data every landed cost reads). A
    rate outside :data:`EXCHANGE_RATE_BAND` of the previous one is refused naming
    both, unless ``confirm``; the audit trail then says it was confirmed.
    """
    steward = require_steward(actor)
    errors = FieldErrors()
    code = _check_currency(errors, currency)
    if code == "CNY":
        errors.add("currency", _("Rates are kept in CNY; CNY itself needs none."))
    problem = exchange_rate_problem(cny_per_unit)
    if problem is not None:
        errors.add("cny_per_unit", problem)
    errors.raise_if_any()
    outside = exchange_rate_band_problem(
        currency=code, cny_per_unit=cny_per_unit, previous=exchange_rate_previous(code, on)
    )
    if outside is not None and not confirm:
        raise ValidationFailed(fields={"cny_per_unit": [outside]})
    rate, created = ExchangeRate.objects.update_or_create(
        currency=code, on=on, defaults={"cny_per_unit": cny_per_unit}
    )
    changes: dict[str, Any] = {"currency": code, "on": on, "cny_per_unit": cny_per_unit}
    if outside is not None:
        changes["confirmed_outside_band"] = True
    audit_record(
        actor=steward.user,
        action="exchange_rate.create" if created else "exchange_rate.update",
        obj=rate,
        changes={**changes, "acting_for": steward.organization_id},
    )
    return rate
