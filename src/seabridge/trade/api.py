"""Trade endpoints: export orders, VIN allocation, shipments, landed cost, exchange rates."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seabridge.accounts.choices import Role
from seabridge.agreements.selectors import counterparties_visible
from seabridge.catalog.models import Brand
from seabridge.core.errors import ValidationFailed
from seabridge.core.money import AMOUNT_MAX_DIGITS, AmountIn, amount_checker
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.scope import Action, require, restrict
from seabridge.core.types import IsoDate, PathId, RowId
from seabridge.core.views import request_actor, required_actor
from seabridge.trade import selectors, services
from seabridge.trade.choices import Incoterm, OrderStatus, PaymentTerms, ShipmentMode
from seabridge.trade.filters import ExportOrderFilter, ShipmentFilter
from seabridge.trade.models import (
    RATE_DECIMAL_PLACES,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
)

router = Router(tags=["trade"])

# CNY per unit of a currency: more than 0, with the exchange rate column's places.
RateIn = Annotated[
    Decimal,
    Field(
        gt=0,
        lt=Decimal(10) ** (AMOUNT_MAX_DIGITS - RATE_DECIMAL_PLACES),
        decimal_places=RATE_DECIMAL_PLACES,
    ),
    amount_checker(allow_zero=False, places=RATE_DECIMAL_PLACES),
]
Vin = Annotated[str, Field(min_length=1, max_length=17)]
VinList = Annotated[list[Vin], Field(min_length=1, max_length=selectors.MAX_VINS)]


# --- schemas --------------------------------------------------------------------------------


class ExportOrderLineOut(Schema):
    id: int
    variant_id: int
    variant_code: str
    quantity: int
    unit_price: Decimal

    @staticmethod
    def resolve_variant_code(line: ExportOrderLine) -> str:
        return line.variant.code


class ExportOrderLineDetailOut(ExportOrderLineOut):
    vins: list[str]

    @staticmethod
    def resolve_vins(line: ExportOrderLine) -> list[str]:
        return [allocation.vehicle.vin for allocation in line.allocations.all()]


class ExportOrderOut(Schema):
    id: int
    number: str
    brand_id: int
    brand: str
    seller_id: int
    seller: str
    buyer_id: int
    buyer: str
    destination: str
    incoterm: str
    named_place: str
    currency: str
    payment_terms: str
    lc_number: str
    lc_expires_on: date | None
    requested_on: date | None
    confirmed_on: date | None
    status: str
    buyer_response: str
    buyer_responded_on: date | None
    dispute_reason: str
    lines: list[ExportOrderLineOut]

    @staticmethod
    def resolve_brand(order: ExportOrder) -> str:
        return order.brand.name

    @staticmethod
    def resolve_seller(order: ExportOrder) -> str:
        return order.seller.short_name

    @staticmethod
    def resolve_buyer(order: ExportOrder) -> str:
        return order.buyer.short_name

    @staticmethod
    def resolve_destination(order: ExportOrder) -> str:
        return order.destination_id

    @staticmethod
    def resolve_lines(order: ExportOrder) -> list[ExportOrderLine]:
        return list(order.lines.all())


class ExportOrderDetailOut(ExportOrderOut):
    lines: list[ExportOrderLineDetailOut]  # type: ignore[assignment]


class ExportOrderLineIn(Schema):
    variant_id: RowId
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: AmountIn


class ExportOrderIn(Schema):
    number: str = Field(min_length=1, max_length=40)
    brand_id: RowId
    buyer_id: RowId
    destination: str = Field(min_length=2, max_length=2, description="ISO 3166 code")
    incoterm: Incoterm
    named_place: str = Field("", max_length=120)
    currency: str = Field(min_length=3, max_length=3, description="ISO 4217 code")
    payment_terms: PaymentTerms
    lc_number: str = Field("", max_length=60)
    lc_expires_on: IsoDate | None = None
    requested_on: IsoDate | None = None
    notes: str = Field("", max_length=4000)
    lines: list[ExportOrderLineIn] = Field(min_length=1, max_length=200)


class ExportOrderPatch(Schema):
    incoterm: Incoterm | None = None
    named_place: str | None = Field(None, max_length=120)
    currency: str | None = Field(None, min_length=3, max_length=3)
    payment_terms: PaymentTerms | None = None
    lc_number: str | None = Field(None, max_length=60)
    lc_expires_on: IsoDate | None = None
    requested_on: IsoDate | None = None
    notes: str | None = Field(None, max_length=4000)
    lines: list[ExportOrderLineIn] | None = Field(None, min_length=1, max_length=200)


class TransitionIn(Schema):
    status: OrderStatus
    on: IsoDate | None = None


class RespondIn(Schema):
    accept: bool = Field(description="True accepts the order; false disputes it.")
    reason: str = Field("", max_length=4000, description="What a dispute is about.")
    on: IsoDate | None = None


class AllocationIn(Schema):
    vins: VinList
    on: IsoDate | None = None


class AllocationOut(Schema):
    line_id: int
    vins: list[str]


class ShipmentOut(Schema):
    id: int
    number: str
    brand_id: int
    destination: str
    order_ids: list[int]
    mode: str
    carrier: str
    vessel: str
    voyage: str
    port_of_loading: str
    port_of_discharge: str
    bill_of_lading: str
    etd: date | None
    eta: date | None
    departed_on: date | None
    arrived_on: date | None
    status: str
    freight: Decimal | None
    insurance: Decimal | None
    other_costs: Decimal | None
    cost_currency: str

    @staticmethod
    def resolve_destination(shipment: Shipment) -> str:
        return shipment.destination_id

    @staticmethod
    def resolve_order_ids(shipment: Shipment) -> list[int]:
        return [order.pk for order in shipment.orders.all()]


class ShipmentDetailOut(ShipmentOut):
    vins: list[str]

    @staticmethod
    def resolve_vins(shipment: Shipment) -> list[str]:
        return [vehicle.vin for vehicle in shipment.vehicles.all()]


class ShipmentIn(Schema):
    number: str = Field(min_length=1, max_length=40)
    order_ids: list[RowId] = Field(min_length=1, max_length=100)
    mode: ShipmentMode
    carrier: str = Field("", max_length=120)
    vessel: str = Field("", max_length=120)
    voyage: str = Field("", max_length=40)
    port_of_loading: str = Field(min_length=5, max_length=5, description="UN/LOCODE")
    port_of_discharge: str = Field(min_length=5, max_length=5, description="UN/LOCODE")
    bill_of_lading: str = Field("", max_length=60)
    etd: IsoDate | None = None
    eta: IsoDate | None = None
    freight: AmountIn | None = None
    insurance: AmountIn | None = None
    other_costs: AmountIn | None = None
    cost_currency: str = Field("", max_length=3)


class ShipmentVehiclesIn(Schema):
    vins: VinList


class DepartIn(Schema):
    departed_on: IsoDate


class ArriveIn(Schema):
    arrived_on: IsoDate


class LandedCostRowOut(Schema):
    vin: str
    order_number: str
    hs_code: str
    currency: str
    price: Decimal
    freight: Decimal
    insurance: Decimal
    cif_value: Decimal
    duty_rate_pct: Decimal | None
    duty: Decimal
    other_costs: Decimal
    total: Decimal
    cny_per_unit: Decimal
    total_cny: Decimal


class LandedCostOut(Schema):
    shipment_id: int
    rate_date: date
    rows: list[LandedCostRowOut]
    total_cny: Decimal


class ExchangeRateOut(Schema):
    id: int
    currency: str
    on: date
    cny_per_unit: Decimal


class ExchangeRateIn(Schema):
    currency: str = Field(min_length=3, max_length=3)
    on: IsoDate
    cny_per_unit: RateIn
    confirm: bool = Field(
        default=False,
        description="Record a rate more than three times, or less than a third of, the "
        "previous rate of its currency (refused otherwise).",
    )


# --- orders --------------------------------------------------------------------------------


def _lines(payload: list[ExportOrderLineIn]) -> list[services.LineInput]:
    return [
        services.LineInput(
            variant_id=line.variant_id, quantity=line.quantity, unit_price=line.unit_price
        )
        for line in payload
    ]


def _order(request: HttpRequest, order_id: int) -> ExportOrder:
    return selectors.order_get(actor=request_actor(request), order_id=order_id)


@router.get("/orders", response=list[ExportOrderOut], summary="Export orders the caller sees")
@paginate(PageNumberPagination)
def order_list(request: HttpRequest, filters: Query[ExportOrderFilter]) -> QuerySet[ExportOrder]:
    return filters.filter(selectors.order_list(actor=request_actor(request)))


@router.post("/orders", response={201: ExportOrderDetailOut}, summary="Draft an export order")
def order_create(request: HttpRequest, payload: ExportOrderIn) -> Status:
    actor = required_actor(request)
    actor.require_role(Role.STAFF)
    brand = restrict(actor, Brand.objects.filter(pk=payload.brand_id)).first()
    if brand is None:
        raise ValidationFailed(fields={"brand_id": [_("There is no such brand.")]})
    # Only a counterparty is a buyer one may name: any other id is no organisation at all.
    buyer = counterparties_visible(actor).filter(pk=payload.buyer_id).first()
    if buyer is None:
        raise ValidationFailed(fields={"buyer_id": [_("There is no such organisation.")]})
    order = services.export_order_create(
        actor=actor,
        number=payload.number,
        brand=brand,
        buyer=buyer,
        destination=payload.destination,
        incoterm=payload.incoterm,
        named_place=payload.named_place,
        currency=payload.currency,
        payment_terms=payload.payment_terms,
        lc_number=payload.lc_number,
        lc_expires_on=payload.lc_expires_on,
        requested_on=payload.requested_on,
        notes=payload.notes,
        lines=_lines(payload.lines),
    )
    return Status(201, _order(request, order.pk))


@router.get("/orders/{order_id}", response=ExportOrderDetailOut, summary="One export order")
def order_detail(request: HttpRequest, order_id: PathId) -> ExportOrder:
    return _order(request, order_id)


@router.patch("/orders/{order_id}", response=ExportOrderDetailOut, summary="Change a draft order")
def order_patch(request: HttpRequest, order_id: PathId, payload: ExportOrderPatch) -> ExportOrder:
    actor = required_actor(request)
    order = _order(request, order_id)
    changes = payload.dict(exclude_unset=True)
    lines = changes.pop("lines", None)
    for name in ("incoterm", "payment_terms"):
        if name in changes and changes[name] is None:
            raise ValidationFailed(fields={name: [_("This field cannot be empty.")]})
    services.export_order_update(
        actor=actor,
        order=order,
        changes=changes,
        lines=_lines(payload.lines or []) if lines is not None else None,
    )
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/transition",
    response=ExportOrderDetailOut,
    summary="Move an order to another status",
)
def order_transition(request: HttpRequest, order_id: PathId, payload: TransitionIn) -> ExportOrder:
    actor = required_actor(request)
    services.export_order_transition(
        actor=actor, order=_order(request, order_id), to=payload.status, on=payload.on
    )
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/respond",
    response=ExportOrderDetailOut,
    summary="The buyer accepts or disputes an order its seller confirmed",
)
def order_respond(request: HttpRequest, order_id: PathId, payload: RespondIn) -> ExportOrder:
    services.export_order_respond(
        actor=request_actor(request),
        order=_order(request, order_id),
        accept=payload.accept,
        reason=payload.reason,
        on=payload.on,
    )
    return _order(request, order_id)


@router.post(
    "/orders/{order_id}/lines/{line_id}/allocate",
    response=AllocationOut,
    summary="Allocate VINs to an order line (all or none)",
)
def line_allocate(
    request: HttpRequest, order_id: PathId, line_id: PathId, payload: AllocationIn
) -> AllocationOut:
    actor = required_actor(request)
    order = _order(request, order_id)
    require(actor, order, Action.CHANGE)
    line = selectors.line_get(actor=actor, order=order, line_id=line_id)
    ids = selectors.vehicle_ids_for_vins(actor=actor, vins=payload.vins)
    services.vehicles_allocate(actor=actor, line=line, vehicle_ids=ids, allocated_on=payload.on)
    return AllocationOut(
        line_id=line.pk,
        vins=sorted(line.allocations.values_list("vehicle__vin", flat=True)),
    )


@router.post(
    "/orders/{order_id}/lines/{line_id}/deallocate",
    response=AllocationOut,
    summary="Withdraw allocated VINs from an order line",
)
def line_deallocate(
    request: HttpRequest, order_id: PathId, line_id: PathId, payload: AllocationIn
) -> AllocationOut:
    actor = required_actor(request)
    order = _order(request, order_id)
    require(actor, order, Action.CHANGE)
    line = selectors.line_get(actor=actor, order=order, line_id=line_id)
    ids = selectors.vehicle_ids_for_vins(actor=actor, vins=payload.vins)
    services.vehicles_deallocate(actor=actor, line=line, vehicle_ids=ids, on=payload.on)
    return AllocationOut(
        line_id=line.pk,
        vins=sorted(line.allocations.values_list("vehicle__vin", flat=True)),
    )


# --- shipments -----------------------------------------------------------------------------


def _shipment(request: HttpRequest, shipment_id: int) -> Shipment:
    return selectors.shipment_get(actor=request_actor(request), shipment_id=shipment_id)


@router.get("/shipments", response=list[ShipmentOut], summary="Shipments the caller sees")
@paginate(PageNumberPagination)
def shipment_list(request: HttpRequest, filters: Query[ShipmentFilter]) -> QuerySet[Shipment]:
    return filters.filter(selectors.shipment_list(actor=request_actor(request)))


@router.post("/shipments", response={201: ShipmentDetailOut}, summary="Plan a shipment")
def shipment_create(request: HttpRequest, payload: ShipmentIn) -> Status:
    actor = required_actor(request)
    actor.require_role(Role.STAFF)
    wanted = list(dict.fromkeys(payload.order_ids))
    orders = {
        order.pk: order for order in restrict(actor, ExportOrder.objects.filter(pk__in=wanted))
    }
    missing = [str(order_id) for order_id in wanted if order_id not in orders]
    if missing:
        raise ValidationFailed(
            fields={"order_ids": [f"There is no order {order_id}." for order_id in missing]}
        )
    data = payload.dict(exclude={"order_ids"})
    shipment = services.shipment_create(
        actor=actor,
        orders=[orders[order_id] for order_id in wanted],
        data=services.ShipmentInput(**data),
    )
    return Status(201, _shipment(request, shipment.pk))


@router.get("/shipments/{shipment_id}", response=ShipmentDetailOut, summary="One shipment")
def shipment_detail(request: HttpRequest, shipment_id: PathId) -> Shipment:
    return _shipment(request, shipment_id)


@router.post(
    "/shipments/{shipment_id}/vehicles",
    response=ShipmentDetailOut,
    summary="Put allocated VINs on a planned shipment",
)
def shipment_vehicles_add(
    request: HttpRequest, shipment_id: PathId, payload: ShipmentVehiclesIn
) -> Shipment:
    actor = required_actor(request)
    shipment = _shipment(request, shipment_id)
    require(actor, shipment, Action.CHANGE)
    ids = selectors.vehicle_ids_for_vins(actor=actor, vins=payload.vins)
    services.shipment_add_vehicles(actor=actor, shipment=shipment, vehicle_ids=ids)
    return _shipment(request, shipment_id)


@router.post(
    "/shipments/{shipment_id}/depart",
    response=ShipmentDetailOut,
    summary="The shipment sails: every VIN is shipped (export wholesale)",
)
def shipment_depart(request: HttpRequest, shipment_id: PathId, payload: DepartIn) -> Shipment:
    actor = required_actor(request)
    services.shipment_depart(
        actor=actor, shipment=_shipment(request, shipment_id), departed_on=payload.departed_on
    )
    return _shipment(request, shipment_id)


@router.post(
    "/shipments/{shipment_id}/arrive",
    response=ShipmentDetailOut,
    summary="The shipment arrives: every VIN passes to its buyer",
)
def shipment_arrive(request: HttpRequest, shipment_id: PathId, payload: ArriveIn) -> Shipment:
    actor = required_actor(request)
    services.shipment_arrive(
        actor=actor, shipment=_shipment(request, shipment_id), arrived_on=payload.arrived_on
    )
    return _shipment(request, shipment_id)


@router.get(
    "/shipments/{shipment_id}/landed-costs",
    response=LandedCostOut,
    summary="Landed cost per VIN, in the order currency and in CNY",
)
def shipment_landed_costs(request: HttpRequest, shipment_id: PathId) -> LandedCostOut:
    result = selectors.shipment_landed_cost(shipment=_shipment(request, shipment_id))
    return LandedCostOut(
        shipment_id=result.shipment.pk,
        rate_date=result.rate_date,
        total_cny=result.total_cny.amount,
        rows=[
            LandedCostRowOut(
                vin=row.vin,
                order_number=row.order_number,
                hs_code=row.hs_code,
                currency=row.total.currency,
                price=row.price.amount,
                freight=row.freight.amount,
                insurance=row.insurance.amount,
                cif_value=row.cif_value.amount,
                duty_rate_pct=row.duty_rate_pct,
                duty=row.duty.amount,
                other_costs=row.other_costs.amount,
                total=row.total.amount,
                cny_per_unit=row.cny_per_unit,
                total_cny=row.total_cny.amount,
            )
            for row in result.rows
        ],
    )


# --- exchange rates ------------------------------------------------------------------------


@router.get("/exchange-rates", response=list[ExchangeRateOut], summary="Exchange rates (CNY)")
@paginate(PageNumberPagination)
def exchange_rate_list(request: HttpRequest, currency: str | None = None) -> QuerySet[ExchangeRate]:
    rates = selectors.exchange_rate_list()
    if currency:
        rates = rates.filter(currency=currency.strip().upper())
    return rates


@router.post(
    "/exchange-rates",
    response={201: ExchangeRateOut},
    summary="Record a dated rate (or correct one); the platform's stewards only",
)
def exchange_rate_set(request: HttpRequest, payload: ExchangeRateIn) -> Status:
    rate = services.exchange_rate_set(
        actor=request_actor(request),
        currency=payload.currency,
        on=payload.on,
        cny_per_unit=payload.cny_per_unit,
        confirm=payload.confirm,
    )
    return Status(201, rate)
