"""Sign-in, sign-out and the home page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from seabridge.accounts.auth import lockout_seconds, sign_in_failure_record, sign_in_record
from seabridge.accounts.choices import Role
from seabridge.core.errors import Forbidden, NotFound
from seabridge.core.scope import Actor
from seabridge.web.forms import SignInForm

V = TypeVar("V", bound=Callable[..., Any])


def scoped_page(view: V) -> V:
    """A page of business rows: sign-in required; a row the actor may not see is a 404,
    one it may only see a 403 (the scope module's refusals, as pages answer them)."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except Forbidden as error:
            raise PermissionDenied(error.message) from error

    return wrapper  # type: ignore[return-value]  # same signature as ``view``


def page_actor(actor: Actor | None, role: Role = Role.STAFF) -> Actor:
    """The actor of a page that creates something: acting for no organisation is a 403
    with a message saying so, below ``role`` a 403 naming the role."""
    if actor is None:
        raise Forbidden(_("You act for no organisation."))
    actor.require_role(role)
    return actor


class SignInView(auth_views.LoginView):
    """Django's sign-in, each success and each wrong password written to the audit trail.

    Failed sign-ins are limited by account and by address (``seabridge.accounts.auth``);
    a locked-out try is answered by :func:`sign_in_locked_out`.
    """

    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        sign_in_record(request=self.request, user=form.get_user())
        return response

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            sign_in_failure_record(request=self.request, username=form.data.get("username", ""))
        return super().form_invalid(form)


def sign_in_locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """Axes' ``AXES_LOCKOUT_CALLABLE``: the sign-in page again, with a 429 that says why
    and for how long (``Retry-After``), whether the password was right or not."""
    seconds = lockout_seconds(request)
    message = _(
        "Too many failed sign-ins for this account or from this address: signing in is "
        "refused, even with the right password, for %(minutes)s minutes after the last "
        "failure. An administrator can lift the lock sooner."
    ) % {"minutes": max(1, round(seconds / 60))}
    context = {"form": SignInForm(request), "lockout_message": message}
    response = render(request, "web/sign_in.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


class SignOutView(auth_views.LogoutView):
    """Sign out on POST only (a link must not sign anyone out)."""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
