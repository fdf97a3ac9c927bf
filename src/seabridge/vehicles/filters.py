"""One filter definition for vehicles, shared by the list page and the API endpoint."""

from __future__ import annotations

from typing import Annotated

from django.db.models import F, Q
from ninja import Field, FilterLookup, FilterSchema

from seabridge.core.types import IsoDate, RowId
from seabridge.vehicles.choices import VehicleState


class VehicleFilter(FilterSchema):
    q: Annotated[
        str | None,
        Field(
            max_length=17,
            pattern=r"^[A-Za-z0-9]*$",
            description="VIN starts with (letters and digits, any case).",
        ),
    ] = None
    state: VehicleState | None = None
    market: Annotated[
        str | None,
        Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code of the market."),
    ] = None
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
    variant: Annotated[RowId | None, FilterLookup("variant_id")] = None
    produced_from: Annotated[
        IsoDate | None, FilterLookup("produced_on__gte"), Field(description="Produced on or after.")
    ] = None
    produced_to: Annotated[
        IsoDate | None,
        FilterLookup("produced_on__lte"),
        Field(description="Produced on or before."),
    ] = None
    wholesaled_from: Annotated[
        IsoDate | None,
        FilterLookup("wholesaled_on__gte"),
        Field(description="Wholesaled on or after."),
    ] = None
    wholesaled_to: Annotated[
        IsoDate | None,
        FilterLookup("wholesaled_on__lte"),
        Field(description="Wholesaled on or before."),
    ] = None
    retailed_from: Annotated[
        IsoDate | None,
        FilterLookup("retailed_on__gte"),
        Field(description="Retailed on or after."),
    ] = None
    retailed_to: Annotated[
        IsoDate | None,
        FilterLookup("retailed_on__lte"),
        Field(description="Retailed on or before."),
    ] = None
    product_line: Annotated[
        RowId | None,
        FilterLookup("variant__product_line_id"),
        Field(description="Id of the product line (model) of the vehicle's variant."),
    ] = None
    region: Annotated[
        str | None,
        Field(
            max_length=40,
            pattern=r"^[-a-zA-Z0-9_]+$",
            description="Code of a business region the market belongs to (e.g. gcc).",
        ),
    ] = None
    domestic: Annotated[
        bool | None,
        Field(description=("true: sold in the brand owner's home country; false: sold abroad.")),
    ] = None

    def filter_q(self, value: str | None) -> Q:
        # A prefix match on the unique VIN index (stored upper case).
        return Q(vin__startswith=value.strip().upper()) if value else Q()

    def filter_market(self, value: str | None) -> Q:
        return Q(market_id=value.upper()) if value else Q()

    def filter_region(self, value: str | None) -> Q:
        # A country is in a region at most once, so the join adds no duplicate rows.
        return Q(market__business_regions__code=value) if value else Q()

    def filter_domestic(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        home = Q(market_id=F("brand__owner__home_country_id"))
        return home if value else ~home
