"""Analytics endpoints: KPIs, the market ranking, the monthly trend, the powertrain mix,
production milestones and the written bulletin.

Every figure counts only what the caller's scope shows: a partner sees the markets its
grants cover, a caller acting for no organisation sees nothing. A brand is named by its
id or its name; one the caller cannot see is refused like an unknown one (422 naming
``brand``), so the answer does not reveal that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import AfterValidator, WithJsonSchema

from seabridge.analytics import selectors
from seabridge.analytics.bulletin import FIRST_DAY, FIRST_YEAR, LANGUAGES, LAST_DAY, LAST_YEAR
from seabridge.analytics.bulletin import bulletin as write_bulletin
from seabridge.analytics.choices import Measure
from seabridge.catalog.models import Brand, ProductLine
from seabridge.core.errors import FieldErrors, ValidationFailed
from seabridge.core.periods import Period
from seabridge.core.scope import Actor
from seabridge.core.types import IsoDate, RowId
from seabridge.core.views import request_actor
from seabridge.vehicles.selectors import (
    Milestone,
    brand_for_milestones,
    production_milestones,
)

router = Router(tags=["analytics"])

T = TypeVar("T")
MAX_TREND_MONTHS = 120
# Brand ids are 64-bit: longer digit strings are names (and never a database overflow).
MAX_ID_DIGITS = 18


def _known_language(value: str) -> str:
    if value not in LANGUAGES:
        raise ValueError(_("Choose one of %(languages)s.") % {"languages": ", ".join(LANGUAGES)})
    return value


# Query parameter types. The measure's values are written out in the schema (not as a
# shared "Measure" component: the planning app's Measure choices hold that name).
MeasureParam = Annotated[
    Measure,
    WithJsonSchema(
        {"type": "string", "enum": list(Measure.values), "description": "What to count."}
    ),
]
LanguageParam = Annotated[
    str, AfterValidator(_known_language), WithJsonSchema({"type": "string", "enum": LANGUAGES})
]
BrandParam = Annotated[
    str, Field(min_length=1, max_length=100, description="A brand's id or its name, e.g. JAC.")
]


# --- schemas --------------------------------------------------------------------------------


class FiguresQuery(Schema):
    brand: BrandParam | None = Field(None, description="Every brand the caller sees if left out.")
    measure: MeasureParam = Measure.SALES
    from_: IsoDate = Field(..., alias="from", description="The period's first day.")
    to: IsoDate = Field(..., description="The period's last day (included).")
    market: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2.")
    region: str | None = Field(
        None, min_length=1, max_length=100, description="A business region's code or name."
    )
    product_line: RowId | None = None


class KpiSideOut(Schema):
    units: int
    previous_units: int
    yoy_pct: float | None
    countries: int


class KpiOut(Schema):
    measure: str
    from_: date = Field(..., alias="from")
    to: date
    previous_from: date
    previous_to: date
    units: int = Field(description="For vehicles in operation: the count on the last day.")
    previous_units: int
    yoy_pct: float | None = Field(
        description="Growth over the same dates a year earlier, in percent; null without a base."
    )
    domestic: KpiSideOut
    international: KpiSideOut
    countries: int
    countries_ever: int
    regions: list[str]
    new_energy_units: int
    new_energy_share_pct: float | None
    revenue: dict[str, str] = Field(description="Wholesale revenue by currency (sales only).")


def _pct(value: Any) -> float | None:
    return float(value) if value is not None else None


class MarketOut(Schema):
    code: str
    name: str
    is_domestic: bool
    units: int
    previous_units: int
    yoy_pct: float | None

    @staticmethod
    def resolve_units(line: selectors.MarketLine) -> int:
        return line.growth.units

    @staticmethod
    def resolve_previous_units(line: selectors.MarketLine) -> int:
        return line.growth.previous_units

    @staticmethod
    def resolve_yoy_pct(line: selectors.MarketLine) -> float | None:
        return _pct(line.growth.pct)


class TrendMonthOut(Schema):
    month: date = Field(description="The month's first day.")
    units: int
    previous_units: int = Field(description="The same month a year earlier.")
    yoy_pct: float | None

    @staticmethod
    def resolve_yoy_pct(point: selectors.MonthPoint) -> float | None:
        return _pct(point.yoy_pct)


class PowertrainShareOut(Schema):
    powertrain: str
    units: int
    share_pct: float | None

    @staticmethod
    def resolve_powertrain(line: selectors.MixLine) -> str:
        return line.key

    @staticmethod
    def resolve_share_pct(line: selectors.MixLine) -> float | None:
        return _pct(line.share)


class ProductionMilestoneQuery(Schema):
    brand: BrandParam
    every: int = Field(100_000, ge=1, le=10**9, description="Round number between milestones.")


class ProductionMilestoneOut(Schema):
    unit: int
    produced_on: date
    vin: str
    days_since_previous: int | None
    interval: str


class BulletinQuery(Schema):
    brand: BrandParam
    year: int = Field(..., ge=FIRST_YEAR, le=LAST_YEAR, description="The full year reported.")
    through: IsoDate | None = Field(
        None, description="With it: January to this day of its (later) year as well."
    )
    lang: LanguageParam | None = Field(None, description="The request's language if left out.")


class BulletinOut(Schema):
    language: str
    text: str


# --- helpers --------------------------------------------------------------------------------


def _collect(errors: FieldErrors, lookup: Callable[[], T]) -> T | None:
    """``lookup()``, or None with its refusal added to ``errors`` (one 422 names every field)."""
    try:
        return lookup()
    except ValidationFailed as error:
        for name, texts in error.fields.items():
            for text in texts:
                errors.add(name, text)
        return None


def _brand(actor: Actor | None, value: str) -> Brand:
    """A brand the actor sees, by id or by name; refuses naming ``brand`` otherwise."""
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        brand = selectors.visible_brands(actor).filter(pk=int(text)).first()
        if brand is not None:
            return brand
    return selectors.brand_by_name(actor, text)


def _product_line(actor: Actor | None, brand: Brand | None, product_line_id: int) -> ProductLine:
    """A product line of a brand the actor sees (of ``brand`` when one is named)."""
    line = selectors.product_line_of(brand, product_line_id)
    if not selectors.visible_brands(actor).filter(pk=line.brand_id).exists():
        raise ValidationFailed(fields={"product_line": [_("No such product line.")]})
    return line


@dataclass(frozen=True)
class _Figures:
    facts: selectors.Facts
    measure: Measure
    period: Period


def _figures(request: HttpRequest, query: FiguresQuery) -> _Figures:
    """The caller's facts under the query's filters, and its period; one 422 for all faults."""
    actor = request_actor(request)
    errors = FieldErrors()
    brand_text, market_code, region_name = query.brand, query.market, query.region
    brand = _collect(errors, lambda: _brand(actor, brand_text)) if brand_text else None
    line = None
    # A product line is looked up within the brand, unless the brand itself was refused.
    if query.product_line is not None and not (brand_text and brand is None):
        product_line_id = query.product_line
        line = _collect(errors, lambda: _product_line(actor, brand, product_line_id))
    market = (
        _collect(errors, lambda: selectors.market_by_code(market_code)) if market_code else None
    )
    region = (
        _collect(errors, lambda: selectors.region_by_name(region_name)) if region_name else None
    )
    if query.from_ < FIRST_DAY:
        errors.add("from", _("Give a day from %(day)s on.") % {"day": FIRST_DAY.isoformat()})
    if query.to > LAST_DAY:
        errors.add("to", _("Give a day up to %(day)s.") % {"day": LAST_DAY.isoformat()})
    if query.from_ > query.to:
        errors.add("from", _("The period starts after it ends."))
    errors.raise_if_any()
    filters = selectors.Filters(
        brand_ids=(brand.pk,) if brand else (),
        product_line_ids=(line.pk,) if line else (),
        market_codes=(market.code,) if market else (),
        region=region,
    )
    return _Figures(
        selectors.Facts(actor, filters), Measure(query.measure), Period(query.from_, query.to)
    )


# --- endpoints ------------------------------------------------------------------------------


@router.get(
    "/kpi",
    response=KpiOut,
    by_alias=True,
    summary="Headline figures of one measure for a period, with growth year on year",
)
def kpi(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    figures = _figures(request, query)
    return selectors.kpis(
        facts=figures.facts, measure=figures.measure, period=figures.period
    ).as_json()


@router.get(
    "/markets",
    response=list[MarketOut],
    summary="Markets with units in the period or the year before, most units first",
)
def markets(request: HttpRequest, query: Query[FiguresQuery]) -> list[selectors.MarketLine]:
    figures = _figures(request, query)
    return selectors.markets_ranked(
        facts=figures.facts, measure=figures.measure, period=figures.period
    )


@router.get(
    "/trend",
    response=list[TrendMonthOut],
    summary="Units by month, beside the same months a year earlier (at most ten years)",
)
def trend(request: HttpRequest, query: Query[FiguresQuery]) -> list[selectors.MonthPoint]:
    figures = _figures(request, query)
    if len(list(figures.period.months())) > MAX_TREND_MONTHS:
        raise ValidationFailed(
            fields={
                "from": [
                    _("A trend covers at most %(months)d months.") % {"months": MAX_TREND_MONTHS}
                ]
            }
        )
    return selectors.monthly_trend(
        facts=figures.facts, measure=figures.measure, period=figures.period
    )


@router.get("/mix", response=list[PowertrainShareOut], summary="Units by powertrain, with shares")
def mix(request: HttpRequest, query: Query[FiguresQuery]) -> list[selectors.MixLine]:
    figures = _figures(request, query)
    return selectors.powertrain_mix(
        facts=figures.facts, measure=figures.measure, period=figures.period
    )


@router.get(
    "/milestones",
    response=list[ProductionMilestoneOut],
    summary="The dates of a brand's round-numbered units off the line (its owner only)",
)
def milestones(request: HttpRequest, query: Query[ProductionMilestoneQuery]) -> list[Milestone]:
    actor = request_actor(request)
    brand = brand_for_milestones(actor=actor, brand_id=_brand(actor, query.brand).pk)
    return production_milestones(brand=brand, every=query.every)


@router.get(
    "/bulletin",
    response=BulletinOut,
    summary="The year's headline sales, and the year to date after it, in words",
)
def bulletin(request: HttpRequest, query: Query[BulletinQuery]) -> dict[str, str]:
    actor = request_actor(request)
    brand = _brand(actor, query.brand)
    language = query.lang or translation.get_language() or settings.LANGUAGE_CODE
    if language not in LANGUAGES:
        language = settings.LANGUAGE_CODE
    text = write_bulletin(
        facts=selectors.Facts(actor),
        brand_name=brand.name,
        year=query.year,
        through=query.through,
        language=language,
    )
    return {"language": language, "text": text}
