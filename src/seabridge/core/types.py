"""Types shared across apps."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails
from ninja import Path
from pydantic import BeforeValidator, Field

if TYPE_CHECKING:
    from seabridge.core.scope import Actor


class HtmxHttpRequest(HttpRequest):
    """A request that went through our middleware: htmx details and the acting actor."""

    htmx: HtmxDetails
    user: User | AnonymousUser
    actor: Actor | None


ISO_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _text_only(value: object) -> object:
    """Dates in the API are ISO 8601 text; a number (or digits in text) is not a date.

    Pydantic would otherwise read "0" or 1700000000 as a Unix timestamp.
    """
    if isinstance(value, str) and not ISO_DATE_START.match(value):
        raise ValueError("Use an ISO 8601 date, e.g. 2025-04-22.")
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("Use an ISO 8601 date, e.g. 2025-04-22.")
    return value


# Types for API input schemas: ids inside a 64-bit integer, dates only as ISO text.
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
PathId = Annotated[int, Path(ge=1, le=2**63 - 1)]
IsoDate = Annotated[date, BeforeValidator(_text_only)]
IsoDateTime = Annotated[datetime, BeforeValidator(_text_only)]
