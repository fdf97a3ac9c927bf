"""Pages of the markets app: countries, their profiles and the business regions.

Every signed-in person reads them; staff (or higher) of an organisation edit them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from seabridge.accounts.choices import Role
from seabridge.core.errors import DomainError, NotFound
from seabridge.core.types import HtmxHttpRequest
from seabridge.markets import services
from seabridge.markets.choices import TrafficSide
from seabridge.markets.filters import BusinessRegionFilter, CountryFilter
from seabridge.markets.forms import BusinessRegionForm, MarketProfileForm
from seabridge.markets.models import BusinessRegion, Country, MarketProfile
from seabridge.markets.selectors import (
    business_region_get,
    business_regions_with_counts,
    countries_with_relations,
    country_get,
    m49_regions,
)
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import list_context


def _can_edit(request: HtmxHttpRequest) -> bool:
    return request.actor is not None and request.actor.has_role(Role.STAFF)


def _refuse_editing(request: HtmxHttpRequest, back_to: str) -> HttpResponseRedirect | None:
    """Send a reader who may not edit back to the page they came from, saying why."""
    if _can_edit(request):
        return None
    messages.error(request, _("Only staff of an organisation can change market data."))
    return redirect(back_to)


def _country_or_404(code: str) -> Country:
    try:
        return country_get(code)
    except NotFound as error:
        raise Http404 from error


def _region_or_404(code: str) -> BusinessRegion:
    try:
        return business_region_get(code)
    except NotFound as error:
        raise Http404 from error


def _wants_results_only(request: HtmxHttpRequest) -> bool:
    return bool(request.htmx) and request.htmx.target == "results"


@login_required
def country_list(request: HtmxHttpRequest) -> HttpResponse:
    context = list_context(request, countries_with_relations(), CountryFilter)
    if _wants_results_only(request):
        return render(request, "markets/_country_results.html", context)
    context.update(
        m49_regions=m49_regions(),
        business_regions=list(BusinessRegion.objects.order_by("name")),
        traffic_sides=TrafficSide.choices,
    )
    return render(request, "markets/country_list.html", context)


@login_required
def country_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    country = _country_or_404(code)
    profile = getattr(country, "profile", None)
    return render(
        request,
        "markets/country_detail.html",
        {"country": country, "profile": profile, "can_edit": _can_edit(request)},
    )


@login_required
def profile_edit(request: HtmxHttpRequest, code: str) -> HttpResponse:
    country = _country_or_404(code)
    detail_url = reverse("markets:country-detail", args=[country.code])
    refusal = _refuse_editing(request, detail_url)
    if refusal is not None:
        return refusal
    profile = getattr(country, "profile", None) or MarketProfile(
        country=country, traffic_side=services.default_traffic_side(country.code)
    )
    if request.method == "POST":
        form = MarketProfileForm(request.POST)
        if form.is_valid():
            try:
                services.market_profile_update(
                    actor=request.actor, country=country, data=form.cleaned_data
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The market profile was saved."))
                return redirect(detail_url)
    else:
        form = MarketProfileForm(initial=MarketProfileForm.initial_from(profile))
    return render(request, "markets/profile_form.html", {"country": country, "form": form})


@login_required
def region_list(request: HtmxHttpRequest) -> HttpResponse:
    context = list_context(request, business_regions_with_counts(), BusinessRegionFilter)
    context["can_edit"] = _can_edit(request)
    if _wants_results_only(request):
        return render(request, "markets/_region_results.html", context)
    return render(request, "markets/region_list.html", context)


@login_required
def region_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    region = _region_or_404(code)
    return render(
        request,
        "markets/region_detail.html",
        {"region": region, "can_edit": _can_edit(request)},
    )


@login_required
def region_create(request: HtmxHttpRequest) -> HttpResponse:
    refusal = _refuse_editing(request, reverse("markets:region-list"))
    if refusal is not None:
        return refusal
    form = BusinessRegionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            region = services.business_region_create(actor=request.actor, **form.service_data())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The business region was created."))
            return redirect("markets:region-detail", code=region.code)
    return render(request, "markets/region_form.html", {"form": form, "region": None})


@login_required
def region_edit(request: HtmxHttpRequest, code: str) -> HttpResponse:
    region = _region_or_404(code)
    detail_url = reverse("markets:region-detail", args=[region.code])
    refusal = _refuse_editing(request, detail_url)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = BusinessRegionForm(request.POST, editing=True)
        if form.is_valid():
            try:
                services.business_region_update(
                    actor=request.actor, region=region, data=form.service_data()
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                messages.success(request, _("The business region was saved."))
                return redirect(detail_url)
    else:
        form = BusinessRegionForm(initial=BusinessRegionForm.initial_from(region), editing=True)
    return render(request, "markets/region_form.html", {"form": form, "region": region})
