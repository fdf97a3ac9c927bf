"""List pages: one filter definition serves the page and the API endpoint.

Each entity has a ninja ``FilterSchema`` in its app's ``filters.py``. The API
endpoint takes it as ``filters: XFilter = Query(...)``; the list page passes it
here, which reads the same parameters from the query string::

    context = list_context(request, Country.objects.all(), CountryFilter)
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import FilterSchema

from seabridge.core.pagination import DEFAULT_PAGE_SIZE, page_of


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
    raw: dict[str, Any] = {
        name: value
        for name, value in request.GET.items()
        if name in filter_class.model_fields and value != ""
    }
    errors: dict[str, list[str]] = {}
    try:
        filters = filter_class.model_validate(raw)
        queryset = filters.filter(queryset)
    except pydantic.ValidationError as error:
        for item in error.errors():
            name = ".".join(str(part) for part in item["loc"]) or "__all__"
            errors.setdefault(name, []).append(item["msg"])
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
