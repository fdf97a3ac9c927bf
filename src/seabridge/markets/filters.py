"""One filter definition per entity, shared by the list pages and the list endpoints."""

from __future__ import annotations

from typing import Annotated

from django.db.models import Q
from django.utils.translation import get_language
from ninja import FilterLookup, FilterSchema
from pydantic import Field

from seabridge.markets.choices import TrafficSide


class CountryFilter(FilterSchema):
    """``q`` searches the ISO codes and the name (English and the reader's language)."""

    q: Annotated[str | None, Field(max_length=100, description="Code or name contains.")] = None
    region: Annotated[
        str | None,
        Field(pattern=r"^[0-9]{1,3}$", description="UN M49 region code (002 Africa)."),
    ] = None
    business_region: Annotated[
        str | None,
        FilterLookup("business_regions__code"),
        Field(max_length=40, description="Business region code (gcc, asean)."),
    ] = None
    traffic_side: Annotated[TrafficSide | None, FilterLookup("profile__traffic_side")] = None

    def filter_q(self, value: str | None) -> Q:
        if not value or not value.strip():
            return Q()
        text = value.strip()
        language = (get_language() or "en").lower()
        return (
            Q(code__iexact=text)
            | Q(alpha3__iexact=text)
            | Q(name__icontains=text)
            | Q(**{f"names__{language}__icontains": text})
        )

    def filter_region(self, value: str | None) -> Q:
        return Q(m49_region_code=value.zfill(3)) if value else Q()


class BusinessRegionFilter(FilterSchema):
    """``q`` searches the region's code and name; ``country`` lists the regions it sits in."""

    q: Annotated[
        str | None,
        FilterLookup(["code__icontains", "name__icontains"]),
        Field(max_length=80, description="Code or name contains."),
    ] = None
    country: Annotated[
        str | None,
        FilterLookup("countries__code__iexact"),
        Field(max_length=2, description="ISO code of a member country."),
    ] = None
