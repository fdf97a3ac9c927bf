"""Admin of the vehicles app: plants and customers are edited; vehicles and events are read.

States change only through the lifecycle services, so the admin never edits them.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seabridge.vehicles.models import Customer, Plant, Vehicle, VehicleEvent


@admin.register(Plant)
class PlantAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "owner", "country", "city"]
    list_filter = ["owner", "country"]
    search_fields = ["code", "name"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "recorded_by", "external_ref"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "external_ref", "email"]
    list_select_related = ["country", "recorded_by"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VehicleEventInline(admin.TabularInline):
    model = VehicleEvent
    extra = 0
    can_delete = False
    fields = ("occurred_on", "type", "from_state", "to_state", "organization", "place", "price")
    readonly_fields = (
        "occurred_on",
        "type",
        "from_state",
        "to_state",
        "organization",
        "place",
        "price",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vehicle)
class VehicleAdmin(ReadOnlyAdmin):
    list_display = ["vin", "brand", "variant", "produced_on", "state", "market", "holder"]
    list_filter = ["state", "brand", "market"]
    search_fields = ["=vin"]
    list_select_related = ["brand", "variant", "market", "holder"]
    show_full_result_count = False
    inlines = [VehicleEventInline]


@admin.register(VehicleEvent)
class VehicleEventAdmin(ReadOnlyAdmin):
    list_display = ["vehicle", "type", "occurred_on", "organization", "to_state"]
    list_filter = ["type"]
    search_fields = ["=vehicle__vin"]
    list_select_related = ["vehicle", "organization"]
    raw_id_fields = ["vehicle"]
