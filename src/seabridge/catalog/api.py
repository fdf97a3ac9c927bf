"""API endpoints of the catalog app: brands, product lines, variants, homologations."""

from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seabridge.catalog import selectors, services
from seabridge.catalog.choices import BodyType, HomologationStatus, Powertrain, SteeringSide
from seabridge.catalog.filters import (
    BrandFilter,
    HomologationFilter,
    ProductLineFilter,
    VariantFilter,
)
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.core.errors import ValidationFailed
from seabridge.core.money import AmountIn
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.scope import Actor, get_visible, restrict
from seabridge.core.types import IsoDate, PathId, RowId
from seabridge.core.views import request_actor
from seabridge.markets.models import Country

router = Router(tags=["catalog"])

ReferenceId = RowId  # an id named in a body


def _reference(actor: Actor | None, queryset: QuerySet[Any], field: str, pk: int) -> Any:
    """A row named in the request body; unknown and invisible rows get the same 422."""
    found = restrict(actor, queryset).filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [_("No such record: %(id)s.") % {"id": pk}]})
    return found


# --- schemas --------------------------------------------------------------------------


class BrandIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)


class BrandOut(Schema):
    id: int
    name: str
    owner_id: int


class ProductLineIn(Schema):
    brand_id: ReferenceId
    name: str = Field(..., min_length=1, max_length=60)
    description: str = Field("", max_length=5000)
    launched_on: IsoDate | None = None


class ProductLinePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=60)
    description: str | None = Field(None, max_length=5000)
    launched_on: IsoDate | None = None


class ProductLineOut(Schema):
    id: int
    brand_id: int
    name: str
    description: str
    launched_on: date | None


class VariantIn(Schema):
    product_line_id: ReferenceId
    code: str = Field(..., min_length=1, max_length=40)
    name: str = Field(..., min_length=1, max_length=120)
    body: BodyType
    powertrain: Powertrain
    steering: SteeringSide = SteeringSide.LEFT
    emission_standard: str = Field("", max_length=40)
    engine: str = Field("", max_length=80)
    hs_code: str = Field(..., max_length=14, description="4 to 10 digits, starting 8703 or 8704.")
    list_price: AmountIn | None = None
    list_price_currency: str = Field("", max_length=3, description="ISO 4217 code, e.g. CNY.")
    is_active: bool = True


class VariantPatch(Schema):
    product_line_id: ReferenceId | None = None
    code: str | None = Field(None, min_length=1, max_length=40)
    name: str | None = Field(None, min_length=1, max_length=120)
    body: BodyType | None = None
    powertrain: Powertrain | None = None
    steering: SteeringSide | None = None
    emission_standard: str | None = Field(None, max_length=40)
    engine: str | None = Field(None, max_length=80)
    hs_code: str | None = Field(None, max_length=14)
    list_price: AmountIn | None = None
    list_price_currency: str | None = Field(None, max_length=3)
    is_active: bool | None = None


class VariantOut(Schema):
    id: int
    brand_id: int
    product_line_id: int
    code: str
    name: str
    body: BodyType
    powertrain: Powertrain
    steering: SteeringSide
    emission_standard: str
    engine: str
    hs_code: str
    list_price: Decimal | None
    list_price_currency: str
    is_active: bool
    is_new_energy: bool


