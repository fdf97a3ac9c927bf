"""API endpoints of the markets app: countries, their market profiles, business regions.

Every signed-in caller reads them (reference data); the platform's stewards change
them, and staff of a partner granted a market change its profile's field notes.

No ``from __future__ import annotations`` here: ninja reads the endpoints'
``Query[...]`` annotations through ``@paginate``'s wrapper, which cannot resolve
postponed (string) annotations.
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema
from pydantic.json_schema import SkipJsonSchema

from seabridge.core.pagination import PageNumberPagination
from seabridge.core.views import request_actor
from seabridge.markets import services
from seabridge.markets.choices import TrafficSide
from seabridge.markets.filters import BusinessRegionFilter, CountryFilter
from seabridge.markets.models import BusinessRegion, Country, MarketProfile
from seabridge.markets.selectors import business_region_get, countries_with_relations, country_get

router = Router(tags=["markets"])

# A percentage from 0 to 1000, as a JSON number or a decimal string ("12.5").
DutyPercent = Annotated[
    Decimal,
    Field(ge=0, le=1000),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1000},
                {
                    "type": "string",
                    "pattern": r"^(?:[0-9]{1,3}(?:\.[0-9]{1,2})?|1000(?:\.0{1,2})?)$",
                },
            ],
            "description": "Percent from 0 to 1000, at most two decimals; null clears it.",
        }
    ),
]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(?:_[A-Za-z]{2,4})?$")]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]
SiteLanguage = Literal["en", "zh-hans", "ar", "es", "pt-br", "fr", "ru"]
RegionName = Annotated[str, Field(min_length=1, max_length=80)]


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    alpha3: str
    numeric: str
    name: str = Field(description="English name.")
    localized_name: str = Field(description="Name in the caller's language.")
    names: dict[str, str] = Field(description="Name per language code.")
    currency: str
    m49_region_code: str
    m49_region: str
    m49_subregion_code: str
    m49_subregion: str
    latitude: float | None
    longitude: float | None
    traffic_side: TrafficSide | None
    business_regions: list[str] = Field(description="Codes of the business regions it sits in.")

    @staticmethod
    def resolve_localized_name(country: Country) -> str:
        return country.localized_name()

    @staticmethod
    def resolve_traffic_side(country: Country) -> str | None:
        profile = getattr(country, "profile", None)
        return profile.traffic_side if profile else None

    @staticmethod
    def resolve_business_regions(country: Country) -> list[str]:
        return [region.code for region in country.business_regions.all()]


class MarketProfileOut(Schema):
    country: str = Field(description="ISO 3166-1 alpha-2.")
    traffic_side: TrafficSide
    emission_standard: str
    fuel_quality_notes: str
    import_duty_pickup_pct: Decimal | None
    import_duty_passenger_pct: Decimal | None
    currency: str
    official_languages: list[str]
    is_resource_rich: bool
    notes: str
    updated_at: datetime | None = Field(description="Empty while the profile was never saved.")

    @staticmethod
    def resolve_country(profile: MarketProfile) -> str:
        return profile.country_id


class MarketProfileIn(Schema):
    """A partial update: only the fields sent change (a field left out is not null)."""

    traffic_side: TrafficSide | SkipJsonSchema[None] = None
    emission_standard: Annotated[str, Field(max_length=60)] | SkipJsonSchema[None] = None
    fuel_quality_notes: str | SkipJsonSchema[None] = None
    import_duty_pickup_pct: DutyPercent | None = None
    import_duty_passenger_pct: DutyPercent | None = None
    currency: (
        Annotated[str, Field(pattern=r"^(?:[A-Za-z]{3})?$", description="ISO 4217, or empty.")]
        | SkipJsonSchema[None]
    ) = None
    official_languages: list[LanguageCode] | SkipJsonSchema[None] = None
    is_resource_rich: bool | SkipJsonSchema[None] = None
    notes: str | SkipJsonSchema[None] = None


class BusinessRegionOut(Schema):
    code: str
    name: str
    localized_name: str
    names: dict[str, str]
    countries: list[str] = Field(description="ISO codes of its member countries.")

    @staticmethod
    def resolve_localized_name(region: BusinessRegion) -> str:
        return region.localized_name()

    @staticmethod
    def resolve_countries(region: BusinessRegion) -> list[str]:
        return sorted(country.code for country in region.countries.all())


class BusinessRegionIn(Schema):
    code: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=40)
    name: RegionName
    names: dict[SiteLanguage, RegionName] = Field(
        default_factory=dict, description="Name per language code."
    )
    countries: list[CountryCode] = Field(default_factory=list, description="Members' ISO codes.")


class BusinessRegionPatchIn(Schema):
    """A partial update of a business region: only the fields sent change."""

    name: RegionName | SkipJsonSchema[None] = None
    names: dict[SiteLanguage, RegionName] | SkipJsonSchema[None] = None
    countries: list[CountryCode] | SkipJsonSchema[None] = None


def _regions_with_countries() -> QuerySet[BusinessRegion]:
    return BusinessRegion.objects.prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("code"))
    )


@router.get("/countries", response=list[CountryOut], summary="List countries")
@paginate(PageNumberPagination)
def country_list(request: HttpRequest, filters: Query[CountryFilter]) -> QuerySet[Country]:
    return filters.filter(countries_with_relations())


@router.get("/countries/{code}", response=CountryOut, summary="Read a country")
def country_detail(request: HttpRequest, code: str) -> Country:
    return country_get(code)


@router.get(
    "/countries/{code}/profile", response=MarketProfileOut, summary="Read a country's profile"
)
def market_profile_detail(request: HttpRequest, code: str) -> MarketProfile:
    country = country_get(code)
    profile = getattr(country, "profile", None)
    if profile is None:
        # Reading never writes: a country loaded without a profile shows the defaults.
        profile = MarketProfile(
            country=country, traffic_side=services.default_traffic_side(country.code)
        )
    return profile


@router.patch(
    "/countries/{code}/profile",
    response=MarketProfileOut,
    summary="Change some fields of a country's profile",
)
def market_profile_update(
    request: HttpRequest, code: str, payload: MarketProfileIn
) -> MarketProfile:
    country = country_get(code)
    return services.market_profile_update(
        actor=request_actor(request), country=country, data=payload.model_dump(exclude_unset=True)
    )


@router.get("/regions", response=list[BusinessRegionOut], summary="List business regions")
@paginate(PageNumberPagination)
def business_region_list(
    request: HttpRequest, filters: Query[BusinessRegionFilter]
) -> QuerySet[BusinessRegion]:
    return filters.filter(_regions_with_countries()).distinct()


@router.post("/regions", response={201: BusinessRegionOut}, summary="Create a business region")
def business_region_create(
    request: HttpRequest, payload: BusinessRegionIn
) -> Status[BusinessRegion]:
    region = services.business_region_create(actor=request_actor(request), **payload.model_dump())
    return Status(201, region)


@router.get("/regions/{code}", response=BusinessRegionOut, summary="Read a business region")
def business_region_detail(request: HttpRequest, code: str) -> BusinessRegion:
    return business_region_get(code)


@router.patch(
    "/regions/{code}",
    response=BusinessRegionOut,
    summary="Change a business region's names or member countries",
)
def business_region_update(
    request: HttpRequest, code: str, payload: BusinessRegionPatchIn
) -> BusinessRegion:
    region = business_region_get(code)
    return services.business_region_update(
        actor=request_actor(request), region=region, data=payload.model_dump(exclude_unset=True)
    )
