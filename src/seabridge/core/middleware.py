"""Request hygiene that every page and endpoint needs before any view runs.

The API's input passes here whatever its content type: a body is decoded as JSON (a
multipart upload, where an endpoint takes files, is read as a form) or refused, and
no text in it, nor in any query string, may hold a character that
:data:`seabridge.core.errors.CONTROL_CHARACTERS` forbids. Refusals leave in the API's
error shape: 400 for a body that is not a JSON object, 413 for one over
``DATA_UPLOAD_MAX_MEMORY_SIZE``, 422 naming each field that holds such a character.
Pages' forms refuse those characters field by field (:mod:`seabridge.core.forms`);
a page's query string holding one is a plain 400.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from seabridge.core.errors import (
    CONTROL_CHARACTERS,
    control_character_fields,
    control_character_message,
    error_body,
)

API_PREFIX = "/api/"
MULTIPART = "multipart/form-data"


def _fields_of(pairs: Iterable[tuple[str, list[str]]]) -> dict[str, list[str]]:
    """The forbidden characters in a query string's or a form's names and values, by name.
    (Django drops unprintable characters from an uploaded file's name itself.)"""
    fields: dict[str, list[str]] = {}
    for name, values in pairs:
        message = next(filter(None, map(control_character_message, [name, *values])), None)
        if message is not None:
            fields[CONTROL_CHARACTERS.sub("\ufffd", name)] = [message]
    return fields


def _refusal(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    return JsonResponse(error_body(code, message, fields), status=status)


def _invalid_fields(fields: dict[str, list[str]]) -> JsonResponse:
    return _refusal(422, "validation_error", _("Some fields are not valid."), fields)


def _too_large() -> JsonResponse:
    return _refusal(
        413, "request_too_large", _("The request body is larger than the server accepts.")
    )


def _multipart_refusal(request: HttpRequest) -> JsonResponse | None:
    try:
        form = request.POST  # reads the files too, as the endpoint will
    except RequestDataTooBig:
        return _too_large()
    except (MultiPartParserError, SuspiciousOperation):
        return _refusal(400, "bad_request", _("The multipart body could not be read."))
    fields = _fields_of(form.lists())
    return _invalid_fields(fields) if fields else None


def _json_refusal(request: HttpRequest) -> JsonResponse | None:
    try:
        body = request.body
    except RequestDataTooBig:
        return _too_large()
    if not body:
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, too deep, too long a number
        return _refusal(400, "bad_request", _("The body is not valid JSON."))
    if not isinstance(data, dict):
        return _refusal(400, "bad_request", _("The request body must be a JSON object."))
    fields = control_character_fields(data)
    return _invalid_fields(fields) if fields else None


def api_input_refusal(request: HttpRequest) -> JsonResponse | None:
    """The API's answer to input no endpoint may see, or None when the input is clean."""
    fields = _fields_of(request.GET.lists())
    if fields:
        return _invalid_fields(fields)
    if request.content_type == MULTIPART:
        return _multipart_refusal(request)
    return _json_refusal(request)


class InputHygieneMiddleware:
    """Refuses, before any view, API input that is not JSON, is too large or holds a
    forbidden character, and pages' query strings that hold one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refusal: HttpResponse | None = api_input_refusal(request)
        else:
            fields = _fields_of(request.GET.lists())
            refusal = HttpResponseBadRequest(next(iter(fields.values()))[0]) if fields else None
        return refusal or self.get_response(request)
