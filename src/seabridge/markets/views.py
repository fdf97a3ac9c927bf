"""Pages of the markets app: countries, their profiles and the business regions.

Every signed-in person reads them; the platform's stewards edit them, and staff of a
partner granted a market edit its profile's field notes. Anyone else is not offered
the edit buttons, and is sent back with a message if they open or post a form.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from seabridge.core.errors import DomainError, NotFound, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.scope import is_steward
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
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import scoped_page

EXPORT_CHUNK = 2000  # rows per database round trip of an export

M = TypeVar("M", bound=Model)


def _can_edit(request: HtmxHttpRequest) -> bool:
    """Whether the person may change business regions (and every field of a profile)."""
    return is_steward(request.actor)


def _refuse_editing(request: HtmxHttpRequest, back_to: str) -> HttpResponseRedirect | None:
    """Send a reader who may not edit back to the page they came from, saying why."""
    if _can_edit(request):
        return None
    messages.error(
        request, _("Reference data is kept by the platform's stewards; ask one to change it.")
    )
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


@scoped_page
def country_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The country list with each market profile as CSV or XLSX, filtered like the list
    page; reference data, so every signed-in person may download it."""
    try:
        chosen = check_format(format)
        countries = filtered(request, countries_with_relations(), CountryFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    # Names and labels in the reader's language, fixed now: a CSV is written after the
    # view has returned.
    language = get_language()
    sides = {value: str(label) for value, label in TrafficSide.choices}
    answers = {True: _("yes"), False: _("no")}
    header = [
        _("Country"),
        _("ISO code"),
        _("ISO alpha-3"),
        _("UN M49 region"),
        _("Business regions"),
        _("Currency"),
        _("Traffic side"),
        _("Emission standard in force"),
        _("Import duty on pickups (%)"),
        _("Import duty on passenger cars (%)"),
        _("Resource-rich"),
        _("Official languages"),
    ]

    def row(country: Country) -> tuple[Any, ...]:
        profile: MarketProfile | None = getattr(country, "profile", None)
        regions = ", ".join(
            region.localized_name(language) for region in country.business_regions.all()
        )
        if profile is None:
            return (
                country.localized_name(language),
                country.code,
                country.alpha3,
                country.m49_region,
                regions,
                country.currency,
                *([None] * 6),
            )
        return (
            country.localized_name(language),
            country.code,
            country.alpha3,
            country.m49_region,
            regions,
            profile.currency or country.currency,
            sides.get(profile.traffic_side, profile.traffic_side),
            profile.emission_standard,
            profile.import_duty_pickup_pct,
            profile.import_duty_passenger_pct,
            answers[profile.is_resource_rich],
            ", ".join(profile.official_languages),
        )

    return export_response(
        header=header,
        rows=map(row, countries.iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"countries-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@login_required
def country_detail(request: HtmxHttpRequest, code: str) -> HttpResponse:
    country = _country_or_404(code)
    profile = getattr(country, "profile", None)
    editable = services.profile_fields_editable_by(request.actor, country)
    return render(
        request,
        "markets/country_detail.html",
        {
            "country": country,
            "profile": profile,
            "can_edit": editable == services.PROFILE_EDITABLE_FIELDS,
            "can_edit_notes": bool(editable),
        },
    )


@login_required
def profile_edit(request: HtmxHttpRequest, code: str) -> HttpResponse:
    country = _country_or_404(code)
    detail_url = reverse("markets:country-detail", args=[country.code])
    editable = services.profile_fields_editable_by(request.actor, country)
    if not editable:
        messages.error(
            request,
            _(
                "Market profiles are kept by the platform's stewards; the partners granted "
                "%(country)s may change its field notes."
            )
            % {"country": country},
        )
        return redirect(detail_url)
    profile = getattr(country, "profile", None) or MarketProfile(
        country=country, traffic_side=services.default_traffic_side(country.code)
    )
    if request.method == "POST":
        form = MarketProfileForm(request.POST, fields=editable)
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
        form = MarketProfileForm(initial=MarketProfileForm.initial_from(profile), fields=editable)
    return render(
        request,
        "markets/profile_form.html",
        {
            "country": country,
            "form": form,
            "notes_only": editable != services.PROFILE_EDITABLE_FIELDS,
        },
    )


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
