"""Reads of the markets app: reference data that every signed-in person reads."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from seabridge.core.errors import NotFound
from seabridge.markets.models import BusinessRegion, Country


def countries_with_relations() -> QuerySet[Country]:
    """Countries with their profile and business regions, in a fixed number of queries."""
    return Country.objects.select_related("profile").prefetch_related(
        Prefetch("business_regions", queryset=BusinessRegion.objects.order_by("name"))
    )


def country_get(code: str) -> Country:
    """One country by ISO alpha-2 code (any case), with its profile and regions."""
    try:
        return countries_with_relations().get(code=code.strip().upper())
    except Country.DoesNotExist:
        raise NotFound() from None


def business_regions_with_counts() -> QuerySet[BusinessRegion]:
    """Business regions with the number of their member countries."""
    return BusinessRegion.objects.annotate(country_count=Count("countries"))


def business_region_get(code: str) -> BusinessRegion:
    """One business region by code, with its member countries (sorted by name)."""
    try:
        return BusinessRegion.objects.prefetch_related(
            Prefetch(
                "countries", queryset=Country.objects.select_related("profile").order_by("name")
            )
        ).get(code=code.strip().lower())
    except BusinessRegion.DoesNotExist:
        raise NotFound() from None


def m49_regions() -> list[tuple[str, str]]:
    """The UN M49 regions countries sit in, as ``(code, name)`` for a filter's choices."""
    return list(
        Country.objects.exclude(m49_region_code="")
        .order_by("m49_region")
        .values_list("m49_region_code", "m49_region")
        .distinct()
    )
