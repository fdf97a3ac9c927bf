"""The one place vehicle states change: guarded transitions, each written as an event.

Every service that moves vehicles (allocation, shipping, arrival, delivery, retail,
registration, scrapping) calls :func:`vehicles_move`, or :func:`vehicles_move_each`
when each vehicle has its own date, price or customer (a retail import). It locks
the vehicles, refuses an illegal move for any of them with a message naming the VIN
and its state (and then changes nothing), updates the vehicles' current facts and
appends one event per vehicle, all in the caller's transaction, in a number of
queries that grows only by one per :data:`CHUNK` vehicles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import DateField, DecimalField, Field, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.models import Organization
from seabridge.core.bulk import chunks
from seabridge.core.errors import Conflict, Forbidden, NotFound
from seabridge.core.scope import Action, Actor, restrict
from seabridge.vehicles import hooks
from seabridge.vehicles.choices import TRANSITIONS, EventType, VehicleState
from seabridge.vehicles.hooks import Moved
from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent

MAX_LISTED = 10
# Ids per ``__in`` query: SQLite takes at most 999 parameters in older builds.
CHUNK = 900


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
    customer_id: int | None = None  # the customer by id, when no instance is at hand
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
    return vehicles_move_each(actor=actor, moves=[(pk, move) for pk in dict.fromkeys(vehicle_ids)])


# What a move reads of each vehicle, and the order of a locked row.
LOCKED = (
    "pk",
    "vin",
    "state",
    "retailed_on",
    "wholesaled_on",
    "brand_id",
    "variant_id",
    "market_id",
    "holder_id",
    "customer_id",
)
PK, VIN, STATE, RETAILED_ON, WHOLESALED_ON, BRAND, VARIANT, MARKET, HOLDER, CUSTOMER = range(10)


def _locked(actor: Actor | None, ids: Sequence[int], *, answer: bool) -> list[Any]:
    """The vehicles ``actor`` may change among ``ids``, locked, in the order of their ids
    (so that two writers lock in the same order), a chunk of ids per query: model
    instances when the caller wants the vehicles answered, else rows of
    :data:`LOCKED` (cheaper by far for the vehicles of an import)."""
    found: list[Any] = []
    # The scope's conditions are built once (they read the actor's grants) and
    # narrowed to each chunk.
    allowed = restrict(actor, Vehicle.objects.all(), Action.CHANGE) if actor else None
    for chunk in chunks(sorted(ids), CHUNK):
        queryset: QuerySet[Vehicle] = Vehicle.objects.filter(pk__in=chunk)
        if allowed is not None:
            # The scope is a subquery: PostgreSQL refuses FOR UPDATE with DISTINCT.
            queryset = Vehicle.objects.filter(pk__in=allowed.filter(pk__in=chunk).values("pk"))
        queryset = queryset.select_for_update(of=("self",)).order_by("pk")
        if answer:
            found += queryset
        else:
            found += queryset.values_list(*LOCKED)
    return found


def _refuse_missing(
    actor: Actor | None, ids: Sequence[int], found: Sequence[Any], *, answer: bool
) -> None:
    """Refuse a move of vehicles the actor may not change: 403 naming them when it sees
    them all (another organisation holds them), else 404 (no existence leak)."""
    changeable = {vehicle.pk if answer else vehicle[PK] for vehicle in found}
    missing = [pk for pk in ids if pk not in changeable]
    visible: list[str] = []
    if actor is not None:
        seen = restrict(actor, Vehicle.objects.all())
        for chunk in chunks(missing, CHUNK):
            visible += seen.filter(pk__in=chunk).values_list("vin", flat=True)
    if actor is None or len(visible) != len(missing):
        raise NotFound()
    listed = sorted(visible)[:MAX_LISTED]
    raise Forbidden(
        _("Only their holder, the brand owner or the market's partner moves %(vins)s.")
        % {"vins": ", ".join(listed)}
    )


def _db_value(field: Field[Any, Any], cache: dict[Any, Any], value: Any) -> Any:
    """``value`` as the database takes it for ``field`` (dates and amounts repeat: cached)."""
    try:
        return cache[value]
    except KeyError:
        cache[value] = prepared = field.get_db_prep_save(value, connection)
        return prepared
    except TypeError:  # not hashable
        return field.get_db_prep_save(value, connection)


# A column with at most this many distinct values among the moved vehicles is written
# with one UPDATE … WHERE id IN (…) per value; the others row by row.
FEW_VALUES = 50


def _update_each(ids: Sequence[int], columns: dict[str, list[Any]]) -> None:
    """Write each vehicle's new values (``columns``: field name → a value per id) in as
    few statements as the values allow.

    ``bulk_update`` builds a CASE per column over every row of a batch, which is slow
    for the hundred thousand vehicles of an import. Columns most vehicles share a
    value of (state, holder, market: the indexed ones) are set for a chunk of ids at
    once; columns that differ per vehicle (its customer, its sale date) with one
    prepared statement run for all rows (executemany). On SQLite inside a savepoint,
    changing indexed columns row by row is many times slower than setting them by set.
    """
    meta = Vehicle._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    by_name = {field.name: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in columns]
    values: list[list[Any]] = []
    for column, given in zip(fields, columns.values(), strict=True):
        if isinstance(column, DateField | DecimalField):
            cache: dict[Any, Any] = {}
            values.append([_db_value(column, cache, value) for value in given])
        else:  # ids, codes and states go to the database as they are
            values.append(given)
    shared = [index for index, column in enumerate(values) if len(set(column)) <= FEW_VALUES]
    varying = [index for index in range(len(fields)) if index not in shared]
    with connection.cursor() as cursor:
        if shared:
            groups: dict[tuple[Any, ...], list[int]] = {}
            for position, pk in enumerate(ids):
                key = tuple(values[index][position] for index in shared)
                groups.setdefault(key, []).append(pk)
            assignments = ", ".join(f"{quote(fields[index].column)} = %s" for index in shared)
            for key, group in groups.items():
                for chunk in chunks(group, CHUNK):
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"UPDATE {table} SET {assignments} WHERE id IN ({marks})",  # noqa: S608 - names are ours
                        [*key, *chunk],
                    )
        if varying:
            assignments = ", ".join(f"{quote(fields[index].column)} = %s" for index in varying)
            sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - names are ours
            rows = [
                [*(values[index][position] for index in varying), pk]
                for position, pk in enumerate(ids)
            ]
            for batch in chunks(rows, 10_000):
                cursor.executemany(sql, batch)


# The columns of an event row as :func:`vehicles_move_each` builds it, in this order.
EVENT_FIELDS = (
    "vehicle",
    "type",
    "from_state",
    "to_state",
    "occurred_on",
    "recorded_at",
    "actor",
    "organization",
    "place",
    "country",
    "is_wholesale",
    "price",
    "currency",
    "customer",
    "export_order",
    "shipment",
    "document_ref",
    "note",
)


def _insert_events(rows: Sequence[Sequence[Any]]) -> None:
    """Append events, each a row of :data:`EVENT_FIELDS`, with one prepared INSERT run
    for all rows: model instances and ``bulk_create``'s batches of 999 parameters on
    SQLite cost more than the write itself (see :func:`_update_each`)."""
    meta = VehicleEvent._meta
    by_name = {field.name: field for field in meta.concrete_fields}
    fields = [by_name[name] for name in EVENT_FIELDS]
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names are ours
    # Only dates, times and amounts need the database's form; the rest goes as it is.
    prepared: list[tuple[int, Field[Any, Any], dict[Any, Any]]] = [
        (index, column, {})
        for index, column in enumerate(fields)
        if isinstance(column, DateField | DecimalField)
    ]
    converted = []
    for row in rows:
        values = list(row)
        for index, column, cache in prepared:
            values[index] = _db_value(column, cache, values[index])
        converted.append(values)
    with connection.cursor() as cursor:
        for chunk in chunks(converted, 10_000):
            cursor.executemany(sql, chunk)


def vehicles_move_each(
    *, actor: Actor | None, moves: Sequence[tuple[int, Move]], answer: bool = True
) -> list[Vehicle]:
    """Apply to each vehicle its own move (all of one event type), all or none;
    answers the vehicles as they now are (in the order of their ids), or nothing
    with ``answer=False`` (an import, which needs no model instances).

    The same guarantees as :func:`vehicles_move` (which calls this): the vehicles are
    locked, a vehicle the actor may not change makes the whole call a not-found, an
    illegal transition of any of them refuses the call naming the VINs, one event per
    vehicle is appended, the facts follow each vehicle's own date and price, plan
    milestones are checked after the commit, and every vehicle must still be the
    actor's to change after the write. Runs in a number of queries that grows with
    the vehicles only by chunks of :data:`CHUNK`.
    """
    if not moves:
        return []
    types = {move.type for _pk, move in moves}
    if len(types) != 1:
        raise ValueError("vehicles_move_each moves all vehicles with one event type.")
    (event_type,) = types
    allowed_from, to_state = TRANSITIONS[event_type]
    by_id = dict(moves)
    if len(by_id) != len(moves):
        raise ValueError("vehicles_move_each gives each vehicle one move.")
    with transaction.atomic():
        found = _locked(actor, list(by_id), answer=answer)
        if len(found) != len(by_id):
            _refuse_missing(actor, list(by_id), found, answer=answer)
        rows = (
            [[getattr(vehicle, name) for name in LOCKED] for vehicle in found]
            if answer
            else [list(row) for row in found]
        )
        problems = [
            _("%(vin)s is %(state)s and cannot be %(event)s.")
            % {
                "vin": row[VIN],
                "state": VehicleState(row[STATE]).label.lower(),
                "event": EventType(event_type).label.lower(),
            }
            for row in rows
            if row[STATE] not in allowed_from
        ]
        if problems:
            _refuse(problems)

        user_id = actor.user.pk if actor else None
        organization_id = actor.organization_id if actor else None
        now = timezone.now()
        events: list[tuple[Any, ...]] = []
        moved: list[Moved] = []
        is_retail = event_type == EventType.RETAILED
        is_cancel = event_type == EventType.RETAIL_CANCELLED
        changes_holder = changes_market = any_wholesale = False
        for row in rows:
            move = by_id[row[PK]]
            moved.append(
                Moved(
                    row[VARIANT],
                    move.market_id if move.market_id is not None else row[MARKET],
                    row[STATE],
                    row[RETAILED_ON],
                    move.occurred_on,
                    move.is_wholesale,
                    move.price,
                    move.currency,
                )
            )
            customer_id = move.customer.pk if move.customer is not None else move.customer_id
            events.append(
                (
                    row[PK],
                    event_type,
                    row[STATE],
                    to_state,
                    move.occurred_on,
                    now,
                    user_id,
                    organization_id,
                    move.place,
                    move.country_id,
                    move.is_wholesale,
                    move.price,
                    move.currency,
                    customer_id,
                    move.export_order_id,
                    move.shipment_id,
                    move.document_ref,
                    move.note,
                )
            )
            row[STATE] = to_state
            if move.holder is not None:
                row[HOLDER] = move.holder.pk
                changes_holder = True
            if move.market_id is not None:
                row[MARKET] = move.market_id
                changes_market = True
            if move.is_wholesale:
                any_wholesale = True
                if row[WHOLESALED_ON] is None:
                    row[WHOLESALED_ON] = move.occurred_on
            if is_retail:
                row[RETAILED_ON] = move.occurred_on
                row[CUSTOMER] = customer_id
            elif is_cancel:
                row[RETAILED_ON] = None
                row[CUSTOMER] = None
        columns: dict[str, list[Any]] = {
            "state": [to_state] * len(rows),
            "updated_at": [now] * len(rows),
        }
        for name, index, changed in (
            ("holder", HOLDER, changes_holder),
            ("market", MARKET, changes_market),
            ("wholesaled_on", WHOLESALED_ON, any_wholesale),
            ("retailed_on", RETAILED_ON, is_retail or is_cancel),
            ("customer", CUSTOMER, is_retail or is_cancel),
        ):
            if changed:
                columns[name] = [row[index] for row in rows]
        ids = [row[PK] for row in rows]
        _update_each(ids, columns)
        _insert_events(events)
        hooks.moved(event_type, moved)  # the analytics facts
        if is_retail or any_wholesale:
            hooks.sales_changed({row[BRAND] for row in rows})  # plan milestones
        if actor is not None:
            # After the write, every vehicle must still be inside the actor's scope (a
            # delivery hands it to the dealer: the deliverer may no longer change it,
            # but a move may never carry a vehicle out of what the actor sees).
            allowed = restrict(actor, Vehicle.objects.all(), Action.VIEW)
            still = sum(allowed.filter(pk__in=chunk).count() for chunk in chunks(ids, CHUNK))
            if still != len(rows):
                raise NotFound()
        if not answer:
            return []
        vehicles: list[Vehicle] = found
        for vehicle, row in zip(vehicles, rows, strict=True):
            move = by_id[vehicle.pk]
            vehicle.state = to_state
            vehicle.updated_at = now
            if move.holder is not None:
                vehicle.holder = move.holder
            if move.market_id is not None:
                vehicle.market_id = move.market_id
            vehicle.wholesaled_on = row[WHOLESALED_ON]
            if is_retail:
                vehicle.retailed_on = move.occurred_on
                if move.customer is not None:
                    vehicle.customer = move.customer
                else:
                    vehicle.customer_id = move.customer_id
            elif is_cancel:
                vehicle.retailed_on = None
                vehicle.customer = None
    return vehicles
