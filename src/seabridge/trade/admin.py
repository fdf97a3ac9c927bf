"""Trade records in the Django admin: read for support, written through the services."""

from django.contrib import admin

from seabridge.trade.models import (
    Allocation,
    ExchangeRate,
    ExportOrder,
    ExportOrderLine,
    Shipment,
    ShipmentVehicle,
)


class ExportOrderLineInline(admin.TabularInline):
    model = ExportOrderLine
    extra = 0
    raw_id_fields = ("variant",)


@admin.register(ExportOrder)
class ExportOrderAdmin(admin.ModelAdmin):
    list_display = ("number", "brand", "seller", "buyer", "destination", "incoterm", "status")
    list_filter = ("status", "incoterm", "payment_terms")
    search_fields = ("number", "lc_number")
    list_select_related = ("brand", "seller", "buyer", "destination")
    raw_id_fields = ("brand", "seller", "buyer", "destination")
    inlines = [ExportOrderLineInline]


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ("vehicle", "line", "allocated_on")
    search_fields = ("vehicle__vin", "line__order__number")
    raw_id_fields = ("vehicle", "line")
    list_select_related = ("vehicle", "line")


class ShipmentVehicleInline(admin.TabularInline):
    model = ShipmentVehicle
    extra = 0
    raw_id_fields = ("vehicle",)


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("number", "brand", "destination", "mode", "vessel", "etd", "eta", "status")
    list_filter = ("status", "mode")
    search_fields = ("number", "bill_of_lading", "vessel")
    list_select_related = ("brand", "destination")
    raw_id_fields = ("brand", "destination", "orders")
    inlines = [ShipmentVehicleInline]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("currency", "on", "cny_per_unit")
    list_filter = ("currency",)
    date_hierarchy = "on"
