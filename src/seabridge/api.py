"""The one Seabridge API, ``/api/v1/``: each app adds its router here.

Every error leaves in the one shape ``{"error": {"code", "message", "fields"}}``;
no API answer is ever an HTML error page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from seabridge.accounts.api import router as accounts_router
from seabridge.accounts.auth import api_auth
from seabridge.agreements.api import router as agreements_router
from seabridge.analytics.api import router as analytics_router
from seabridge.catalog.api import router as catalog_router
from seabridge.core.api import router as core_router
from seabridge.core.errors import (
    DomainError,
    ErrorOut,
    TooManyAttempts,
    error_body,
    validation_fields,
)
from seabridge.imports.api import router as imports_router
from seabridge.markets.api import router as markets_router
from seabridge.planning.api import router as planning_router
from seabridge.trade.api import router as trade_router
from seabridge.vehicles.api import router as vehicles_router

logger = logging.getLogger(__name__)

WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})


ERROR_DESCRIPTIONS = {
    "400": "The body is not JSON, or not a JSON object.",
    "401": "Not signed in and no valid API token.",
    "403": "Signed in, but not allowed to do this (`organization_suspended`: the organisation "
    "acted for is suspended).",
    "404": "Not found, or not visible to the caller.",
    "409": "Conflicts with the record's current state.",
    "413": "The body is larger than the server accepts.",
    "422": "Some fields are not valid, or hold a control character other than tab, line feed "
    "and carriage return; `fields` names each.",
    "429": "Too many failed API-token attempts from this address; `Retry-After` says in how "
    "many seconds to try again.",
}


class ObjectBodyParser(Parser):
    """JSON bodies must be objects: a list or a bare value is refused as unparseable (400)."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("The request body must be a JSON object.")
        return data


class SeabridgeAPI(NinjaAPI):
    """NinjaAPI whose schema documents the error answers every operation can give."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        for name, definition in components["ErrorOut"].pop("$defs", {}).items():
            components[name] = definition
        reference = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                codes = ["400", "404", "422"]
                if operation.get("security"):
                    codes += ["401", "403", "429"]
                if method in WRITE_METHODS:
                    codes += ["403", "409", "413"]
                responses = operation.setdefault("responses", {})
                for code in sorted(set(codes)):
                    responses.setdefault(
                        code,
                        {
                            "description": ERROR_DESCRIPTIONS[code],
                            "content": {"application/json": {"schema": reference}},
                        },
                    )
        return schema


# Where ninja says a field came from; not part of the field's name in an error.
REQUEST_PARTS = ("body", "query", "path", "form", "payload")

api = SeabridgeAPI(
    title="Seabridge API",
    version="1",
    description=(
        "Markets, channel, vehicles, trade, after-sales and analytics for a maker and its partners."
    ),
    urls_namespace="api",
    auth=api_auth,
    docs_url="/docs",
    parser=ObjectBodyParser(),
    openapi_url="/openapi.json",
)
api.add_router("/", core_router)
api.add_router("/accounts", accounts_router)
api.add_router("/markets", markets_router)
api.add_router("/catalog", catalog_router)
api.add_router("/agreements", agreements_router)
api.add_router("/vehicles", vehicles_router)
api.add_router("/trade", trade_router)
api.add_router("/planning", planning_router)
api.add_router("/analytics", analytics_router)
api.add_router("/imports", imports_router)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    response = api.create_response(request, error.as_dict(), status=error.status)
    if isinstance(error, TooManyAttempts):
        response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    body = error_body(
        "validation_error",
        _("Some fields are not valid."),
        validation_fields(error.errors, locations=REQUEST_PARTS),
    )
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    body = error_body("not_authenticated", _("Sign in or send a valid API token."))
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    code = {
        400: "bad_request",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        429: "throttled",
    }
    return api.create_response(
        request,
        error_body(code.get(error.status_code, "http_error"), str(error)),
        status=error.status_code,
    )


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def on_not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return api.create_response(request, error_body("not_found", _("Not found.")), status=404)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: Exception) -> HttpResponse:
    body = error_body("forbidden", _("You are not allowed to do this."))
    return api.create_response(request, body, status=403)


@api.exception_handler(Exception)
def on_unexpected_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("Unhandled API error on %s %s", request.method, request.path)
    body = error_body("server_error", _("Something went wrong on our side; it has been logged."))
    return api.create_response(request, body, status=500)


def api_path_not_found(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Answer any unknown path under ``/api/`` in the API's error shape."""
    return JsonResponse(error_body("not_found", _("No API endpoint at this path.")), status=404)
