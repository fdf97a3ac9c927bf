"""One filter definition per entity, for the list pages and the list endpoints alike."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from seabridge.core.types import RowId
from seabridge.planning.choices import PlanStatus


class SalesPlanFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["title__icontains", "notes__icontains"])] = None
    status: Annotated[PlanStatus | None, FilterLookup("status")] = None
    brand: Annotated[RowId | None, FilterLookup("brand_id")] = None
