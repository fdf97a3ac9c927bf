"""The errors domain code raises, and the one shape the API answers them in.

Domain services raise :class:`DomainError` subclasses; the API turns them into
``{"error": {"code": ..., "message": ..., "fields": {...}}}`` with the matching
HTTP status, and pages turn them into form errors. Nothing else is raised for
a business rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema

ErrorFields = Mapping[str, Sequence[str]]


class DomainError(Exception):
    """A refusal a user can understand: a code, a message and the fields at fault."""

    status = 400
    code = "bad_request"
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, fields: ErrorFields | None = None) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.fields: dict[str, list[str]] = {
            name: [str(text) for text in texts] for name, texts in (fields or {}).items()
        }
        super().__init__(self.message)

    def as_dict(self) -> dict[str, Any]:
        """The API error body."""
        return error_body(self.code, self.message, self.fields)


class ValidationFailed(DomainError):
    """Input is wrong; ``fields`` names each field and what is wrong with it."""

    status = 422
    code = "validation_error"
    default_message = _("Some fields are not valid.")


class NotFound(DomainError):
    """The record does not exist, or the actor may not know that it exists."""

    status = 404
    code = "not_found"
    default_message = _("Not found.")


class Forbidden(DomainError):
    """The actor may see the record but not do this to it."""

    status = 403
    code = "forbidden"
    default_message = _("You are not allowed to do this.")


class Conflict(DomainError):
    """The record's state does not allow this now (an illegal transition, a duplicate)."""

    status = 409
    code = "conflict"
    default_message = _("This conflicts with the record's current state.")


class OrganizationSuspended(Forbidden):
    """The organisation the request would act for is suspended: nobody may act for it."""

    code = "organization_suspended"
    default_message = _("This organisation is suspended: nobody may act for it.")


class TooManyAttempts(DomainError):
    """Too many failed attempts from one address; ``retry_after`` says in how many seconds
    to try again (the API sends it as ``Retry-After``)."""

    status = 429
    code = "too_many_attempts"
    default_message = _("Too many failed attempts; try again later.")

    def __init__(self, message: Any = None, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def error_body(code: str, message: Any, fields: Mapping[str, Sequence[str]] | None = None) -> dict:
    """Build the one error shape every API answer uses."""
    return {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {
                name: [str(text) for text in texts] for name, texts in (fields or {}).items()
            },
        }
    }


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The one error shape of every API answer that is not a success (for the schema)."""

    error: ErrorDetail


class FieldErrors:
    """Collects field errors so that one refusal names every field at fault."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(str(message))

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)


# --- characters no field accepts ---------------------------------------------------------

# The one rule for text, in API bodies and query strings, form fields and exports alike:
# the C0 control characters (U+0000 to U+001F) are refused, except tab, line feed and
# carriage return, which free text needs and any field may hold (single-line fields strip
# or validate them away); so are lone surrogates (U+D800 to U+DFFF), which no encoding
# can store. These are the characters XML 1.0, and so an XLSX file, cannot hold; NUL is
# also the one PostgreSQL text cannot.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def control_character_message(text: str) -> str | None:
    """Why ``text`` is refused (naming its first forbidden character), or None if it is fine."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return None
    return str(
        _(
            "Remove the character U+%(code)s: no field accepts control characters other "
            "than tab, line feed and carriage return."
        )
    ) % {"code": f"{ord(found.group()):04X}"}


def control_character_fields(data: Any) -> dict[str, list[str]]:
    """Every string in decoded JSON (keys too) that holds a forbidden character, by its
    dotted path (``lines.0.note``): the ``fields`` of a :class:`ValidationFailed`.

    Walked with a stack, not recursion, so that no nesting depth can overflow it.
    """
    fields: dict[str, list[str]] = {}
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        children: Iterable[tuple[Any, Any]] = ()
        if isinstance(value, str):
            message = control_character_message(value)
            if message is not None:
                fields[path or "__all__"] = [message]
        elif isinstance(value, dict):
            children = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        for key, child in children:
            name = f"{path}.{key}" if path else str(key)
            message = control_character_message(name)
            if message is not None:  # the key itself: named without the character
                fields[CONTROL_CHARACTERS.sub("\ufffd", name)] = [message]
            else:
                pending.append((name, child))
    return dict(sorted(fields.items()))


# --- input that does not fit a schema ---------------------------------------------------

# Pydantic words its refusals in English; the API and the pages answer in the reader's
# language, so each kind of refusal (pydantic's error type) has a message here. The
# wording of Django's forms is kept where Django has one (its catalogues translate it).
_REQUIRED = _("This field is required.")
_WHOLE = _("Enter a whole number.")
_NUMBER = _("Enter a number.")
_DATE = _("Enter a valid date.")
_DATETIME = _("Enter a valid date/time.")
_VALUE = _("Enter a valid value.")
_MESSAGES: dict[str, Any] = {
    "missing": _REQUIRED,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "finite_number": _NUMBER,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "uuid_parsing": _("Enter a valid UUID."),
    "uuid_type": _("Enter a valid UUID."),
    "bool_parsing": _("Enter true or false."),
    "bool_type": _("Enter true or false."),
    "list_type": _("Enter a list of values."),
    "json_invalid": _("The body is not valid JSON."),
    "extra_forbidden": _("This field is not expected."),
    "greater_than_equal": _("Ensure this value is greater than or equal to %(limit_value)s."),
    "less_than_equal": _("Ensure this value is less than or equal to %(limit_value)s."),
    "greater_than": _("Ensure this value is greater than %(limit_value)s."),
    "less_than": _("Ensure this value is less than %(limit_value)s."),
    "string_too_short": _("Too short (minimum length: %(limit_value)s)."),
    "string_too_long": _("Too long (maximum length: %(limit_value)s)."),
    "too_short": _("Too few items: at least %(limit_value)s."),
    "too_long": _("Too many items: at most %(limit_value)s."),
    "decimal_max_digits": _("Too many digits (at most %(limit_value)s)."),
    "decimal_max_places": _("Too many decimal places (at most %(limit_value)s)."),
    "enum": _("Choose one of: %(choices)s."),
    "literal_error": _("Choose one of: %(choices)s."),
}
# The context key that holds each limit.
_LIMITS = ("ge", "le", "gt", "lt", "min_length", "max_length", "max_digits", "decimal_places")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def validation_message(error: Mapping[str, Any]) -> str:
    """One pydantic refusal (an item of ``ValidationError.errors()``) in the reader's
    language. A validator's own message (already translated) is passed on as it is."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in context:
        return str(context["error"])
    message = _MESSAGES.get(kind)
    if message is None:
        return str(_VALUE)
    limit = next((context[key] for key in _LIMITS if key in context), "")
    choices = ", ".join(_QUOTED.findall(str(context.get("expected", ""))))
    return str(message) % {"limit_value": limit, "choices": choices}


def validation_fields(
    errors: Iterable[Mapping[str, Any]], *, locations: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Each invalid field's messages by its dotted path, leaving out the ``locations``
    that prefix it (``body``, ``query``…): the ``fields`` of :class:`ValidationFailed`."""
    skipped = set(locations)
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = [str(part) for part in error.get("loc", ()) if part not in skipped]
        fields.setdefault(".".join(path) or "__all__", []).append(validation_message(error))
    return fields
