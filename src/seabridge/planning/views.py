"""Pages of the planning app: thin views that parse input, ask the scope, call one service
and render. Who may do what, and what a new plan may be for, are the selectors' answers;
the targets grid is parsed by its form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.forms import BaseForm
from django.http import FileResponse, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seabridge.accounts.choices import Role
from seabridge.catalog.models import ProductLine
from seabridge.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from seabridge.core.exports import check_format, export_response
from seabridge.core.scope import Action, allows, require
from seabridge.core.types import HtmxHttpRequest
from seabridge.planning import selectors, services
from seabridge.planning.choices import (
    DEFAULT_SHORTLIST_WEIGHTS,
    Measure,
    MilestoneStatus,
    PlanStatus,
)
from seabridge.planning.filters import SalesPlanFilter
from seabridge.planning.forms import (
    FACTOR_LABELS,
    BasePhaseFormSet,
    MilestoneCompleteForm,
    MilestoneForm,
    PhaseFormSet,
    PlanCreateForm,
    PlanForm,
    TargetGridForm,
    WeightsForm,
    month_of,
)
from seabridge.planning.models import PlanMilestone, SalesPlan
from seabridge.trade import selectors as trade_selectors
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import filtered, list_context
from seabridge.web.views import page_actor, scoped_page

EXPORT_CHUNK = 2000  # rows per database round trip of an export

# Which form field shows a service's error about an id it was given.
FIELD_OF = {
    "brand_id": "brand",
    "agreement_id": "agreement",
    "owner_id": "owner",
    "evidence_order_id": "evidence_order",
    "evidence_shipment_id": "evidence_shipment",
}


def _show_error(form: BaseForm, error: DomainError) -> None:
    """A service's refusal on the form, its ``…_id`` fields shown on the matching field."""
    fields = {FIELD_OF.get(name, name): texts for name, texts in error.fields.items()}
    apply_domain_error(form, ValidationFailed(error.message, fields=fields))


