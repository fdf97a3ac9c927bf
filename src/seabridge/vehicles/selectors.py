"""Reads of the vehicles app: lists, the VIN lookup, the timeline and production milestones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seabridge.accounts.choices import OrganizationKind
from seabridge.accounts.models import Organization
from seabridge.agreements.selectors import counterparties_visible
from seabridge.analytics.choices import Measure
from seabridge.analytics.models import DailyFact
from seabridge.catalog.models import Brand, ProductLine
from seabridge.core.errors import Forbidden, NotFound, ValidationFailed
from seabridge.core.scope import Action, Actor, get_visible, restrict, sees_personal_data
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.vehicles.vin import normalize

LIST_RELATED = ("brand", "variant", "market", "holder")
MAX_MILESTONES = 1000


def vehicle_list(*, actor: Actor | None, action: Action = Action.VIEW) -> QuerySet[Vehicle]:
    """The vehicles the actor may ``action``, with what a list shows (no query per row)."""
    return restrict(actor, Vehicle.objects.select_related(*LIST_RELATED), action)


def vehicle_by_vin(*, actor: Actor | None, vin: str) -> Vehicle:
    """One vehicle by its VIN: a single lookup on the unique VIN index, inside the scope.

    A VIN the actor may not see is :class:`NotFound`, exactly like one that does not
    exist. Its customer is withheld (``None``) unless the actor may see personal data
    (:func:`seabridge.core.scope.sees_personal_data`).
    """
    cleaned = normalize(vin)
    if len(cleaned) != 17:
        raise NotFound()
    vehicle = get_visible(
        actor,
        Vehicle.objects.select_related(*LIST_RELATED, "plant", "customer"),
        vin=cleaned,
    )
    customer = vehicle.customer
    if customer is not None and not sees_personal_data(
        actor, recorded_by_id=customer.recorded_by_id, owner_id=vehicle.brand.owner_id
    ):
        vehicle.customer = None
    return vehicle


def vehicle_timeline(*, actor: Actor | None, vehicle: Vehicle) -> list[VehicleEvent]:
    """Every event of one (already visible) vehicle in order, with who and where.

    A sale's customer and price are personal data: shown to the organisation that
    recorded the event and to the brand owner; withheld (``None``) from the others
    who see the vehicle, such as another dealer or partner granted the market.
    """
    events = list(
        VehicleEvent.objects.filter(vehicle=vehicle)
        .select_related("organization", "country", "customer")
        .order_by("occurred_on", "id")
    )
    owner_id = vehicle.brand.owner_id
    for event in events:
        personal = event.customer_id is not None or event.type == EventType.RETAILED
        if personal and not sees_personal_data(
            actor, recorded_by_id=event.organization_id, owner_id=owner_id
        ):
            event.customer = None
            event.price = None
            event.currency = ""
    return events


# --- production milestones ------------------------------------------------------------


@dataclass(frozen=True)
class Milestone:
    """The N-th unit of a brand (or product line) off the line, and the time since the last."""

    unit: int
    produced_on: date
    vin: str
    days_since_previous: int | None
    interval: str  # "13 years", "1 year 11 months"; empty for the first milestone


def whole_months_between(start: date, end: date) -> int:
    """Complete calendar months from ``start`` to ``end`` (a month ends on the same day)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def human_interval(start: date, end: date) -> str:
    """``13 years``, ``1 year 11 months``, ``5 months`` or ``12 days``, as people say it."""
    months = whole_months_between(start, end)
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(count)d year", "%(count)d years", years) % {"count": years})
    if months:
        parts.append(ngettext("%(count)d month", "%(count)d months", months) % {"count": months})
    if not parts:
        days = (end - start).days
        parts.append(ngettext("%(count)d day", "%(count)d days", days) % {"count": days})
    return " ".join(parts)


def milestone_units(total: int, *, every: int, extra: Iterable[int] = (1,)) -> list[int]:
    """The round unit numbers reached among ``total`` vehicles: ``extra`` and every ``every``."""
    units = {unit for unit in extra if 1 <= unit <= total}
    units.update(range(every, total + 1, every))
    return sorted(units)


def production_milestones(
    *,
    brand: Brand,
    product_line: ProductLine | None = None,
    every: int = 100_000,
    extra: Iterable[int] = (1,),
) -> list[Milestone]:
    """The date each round-numbered unit came off the line, and the time between them.

    The daily production facts (kept exact with the vehicles) give the total and the
    day each milestone unit falls on; one indexed read inside that day (index
    ``vehicle_brand_produced``: brand, produced_on, id) gives its VIN. Units produced on
    the same day are ordered by registration. Callers decide who may see a brand's
    figures.
    """
    if every < 1:
        raise ValueError("every must be at least 1")
    vehicles = Vehicle.objects.filter(brand=brand)
    facts = DailyFact.objects.filter(measure=Measure.PRODUCTION, brand=brand)
    if product_line is not None:
        vehicles = vehicles.filter(variant__product_line=product_line)
        facts = facts.filter(product_line=product_line)
    days = list(
        facts.values_list("day").annotate(produced=Sum("units")).filter(produced__gt=0)
        .order_by("day")
    )  # fmt: skip
    total = sum(produced for _day, produced in days)
    if total // every > MAX_MILESTONES:
        raise ValidationFailed(
            fields={
                "every": [
                    _("That gives more than %(limit)d milestones; choose a larger number.")
                    % {"limit": MAX_MILESTONES}
                ]
            }
        )
    milestones: list[Milestone] = []
    previous: date | None = None
    units = iter(milestone_units(total, every=every, extra=extra))
    unit = next(units, None)
    before = 0  # units produced before the day
    for day, produced in days:
        while unit is not None and unit <= before + produced:
            within = unit - before - 1
            found = vehicles.filter(produced_on=day).order_by("id").values_list("vin", flat=True)
            vin = next(iter(found[within : within + 1]), None)
            if vin is None:  # the facts count a vehicle no longer there: no milestone to name
                return milestones
            milestones.append(
                Milestone(
                    unit=unit,
                    produced_on=day,
                    vin=vin,
                    days_since_previous=(day - previous).days if previous else None,
                    interval=human_interval(previous, day) if previous else "",
                )
            )
            previous = day
            unit = next(units, None)
        before += produced
    return milestones


def brand_for_milestones(*, actor: Actor | None, brand_id: int) -> Brand:
    """A brand whose production figures the actor may see: its owner's members only.

    A brand the actor cannot see at all is not found; a partner who sees the brand
    through a grant is refused, as production figures are the maker's.
    """
    brand = get_visible(actor, Brand.objects.all(), pk=brand_id)
    if actor is None or brand.owner_id != actor.organization_id:
        raise Forbidden(_("Production milestones are shown to the brand owner only."))
    return brand


def delivery_dealers(*, actor: Actor | None) -> QuerySet[Organization]:
    """Dealers and importers the actor may deliver to: itself, or its counterparties
    (:func:`seabridge.agreements.selectors.counterparties_visible`)."""
    if actor is None:
        return Organization.objects.none()
    kinds = [OrganizationKind.DEALER, OrganizationKind.DISTRIBUTOR]
    counterparties = counterparties_visible(actor, kinds=tuple(kinds))
    return (
        Organization.objects.filter(kind__in=kinds)
        .filter(Q(pk=actor.organization_id) | Q(pk__in=counterparties.values("pk")))
        .order_by("short_name")
    )
