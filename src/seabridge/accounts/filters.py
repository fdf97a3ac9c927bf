"""Filters of the organisation and member lists, shared by the list pages and the API."""

from __future__ import annotations

from typing import Annotated

from ninja import Field, FilterLookup, FilterSchema
from pydantic import field_validator

from seabridge.accounts.choices import OrganizationKind, OrganizationStatus, Role


class OrganizationFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(["short_name__icontains", "legal_name__icontains"]),
        Field(None, max_length=100, description="Part of the short or legal name."),
    ] = None
    kind: Annotated[OrganizationKind | None, Field(None, description="Kind of organisation.")] = (
        None
    )
    status: Annotated[OrganizationStatus | None, Field(None, description="Status.")] = None
    home_country: Annotated[
        str | None,
        FilterLookup("home_country_id"),
        Field(None, max_length=2, description="ISO 3166 alpha-2 code of the home country."),
    ] = None

    @field_validator("home_country")
    @classmethod
    def _upper_case_code(cls, value: str | None) -> str | None:
        return value.strip().upper() if value else value


class MemberFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(
            [
                "user__username__icontains",
                "user__email__icontains",
                "user__first_name__icontains",
                "user__last_name__icontains",
            ]
        ),
        Field(None, max_length=100, description="Part of the person's name or e-mail."),
    ] = None
    role: Annotated[Role | None, Field(None, description="Role in the organisation.")] = None
