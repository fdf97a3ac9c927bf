"""The one place vehicle states change: guarded transitions, each written as an event.

Every service that moves vehicles (allocation, shipping, arrival, delivery, retail,
registration, scrapping) calls :func:`vehicles_move`. It locks the vehicles, refuses
an illegal move for any of them with a message naming the VIN and its state (and
then changes nothing), updates the vehicles' current facts and appends one event
per vehicle, all in the caller's transaction, in a fixed number of queries
whatever the number of vehicles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from seabridge.accounts.models import Organization
from seabridge.analytics.facts import Moved, record_moves
from seabridge.core.errors import Conflict, NotFound
from seabridge.core.scope import Action, Actor, restrict
from seabridge.vehicles.choices import TRANSITIONS, EventType, VehicleState
from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent

MAX_LISTED = 10


@dataclass(frozen=True)
class Move:
    """What happens to the vehicles, and the facts that come with it."""

    type: EventType
    occurred_on: date
    place: str = ""
    country_id: str | None = None
    holder: Organization | None = None  # the new holder, if it changes
    market_id: str | None = None  # the new market, if it changes (allocation abroad)
    is_wholesale: bool = False
    price: Decimal | None = None
    currency: str = ""
    customer: Customer | None = None
    export_order_id: int | None = None
    shipment_id: int | None = None
    document_ref: str = ""
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _refuse(problems: list[str]) -> None:
    listed = problems[:MAX_LISTED]
    if len(problems) > MAX_LISTED:
        listed.append(_("and %(count)s more") % {"count": len(problems) - MAX_LISTED})
    raise Conflict("; ".join(listed))


def vehicles_move(*, actor: Actor | None, vehicle_ids: Sequence[int], move: Move) -> list[Vehicle]:
    """Apply ``move`` to every vehicle, all or none; answers the vehicles as they now are.

    ``actor`` None is the system (imports and the demo run as a named actor instead
    wherever a person is behind them). Vehicles the actor may not change are
    answered as not found.
    """
    allowed_from, to_state = TRANSITIONS[move.type]
    with transaction.atomic():
        queryset: QuerySet[Vehicle] = Vehicle.objects.filter(pk__in=vehicle_ids)
        if actor is not None:
            # The scope is a subquery: PostgreSQL refuses FOR UPDATE with DISTINCT.
            allowed = restrict(actor, queryset, Action.CHANGE).values("pk")
            queryset = Vehicle.objects.filter(pk__in=allowed)
        vehicles = list(queryset.select_for_update(of=("self",)).order_by("pk"))
        if len(vehicles) != len(set(vehicle_ids)):
            raise NotFound()
        problems = [
            _("%(vin)s is %(state)s and cannot be %(event)s.")
            % {
                "vin": vehicle.vin,
                "state": VehicleState(vehicle.state).label.lower(),
                "event": EventType(move.type).label.lower(),
            }
            for vehicle in vehicles
            if vehicle.state not in allowed_from
        ]
        if problems:
            _refuse(problems)

        events = []
        changed = ["state", "updated_at"]
        before = [(vehicle.state, vehicle.retailed_on) for vehicle in vehicles]
        for vehicle in vehicles:
            events.append(
                VehicleEvent(
                    vehicle=vehicle,
                    type=move.type,
                    from_state=vehicle.state,
                    to_state=to_state,
                    occurred_on=move.occurred_on,
                    actor=actor.user if actor else None,
                    organization=actor.organization if actor else None,
                    place=move.place,
                    country_id=move.country_id,
                    is_wholesale=move.is_wholesale,
                    price=move.price,
                    currency=move.currency,
                    customer=move.customer,
                    export_order_id=move.export_order_id,
                    shipment_id=move.shipment_id,
                    document_ref=move.document_ref,
                    note=move.note,
                )
            )
            vehicle.state = to_state
            if move.holder is not None:
                vehicle.holder = move.holder
            if move.market_id is not None:
                vehicle.market_id = move.market_id
            if move.is_wholesale and vehicle.wholesaled_on is None:
                vehicle.wholesaled_on = move.occurred_on
            if move.type == EventType.RETAILED:
                vehicle.retailed_on = move.occurred_on
                vehicle.customer = move.customer
            if move.type == EventType.RETAIL_CANCELLED:
                vehicle.retailed_on = None
                vehicle.customer = None
        if move.holder is not None:
            changed.append("holder")
        if move.market_id is not None:
            changed.append("market")
        if move.is_wholesale:
            changed.append("wholesaled_on")
        if move.type in (EventType.RETAILED, EventType.RETAIL_CANCELLED):
            changed += ["retailed_on", "customer"]
        Vehicle.objects.bulk_update(vehicles, changed, batch_size=1000)
        VehicleEvent.objects.bulk_create(events, batch_size=1000)
        record_moves(
            move.type,
            move.occurred_on,
            [
                Moved(vehicle, from_state, retailed_on)
                for vehicle, (from_state, retailed_on) in zip(vehicles, before, strict=True)
            ],
            is_wholesale=move.is_wholesale,
            price=move.price,
            currency=move.currency,
        )
        if move.is_wholesale or move.type == EventType.RETAILED:
            # Sales count towards plan milestones: check them once this commits.
            from seabridge.planning.services import queue_milestones_check

            for brand_id in sorted({vehicle.brand_id for vehicle in vehicles}):
                queue_milestones_check(brand_id=brand_id)
        if actor is not None:
            # After the write, every vehicle must still be the actor's to change.
            still = restrict(actor, Vehicle.objects.filter(pk__in=vehicle_ids), Action.CHANGE)
            if still.count() != len(vehicles):
                raise NotFound()
    return vehicles
