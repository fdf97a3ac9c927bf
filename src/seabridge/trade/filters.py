"""One filter definition per entity, for the list pages and the list endpoints alike."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema
from pydantic import Field

from seabridge.core.types import RowId
from seabridge.trade.choices import OrderStatus, ShipmentMode, ShipmentStatus

CountryCode = Annotated[str, Field(min_length=2, max_length=2)]


class ExportOrderFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup("number__icontains")] = None
    status: Annotated[OrderStatus | None, FilterLookup("status")] = None
    destination: Annotated[CountryCode | None, FilterLookup("destination_id__iexact")] = None
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
    buyer: Annotated[RowId | None, FilterLookup("buyer_id")] = None


class ShipmentFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(["number__icontains", "bill_of_lading__icontains", "vessel__icontains"]),
    ] = None
    status: Annotated[ShipmentStatus | None, FilterLookup("status")] = None
    destination: Annotated[CountryCode | None, FilterLookup("destination_id__iexact")] = None
    mode: Annotated[ShipmentMode | None, FilterLookup("mode")] = None
