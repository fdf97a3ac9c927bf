"""One filter definition per entity, for the list pages and the list endpoints alike."""

from __future__ import annotations

from typing import Annotated

from ninja import FilterLookup, FilterSchema

from seabridge.imports.choices import ImportStatus


class ImportBatchFilter(FilterSchema):
    q: Annotated[str | None, FilterLookup(["filename__icontains", "checksum__istartswith"])] = None
    kind: Annotated[str | None, FilterLookup("kind")] = None
    status: Annotated[ImportStatus | None, FilterLookup("status")] = None
