"""List pages: one filter definition serves the page and the API endpoint.

Each entity has a ninja ``FilterSchema`` in its app's ``filters.py``. The API
endpoint takes it as ``filters: XFilter = Query(...)``; the list page passes it
here, which reads the same parameters from the query string::

    context = list_context(request, Country.objects.all(), CountryFilter)
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from ninja import FilterSchema

from seabridge.core.errors import ValidationFailed, validation_fields
from seabridge.core.pagination import DEFAULT_PAGE_SIZE, page_of

M = TypeVar("M", bound=Model)


def _raw(request: HttpRequest, filter_class: type[FilterSchema]) -> dict[str, Any]:
    """The filter's parameters the query string gives a value."""
    return {
        name: value
        for name, value in request.GET.items()
        if name in filter_class.model_fields and value != ""
    }


def list_context(
    request: HttpRequest,
    queryset: QuerySet,
    filter_class: type[FilterSchema],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> dict[str, Any]:
    """Filter and paginate ``queryset`` from the request's query string.

    Invalid filter values do not raise: the page shows which field is wrong and
    lists nothing rather than everything.
    """
    raw = _raw(request, filter_class)
    errors: dict[str, list[str]] = {}
    try:
        filters = filter_class.model_validate(raw)
        queryset = filters.filter(queryset)
    except pydantic.ValidationError as error:
        errors = validation_fields(error.errors())
        filters = filter_class.model_construct(**raw)
        queryset = queryset.none()
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "filter_values": raw,
        "filter_errors": errors,
        "page": page_of(queryset, page=page_number, page_size=page_size),
        "query_without_page": query.urlencode(),
    }


def filtered(
    request: HttpRequest, queryset: QuerySet[M], filter_class: type[FilterSchema]
) -> QuerySet[M]:
    """``queryset`` narrowed by a list page's filter from the query string; a wrong value
    is refused naming its field (a download has no page to show the error on)."""
    try:
        return filter_class.model_validate(_raw(request, filter_class)).filter(queryset)
    except pydantic.ValidationError as error:
        raise ValidationFailed(fields=validation_fields(error.errors())) from None
