"""Works out, for each signed-in request, which organisation the person acts for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from seabridge.accounts.selectors import ACTING_ORGANIZATION_SESSION_KEY, actor_for_user


class ActorMiddleware:
    """Sets ``request.actor`` from the session's acting organisation (or the first one).

    API token requests set their own actor in the API's authentication.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = None
        user = request.user
        if user.is_authenticated:
            actor = actor_for_user(
                user=user,
                organization_id=request.session.get(ACTING_ORGANIZATION_SESSION_KEY),
            )
        request.actor = actor  # type: ignore[attr-defined]
        return self.get_response(request)
