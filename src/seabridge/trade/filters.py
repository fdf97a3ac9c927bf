"""One filter definition per entity, for the list pages and the list endpoints alike."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from ninja import FilterLookup, FilterSchema
from pydantic import Field

from seabridge.core.types import RowId
from seabridge.trade.choices import OrderStatus, ShipmentMode, ShipmentStatus

CountryCode = Annotated[str, Field(min_length=2, max_length=2)]


class ExportOrderFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup("number__icontains")] = None
    status: Annotated[OrderStatus | None, FilterLookup("status")] = None
    destination: CountryCode | None = None
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
    buyer: Annotated[RowId | None, FilterLookup("buyer_id")] = None

    def filter_destination(self, value: str | None) -> Q:
        # Country codes are stored upper case: an exact match keeps the index.
        return Q(destination_id=value.upper()) if value else Q()


class ShipmentFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(["number__icontains", "bill_of_lading__icontains", "vessel__icontains"]),
    ] = None
    status: Annotated[ShipmentStatus | None, FilterLookup("status")] = None
    destination: CountryCode | None = None
    mode: Annotated[ShipmentMode | None, FilterLookup("mode")] = None

    def filter_destination(self, value: str | None) -> Q:
        return Q(destination_id=value.upper()) if value else Q()