class HomologationIn(Schema):
    variant_id: ReferenceId
    country: str = Field(..., pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code.")
    status: HomologationStatus = HomologationStatus.PENDING
    valid_until: IsoDate | None = None
    certificate_ref: str = Field("", max_length=80)


class HomologationPatch(Schema):
    status: HomologationStatus | None = None
    valid_until: IsoDate | None = None
    certificate_ref: str | None = Field(None, max_length=80)


class HomologationOut(Schema):
    id: int
    variant_id: int
    country: str
    status: HomologationStatus
    valid_until: date | None
    certificate_ref: str

    @staticmethod
    def resolve_country(obj: Homologation) -> str:
        return obj.country_id


def _changes(payload: Schema, *, nullable: set[str]) -> dict[str, Any]:
    """The fields a PATCH sets; null is refused, naming the field, where it means nothing."""
    data = payload.dict(exclude_unset=True)
    for name, value in data.items():
        if value is None and name not in nullable:
            raise ValidationFailed(fields={name: [_("This field cannot be null.")]})
    return data


def _country(code: str) -> Country:
    country = Country.objects.select_related("profile").filter(code=code.upper()).first()
    if country is None:
        raise ValidationFailed(
            fields={"country": [_("%(code)s is not a known country code.") % {"code": code}]}
        )
    return country


# --- brands ---------------------------------------------------------------------------


@router.get("/brands", response=list[BrandOut], summary="List the brands the caller may see")
@paginate(PageNumberPagination)
def brand_list(request: HttpRequest, filters: Query[BrandFilter]) -> QuerySet[Brand]:
    return filters.filter(selectors.brand_list(actor=request_actor(request)))


@router.post("/brands", response={201: BrandOut}, summary="Create a brand of the caller's maker")
def brand_create(request: HttpRequest, payload: BrandIn) -> Status[Brand]:
    return Status(201, services.brand_create(actor=request_actor(request), name=payload.name))


@router.get("/brands/{brand_id}", response=BrandOut, summary="Read a brand")
def brand_detail(request: HttpRequest, brand_id: PathId) -> Brand:
    return get_visible(request_actor(request), Brand.objects.all(), pk=brand_id)


@router.patch("/brands/{brand_id}", response=BrandOut, summary="Rename a brand")
def brand_update(request: HttpRequest, brand_id: PathId, payload: BrandIn) -> Brand:
    actor = request_actor(request)
    brand = get_visible(actor, Brand.objects.all(), pk=brand_id)
    return services.brand_update(actor=actor, brand=brand, name=payload.name)


# --- product lines --------------------------------------------------------------------


@router.get(
    "/product-lines",
    response=list[ProductLineOut],
    summary="List the product lines the caller may see",
)
@paginate(PageNumberPagination)
def product_line_list(
    request: HttpRequest, filters: Query[ProductLineFilter]
) -> QuerySet[ProductLine]:
    return filters.filter(selectors.product_line_list(actor=request_actor(request)))


@router.post(
    "/product-lines", response={201: ProductLineOut}, summary="Add a product line to a brand"
)
def product_line_create(request: HttpRequest, payload: ProductLineIn) -> Status[ProductLine]:
    actor = request_actor(request)
    brand = _reference(actor, Brand.objects.all(), "brand_id", payload.brand_id)
    line = services.product_line_create(
        actor=actor,
        brand=brand,
        name=payload.name,
        description=payload.description,
        launched_on=payload.launched_on,
    )
    return Status(201, line)


@router.get("/product-lines/{line_id}", response=ProductLineOut, summary="Read a product line")
def product_line_detail(request: HttpRequest, line_id: PathId) -> ProductLine:
    return get_visible(request_actor(request), ProductLine.objects.all(), pk=line_id)


@router.patch("/product-lines/{line_id}", response=ProductLineOut, summary="Change a product line")
def product_line_update(
    request: HttpRequest, line_id: PathId, payload: ProductLinePatch
) -> ProductLine:
    actor = request_actor(request)
    line = get_visible(actor, ProductLine.objects.select_related("brand"), pk=line_id)
    data = _changes(payload, nullable={"launched_on"})
    return services.product_line_update(
        actor=actor, product_line=line, changes=cast(services.ProductLineChanges, data)
    )


# --- variants -------------------------------------------------------------------------


@router.get("/variants", response=list[VariantOut], summary="List the variants the caller may see")
@paginate(PageNumberPagination)
def variant_list(request: HttpRequest, filters: Query[VariantFilter]) -> QuerySet[Variant]:
    return filters.filter(selectors.variant_list(actor=request_actor(request)))


@router.post("/variants", response={201: VariantOut}, summary="Add a variant to a product line")
def variant_create(request: HttpRequest, payload: VariantIn) -> Status[Variant]:
    actor = request_actor(request)
    line = _reference(
        actor,
        ProductLine.objects.select_related("brand"),
        "product_line_id",
        payload.product_line_id,
    )
    values = payload.dict(exclude={"product_line_id"})
    return Status(201, services.variant_create(actor=actor, product_line=line, **values))


@router.get("/variants/{variant_id}", response=VariantOut, summary="Read a variant")
def variant_detail(request: HttpRequest, variant_id: PathId) -> Variant:
    return get_visible(request_actor(request), Variant.objects.all(), pk=variant_id)


@router.patch("/variants/{variant_id}", response=VariantOut, summary="Change a variant")
def variant_update(request: HttpRequest, variant_id: PathId, payload: VariantPatch) -> Variant:
    actor = request_actor(request)
    variant = get_visible(actor, Variant.objects.select_related("brand"), pk=variant_id)
    data = _changes(payload, nullable={"list_price"})
    if "product_line_id" in data:
        data["product_line"] = _reference(
            actor,
            ProductLine.objects.select_related("brand"),
            "product_line_id",
            data.pop("product_line_id"),
        )
    return services.variant_update(
        actor=actor, variant=variant, changes=cast(services.VariantChanges, data)
    )


# --- homologations --------------------------------------------------------------------


@router.get(
    "/homologations",
    response=list[HomologationOut],
    summary="List the homologations the caller may see",
)
@paginate(PageNumberPagination)
def homologation_list(
    request: HttpRequest, filters: Query[HomologationFilter]
) -> QuerySet[Homologation]:
    return filters.filter(selectors.homologation_list(actor=request_actor(request)))


@router.post(
    "/homologations",
    response={200: HomologationOut},
    summary="Record a variant's homologation in a country (created or updated)",
)
def homologation_set(request: HttpRequest, payload: HomologationIn) -> Homologation:
    actor = request_actor(request)
    variant = _reference(actor, Variant.objects.all(), "variant_id", payload.variant_id)
    return services.homologation_set(
        actor=actor,
        variant=variant,
        country=_country(payload.country),
        status=payload.status,
        valid_until=payload.valid_until,
        certificate_ref=payload.certificate_ref,
    )


@router.get(
    "/homologations/{homologation_id}", response=HomologationOut, summary="Read a homologation"
)
def homologation_detail(request: HttpRequest, homologation_id: PathId) -> Homologation:
    return get_visible(request_actor(request), Homologation.objects.all(), pk=homologation_id)


@router.patch(
    "/homologations/{homologation_id}",
    response=HomologationOut,
    summary="Change a homologation's status, validity or certificate",
)
def homologation_update(
    request: HttpRequest, homologation_id: PathId, payload: HomologationPatch
) -> Homologation:
    actor = request_actor(request)
    homologation = get_visible(
        actor,
        Homologation.objects.select_related("variant", "country__profile"),
        pk=homologation_id,
    )
    data = _changes(payload, nullable={"valid_until"})
    return services.homologation_update(
        actor=actor,
        homologation=homologation,
        changes=cast(services.HomologationChanges, data),
    )
