"""Reads of trade: orders and shipments through the scope, VIN look-ups, landed cost."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from babel.numbers import get_currency_precision
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed
from seabridge.core.money import Money
from seabridge.core.scope import Action, Actor, get_visible, restrict
from seabridge.markets.models import MarketProfile
from seabridge.trade.models import (
    Allocation,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)
from seabridge.vehicles.models import Vehicle

MAX_VINS = 500
PICKUP_HEADING = "8704"  # goods vehicles, pickups
PASSENGER_HEADING = "8703"  # passenger cars


def order_list(*, actor: Actor | None) -> QuerySet[ExportOrder]:
    """Orders the actor may see, with what a list row shows, in a fixed number of queries."""
    return (
        restrict(actor, ExportOrder.objects.all())
        .select_related("brand", "seller", "buyer", "destination")
        .prefetch_related(
            Prefetch("lines", queryset=ExportOrderLine.objects.select_related("variant"))
        )
        .order_by("-created_at", "-id")
    )


def order_get(*, actor: Actor | None, order_id: int) -> ExportOrder:
    """One visible order with its lines and their allocated VINs (404 otherwise)."""
    allocations = Allocation.objects.select_related("vehicle").order_by("vehicle__vin")
    lines = ExportOrderLine.objects.select_related("variant").prefetch_related(
        Prefetch("allocations", queryset=allocations)
    )
    queryset = ExportOrder.objects.select_related(
        "brand", "seller", "buyer", "destination"
    ).prefetch_related(Prefetch("lines", queryset=lines))
    return get_visible(actor, queryset, pk=order_id)


def line_get(*, actor: Actor | None, order: ExportOrder, line_id: int) -> ExportOrderLine:
    return get_visible(
        actor, ExportOrderLine.objects.select_related("order", "variant"), pk=line_id, order=order
    )


def shipment_list(*, actor: Actor | None) -> QuerySet[Shipment]:
    return (
        restrict(actor, Shipment.objects.all())
        .select_related("brand", "destination")
        .prefetch_related(Prefetch("orders", queryset=ExportOrder.objects.only("id", "number")))
        .order_by("-created_at", "-id")
    )


def shipment_get(*, actor: Actor | None, shipment_id: int) -> Shipment:
    return get_visible(
        actor,
        Shipment.objects.select_related("brand", "destination").prefetch_related(
            Prefetch("orders", queryset=ExportOrder.objects.only("id", "number", "status")),
            Prefetch(
                "vehicles", queryset=Vehicle.objects.select_related("variant").order_by("vin")
            ),
        ),
        pk=shipment_id,
    )


def exchange_rate_list() -> QuerySet[ExchangeRate]:
    """Rates are reference data: every signed-in person reads them."""
    return ExchangeRate.objects.order_by("currency", "-on")


def vehicle_ids_for_vins(
    *, actor: Actor | None, vins: Sequence[str], field: str = "vins"
) -> list[int]:
    """The ids of the VINs the actor may change; an unknown or foreign VIN is named (422)."""
    wanted = list(dict.fromkeys(vin.strip().upper() for vin in vins if vin.strip()))
    if not wanted:
        raise ValidationFailed(fields={field: [_("Give at least one VIN.")]})
    if len(wanted) > MAX_VINS:
        raise ValidationFailed(
            fields={field: [_("At most %(count)s VINs at a time.") % {"count": MAX_VINS}]}
        )
    found = dict(
        restrict(actor, Vehicle.objects.filter(vin__in=wanted), Action.CHANGE).values_list(
            "vin", "pk"
        )
    )
    missing = [vin for vin in wanted if vin not in found]
    if missing:
        raise ValidationFailed(
            fields={
                field: [
                    _("There is no vehicle %(vin)s that you may move.") % {"vin": vin}
                    for vin in missing
                ]
            }
        )
    return [found[vin] for vin in wanted]


# --- landed cost ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LandedCostRow:
    """What one VIN costs delivered into its market, in its order's currency and in CNY."""

    vin: str
    order_number: str
    hs_code: str
    price: Money
    freight: Money
    insurance: Money
    cif_value: Money
    duty_rate_pct: Decimal | None
    duty: Money
    other_costs: Money
    total: Money
    cny_per_unit: Decimal
    total_cny: Money


