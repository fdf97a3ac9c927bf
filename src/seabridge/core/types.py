"""Types shared across apps."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from seabridge.core.scope import Actor


class HtmxHttpRequest(HttpRequest):
    """A request that went through our middleware: htmx details and the acting actor."""

    htmx: HtmxDetails
    user: User | AnonymousUser
    actor: Actor | None
