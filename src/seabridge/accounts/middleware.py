"""Works out, for each signed-in request, which organisation the person acts for."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from seabridge.accounts.selectors import (
    ACTING_ORGANIZATION_SESSION_KEY,
    actor_for_user,
    memberships_of_user,
)
from seabridge.core.errors import OrganizationSuspended


class ActorMiddleware:
    """Sets ``request.actor`` from the session's acting organisation (or the first one).

    A request that would act for a suspended organisation is refused here, before any
    view, with a 403 that says so (in the API's error shape under ``/api/``). The session
    then forgets that organisation, so that the next request acts for another of the
    person's organisations; a person with no other is signed out.

    API token requests set their own actor in the API's authentication (which refuses
    a suspended organisation's tokens in the same place, :func:`actor_from_membership`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated:
            try:
                request.actor = actor_for_user(  # type: ignore[attr-defined]
                    user=user,
                    organization_id=request.session.get(ACTING_ORGANIZATION_SESSION_KEY),
                )
            except OrganizationSuspended as refusal:
                return self.refuse(request, refusal)
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest, refusal: OrganizationSuspended) -> HttpResponse:
        """Answer 403 with the refusal's message, leaving the session so that the next
        request cannot act for the suspended organisation either."""
        assert request.user.is_authenticated  # only a signed-in person acts for anyone
        request.session.pop(ACTING_ORGANIZATION_SESSION_KEY, None)
        may_go_on = memberships_of_user(user=request.user).exists()
        if not may_go_on:
            logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse(refusal.as_dict(), status=refusal.status)
        context = {"message": refusal.message, "may_go_on": may_go_on}
        return render(request, "accounts/organization_suspended.html", context, status=403)
