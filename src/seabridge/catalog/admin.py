"""Django admin of the catalog app, for superusers."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant


class SuperuserOnly:
    """The catalogue is edited in the app, through the scope; the admin is for superusers."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Brand)
class BrandAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "owner", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["name", "owner__short_name"]
    raw_id_fields = ["owner"]


@admin.register(ProductLine)
class ProductLineAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "brand", "launched_on"]
    list_select_related = ["brand"]
    list_filter = ["brand"]
    search_fields = ["name", "brand__name"]
    raw_id_fields = ["brand"]


class HomologationInline(SuperuserOnly, admin.TabularInline):
    model = Homologation
    extra = 0
    raw_id_fields = ["country"]


@admin.register(Variant)
class VariantAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["code", "name", "brand", "product_line", "powertrain", "steering", "is_active"]
    list_select_related = ["brand", "product_line"]
    list_filter = ["powertrain", "body", "steering", "is_active", "brand"]
    search_fields = ["code", "name"]
    raw_id_fields = ["brand", "product_line"]
    inlines = [HomologationInline]


@admin.register(Homologation)
class HomologationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["variant", "country", "status", "valid_until", "certificate_ref"]
    list_select_related = ["variant", "country"]
    list_filter = ["status", "country"]
    search_fields = ["variant__code", "certificate_ref"]
    raw_id_fields = ["variant", "country"]
