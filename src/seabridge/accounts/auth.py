"""API authentication: ``Authorization: Bearer sbk_…`` tokens, or the browser session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from seabridge.accounts.models import ApiToken
from seabridge.accounts.selectors import actor_for_token
from seabridge.core.scope import Actor
from seabridge.core.views import request_actor

LAST_USED_PRECISION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """A token bound to one membership; the request acts as that membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = actor_for_token(token=token)
        if found is None:
            return None
        actor, api_token = found
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = actor.user
        request.actor = actor  # type: ignore[attr-defined]
        # Marks the request as bound to the token's one membership (see ``bound_actor``).
        request.api_token = api_token  # type: ignore[attr-defined]
        return actor


class ActorSessionAuth(SessionAuth):
    """The browser's session (with CSRF on writes); the actor comes from the middleware."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if request.user.is_authenticated:
            return request_actor(request) or request.user
        return None


api_auth = [ApiTokenAuth(), ActorSessionAuth()]


def bound_actor(request: HttpRequest) -> Actor | None:
    """The token's actor when the request came with an API token, else None (a session)."""
    if getattr(request, "api_token", None) is None:
        return None
    return request_actor(request)