@dataclass(frozen=True)
class LandedCost:
    shipment: Shipment
    rate_date: date
    rows: list[LandedCostRow]
    total_cny: Money


def rate_on(currency: str, on: date) -> Decimal:
    """CNY per unit of ``currency`` at the latest rate on or before ``on`` (422 when none)."""
    if currency == "CNY":
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=currency, on__lte=on)
        .order_by("-on")
        .values_list("cny_per_unit", flat=True)
        .first()
    )
    if rate is None:
        raise ValidationFailed(
            _("There is no %(currency)s exchange rate on or before %(date)s.")
            % {"currency": currency, "date": on.isoformat()},
            fields={
                "exchange_rate": [
                    _("Add a %(currency)s rate dated %(date)s or earlier.")
                    % {"currency": currency, "date": on.isoformat()}
                ]
            },
        )
    return rate


def split_evenly(total: Money, parts: int) -> list[Money]:
    """``total`` in ``parts`` shares that add up exactly; the first ones take the odd cents."""
    if parts <= 0:
        return []
    unit = Decimal(1).scaleb(-get_currency_precision(total.currency))
    share = (total.amount / parts).quantize(unit, rounding=ROUND_DOWN)
    remainder = int((total.amount - share * parts) / unit)
    return [
        Money(share + (unit if index < remainder else 0), total.currency) for index in range(parts)
    ]


def duty_rate(profile: MarketProfile | None, hs_code: str) -> Decimal | None:
    """The market's duty in percent for the heading: 8704 pickups, 8703 passenger cars."""
    if profile is None:
        return None
    if hs_code.startswith(PICKUP_HEADING):
        return profile.import_duty_pickup_pct
    if hs_code.startswith(PASSENGER_HEADING):
        return profile.import_duty_passenger_pct
    return None


def shipment_landed_cost(*, shipment: Shipment) -> LandedCost:
    """Landed cost per VIN: price + freight + insurance (CIF) + duty on CIF + other costs.

    Shipment costs are split evenly over its vehicles in the cost currency, then
    converted to each order's currency through CNY; every figure is converted at the
    latest rate on or before the departure date (the ETD, or today, before it sails).
    """
    on = shipment.departed_on or shipment.etd or timezone.localdate()
    members = list(
        ShipmentVehicle.objects.filter(shipment=shipment)
        .select_related("vehicle__variant", "vehicle__allocation__line__order")
        .order_by("vehicle__vin")
    )
    profile = MarketProfile.objects.filter(country_id=shipment.destination_id).first()
    count = len(members)
    cost_currency = shipment.cost_currency or "CNY"
    shares = {
        name: split_evenly(Money(getattr(shipment, name) or Decimal(0), cost_currency), count)
        for name in ("freight", "insurance", "other_costs")
    }
    rates: dict[str, Decimal] = {}

    def rate(currency: str) -> Decimal:
        if currency not in rates:
            rates[currency] = rate_on(currency, on)
        return rates[currency]

    def convert(amount: Money, currency: str) -> Money:
        if amount.currency == currency:
            return amount
        return Money(amount.amount * rate(amount.currency) / rate(currency), currency)

    rows = []
    total_cny = Money.zero("CNY")
    for index, member in enumerate(members):
        vehicle = member.vehicle
        line = vehicle.allocation.line
        currency = line.order.currency
        price = Money(line.unit_price, currency)
        freight = convert(shares["freight"][index], currency)
        insurance = convert(shares["insurance"][index], currency)
        other = convert(shares["other_costs"][index], currency)
        cif = price + freight + insurance
        pct = duty_rate(profile, vehicle.variant.hs_code)
        duty = Money(cif.amount * (pct or Decimal(0)) / 100, currency)
        total = cif + duty + other
        row_cny = total.convert(to="CNY", rate=rate(currency))
        total_cny = total_cny + row_cny
        rows.append(
            LandedCostRow(
                vin=vehicle.vin,
                order_number=line.order.number,
                hs_code=vehicle.variant.hs_code,
                price=price,
                freight=freight,
                insurance=insurance,
                cif_value=cif,
                duty_rate_pct=pct,
                duty=duty,
                other_costs=other,
                total=total,
                cny_per_unit=rate(currency),
                total_cny=row_cny,
            )
        )
    return LandedCost(shipment=shipment, rate_date=on, rows=rows, total_cny=total_cny)
