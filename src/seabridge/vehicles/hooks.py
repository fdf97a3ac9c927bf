"""What the apps above vehicles hear when vehicles are written.

Vehicles sit below trade, planning and analytics, so they never import them; those
apps register here, in their ``AppConfig.ready()``, the functions that keep their
own records in step:

* :func:`register_produced` — new vehicles came off the line (analytics counts
  production; ``AnalyticsConfig.ready``);
* :func:`register_removed` — vehicles registered in error were removed (analytics
  takes their production back; ``AnalyticsConfig.ready``);
* :func:`register_moved` — one lifecycle move, each vehicle a :class:`Moved`
  (analytics counts sales, shipments, retail and vehicles in operation;
  ``AnalyticsConfig.ready``);
* :func:`register_sales_changed` — a brand's sales moved on: vehicles wholesaled or
  retailed, an export order confirmed (planning checks the brand's plan milestones
  once the transaction commits; ``PlanningConfig.ready``).

The writers call :func:`produced`, :func:`removed`, :func:`moved` and
:func:`sales_changed`, inside their own transaction; each registered function runs
there too, in the order registered, so a failing one undoes the whole write.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple, TypeVar

from seabridge.vehicles.models import Vehicle


class Moved(NamedTuple):
    """A vehicle a move moved: what the facts need of it and of its own move (a bulk
    move gives each vehicle its own date, price and currency)."""

    variant_id: int
    market_id: str  # after the move
    from_state: str
    retailed_on: date | None  # before the move
    occurred_on: date
    is_wholesale: bool = False
    price: Decimal | None = None
    currency: str = ""


VehiclesHook = Callable[[Sequence[Vehicle]], None]
MovedHook = Callable[[str, Sequence[Moved]], None]  # (event type, the vehicles moved)
SalesHook = Callable[[Collection[int]], None]  # brand ids

H = TypeVar("H")

_produced: list[VehiclesHook] = []
_removed: list[VehiclesHook] = []
_moved: list[MovedHook] = []
_sales_changed: list[SalesHook] = []


def _add(hooks: list[H], hook: H) -> H:
    if hook not in hooks:  # ready() may run more than once (tests)
        hooks.append(hook)
    return hook


def register_produced(hook: VehiclesHook) -> VehiclesHook:
    """Call ``hook(vehicles)`` with new vehicles (variants, brands and owners loaded)."""
    return _add(_produced, hook)


def register_removed(hook: VehiclesHook) -> VehiclesHook:
    """Call ``hook(vehicles)`` with vehicles about to be removed as registered in error."""
    return _add(_removed, hook)


def register_moved(hook: MovedHook) -> MovedHook:
    """Call ``hook(event_type, moved)`` after every lifecycle move."""
    return _add(_moved, hook)


def register_sales_changed(hook: SalesHook) -> SalesHook:
    """Call ``hook(brand_ids)`` when the brands' sales moved on."""
    return _add(_sales_changed, hook)


def produced(vehicles: Sequence[Vehicle]) -> None:
    for hook in _produced:
        hook(vehicles)


def removed(vehicles: Sequence[Vehicle]) -> None:
    for hook in _removed:
        hook(vehicles)


def moved(event_type: str, vehicles: Sequence[Moved]) -> None:
    for hook in _moved:
        hook(event_type, vehicles)


def sales_changed(brand_ids: Collection[int]) -> None:
    for hook in _sales_changed:
        hook(brand_ids)
