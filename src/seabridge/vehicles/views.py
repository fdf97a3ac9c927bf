"""Pages of the vehicles app: thin views that ask the scope, call one service and render."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seabridge.accounts.choices import Role
from seabridge.catalog.selectors import brand_list, brands_owned
from seabridge.core.errors import Conflict, NotFound, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.scope import Action, require
from seabridge.core.types import HtmxHttpRequest
from seabridge.core.views import required_actor
from seabridge.vehicles import selectors, services
from seabridge.vehicles.choices import VehicleState
from seabridge.vehicles.filters import VehicleFilter
from seabridge.vehicles.forms import DeliverForm, MilestoneForm, RetailForm
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import scoped_page

VIN_LENGTH = 17
EXPORT_CHUNK = 2000  # rows per database round trip of an export

M = TypeVar("M", bound=Model)


def _timeline_redirect(request: HtmxHttpRequest, vin: str) -> HttpResponse:
    url = reverse("vehicles:vehicle-timeline", args=[vin])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@scoped_page
def vehicle_list(request: HtmxHttpRequest) -> HttpResponse:
    """The vehicles in scope, filtered; an exact VIN in the search box opens its timeline."""
    actor = request.actor
    search = request.GET.get("q", "").strip()
    if len(search) == VIN_LENGTH:
        try:
            vehicle = selectors.vehicle_by_vin(actor=actor, vin=search)
        except NotFound:
            pass
        else:
            return _timeline_redirect(request, vehicle.vin)
    context = list_context(request, selectors.vehicle_list(actor=actor), VehicleFilter)
    if request.htmx:
        return render(request, "vehicles/_vehicle_results.html", context)
    may_deliver = actor is not None and actor.has_role(Role.STAFF)
    context.update(
        {
            "brands": brand_list(actor=actor),
            "states": VehicleState.choices,
            "may_deliver": may_deliver,
            "deliver_form": DeliverForm(
                dealers=selectors.delivery_dealers(actor=actor) if may_deliver else None
            ),
        }
    )
    return render(request, "vehicles/vehicle_list.html", context)


# The columns of the export, read as plain values: no model instance per vehicle.
EXPORT_FIELDS = (
    "vin",
    "brand__name",
    "variant__code",
    "variant__name",
    "produced_on",
    "state",
    "market_id",
    "market__name",
    "holder__short_name",
    "wholesaled_on",
    "retailed_on",
)


@scoped_page
def vehicle_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The vehicle list as CSV or XLSX: the list page's scope and filter, every row.

    Rows are read in chunks of one query each and streamed, so 100,000 vehicles
    neither run a query per vehicle nor sit in memory at once.
    """
    try:
        chosen = check_format(format)
        vehicles = filtered(request, selectors.vehicle_list(actor=request.actor), VehicleFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    # Translated once here: a CSV is written after the view has returned.
    states = {value: str(label) for value, label in VehicleState.choices}
    header = [
        _("VIN"),
        _("Brand"),
        _("Variant code"),
        _("Variant"),
        _("Produced on"),
        _("State"),
        _("Market (ISO code)"),
        _("Market"),
        _("Current holder"),
        _("Wholesaled on"),
        _("Retailed on"),
    ]
    state = EXPORT_FIELDS.index("state")

    def row(values: tuple[Any, ...]) -> list[Any]:
        cells = list(values)
        cells[state] = states.get(cells[state], cells[state])
        return cells

    return export_response(
        header=header,
        rows=map(row, vehicles.values_list(*EXPORT_FIELDS).iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"vehicles-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@scoped_page
def vehicle_timeline(request: HtmxHttpRequest, vin: str) -> HttpResponse:
    actor = request.actor
    vehicle = selectors.vehicle_by_vin(actor=actor, vin=vin)
    may_change = (
        selectors.vehicle_list(actor=actor, action=Action.CHANGE).filter(pk=vehicle.pk).exists()
    )
    return render(
        request,
        "vehicles/vehicle_timeline.html",
        {
            "vehicle": vehicle,
            "events": selectors.vehicle_timeline(actor=actor, vehicle=vehicle),
            "may_retail": may_change and vehicle.state == VehicleState.IN_STOCK,
        },
    )


@scoped_page
def vehicle_retail(request: HtmxHttpRequest, vin: str) -> HttpResponse:
    actor = required_actor(request)
    vehicle = selectors.vehicle_by_vin(actor=actor, vin=vin)
    require(actor, vehicle, Action.CHANGE)
    form = RetailForm(request.POST or None, initial={"customer_country": vehicle.market_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.vehicle_retail(
                actor=actor,
                vehicle=vehicle,
                customer=services.NewCustomer(
                    kind=data["customer_kind"],
                    name=data["customer_name"],
                    country_id=data["customer_country"].pk,
                    email=data["customer_email"],
                    phone=data["customer_phone"],
                ),
                occurred_on=data["occurred_on"],
                price=data["price"],
                currency=data["currency"],
                document_ref=data["document_ref"],
            )
        except (ValidationFailed, Conflict) as error:
            fields = {
                name.replace("customer.", "customer_"): texts
                for name, texts in error.fields.items()
            }
            apply_domain_error(form, type(error)(error.message, fields=fields))
        else:
            messages.success(request, _("%(vin)s retailed.") % {"vin": vehicle.vin})
            return redirect("vehicles:vehicle-timeline", vin=vehicle.vin)
    return render(
        request,
        "vehicles/retail_form.html",
        {"form": form, "vehicle": vehicle, "in_stock": vehicle.state == VehicleState.IN_STOCK},
    )


@require_POST
@scoped_page
def vehicle_deliver(request: HtmxHttpRequest) -> HttpResponse:
    """The bulk action of the list page: deliver the selected VINs to a dealer, all or none."""
    actor = request.actor
    vins = [vin.strip().upper() for vin in request.POST.getlist("vins") if vin.strip()]
    vehicles = list(selectors.vehicle_list(actor=actor).filter(vin__in=vins))
    if len(vehicles) != len(set(vins)):
        raise NotFound()
    form = DeliverForm(request.POST, dealers=selectors.delivery_dealers(actor=actor))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("vehicles:vehicle-list")
    try:
        moved = services.vehicles_deliver_to_dealer(
            actor=actor,
            vehicles=vehicles,
            dealer=form.cleaned_data["dealer"],
            occurred_on=form.cleaned_data["occurred_on"],
            document_ref=form.cleaned_data["document_ref"],
        )
    except (ValidationFailed, Conflict) as error:
        messages.error(request, error.message)
        for texts in error.fields.values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(
            request,
            _("%(count)d vehicles delivered to %(dealer)s.")
            % {"count": len(moved), "dealer": form.cleaned_data["dealer"]},
        )
    return redirect("vehicles:vehicle-list")


@scoped_page
def milestones(request: HtmxHttpRequest) -> HttpResponse:
    """A brand's production milestones: the date of unit 1 and every round number."""
    actor = request.actor
    form = MilestoneForm(request.GET or None, brands=brands_owned(actor=actor))
    context: dict[str, Any] = {"form": form, "milestones": None}
    if "brand" in request.GET:
        try:
            brand_id = int(request.GET["brand"])
        except ValueError:
            raise NotFound() from None
        brand = selectors.brand_for_milestones(actor=actor, brand_id=brand_id)
        every = 100_000
        if form.is_valid() and form.cleaned_data.get("every"):
            every = form.cleaned_data["every"]
        try:
            context["milestones"] = selectors.production_milestones(brand=brand, every=every)
        except ValidationFailed as error:
            apply_domain_error(form, error)
        context["brand"] = brand
    return render(request, "vehicles/milestones.html", context)
