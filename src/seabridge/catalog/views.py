"""Pages of the catalog app: thin views that ask the scope, call one service and render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.catalog import selectors, services
from seabridge.catalog.choices import BodyType, Powertrain, SteeringSide
from seabridge.catalog.filters import BrandFilter, VariantFilter
from seabridge.catalog.forms import BrandForm, HomologationForm, ProductLineForm, VariantForm
from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
from seabridge.core.errors import Forbidden, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.scope import Action, Actor, allows, get_visible, require
from seabridge.core.types import HtmxHttpRequest
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import page_actor, scoped_page

EXPORT_CHUNK = 2000  # rows per database round trip of an export

M = TypeVar("M", bound=Model)


def _may_create_brand(actor: Actor | None) -> bool:
    return (
        actor is not None
        and actor.has_role(Role.STAFF)
        and actor.organization.kind == OrganizationKind.MANUFACTURER
    )


def _form_page(request: HtmxHttpRequest, form: Any, *, title: str, cancel_url: str) -> HttpResponse:
    return render(
        request, "catalog/form.html", {"form": form, "title": title, "cancel_url": cancel_url}
    )


# --- brands ---------------------------------------------------------------------------


@scoped_page
def brand_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = request.actor
    context = list_context(request, selectors.brand_list(actor=actor), BrandFilter)
    context["may_create"] = _may_create_brand(actor)
    template = "catalog/_brand_results.html" if request.htmx else "catalog/brand_list.html"
    return render(request, template, context)


@scoped_page
def brand_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    brand = get_visible(actor, Brand.objects.select_related("owner"), pk=pk)
    product_lines = selectors.product_line_list(actor=actor).filter(brand=brand)
    return render(
        request,
        "catalog/brand_detail.html",
        {"brand": brand, "product_lines": product_lines, "may_change": allows(actor, brand)},
    )


@scoped_page
def brand_create(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor)
    if not _may_create_brand(actor):
        raise Forbidden(_("Only a manufacturer can own a brand."))
    form = BrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            brand = services.brand_create(actor=actor, name=form.cleaned_data["name"])
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Brand %(name)s created.") % {"name": brand})
            return redirect("catalog:brand-detail", pk=brand.pk)
    return _form_page(request, form, title=_("New brand"), cancel_url=reverse("catalog:brand-list"))


@scoped_page
def brand_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    brand = get_visible(actor, Brand.objects.all(), pk=pk)
    require(actor, brand, Action.CHANGE)
    form = BrandForm(request.POST or None, initial={"name": brand.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.brand_update(actor=actor, brand=brand, name=form.cleaned_data["name"])
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Brand %(name)s saved.") % {"name": brand})
            return redirect("catalog:brand-detail", pk=brand.pk)
    return _form_page(
        request,
        form,
        title=_("Edit brand %(name)s") % {"name": brand},
        cancel_url=reverse("catalog:brand-detail", args=[brand.pk]),
    )


# --- product lines --------------------------------------------------------------------


@scoped_page
def product_line_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    line = get_visible(actor, ProductLine.objects.select_related("brand"), pk=pk)
    variants = selectors.variant_list(actor=actor).filter(product_line=line)
    return render(
        request,
        "catalog/product_line_detail.html",
        {"product_line": line, "variants": variants, "may_change": allows(actor, line)},
    )


@scoped_page
def product_line_create(request: HtmxHttpRequest, brand_pk: int) -> HttpResponse:
    actor = request.actor
    brand = get_visible(actor, Brand.objects.all(), pk=brand_pk)
    require(actor, brand, Action.CREATE)
    form = ProductLineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.product_line_create(actor=actor, brand=brand, **form.cleaned_data)
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Product line %(name)s created.") % {"name": line})
            return redirect("catalog:product-line-detail", pk=line.pk)
    return _form_page(
        request,
        form,
        title=_("New product line of %(brand)s") % {"brand": brand},
        cancel_url=reverse("catalog:brand-detail", args=[brand.pk]),
    )


@scoped_page
def product_line_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    line = get_visible(actor, ProductLine.objects.select_related("brand"), pk=pk)
    require(actor, line, Action.CHANGE)
    initial = {name: getattr(line, name) for name in services.PRODUCT_LINE_FIELDS}
    form = ProductLineForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_line_update(
                actor=actor,
                product_line=line,
                changes=form.cleaned_data,  # type: ignore[arg-type]
            )
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Product line %(name)s saved.") % {"name": line})
            return redirect("catalog:product-line-detail", pk=line.pk)
    return _form_page(
        request,
        form,
        title=_("Edit product line %(name)s") % {"name": line},
        cancel_url=reverse("catalog:product-line-detail", args=[line.pk]),
    )


# --- variants -------------------------------------------------------------------------


@scoped_page
def variant_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = request.actor
    context = list_context(request, selectors.variant_list(actor=actor), VariantFilter)
    if request.htmx:
        return render(request, "catalog/_variant_results.html", context)
    context.update(
        {
            "brands": selectors.brand_list(actor=actor),
            "powertrains": Powertrain.choices,
            "bodies": BodyType.choices,
            "steerings": SteeringSide.choices,
            "may_create": actor is not None and actor.has_role(Role.STAFF),
        }
    )
    return render(request, "catalog/variant_list.html", context)


@scoped_page
def variant_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The variant list as CSV or XLSX: the list page's scope and filter, every variant,
    its list price in its currency."""
    try:
        chosen = check_format(format)
        variants = filtered(request, selectors.variant_list(actor=request.actor), VariantFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    # Translated now: a CSV is written after the view has returned.
    bodies = {value: str(label) for value, label in BodyType.choices}
    powertrains = {value: str(label) for value, label in Powertrain.choices}
    steerings = {value: str(label) for value, label in SteeringSide.choices}
    active = {True: _("yes"), False: _("no")}
    header = [
        _("Code"),
        _("Name"),
        _("Brand"),
        _("Product line"),
        _("Body"),
        _("Powertrain"),
        _("Steering"),
        _("Emission standard"),
        _("Engine or battery"),
        _("HS code"),
        _("List price"),
        _("Currency"),
        _("Active"),
    ]

    def price(variant: Variant) -> Decimal | None:
        money = variant.price
        return money.amount if money is not None else variant.list_price

    def row(variant: Variant) -> tuple[Any, ...]:
        return (
            variant.code,
            variant.name,
            variant.brand.name,
            variant.product_line.name,
            bodies.get(variant.body, variant.body),
            powertrains.get(variant.powertrain, variant.powertrain),
            steerings.get(variant.steering, variant.steering),
            variant.emission_standard,
            variant.engine,
            variant.hs_code,
            price(variant),
            variant.list_price_currency,
            active[variant.is_active],
        )

    return export_response(
        header=header,
        rows=map(row, variants.iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"variants-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@scoped_page
def variant_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    variant = get_visible(actor, Variant.objects.select_related("brand", "product_line"), pk=pk)
    homologations = selectors.homologation_list(actor=actor).filter(variant=variant)
    return render(
        request,
        "catalog/variant_detail.html",
        {"variant": variant, "homologations": homologations, "may_change": allows(actor, variant)},
    )


@scoped_page
def variant_create(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor)
    product_lines = selectors.product_line_list(actor=actor, action=Action.CREATE)
    form = VariantForm(
        request.POST or None,
        product_lines=product_lines,
        initial={"product_line": request.GET.get("product_line"), "is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        try:
            variant = services.variant_create(actor=actor, **form.cleaned_data)
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Variant %(name)s created.") % {"name": variant})
            return redirect("catalog:variant-detail", pk=variant.pk)
    return _form_page(
        request, form, title=_("New variant"), cancel_url=reverse("catalog:variant-list")
    )


@scoped_page
def variant_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    variant = get_visible(actor, Variant.objects.select_related("brand", "product_line"), pk=pk)
    require(actor, variant, Action.CHANGE)
    initial = {name: getattr(variant, name) for name in services.VARIANT_FIELDS}
    form = VariantForm(
        request.POST or None,
        product_lines=selectors.product_line_list(actor=actor, action=Action.CREATE),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.variant_update(
                actor=actor,
                variant=variant,
                changes=form.cleaned_data,  # type: ignore[arg-type]
            )
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Variant %(name)s saved.") % {"name": variant})
            return redirect("catalog:variant-detail", pk=variant.pk)
    return _form_page(
        request,
        form,
        title=_("Edit variant %(name)s") % {"name": variant},
        cancel_url=reverse("catalog:variant-detail", args=[variant.pk]),
    )


# --- homologations --------------------------------------------------------------------


@scoped_page
def homologation_create(request: HtmxHttpRequest, variant_pk: int) -> HttpResponse:
    actor = request.actor
    variant = get_visible(actor, Variant.objects.all(), pk=variant_pk)
    require(actor, variant, Action.CHANGE)
    form = HomologationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.homologation_set(actor=actor, variant=variant, **form.cleaned_data)
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Homologation saved."))
            return redirect("catalog:variant-detail", pk=variant.pk)
    return _form_page(
        request,
        form,
        title=_("Homologate %(variant)s") % {"variant": variant},
        cancel_url=reverse("catalog:variant-detail", args=[variant.pk]),
    )


@scoped_page
def homologation_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    homologation = get_visible(
        actor, Homologation.objects.select_related("variant", "country__profile"), pk=pk
    )
    require(actor, homologation, Action.CHANGE)
    initial = {
        "country": homologation.country,
        **{name: getattr(homologation, name) for name in services.HOMOLOGATION_FIELDS},
    }
    form = HomologationForm(request.POST or None, initial=initial, country_fixed=True)
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in services.HOMOLOGATION_FIELDS}
        try:
            services.homologation_update(
                actor=actor,
                homologation=homologation,
                changes=changes,  # type: ignore[arg-type]
            )
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Homologation saved."))
            return redirect("catalog:variant-detail", pk=homologation.variant_id)
    return _form_page(
        request,
        form,
        title=_("Homologation of %(variant)s in %(country)s")
        % {"variant": homologation.variant, "country": homologation.country},
        cancel_url=reverse("catalog:variant-detail", args=[homologation.variant_id]),
    )
