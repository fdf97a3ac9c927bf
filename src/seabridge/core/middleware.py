"""Request hygiene that every page and endpoint needs before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from seabridge.core.errors import error_body

JSON_NUL = b"\\u0000"


class NullCharacterMiddleware:
    """Refuse a NUL character anywhere in the query string or a JSON body with a 400.

    PostgreSQL text cannot hold NUL, so such input would otherwise fail deep in a
    query; no real input contains one. Forms already refuse it field by field.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        has_nul = "%00" in query or "\x00" in query
        if not has_nul and request.content_type == "application/json":
            has_nul = JSON_NUL in request.body or b"\x00" in request.body
        if not has_nul:
            return self.get_response(request)
        message = _("The request contains a NUL character, which no field accepts.")
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("bad_request", message), status=400)
        return HttpResponseBadRequest(message)
