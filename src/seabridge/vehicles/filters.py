"""One filter definition for vehicles, shared by the list page and the API endpoint."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
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

    def filter_q(self, value: str | None) -> Q:
        # A prefix match on the unique VIN index (stored upper case).
        return Q(vin__startswith=value.strip().upper()) if value else Q()

    def filter_market(self, value: str | None) -> Q:
        return Q(market_id=value.upper()) if value else Q()
