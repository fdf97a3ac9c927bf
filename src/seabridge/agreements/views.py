"""Agreement pages: list, detail with its scope table, drafting, sub-grants, status moves."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from seabridge.accounts.choices import Role
from seabridge.agreements import services
from seabridge.agreements.choices import AgreementKind, AgreementStatus
from seabridge.agreements.filters import AgreementFilter
from seabridge.agreements.forms import (
    AgreementEditForm,
    AgreementForm,
    MarketVisibilityForm,
    SignForm,
)
from seabridge.agreements.models import Agreement
from seabridge.agreements.selectors import (
    agreement_get,
    agreements_visible,
    market_visibility,
    scope_table,
)
from seabridge.core.errors import DomainError, NotFound, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.types import HtmxHttpRequest
from seabridge.core.views import required_actor
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import scoped_page

EXPORT_CHUNK = 2000  # rows per database round trip of an export

M = TypeVar("M", bound=Model)


def _visible(request: HtmxHttpRequest, agreement_id: int) -> Agreement:
    try:
        return agreement_get(request.actor, agreement_id)
    except NotFound as error:
        raise Http404 from error


@login_required
def agreement_list(request: HtmxHttpRequest) -> HttpResponse:
    context = list_context(request, agreements_visible(request.actor), AgreementFilter)
    context["status_choices"] = AgreementStatus.choices
    context["kind_choices"] = AgreementKind.choices
    template = (
        "agreements/_agreement_results.html" if request.htmx else "agreements/agreement_list.html"
    )
    return render(request, template, context)


@scoped_page
def agreement_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The agreement list as CSV or XLSX: the agreements the list page shows, filtered alike."""
    try:
        chosen = check_format(format)
        agreements = filtered(request, agreements_visible(request.actor), AgreementFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    # A sub-grantee may not see the agreement its grant hangs from: name it only to those
    # who may.
    visible_parents = set(
        agreements_visible(request.actor)
        .filter(pk__in=agreements.values("parent_id"))
        .values_list("pk", flat=True)
    )
    # Translated now: a CSV is written after the view has returned.
    answers = {True: _("yes"), False: _("no")}
    kinds = {value: str(label) for value, label in AgreementKind.choices}
    statuses = {value: str(label) for value, label in AgreementStatus.choices}
    header = [
        _("Title"),
        _("Kind"),
        _("Grantor"),
        _("Grantee"),
        _("Sub-grant"),
        _("Granted under"),
        _("Effective from"),
        _("Effective to"),
        _("Status"),
        _("Signed on"),
        pgettext("the city an agreement was signed in", "Signed in"),
    ]

    def row(agreement: Agreement) -> tuple[Any, ...]:
        return (
            agreement.title,
            kinds.get(agreement.kind, agreement.kind),
            agreement.grantor.short_name,
            agreement.grantee.short_name,
            answers[agreement.parent_id is not None],
            agreement.parent.title
            if agreement.parent is not None and agreement.parent.pk in visible_parents
            else "",
            agreement.effective_from,
            agreement.effective_to,
            statuses.get(agreement.status, agreement.status),
            agreement.signed_on,
            agreement.signed_in,
        )

    return export_response(
        header=header,
        rows=map(row, agreements.iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"agreements-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@login_required
def agreement_detail(request: HtmxHttpRequest, agreement_id: int) -> HttpResponse:
    agreement = _visible(request, agreement_id)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "scope_rows": scope_table(agreement),
            "commitments": agreement.commitments.all(),
            "signatories": agreement.signatories.select_related("organization"),
            "sub_grants": agreement.sub_grants.select_related("grantee"),
            "sign_form": SignForm(),
        },
    )


@scoped_page
def agreement_create(request: HtmxHttpRequest, agreement_id: int | None = None) -> HttpResponse:
    actor = required_actor(request)
    parent = _visible(request, agreement_id) if agreement_id is not None else None
    if parent is not None and parent.grantee_id != actor.organization_id:
        raise Http404
    form = AgreementForm(request.POST or None, organization=actor.organization, parent=parent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                actor=actor,
                kind=data["kind"],
                grantee=data["grantee"],
                title=data["title"],
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
                parent=parent,
                scope=services.ScopeInput(
                    brands=[brand.pk for brand in data["brands"]],
                    countries=[country.code for country in data["countries"]],
                    regions=[region.code for region in data["regions"]],
                    areas=data["areas"],
                ),
                commitments=form.commitments(),
                notes=data["notes"],
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Agreement drafted."))
            return redirect("agreements:agreement-detail", agreement_id=agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form, "parent": parent})


@login_required
def agreement_document(request: HtmxHttpRequest, agreement_id: int) -> HttpResponseBase:
    """The signed document, for those who may see the agreement."""
    agreement = _visible(request, agreement_id)
    if not agreement.document:
        raise Http404
    return FileResponse(
        agreement.document.open("rb"),
        as_attachment=True,
        filename=agreement.document.name.rsplit("/", 1)[-1],
    )


@scoped_page
def agreement_edit(request: HtmxHttpRequest, agreement_id: int) -> HttpResponse:
    """Edit a draft (grantor's admin); anyone else who may see it gets a 403."""
    actor = required_actor(request)
    agreement = _visible(request, agreement_id)
    if agreement.grantor_id != actor.organization_id or not actor.has_role(Role.ADMIN):
        return render(request, "web/forbidden.html", status=403)
    form = AgreementEditForm(request.POST or None, request.FILES or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_update(
                actor=actor,
                agreement=agreement,
                title=data["title"],
                effective_from=data["effective_from"],
                effective_to=data["effective_to"],
                clear_effective_to=data["effective_to"] is None,
                scope=services.ScopeInput(
                    brands=[brand.pk for brand in data["brands"]],
                    countries=[country.code for country in data["countries"]],
                    areas=data["areas"],
                ),
                notes=data["notes"],
                document=data["document"],
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            if error.status == 409:
                messages.error(request, error.message)
                return redirect("agreements:agreement-detail", agreement_id=agreement.pk)
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Agreement saved."))
            return redirect("agreements:agreement-detail", agreement_id=agreement.pk)
    return render(request, "agreements/agreement_edit.html", {"form": form, "agreement": agreement})


def _status_move(request: HtmxHttpRequest, agreement_id: int, move: str) -> HttpResponse:
    actor = required_actor(request)
    agreement = _visible(request, agreement_id)
    try:
        if move == "sign":
            form = SignForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the date of signature."))
                return redirect("agreements:agreement-detail", agreement_id=agreement.pk)
            services.agreement_sign(
                actor=actor,
                agreement=agreement,
                signed_on=form.cleaned_data["signed_on"],
                signed_in=form.cleaned_data["signed_in"],
            )
        elif move == "activate":
            services.agreement_activate(actor=actor, agreement=agreement)
        else:
            services.agreement_terminate(actor=actor, agreement=agreement)
    except DomainError as error:
        if error.status == 404:
            raise Http404 from error
        if error.status == 403:
            return render(request, "web/forbidden.html", {"message": error.message}, status=403)
        messages.error(request, error.message)
    return redirect("agreements:agreement-detail", agreement_id=agreement.pk)


@scoped_page
@require_POST
def agreement_sign(request: HtmxHttpRequest, agreement_id: int) -> HttpResponse:
    return _status_move(request, agreement_id, "sign")


@scoped_page
@require_POST
def agreement_activate(request: HtmxHttpRequest, agreement_id: int) -> HttpResponse:
    return _status_move(request, agreement_id, "activate")


@scoped_page
@require_POST
def agreement_terminate(request: HtmxHttpRequest, agreement_id: int) -> HttpResponse:
    return _status_move(request, agreement_id, "terminate")


@scoped_page
def market_visibility_page(request: HtmxHttpRequest) -> HttpResponse:
    """For a brand owner: who sees one of its brands in one market, and in which areas."""
    actor = required_actor(request)
    form = MarketVisibilityForm(request.GET or None, organization=actor.organization)
    viewers = None
    if form.is_bound and form.is_valid():
        viewers = market_visibility(
            actor, brand=form.cleaned_data["brand"], country_code=form.cleaned_data["country"].code
        )
    return render(request, "agreements/market_visibility.html", {"form": form, "viewers": viewers})