def _plan_input(data: dict[str, Any]) -> services.PlanInput:
    return services.PlanInput(
        title=data["title"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        cumulative_target=data["cumulative_target"],
        measure=data["measure"],
        notes=data["notes"],
    )


# --- plans ---------------------------------------------------------------------------------


@scoped_page
def plan_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = request.actor
    plans = selectors.plan_list(actor=actor)
    context = list_context(request, plans, SalesPlanFilter)
    if request.htmx:
        return render(request, "planning/_plan_results.html", context)
    context.update(
        statuses=PlanStatus.choices,
        brands=selectors.plan_list_brands(plans),
        may_create=actor is not None and actor.has_role(Role.STAFF),
    )
    return render(request, "planning/plan_list.html", context)


@scoped_page
def plan_export(request: HtmxHttpRequest, format: str) -> HttpResponseBase:
    """The plan list as CSV or XLSX: the list page's scope and filter, every plan."""
    try:
        chosen = check_format(format)
        plans = filtered(request, selectors.plan_list(actor=request.actor), SalesPlanFilter)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    # Translated now: a CSV is written after the view has returned.
    statuses = {value: str(label) for value, label in PlanStatus.choices}
    measures = {value: str(label) for value, label in Measure.choices}
    header = [
        _("Title"),
        _("Brand"),
        _("Agreement"),
        _("Owner"),
        _("Starts on"),
        _("Ends on"),
        _("Measure"),
        _("Cumulative target"),
        _("Status"),
    ]

    def row(plan: SalesPlan) -> tuple[Any, ...]:
        return (
            plan.title,
            plan.brand.name,
            plan.agreement.title if plan.agreement else "",
            plan.owner.short_name,
            plan.starts_on,
            plan.ends_on,
            measures.get(plan.measure, plan.measure),
            plan.cumulative_target,
            statuses.get(plan.status, plan.status),
        )

    return export_response(
        header=header,
        rows=map(row, plans.iterator(chunk_size=EXPORT_CHUNK)),
        filename=f"plans-{timezone.localdate():%Y-%m-%d}",
        format=chosen,
    )


@scoped_page
def plan_create(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor)
    form = PlanCreateForm(
        request.POST or None,
        brands=selectors.plannable_brands(actor),
        agreements=selectors.plannable_agreements(actor),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.sales_plan_create(
                actor=actor,
                brand=data["brand"],
                agreement=data["agreement"],
                data=_plan_input(data),
            )
        except (ValidationFailed, NotFound) as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Plan %(title)s drafted.") % {"title": plan})
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(request, "planning/plan_form.html", {"form": form, "title": _("New sales plan")})


@scoped_page
def plan_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    require(actor, plan, Action.CHANGE)
    initial = {
        name: getattr(plan, name)
        for name in ("title", "starts_on", "ends_on", "measure", "cumulative_target", "notes")
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.sales_plan_update(
                actor=actor, plan=plan, data=_plan_input(form.cleaned_data)
            )
        except (ValidationFailed, Conflict) as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Plan %(title)s saved.") % {"title": plan})
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(
        request,
        "planning/plan_form.html",
        {"form": form, "plan": plan, "title": _("Edit plan %(title)s") % {"title": plan}},
    )


def _chart_data(progress: selectors.PlanProgress) -> dict[str, Any]:
    """Cumulative target and actual by month for the chart; no actual after today's month."""
    today_month = f"{progress.as_of:%Y-%m}"
    return {
        "months": [line.label for line in progress.months],
        "target": [line.cumulative_target for line in progress.months],
        "actual": [
            line.cumulative_actual if line.key <= today_month else None for line in progress.months
        ],
        "names": {"target": _("Cumulative target"), "actual": _("Cumulative actual")},
    }


@scoped_page
def plan_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    progress = selectors.plan_progress(actor=actor, plan=plan)
    approvals = selectors.plan_approvals(plan)
    permissions = selectors.plan_permissions(actor=actor, plan=plan)
    milestones = selectors.plan_milestones(actor=actor, plan=plan)
    return render(
        request,
        "planning/plan_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "timeline": list(zip(progress.steps, progress.phases, strict=True)),
            "approvals": approvals.approvals,
            "awaiting": approvals.awaiting,
            "may_change": permissions.may_change,
            "may_approve": permissions.may_approve,
            "transitions": [(status, status.label) for status in permissions.transitions],
            "may_manage": permissions.may_manage,
            "milestones": milestones.milestones,
            "visible_orders": milestones.visible_orders,
            "visible_shipments": milestones.visible_shipments,
            "open_milestone": (MilestoneStatus.OPEN, MilestoneStatus.LATE),
            "chart": _chart_data(progress),
        },
    )


def _progress_rows(progress: selectors.PlanProgress) -> Iterator[tuple[Any, ...]]:
    """The rows of a plan's progress download: by month (with the running totals), by step,
    then by market to date."""
    for month in progress.months:
        yield (
            _("Month"),
            month_of(month.key),
            None,
            "",
            month.label,
            month.target,
            month.actual,
            month.gap,
            month.attainment,
            month.cumulative_target,
            month.cumulative_actual,
        )
    for step, line in zip(progress.steps, progress.phases, strict=True):
        yield (
            _("Step"),
            None,
            step.number,
            "",
            step.name,
            line.target,
            line.actual,
            line.gap,
            line.attainment,
            None,
            None,
        )
    for line in progress.markets:
        yield (
            _("Market (to date)"),
            None,
            None,
            line.key,
            line.label,
            line.target,
            line.actual,
            line.gap,
            line.attainment,
            None,
            None,
        )


@scoped_page
def plan_progress_export(request: HtmxHttpRequest, pk: int, format: str) -> HttpResponseBase:
    """A plan against actual as CSV or XLSX: by month (with the running totals), by step
    and by market to date; the figures of the plan's page, in the same scope."""
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    try:
        chosen = check_format(format)
    except ValidationFailed as error:
        return JsonResponse(error.as_dict(), status=error.status)
    progress = selectors.plan_progress(actor=actor, plan=plan)
    header = [
        _("Breakdown"),
        _("Month"),
        _("Step"),
        _("Market (ISO code)"),
        _("Name"),
        _("Target"),
        _("Actual"),
        _("Gap"),
        _("Attainment (%)"),
        _("Cumulative target"),
        _("Cumulative actual"),
    ]
    return export_response(
        header=header,
        # The report is small and already computed: built now, in the reader's language.
        rows=list(_progress_rows(progress)),
        filename=f"plan-{plan.pk}-progress-{progress.as_of:%Y-%m-%d}",
        format=chosen,
    )


@require_POST
@scoped_page
def plan_approve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    try:
        plan = services.sales_plan_approve(actor=actor, plan=plan)
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        text = (
            _("Plan %(title)s approved.")
            if plan.status == PlanStatus.APPROVED
            else _("Your approval of %(title)s is recorded.")
        )
        messages.success(request, text % {"title": plan})
    return redirect("planning:plan-detail", pk=plan.pk)


@require_POST
@scoped_page
def plan_transition(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    try:
        services.sales_plan_transition(actor=actor, plan=plan, to=request.POST.get("status", ""))
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Plan %(title)s updated.") % {"title": plan})
    return redirect("planning:plan-detail", pk=plan.pk)


# --- steps ---------------------------------------------------------------------------------


@scoped_page
def plan_phases(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    require(actor, plan, Action.CHANGE)
    formset = PhaseFormSet(
        request.POST or None,
        prefix="phases",
        initial=BasePhaseFormSet.initial_of(selectors.plan_phases(plan)),
    )
    general_errors: list[str] = []
    if request.method == "POST" and formset.is_valid():
        try:
            services.plan_phases_set(actor=actor, plan=plan, phases=formset.phases())
        except (ValidationFailed, Conflict) as error:
            general_errors = formset.show_error(error)
        else:
            messages.success(request, _("Steps of %(title)s saved.") % {"title": plan})
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(
        request,
        "planning/phases_form.html",
        {"plan": plan, "formset": formset, "general_errors": general_errors},
    )


# --- targets -------------------------------------------------------------------------------


def _chosen_line(lines: list[ProductLine], text: str) -> ProductLine | None:
    """The product line picked by its id (none: all lines); a 404 for any other."""
    text = text.strip()
    line = next((item for item in lines if str(item.pk) == text), None)
    if text and line is None:
        raise NotFound()
    return line


@scoped_page
def plan_targets(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    lines = selectors.plan_product_lines(plan)
    is_post = request.method == "POST"
    line = _chosen_line(lines, (request.POST if is_post else request.GET).get("line", ""))
    line_id = line.pk if line else None
    grid = selectors.target_grid(plan=plan, product_line_id=line_id)
    form = TargetGridForm(request.POST if is_post else None, grid=grid, product_line_id=line_id)
    if is_post:
        require(actor, plan, Action.CHANGE)
        if form.is_valid():
            try:
                result = services.plan_targets_set(actor=actor, plan=plan, rows=form.targets())
            except (ValidationFailed, Conflict) as error:
                form.show_error(error)
            else:
                messages.success(
                    request,
                    _("Targets saved: %(created)s new, %(updated)s changed.")
                    % {"created": result.created, "updated": result.updated},
                )
                url = reverse("planning:plan-targets", args=[plan.pk])
                return redirect(f"{url}?line={line_id}" if line_id else url)
    return render(
        request,
        "planning/targets_grid.html",
        {
            "plan": plan,
            "lines": lines,
            "line": line,
            "months": grid.month_keys,
            "table": form.table(),
            "column_totals": [grid.column_totals.get(month, 0) for month in grid.month_keys],
            "total": grid.total,
            "errors": form.summary,
            "may_change": selectors.plan_is_editable(actor=actor, plan=plan),
        },
    )


# --- milestones ----------------------------------------------------------------------------


@scoped_page
def milestone_create(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    require(actor, plan, Action.CHANGE)
    form = MilestoneForm(
        request.POST or None,
        owners=selectors.plan_parties(plan),
        initial={"owner": actor.organization_id if actor else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_milestone_create(
                actor=actor,
                plan=plan,
                data=services.MilestoneInput(
                    title=data["title"],
                    due_on=data["due_on"],
                    owner_id=data["owner"].pk if data["owner"] else None,
                    condition=data["condition"] or "",
                    condition_market=data["condition_market"].code
                    if data["condition_market"]
                    else None,
                    condition_units=data["condition_units"],
                ),
            )
        except (ValidationFailed, Conflict) as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Milestone %(title)s added.") % {"title": data["title"]})
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(
        request,
        "planning/milestone_form.html",
        {"form": form, "plan": plan, "title": _("New milestone of %(plan)s") % {"plan": plan}},
    )


def _milestone(request: HtmxHttpRequest, pk: int, milestone_id: int) -> PlanMilestone:
    plan = selectors.plan_get(actor=request.actor, plan_id=pk)
    return selectors.milestone_get(actor=request.actor, plan=plan, milestone_id=milestone_id)


@scoped_page
def milestone_complete(request: HtmxHttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    actor = request.actor
    milestone = _milestone(request, pk, milestone_id)
    plan = milestone.plan
    require(actor, milestone, Action.CHANGE)
    brand_id = plan.brand_id
    form = MilestoneCompleteForm(
        request.POST or None,
        request.FILES or None,
        initial={"completed_on": timezone.localdate()},
        orders=trade_selectors.order_list(actor=actor).filter(brand_id=brand_id),
        shipments=trade_selectors.shipment_list(actor=actor).filter(brand_id=brand_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_milestone_complete(
                actor=actor,
                milestone=milestone,
                completed_on=data["completed_on"],
                evidence_order=data["evidence_order"],
                evidence_shipment=data["evidence_shipment"],
                evidence_note=data["evidence_note"],
                evidence_document=data["evidence_document"],
            )
        except (ValidationFailed, Conflict) as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Milestone %(title)s done.") % {"title": milestone})
            return redirect("planning:plan-detail", pk=plan.pk)
    return render(
        request,
        "planning/milestone_form.html",
        {
            "form": form,
            "plan": plan,
            "is_upload": True,
            "title": _("Complete milestone %(title)s") % {"title": milestone},
        },
    )


@scoped_page
def milestone_document(request: HtmxHttpRequest, pk: int, milestone_id: int) -> HttpResponseBase:
    """A milestone's evidence document, for those who may see the milestone."""
    milestone = _milestone(request, pk, milestone_id)
    if not milestone.evidence_document:
        raise NotFound()
    return FileResponse(
        milestone.evidence_document.open("rb"),
        as_attachment=True,
        filename=milestone.evidence_document.name.rsplit("/", 1)[-1],
    )


@require_POST
@scoped_page
def milestone_drop(request: HtmxHttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    milestone = _milestone(request, pk, milestone_id)
    try:
        services.plan_milestone_drop(actor=request.actor, milestone=milestone)
    except (Conflict, ValidationFailed) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Milestone %(title)s dropped.") % {"title": milestone})
    return redirect("planning:plan-detail", pk=milestone.plan_id)


# --- market shortlist ----------------------------------------------------------------------


@scoped_page
def plan_shortlist(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = selectors.plan_get(actor=actor, plan_id=pk)
    weights = plan.weights
    form = WeightsForm(request.POST or None, initial=weights)
    if request.method == "POST":
        require(actor, plan, Action.CHANGE)
        if form.is_valid():
            try:
                services.sales_plan_set_weights(
                    actor=actor,
                    plan=plan,
                    weights={name: form.cleaned_data[name] for name in DEFAULT_SHORTLIST_WEIGHTS},
                )
            except ValidationFailed as error:
                _show_error(form, error)
            else:
                messages.success(request, _("Shortlist weights saved."))
                return redirect("planning:plan-shortlist", pk=plan.pk)
    values = {"yes": _("yes"), "no": _("no")}
    candidates = [
        {
            "code": candidate.code,
            "name": candidate.name,
            "score": candidate.score,
            "factors": [
                {
                    "label": FACTOR_LABELS.get(factor.name, factor.name),
                    "value": values.get(factor.value, factor.value),
                    "points": factor.points,
                }
                for factor in candidate.factors
            ],
        }
        for candidate in selectors.market_shortlist(actor=actor, plan=plan)
    ]
    return render(
        request,
        "planning/shortlist.html",
        {
            "plan": plan,
            "candidates": candidates,
            "factor_labels": [FACTOR_LABELS[name] for name in DEFAULT_SHORTLIST_WEIGHTS],
            "weights": weights,
            "form": form,
            "may_change": allows(actor, plan),
        },
    )
