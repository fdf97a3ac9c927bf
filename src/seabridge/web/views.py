"""Sign-in, sign-out and the home page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out on POST only (a link must not sign anyone out)."""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
