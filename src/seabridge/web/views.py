"""Sign-in, sign-out and the home page."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seabridge.web.forms import SignInForm


class SignInView(auth_views.LoginView):
    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """Sign out on POST only (a link must not sign anyone out)."""


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
