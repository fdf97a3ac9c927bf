"""The errors domain code raises, and the one shape the API answers them in.

Domain services raise :class:`DomainError` subclasses; the API turns them into
``{"error": {"code": ..., "message": ..., "fields": {...}}}`` with the matching
HTTP status, and pages turn them into form errors. Nothing else is raised for
a business rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
