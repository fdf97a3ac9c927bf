"""API endpoints of the vehicles app: the VIN registry, lifecycle moves, production milestones."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from seabridge.core.errors import NotFound, ValidationFailed
from seabridge.core.money import AmountIn
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.scope import Actor
from seabridge.core.types import IsoDate, RowId
from seabridge.core.views import request_actor
from seabridge.vehicles import selectors, services
from seabridge.vehicles.choices import CustomerKind, EventType, VehicleState
from seabridge.vehicles.filters import VehicleFilter
from seabridge.vehicles.models import Vehicle, VehicleEvent
from seabridge.vehicles.vin import normalize, syntax_problem

router = Router(tags=["vehicles"])

VinPath = Annotated[str, Path(min_length=1, max_length=40, description="The 17-character VIN.")]
VinText = Annotated[str, Field(min_length=1, max_length=40)]
MAX_DELIVERED = 1000


# --- schemas --------------------------------------------------------------------------


class VehicleOut(Schema):
    vin: str
    brand_id: int
    brand: str
    variant_id: int
    variant: str
    plant_id: int | None
    line_sequence: int | None
    produced_on: date
    state: VehicleState
    market: str
    holder_id: int
    holder: str
    customer_id: int | None
    wholesaled_on: date | None
    retailed_on: date | None

    @staticmethod
    def resolve_brand(vehicle: Vehicle) -> str:
        return vehicle.brand.name

    @staticmethod
    def resolve_variant(vehicle: Vehicle) -> str:
        return vehicle.variant.code

    @staticmethod
    def resolve_market(vehicle: Vehicle) -> str:
        return vehicle.market_id

    @staticmethod
    def resolve_holder(vehicle: Vehicle) -> str:
        return vehicle.holder.short_name


class VehicleEventOut(Schema):
    type: EventType
    from_state: str
    to_state: VehicleState
    occurred_on: date
    organization: str | None
    place: str
    country: str | None
    is_wholesale: bool
    price: Decimal | None
    currency: str
    customer: str | None
    document_ref: str
    note: str

    @staticmethod
    def resolve_organization(event: VehicleEvent) -> str | None:
        return event.organization.short_name if event.organization else None

    @staticmethod
    def resolve_country(event: VehicleEvent) -> str | None:
        return event.country_id

    @staticmethod
    def resolve_customer(event: VehicleEvent) -> str | None:
        return event.customer.name if event.customer else None


class ProductionRowIn(Schema):
    vin: VinText
    variant_id: RowId
    produced_on: IsoDate
    plant_id: RowId | None = None
    line_sequence: int | None = Field(None, ge=0, le=2**63 - 1)


class ProductionIn(Schema):
    rows: list[ProductionRowIn] = Field(..., min_length=1, max_length=services.MAX_PRODUCTION_ROWS)


class ProductionOut(Schema):
    count: int
    vehicles: list[VehicleOut]
    warnings: dict[str, list[str]] = Field(
        description="Check-digit mismatches by VIN where the digit is not mandatory."
    )


class CustomerIn(Schema):
    kind: CustomerKind
    name: str = Field(..., min_length=1, max_length=200)
    country: str = Field(..., pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code.")
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    external_ref: str = Field("", max_length=60)


class RetailIn(Schema):
    customer: CustomerIn
    occurred_on: IsoDate
    price: AmountIn
    currency: str = Field(..., pattern=r"^[A-Za-z]{3}$", description="ISO 4217 code.")
    document_ref: str = Field("", max_length=120, description="Invoice or contract number.")


class RegisterIn(Schema):
    occurred_on: IsoDate
    document_ref: str = Field("", max_length=120, description="Plate or certificate number.")
    place: str = Field("", max_length=120)


class ScrapIn(Schema):
    occurred_on: IsoDate
    note: str = Field("", max_length=2000)


class DeliverIn(Schema):
    vins: list[VinText] = Field(..., min_length=1, max_length=MAX_DELIVERED)
    dealer_id: RowId
    occurred_on: IsoDate
    document_ref: str = Field("", max_length=120)


class MilestoneQuery(Schema):
    brand: RowId
    product_line: RowId | None = None
    every: int = Field(100_000, ge=1, le=10**9, description="Round number between milestones.")


class MilestoneOut(Schema):
    unit: int
    produced_on: date
    vin: str
    days_since_previous: int | None
    interval: str


# --- helpers --------------------------------------------------------------------------


def _vehicle(request: HttpRequest, vin: str) -> Vehicle:
    return selectors.vehicle_by_vin(actor=request_actor(request), vin=vin)


def _vehicles_by_vin(actor: Actor | None, vins: list[str]) -> list[Vehicle]:
    """The named vehicles in the order given; a bad VIN is a 422, an unseen one a 404."""
    cleaned = [normalize(vin) for vin in vins]
    fields: dict[str, list[str]] = {}
    for index, vin in enumerate(cleaned):
        problem = syntax_problem(vin)
        if problem:
            fields[f"vins.{index}"] = [problem]
        elif vin in cleaned[:index]:
            fields[f"vins.{index}"] = [_("%(vin)s is given twice.") % {"vin": vin}]
    if fields:
        raise ValidationFailed(fields=fields)
    found = {
        vehicle.vin: vehicle
        for vehicle in selectors.vehicle_list(actor=actor).filter(vin__in=cleaned)
    }
    if len(found) != len(cleaned):
        raise NotFound()
    return [found[vin] for vin in cleaned]


# --- endpoints (fixed paths before /{vin}) ----------------------------------------------


@router.get("/", response=list[VehicleOut], summary="List the vehicles the caller may see")
@paginate(PageNumberPagination)
def vehicle_list(request: HttpRequest, filters: Query[VehicleFilter]) -> QuerySet[Vehicle]:
    return filters.filter(selectors.vehicle_list(actor=request_actor(request)))


@router.get(
    "/milestones",
    response=list[MilestoneOut],
    summary="The dates of a brand's round-numbered units off the line (its owner only)",
)
def milestones(request: HttpRequest, query: Query[MilestoneQuery]) -> list[selectors.Milestone]:
    actor = request_actor(request)
    brand = selectors.brand_for_milestones(actor=actor, brand_id=query.brand)
    product_line = None
    if query.product_line is not None:
        product_line = brand.product_lines.filter(pk=query.product_line).first()
        if product_line is None:
            raise ValidationFailed(
                fields={
                    "product_line": [
                        _("No such product line: %(id)s.") % {"id": query.product_line}
                    ]
                }
            )
    return selectors.production_milestones(
        brand=brand, product_line=product_line, every=query.every
    )


@router.post(
    "/produce",
    response={201: ProductionOut},
    summary="Register vehicles off the line (the brand owner's staff)",
)
def vehicles_produce(request: HttpRequest, payload: ProductionIn) -> Status[dict]:
    result = services.vehicles_produce(
        actor=request_actor(request),
        rows=[services.ProductionRow(**row.dict()) for row in payload.rows],
    )
    body = {"count": len(result.vehicles), "vehicles": result.vehicles, "warnings": result.warnings}
    return Status(201, body)


@router.post(
    "/deliver",
    response=list[VehicleOut],
    summary="Deliver vehicles into a dealer's stock, all or none",
)
def vehicles_deliver(request: HttpRequest, payload: DeliverIn) -> list[Vehicle]:
    actor = request_actor(request)
    vehicles = _vehicles_by_vin(actor, payload.vins)
    dealer = selectors.delivery_dealers(actor=actor).filter(pk=payload.dealer_id).first()
    if dealer is None:
        raise ValidationFailed(
            fields={"dealer_id": [_("No such dealer: %(id)s.") % {"id": payload.dealer_id}]}
        )
    return services.vehicles_deliver_to_dealer(
        actor=actor,
        vehicles=vehicles,
        dealer=dealer,
        occurred_on=payload.occurred_on,
        document_ref=payload.document_ref,
    )


@router.get("/{vin}", response=VehicleOut, summary="Read a vehicle by its VIN")
def vehicle_detail(request: HttpRequest, vin: VinPath) -> Vehicle:
    return _vehicle(request, vin)


@router.get("/{vin}/events", response=list[VehicleEventOut], summary="A vehicle's events, in order")
def vehicle_events(request: HttpRequest, vin: VinPath) -> list[VehicleEvent]:
    return selectors.vehicle_timeline(actor=request_actor(request), vehicle=_vehicle(request, vin))


@router.post(
    "/{vin}/retail", response=VehicleOut, summary="Sell a vehicle in dealer stock to a customer"
)
def vehicle_retail(request: HttpRequest, vin: VinPath, payload: RetailIn) -> Vehicle:
    vehicle = _vehicle(request, vin)
    customer = payload.customer
    return services.vehicle_retail(
        actor=request_actor(request),
        vehicle=vehicle,
        customer=services.NewCustomer(
            kind=customer.kind,
            name=customer.name,
            country_id=customer.country,
            email=customer.email,
            phone=customer.phone,
            external_ref=customer.external_ref,
        ),
        occurred_on=payload.occurred_on,
        price=payload.price,
        currency=payload.currency,
        document_ref=payload.document_ref,
    )


@router.post(
    "/{vin}/register", response=VehicleOut, summary="Record a retailed vehicle's registration"
)
def vehicle_register(request: HttpRequest, vin: VinPath, payload: RegisterIn) -> Vehicle:
    return services.vehicle_register(
        actor=request_actor(request),
        vehicle=_vehicle(request, vin),
        occurred_on=payload.occurred_on,
        document_ref=payload.document_ref,
        place=payload.place,
    )


@router.post("/{vin}/scrap", response=VehicleOut, summary="Scrap a vehicle")
def vehicle_scrap(request: HttpRequest, vin: VinPath, payload: ScrapIn) -> Vehicle:
    return services.vehicle_scrap(
        actor=request_actor(request),
        vehicle=_vehicle(request, vin),
        occurred_on=payload.occurred_on,
        note=payload.note,
    )


@router.delete(
    "/{vin}",
    response={204: None},
    summary="Remove a vehicle registered in error (brand owner's staff; production only)",
)
def vehicle_remove(request: HttpRequest, vin: VinPath) -> Status[None]:
    services.vehicle_remove(actor=request_actor(request), vehicle=_vehicle(request, vin))
    return Status(204, None)
