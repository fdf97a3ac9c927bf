"""Django admin for the markets app (superusers only, like every admin page)."""

from __future__ import annotations

from django.contrib import admin

from seabridge.markets.models import BusinessRegion, Country, MarketProfile


class MarketProfileInline(admin.StackedInline):
    model = MarketProfile
    can_delete = False


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "alpha3", "currency", "m49_region", "m49_subregion")
    list_filter = ("m49_region",)
    search_fields = ("code", "alpha3", "name")
    inlines = [MarketProfileInline]


@admin.register(BusinessRegion)
class BusinessRegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")
    filter_horizontal = ("countries",)


@admin.register(MarketProfile)
class MarketProfileAdmin(admin.ModelAdmin):
    list_display = (
        "country",
        "traffic_side",
        "emission_standard",
        "import_duty_pickup_pct",
        "import_duty_passenger_pct",
        "currency",
        "is_resource_rich",
    )
    list_filter = ("traffic_side", "is_resource_rich")
    search_fields = ("country__code", "country__name")
    list_select_related = ("country",)
