"""Django admin of the accounts app, for superusers: organisations, members and API tokens.

Changes made here are recorded in the audit trail like any other.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from seabridge.accounts.models import ApiToken, Membership, Organization
from seabridge.core.services import audit_record


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["short_name", "legal_name", "kind", "home_country", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["short_name", "legal_name"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="organization.update" if change else "organization.create",
            obj=obj,
            changes={name: form.cleaned_data.get(name) for name in form.changed_data},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (the clear token is shown once); here only revoked."""

    list_display = ["name", "key_prefix", "membership", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "key_prefix", "membership__user__username"]
    readonly_fields = ["membership", "key_prefix", "digest", "last_used_at", "created_at"]
    fields = ["name", "membership", "key_prefix", "digest", "expires_at", "revoked_at"]
    fields += ["last_used_at", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
