"""One filter definition for the agreement list page and the agreement list endpoint."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from seabridge.agreements.choices import AgreementKind, AgreementStatus
from seabridge.core.types import RowId


class AgreementFilter(FilterSchema):
    q: Annotated[
        str | None,
        FilterLookup(
            ["title__icontains", "grantee__short_name__icontains", "grantor__short_name__icontains"]
        ),
    ] = None
    kind: Annotated[AgreementKind | None, FilterLookup("kind")] = None
    status: Annotated[AgreementStatus | None, FilterLookup("status")] = None
    grantee: Annotated[RowId | None, FilterLookup("grantee_id")] = None
    grantor: Annotated[RowId | None, FilterLookup("grantor_id")] = None
