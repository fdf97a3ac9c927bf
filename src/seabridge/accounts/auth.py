"""Who is knocking, and how often they may get it wrong.

The API authenticates ``Authorization: Bearer sbk_…`` tokens or the browser session.
Failed attempts at both doors are limited (OWASP ASVS 2.2.1) by django-axes, which
keeps the count in the database so that every web process shares it:

- **Sign-in**: after ``AXES_FAILURE_LIMIT`` failures for one account (from any address)
  or from one address (for any accounts, failed API tokens included), that account or
  address is refused, the right password included, until ``AXES_COOLOFF_TIME`` has
  passed since its last counted failure (tries during the lockout do not extend it), or
  until an administrator lifts the lock: deletes its access attempts in the admin, or
  runs ``seabridge axes_reset_username NAME`` or ``seabridge axes_reset_ip ADDRESS``.
- **API tokens**: after as many failed tokens from one address, every token from it,
  the right one included, is refused with 429 and ``Retry-After`` for the same time.

Every failure and every refusal of a locked-out attempt is written to the audit trail.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Max, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from seabridge.accounts.models import ApiToken
from seabridge.accounts.selectors import actor_from_membership, api_token_usable
from seabridge.core.errors import TooManyAttempts
from seabridge.core.scope import Actor
from seabridge.core.services import audit_record
from seabridge.core.views import request_actor

LAST_USED_PRECISION = timedelta(minutes=1)

# The user name under which failed API tokens are counted. Django's user names hold
# only letters, digits and @.+-_, so no person's attempts are ever counted under it.
TOKEN_ATTEMPT = "(API token)"  # noqa: S105 - a label for counting, not a secret


# --- the rule --------------------------------------------------------------------------


def lockout_parameters(request_or_attempt: Any, credentials: dict | None = None) -> list[Any]:
    """Axes' ``AXES_LOCKOUT_PARAMETERS``: a sign-in counts by account or by address, an
    API token by address among failed tokens only."""
    username = (credentials or {}).get("username", getattr(request_or_attempt, "username", None))
    if username == TOKEN_ATTEMPT:
        return [["username", "ip_address"]]
    return ["username", "ip_address"]


def client_address(request: HttpRequest) -> str | None:
    """Axes' ``AXES_CLIENT_IP_CALLABLE``: the address the request came from.

    Behind the load balancer (``SEABRIDGE_BEHIND_PROXY``) every request comes from the
    balancer itself, so the address is the last one of ``X-Forwarded-For``: the one the
    balancer added, which a client cannot forge (the ones before it, a client can).
    """
    if settings.SEABRIDGE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    address: str | None = request.META.get("REMOTE_ADDR")
    return address


class SignInLockoutBackend(AxesStandaloneBackend):
    """Axes' check before any password is compared: a locked-out account or address is
    refused, the right password included.

    A sign-in without a request (Django's test client, a shell) comes from no address
    and is left to the next backend: every door from outside passes a request.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def lockout_seconds(request: HttpRequest | None = None) -> int:
    """How long a lockout lasts after the last counted failure, in whole seconds."""
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else 0


# --- the audit trail -----------------------------------------------------------------


def sign_in_failure_record(*, request: HttpRequest, username: str) -> None:
    """Audit a refused sign-in: a wrong password, or any try while locked out."""
    audit_record(
        actor=None,
        action="sign_in.failed",
        changes={
            "username": username[:150],
            "address": client_address(request),
            "locked_out": bool(getattr(request, "axes_locked_out", False)),
        },
    )


def sign_in_record(*, request: HttpRequest, user: User) -> None:
    """Audit a sign-in that succeeded."""
    audit_record(actor=user, action="sign_in", changes={"address": client_address(request)})


def _token_failure_audit(request: HttpRequest, *, locked_out: bool) -> None:
    audit_record(
        actor=None,
        action="api_token.failed",
        changes={"address": client_address(request), "locked_out": locked_out},
    )


# --- API tokens ------------------------------------------------------------------------

TOKEN_CREDENTIALS = {"username": TOKEN_ATTEMPT}


def _recent_token_failures(request: HttpRequest) -> Coalesce:
    """The failed tokens this address sent within the cool-off, as axes counts them: a
    subquery, so that a good token costs no query more than its own lookup."""
    AxesProxyHandler.update_request(request)  # axes' address and attempt time
    since = request.axes_attempt_time - timedelta(seconds=lockout_seconds(request))  # type: ignore[attr-defined]
    failures = (
        AccessAttempt.objects.filter(
            username=TOKEN_ATTEMPT,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=since,
        )
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(failures), 0)


def _token_refusal(request: HttpRequest) -> TooManyAttempts:
    """The 429 for a token from a locked-out address, audited, with the seconds until
    the address's last counted failure is older than the cool-off."""
    last = AccessAttempt.objects.filter(
        username=TOKEN_ATTEMPT,
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
    ).aggregate(last=Max("attempt_time"))["last"]
    wait = lockout_seconds(request)
    if last is not None:
        wait = math.ceil((last + timedelta(seconds=wait) - timezone.now()).total_seconds())
    retry_after = max(1, wait)
    _token_failure_audit(request, locked_out=True)
    return TooManyAttempts(
        _(
            "Too many wrong API tokens came from this address: every token from it is "
            "refused for %(seconds)s seconds."
        )
        % {"seconds": retry_after},
        retry_after=retry_after,
    )


def _token_failure_count(request: HttpRequest) -> None:
    """Count a failed token against the address (axes' handler, called, not signalled)."""
    AxesProxyHandler.user_login_failed(
        sender=ApiTokenAuth, credentials=TOKEN_CREDENTIALS, request=request
    )
    locked_out = bool(getattr(request, "axes_locked_out", False))
    # Axes' middleware would answer a flagged request with the sign-in page's lockout;
    # the API answers the next token from this address with a 429 instead.
    request.axes_locked_out = False  # type: ignore[attr-defined]
    _token_failure_audit(request, locked_out=locked_out)


class ApiTokenAuth(HttpBearer):
    """A token bound to one membership; the request acts as that membership.

    Refused with 429 while its address is locked out (the right token included), with
    403 when its organisation is suspended (:func:`actor_from_membership`).
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = api_token_usable(token=token, recent_failures=_recent_token_failures(request))
        if api_token is None:
            if not AxesProxyHandler.is_allowed(request, TOKEN_CREDENTIALS):
                raise _token_refusal(request)
            _token_failure_count(request)
            return None
        if api_token.recent_failures >= get_failure_limit(request, TOKEN_CREDENTIALS):  # type: ignore[attr-defined]
            raise _token_refusal(request)
        actor = actor_from_membership(api_token.membership)
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
