"""Pages of the trade app: thin views that ask the scope, call one service and render."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model, Q
from django.http import HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seabridge.accounts.choices import Role
from seabridge.agreements.selectors import counterparties_visible
from seabridge.catalog.models import Brand, Variant
from seabridge.core.errors import Conflict, DomainError, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.money import Money
from seabridge.core.scope import (
    Action,
    Actor,
    allows,
    is_steward,
    require,
    require_steward,
    restrict,
)
from seabridge.core.types import HtmxHttpRequest
from seabridge.trade import selectors, services
from seabridge.trade.choices import (
    ANSWERABLE_STATUSES,
    ORDER_TRANSITIONS,
    BuyerResponse,
    OrderStatus,
    PaymentTerms,
    ShipmentMode,
    ShipmentStatus,
)
from seabridge.trade.filters import ExportOrderFilter, ShipmentFilter
from seabridge.trade.forms import (
    AllocateForm,
    DateForm,
    ExchangeRateForm,
    OrderCreateForm,
    OrderLineFormSet,
    OrderTermsForm,
    ShipmentForm,
    VinsForm,
)
from seabridge.trade.models import ExportOrder, Shipment
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import page_actor, scoped_page

EXPORT_CHUNK = 2000  # rows per database round trip of an export

M = TypeVar("M", bound=Model)


def _amount(value: Decimal | None, currency: str) -> Decimal | None:
    """An amount rounded to its currency's minor unit (as stored when there is no currency)."""
    if value is None or not currency:
        return value
    return Money(value, currency).amount


