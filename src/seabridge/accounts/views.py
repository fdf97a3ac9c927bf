"""Pages of the accounts app: organisations, members, API tokens and the acting organisation.

Views parse input, find the organisation through the selectors (404 outside the
person's organisations), call one service and render. A role that may look but
not act gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from seabridge.accounts.choices import OrganizationKind, OrganizationStatus, Role
from seabridge.accounts.filters import MemberFilter, OrganizationFilter
from seabridge.accounts.forms import (
    ApiTokenForm,
    ChoosePasswordForm,
    MemberInviteForm,
    MemberRoleForm,
    OrganizationForm,
)
from seabridge.accounts.models import Membership, Organization
from seabridge.accounts.selectors import (
    ACTING_ORGANIZATION_SESSION_KEY,
    api_token_get,
    api_tokens_of,
    member_get,
    members_of,
    organization_with_actor,
    organizations_visible_to,
)
from seabridge.accounts.services import (
    api_token_create,
    api_token_revoke,
    member_change_role,
    member_invite,
    member_remove,
    organization_update,
)
from seabridge.core.errors import DomainError, Forbidden, NotFound
from seabridge.core.scope import Actor
from seabridge.core.types import HtmxHttpRequest
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import list_context

View = Callable[..., HttpResponse]


def refusals_as_http(view: View) -> View:
    """Answer NotFound as 404 and Forbidden as 403, as Django's own errors."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(*args, **kwargs)
        except NotFound as error:
            raise Http404 from error
        except Forbidden as error:
            raise PermissionDenied(error.message) from error

    return wrapper


def _user(request: HtmxHttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only a person in
    return request.user


def _organization(request: HtmxHttpRequest, pk: int) -> tuple[Organization, Actor | None]:
    return organization_with_actor(user=_user(request), organization_id=pk)


def _admin_of(request: HtmxHttpRequest, pk: int) -> tuple[Organization, Actor]:
    """The organisation and the person's admin actor for it: 404 if not theirs, 403 if no admin."""
    organization, actor = _organization(request, pk)
    if actor is None:
        raise Forbidden()
    actor.require_role(Role.ADMIN)
    return organization, actor


# --- organisations -------------------------------------------------------------------


@login_required
def organization_list(request: HtmxHttpRequest) -> HttpResponse:
    organizations = (
        organizations_visible_to(user=_user(request))
        .select_related("home_country")
        .order_by("short_name", "pk")
    )
    context = list_context(request, organizations, OrganizationFilter)
    context.update(kind_choices=OrganizationKind.choices, status_choices=OrganizationStatus.choices)
    template = (
        "accounts/_organization_results.html"
        if request.htmx and request.htmx.target == "results"
        else "accounts/organization_list.html"
    )
    return render(request, template, context)


@login_required
@refusals_as_http
def organization_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization, actor = _organization(request, pk)
    context = list_context(request, members_of(organization=organization), MemberFilter)
    context.update(
        organization=organization,
        actor=actor,
        is_admin=actor is not None and actor.has_role(Role.ADMIN),
        role_choices=Role.choices,
    )
    template = (
        "accounts/_member_results.html"
        if request.htmx and request.htmx.target == "results"
        else "accounts/organization_detail.html"
    )
    return render(request, template, context)


@login_required
@refusals_as_http
def organization_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization, actor = _admin_of(request, pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(actor=actor, organization=organization, data=form.changes())
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organization-detail", pk=organization.pk)
    return render(
        request, "accounts/organization_form.html", {"form": form, "organization": organization}
    )


# --- members -------------------------------------------------------------------------


@login_required
@refusals_as_http
def member_invite_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    organization, actor = _admin_of(request, pk)
    form = MemberInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = member_invite(
                actor=actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                site_url=request.build_absolute_uri("/"),
            )
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was added as %(role)s.")
                % {"person": membership.user.email, "role": Role(membership.role).label},
            )
            return redirect("accounts:organization-detail", pk=organization.pk)
    return render(
        request, "accounts/member_invite.html", {"form": form, "organization": organization}
    )


@login_required
@refusals_as_http
def member_role(request: HtmxHttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organization, actor = _admin_of(request, pk)
    membership = member_get(organization=organization, membership_id=membership_id)
    form = MemberRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            member_change_role(actor=actor, membership=membership, role=form.cleaned_data["role"])
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The role was changed."))
            return redirect("accounts:organization-detail", pk=organization.pk)
    return render(
        request,
        "accounts/member_role.html",
        {"form": form, "organization": organization, "membership": membership},
    )


@login_required
@refusals_as_http
def member_remove_view(request: HtmxHttpRequest, pk: int, membership_id: int) -> HttpResponse:
    organization, actor = _admin_of(request, pk)
    membership = member_get(organization=organization, membership_id=membership_id)
    error_message = ""
    if request.method == "POST":
        try:
            member_remove(actor=actor, membership=membership)
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            error_message = error.message
        else:
            messages.success(
                request, _("%(person)s was removed.") % {"person": membership.user.get_username()}
            )
            return redirect("accounts:organization-detail", pk=organization.pk)
    return render(
        request,
        "accounts/member_remove.html",
        {"organization": organization, "membership": membership, "error_message": error_message},
        status=409 if error_message else 200,
    )


# --- API tokens ----------------------------------------------------------------------


@login_required
@never_cache
@refusals_as_http
def token_list(request: HtmxHttpRequest) -> HttpResponse:
    """The person's tokens; a POST creates one and shows its clear value this once."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.actor is None:
            raise Forbidden()
        try:
            token, clear_token = api_token_create(
                actor=request.actor, name=form.cleaned_data["name"], expires_at=form.expiry()
            )
        except DomainError as error:
            if isinstance(error, NotFound | Forbidden):
                raise
            apply_domain_error(form, error)
        else:
            # Rendered, not redirected: the clear token must not travel in a URL or session.
            return render(
                request, "accounts/token_created.html", {"token": token, "clear_token": clear_token}
            )
    tokens = api_tokens_of(user=_user(request))
    return render(request, "accounts/token_list.html", {"form": form, "tokens": tokens})


@login_required
@refusals_as_http
@require_http_methods(["GET", "POST"])
def token_revoke(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    token = api_token_get(user=_user(request), token_id=pk)
    if request.method == "POST":
        api_token_revoke(actor=_user(request), token=token)
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:token-list")
    return render(request, "accounts/token_revoke.html", {"token": token})


# --- acting organisation -------------------------------------------------------------


@login_required
@require_POST
def act_as(request: HtmxHttpRequest) -> HttpResponse:
    """Act for another of the person's organisations; any other organisation is a 404."""
    try:
        organization_id = int(request.POST.get("organization", ""))
    except ValueError:
        raise Http404 from None
    membership = (
        Membership.objects.select_related("organization")
        .filter(user=_user(request), organization_id=organization_id)
        .first()
    )
    if membership is None:
        raise Http404
    request.session[ACTING_ORGANIZATION_SESSION_KEY] = membership.organization_id
    messages.success(
        request,
        _("You now act for %(organization)s as %(role)s.")
        % {"organization": membership.organization, "role": Role(membership.role).label},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("web:home")
    return HttpResponseRedirect(next_url)


# --- invitation link -----------------------------------------------------------------


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Where an invited person (or one who forgot) chooses a password from the e-mailed link."""

    template_name = "accounts/set_password.html"
    form_class = ChoosePasswordForm
    success_url = reverse_lazy("web:sign-in")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set; sign in with it."))
        return response
