"""One filter definition per entity, shared by the list pages and the API endpoints."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema

from seabridge.catalog.choices import (
    NEW_ENERGY_POWERTRAINS,
    BodyType,
    HomologationStatus,
    Powertrain,
    SteeringSide,
)
from seabridge.core.types import RowId

SearchText = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]


class BrandFilter(FilterSchema):
    q: Annotated[
        SearchText | None, FilterLookup("name__icontains"), Field(description="Name contains.")
    ] = None


class ProductLineFilter(FilterSchema):
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
    q: Annotated[
        SearchText | None, FilterLookup("name__icontains"), Field(description="Name contains.")
    ] = None


class VariantFilter(FilterSchema):
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
    product_line: Annotated[RowId | None, FilterLookup("product_line_id")] = None
    powertrain: Powertrain | None = None
    body: BodyType | None = None
    steering: SteeringSide | None = None
    new_energy: bool | None = Field(
        None, description="True: BEV, PHEV and EREV only; false: diesel and petrol only."
    )
    q: Annotated[
        SearchText | None,
        FilterLookup(["code__icontains", "name__icontains"]),
        Field(description="Code or name contains."),
    ] = None

    def filter_new_energy(self, value: bool | None) -> Q:
        if value is None:
            return Q()
        condition = Q(powertrain__in=sorted(NEW_ENERGY_POWERTRAINS))
        return condition if value else ~condition


class HomologationFilter(FilterSchema):
    variant: Annotated[RowId | None, FilterLookup("variant_id")] = None
    country: Annotated[
        str | None,
        FilterLookup("country_id"),
        Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2 code."),
    ] = None
    status: HomologationStatus | None = None

    def filter_country(self, value: str | None) -> Q:
        return Q(country_id=value.upper()) if value else Q()