def _labels(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Choice labels translated now: a CSV is written after the view has returned."""
    return {value: str(label) for value, label in choices}


# --- orders --------------------------------------------------------------------------------


@scoped_page
def order_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = request.actor
    context = list_context(request, selectors.order_list(actor=actor), ExportOrderFilter)
    if request.htmx:
        return render(request, "trade/_order_results.html", context)
    context.update(
        statuses=OrderStatus.choices,
        may_create=actor is not None and actor.has_role(Role.STAFF),
    )
    return render(request, "trade/order_list.html", context)


@scoped_page
def order_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The order list as CSV or XLSX: the list page's scope and filter, every order, with
    its units and value (the sum of its lines) in the order's currency."""
    try:
        chosen = check_format(format)
        orders = filtered(request, selectors.order_list(actor=request.actor), ExportOrderFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    statuses = _labels(OrderStatus.choices)
    payment_terms = _labels(PaymentTerms.choices)
    header = [
        _("Number"),
        _("Brand"),
        _("Seller"),
        _("Buyer"),
        _("Destination (ISO code)"),
        _("Destination"),
        _("Incoterms"),
        _("Named place"),
        _("Payment terms"),
        _("L/C number"),
        _("Requested delivery"),
        _("Confirmed on"),
        _("Units"),
        _("Value"),
        _("Currency"),
        _("Status"),
    ]

    def rows() -> Iterator[tuple[Any, ...]]:
        # The lines come prefetched per chunk of orders: two queries a chunk.
        for order in orders.iterator(chunk_size=EXPORT_CHUNK):
            lines = order.lines.all()
            value = sum((line.quantity * line.unit_price for line in lines), Decimal(0))
            yield (
                order.number,
                order.brand.name,
                order.seller.short_name,
                order.buyer.short_name,
                order.destination_id,
                order.destination.name,
                order.incoterm,
                order.named_place,
                payment_terms.get(order.payment_terms, order.payment_terms),
                order.lc_number,
                order.requested_on,
                order.confirmed_on,
                sum(line.quantity for line in lines),
                _amount(value, order.currency),
                order.currency,
                statuses.get(order.status, order.status),
            )

    return export_response(
        header=header,
        rows=rows(),
        filename=f"orders-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


def _line_inputs(formset: Any) -> list[services.LineInput]:
    return [
        services.LineInput(
            variant_id=form.cleaned_data["variant"].pk,
            quantity=form.cleaned_data["quantity"],
            unit_price=form.cleaned_data["unit_price"],
        )
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _variants(actor: Actor, brand: Brand | None = None) -> Any:
    variants = restrict(actor, Variant.objects.select_related("brand")).order_by("code")
    return variants.filter(brand=brand) if brand is not None else variants


@scoped_page
def order_create(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor)
    brands = restrict(actor, Brand.objects.all()).order_by("name")
    buyers = counterparties_visible(actor)
    form = OrderCreateForm(request.POST or None, brands=brands, buyers=buyers)
    formset = OrderLineFormSet(
        request.POST or None, prefix="lines", form_kwargs={"variants": _variants(actor)}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            order = services.export_order_create(
                actor=actor,
                number=data["number"],
                brand=data["brand"],
                buyer=data["buyer"],
                destination=data["destination"].code,
                incoterm=data["incoterm"],
                named_place=data["named_place"],
                currency=data["currency"],
                payment_terms=data["payment_terms"],
                lc_number=data["lc_number"],
                lc_expires_on=data["lc_expires_on"],
                requested_on=data["requested_on"],
                notes=data["notes"],
                lines=_line_inputs(formset),
            )
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Order %(number)s drafted.") % {"number": order})
            return redirect("trade:order-detail", pk=order.pk)
    return render(
        request,
        "trade/order_form.html",
        {"form": form, "formset": formset, "title": _("New export order")},
    )


@scoped_page
def order_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    order = selectors.order_get(actor=actor, order_id=pk)
    may_change = allows(actor, order)
    transitions = [
        (status, OrderStatus(status).label)
        for status in OrderStatus.values
        if status in ORDER_TRANSITIONS[order.status]
    ]
    return render(
        request,
        "trade/order_detail.html",
        {
            "order": order,
            "may_change": may_change,
            "transitions": transitions if may_change else [],
            "may_allocate": may_change and order.status in services.ORDER_OPEN_FOR_ALLOCATION,
            "may_respond": order.status in ANSWERABLE_STATUSES
            and order.buyer_response != BuyerResponse.ACCEPTED
            and allows(actor, order, Action.RESPOND),
            "shipments": restrict(actor, order.shipments.all()),
        },
    )


@scoped_page
def order_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    order = selectors.order_get(actor=actor, order_id=pk)
    require(actor, order, Action.CHANGE)
    assert actor is not None
    initial = {name: getattr(order, name) for name in services.ORDER_EDITABLE}
    form = OrderTermsForm(request.POST or None, initial=initial)
    formset = OrderLineFormSet(
        request.POST or None,
        prefix="lines",
        initial=[
            {"variant": line.variant, "quantity": line.quantity, "unit_price": line.unit_price}
            for line in order.lines.all()
        ],
        form_kwargs={"variants": _variants(actor, order.brand)},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.export_order_update(
                actor=actor, order=order, changes=form.cleaned_data, lines=_line_inputs(formset)
            )
        except (ValidationFailed, Conflict) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Order %(number)s saved.") % {"number": order})
            return redirect("trade:order-detail", pk=order.pk)
    return render(
        request,
        "trade/order_form.html",
        {
            "form": form,
            "formset": formset,
            "order": order,
            "title": _("Edit order %(number)s") % {"number": order},
        },
    )


@require_POST
@scoped_page
def order_transition(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    order = selectors.order_get(actor=actor, order_id=pk)
    try:
        services.export_order_transition(
            actor=actor, order=order, to=request.POST.get("status", "")
        )
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Order %(number)s updated.") % {"number": order})
    return redirect("trade:order-detail", pk=order.pk)


@require_POST
@scoped_page
def order_respond(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The buyer's manager accepts or disputes a confirmed order."""
    actor = request.actor
    order = selectors.order_get(actor=actor, order_id=pk)
    try:
        services.export_order_respond(
            actor=actor,
            order=order,
            accept=request.POST.get("response") == BuyerResponse.ACCEPTED,
            reason=request.POST.get("reason", ""),
        )
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your answer to order %(number)s is recorded.") % {"number": order}
        )
    return redirect("trade:order-detail", pk=order.pk)


@scoped_page
def line_allocate(request: HtmxHttpRequest, pk: int, line_id: int) -> HttpResponse:
    actor = request.actor
    order = selectors.order_get(actor=actor, order_id=pk)
    require(actor, order, Action.CHANGE)
    line = selectors.line_get(actor=actor, order=order, line_id=line_id)
    form = AllocateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ids = selectors.vehicle_ids_for_vins(actor=actor, vins=form.cleaned_data["vins"])
            allocations = services.vehicles_allocate(
                actor=actor, line=line, vehicle_ids=ids, allocated_on=form.cleaned_data["on"]
            )
        except (ValidationFailed, Conflict) as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(count)s vehicles allocated.") % {"count": len(allocations)},
            )
            return redirect("trade:order-detail", pk=order.pk)
    return render(
        request,
        "trade/vins_form.html",
        {
            "form": form,
            "title": _("Allocate VINs to %(order)s: %(variant)s")
            % {"order": order, "variant": line.variant},
            "cancel_url": reverse("trade:order-detail", args=[order.pk]),
        },
    )


# --- shipments -----------------------------------------------------------------------------


@scoped_page
def shipment_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = request.actor
    context = list_context(request, selectors.shipment_list(actor=actor), ShipmentFilter)
    if request.htmx:
        return render(request, "trade/_shipment_results.html", context)
    context.update(
        statuses=ShipmentStatus.choices,
        modes=ShipmentMode.choices,
        may_create=actor is not None and actor.has_role(Role.STAFF),
    )
    return render(request, "trade/shipment_list.html", context)


@scoped_page
def shipment_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The shipment list as CSV or XLSX: the list page's scope and filter, every shipment,
    its costs in the cost currency."""
    try:
        chosen = check_format(format)
        shipments = filtered(request, selectors.shipment_list(actor=request.actor), ShipmentFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    statuses = _labels(ShipmentStatus.choices)
    modes = _labels(ShipmentMode.choices)
    header = [
        _("Number"),
        _("Brand"),
        _("Destination (ISO code)"),
        _("Destination"),
        _("Orders"),
        _("Mode"),
        _("Carrier"),
        _("Vessel"),
        _("Voyage"),
        _("Port of loading"),
        _("Port of discharge"),
        _("Bill of lading"),
        _("ETD"),
        _("ETA"),
        _("Departed on"),
        _("Arrived on"),
        _("Status"),
        _("Freight"),
        _("Insurance"),
        _("Other costs"),
        _("Cost currency"),
    ]

    def row(shipment: Shipment) -> tuple[Any, ...]:
        currency = shipment.cost_currency
        return (
            shipment.number,
            shipment.brand.name,
            shipment.destination_id,
            shipment.destination.name,
            ", ".join(order.number for order in shipment.orders.all()),
            modes.get(shipment.mode, shipment.mode),
            shipment.carrier,
            shipment.vessel,
            shipment.voyage,
            shipment.port_of_loading,
            shipment.port_of_discharge,
            shipment.bill_of_lading,
            shipment.etd,
            shipment.eta,
            shipment.departed_on,
            shipment.arrived_on,
            statuses.get(shipment.status, shipment.status),
            _amount(shipment.freight, currency),
            _amount(shipment.insurance, currency),
            _amount(shipment.other_costs, currency),
            currency,
        )

    return export_response(
        header=header,
        rows=map(row, shipments.iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"shipments-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@scoped_page
def shipment_create(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor)
    orders = restrict(
        actor,
        ExportOrder.objects.filter(status__in=services.ORDER_OPEN_FOR_SHIPPING),
        Action.CHANGE,
    ).order_by("number")
    form = ShipmentForm(request.POST or None, orders=orders)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("orders"))
        for name in ("carrier", "vessel", "voyage", "bill_of_lading", "cost_currency"):
            data[name] = data[name] or ""
        try:
            shipment = services.shipment_create(
                actor=actor, orders=chosen, data=services.ShipmentInput(**data)
            )
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Shipment %(number)s planned.") % {"number": shipment})
            return redirect("trade:shipment-detail", pk=shipment.pk)
    return render(request, "trade/form.html", {"form": form, "title": _("New shipment")})


@scoped_page
def shipment_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    shipment = selectors.shipment_get(actor=actor, shipment_id=pk)
    landed_cost = None
    landed_cost_error = ""
    try:
        landed_cost = selectors.shipment_landed_cost(shipment=shipment)
    except DomainError as error:
        landed_cost_error = error.message
    return render(
        request,
        "trade/shipment_detail.html",
        {
            "shipment": shipment,
            "may_change": allows(actor, shipment),
            "landed_cost": landed_cost,
            "landed_cost_error": landed_cost_error,
            "today": timezone.localdate(),
        },
    )


@scoped_page
def shipment_vehicles(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    shipment = selectors.shipment_get(actor=actor, shipment_id=pk)
    require(actor, shipment, Action.CHANGE)
    form = VinsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ids = selectors.vehicle_ids_for_vins(actor=actor, vins=form.cleaned_data["vins"])
            count = services.shipment_add_vehicles(actor=actor, shipment=shipment, vehicle_ids=ids)
        except (ValidationFailed, Conflict) as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("%(count)s vehicles added.") % {"count": count})
            return redirect("trade:shipment-detail", pk=shipment.pk)
    return render(
        request,
        "trade/vins_form.html",
        {
            "form": form,
            "title": _("Add VINs to shipment %(number)s") % {"number": shipment},
            "cancel_url": reverse("trade:shipment-detail", args=[shipment.pk]),
        },
    )


def _shipment_move(request: HtmxHttpRequest, pk: int, *, arrive: bool) -> HttpResponse:
    actor = request.actor
    shipment = selectors.shipment_get(actor=actor, shipment_id=pk)
    form = DateForm(request.POST)
    on = (form.cleaned_data.get("on") if form.is_valid() else None) or timezone.localdate()
    try:
        if arrive:
            services.shipment_arrive(actor=actor, shipment=shipment, arrived_on=on)
        else:
            services.shipment_depart(actor=actor, shipment=shipment, departed_on=on)
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Shipment %(number)s updated.") % {"number": shipment})
    return redirect("trade:shipment-detail", pk=shipment.pk)


@require_POST
@scoped_page
def shipment_depart(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _shipment_move(request, pk, arrive=False)


@require_POST
@scoped_page
def shipment_arrive(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _shipment_move(request, pk, arrive=True)


# --- exchange rates ------------------------------------------------------------------------


@scoped_page
def exchange_rate_list(request: HtmxHttpRequest) -> HttpResponse:
    rates = selectors.exchange_rate_list()
    currency = request.GET.get("currency", "").strip().upper()
    if currency:
        rates = rates.filter(Q(currency=currency))
    actor = request.actor
    return render(
        request,
        "trade/exchange_rate_list.html",
        {
            "rates": rates[:500],
            "currency": currency,
            "may_create": is_steward(actor),
        },
    )


@scoped_page
def exchange_rate_create(request: HtmxHttpRequest) -> HttpResponse:
    """Record a rate: the platform's stewards only (a 403 saying so for anyone else)."""
    actor = require_steward(request.actor)
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_rate_set(actor=actor, **form.cleaned_data)
        except ValidationFailed as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Exchange rate saved."))
            return redirect("trade:exchange-rate-list")
    return render(request, "trade/form.html", {"form": form, "title": _("New exchange rate")})
