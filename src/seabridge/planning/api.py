"""Planning endpoints: sales plans, their steps, targets, milestones, progress and shortlist."""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from seabridge.agreements.selectors import agreements_visible
from seabridge.catalog.models import Brand
from seabridge.core.errors import Forbidden, ValidationFailed
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.scope import restrict
from seabridge.core.types import IsoDate, PathId, RowId
from seabridge.core.views import request_actor, required_actor
from seabridge.planning import selectors, services
from seabridge.planning.choices import Measure, MilestoneCondition, MilestoneStatus, PlanStatus
from seabridge.planning.filters import SalesPlanFilter
from seabridge.planning.models import PlanMilestone, PlanPhase, SalesPlan
from seabridge.trade.models import ExportOrder, Shipment

router = Router(tags=["planning"])

Units = Annotated[int, Field(ge=0, le=10_000_000)]
Code = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$")]


def _plan(request: HttpRequest, plan_id: int) -> SalesPlan:
    return selectors.plan_get(actor=request_actor(request), plan_id=plan_id)


# --- schemas --------------------------------------------------------------------------------


class PlanPhaseOut(Schema):
    number: int
    name: str
    starts_on: date
    ends_on: date
    markets: list[str]
    target: int

    @staticmethod
    def resolve_markets(phase: PlanPhase) -> list[str]:
        return sorted(country.code for country in phase.markets.all())


class SalesPlanOut(Schema):
    id: int
    title: str
    brand_id: int
    brand: str
    agreement_id: int | None
    owner_id: int
    starts_on: date
    ends_on: date
    measure: Measure
    cumulative_target: int
    status: PlanStatus
    notes: str

    @staticmethod
    def resolve_brand(plan: SalesPlan) -> str:
        return plan.brand.name


class SalesPlanDetailOut(SalesPlanOut):
    phases: list[PlanPhaseOut]
    approved_by: list[int] = Field(description="Organisations that have approved the plan.")
    shortlist_weights: dict[str, int]

    @staticmethod
    def resolve_phases(plan: SalesPlan) -> list[PlanPhase]:
        return selectors.plan_phases(plan)

    @staticmethod
    def resolve_approved_by(plan: SalesPlan) -> list[int]:
        return sorted(plan.approvals.values_list("organization_id", flat=True))

    @staticmethod
    def resolve_shortlist_weights(plan: SalesPlan) -> dict[str, int]:
        return plan.weights


class SalesPlanIn(Schema):
    brand_id: RowId
    agreement_id: RowId | None = None
    title: str = Field(..., min_length=1, max_length=200)
    starts_on: IsoDate
    ends_on: IsoDate
    measure: Measure = Measure.WHOLESALE
    cumulative_target: Units
    notes: str = Field("", max_length=5000)


class SalesPlanPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    measure: Measure | None = None
    cumulative_target: Units | None = None
    notes: str | None = Field(None, max_length=5000)


class TransitionIn(Schema):
    status: PlanStatus


class PhaseIn(Schema):
    number: int = Field(..., ge=1, le=50)
    name: str = Field(..., min_length=1, max_length=120)
    starts_on: IsoDate
    ends_on: IsoDate
    markets: list[Code] = Field(..., min_length=1, max_length=250)
    target: Units


class PhasesIn(Schema):
    phases: list[PhaseIn] = Field(..., min_length=1, max_length=50)


class TargetRow(Schema):
    month: IsoDate = Field(description="Any day of the month; stored as its first day.")
    market: Code
    product_line_id: RowId | None = None
    units: Units


class TargetsIn(Schema):
    rows: list[TargetRow] = Field(..., min_length=1, max_length=services.MAX_TARGET_ROWS)


class TargetsOut(Schema):
    created: int
    updated: int
    unchanged: int


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    owner_id: int
    status: MilestoneStatus
    completed_on: date | None
    condition: str
    condition_market: str | None
    condition_units: int | None
    evidence_order_id: int | None
    evidence_shipment_id: int | None
    evidence_note: str

    @staticmethod
    def resolve_condition_market(milestone: PlanMilestone) -> str | None:
        return milestone.condition_market_id


class MilestoneIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    due_on: IsoDate
    owner_id: RowId | None = None
    condition: MilestoneCondition = MilestoneCondition.NONE
    condition_market: Code | None = None
    condition_units: int | None = Field(None, ge=1, le=10_000_000)
    evidence_note: str = Field("", max_length=5000)


class MilestoneCompleteIn(Schema):
    completed_on: IsoDate
    evidence_order_id: RowId | None = None
    evidence_shipment_id: RowId | None = None
    evidence_note: str = Field("", max_length=5000)


class LineOut(Schema):
    key: str
    label: str
    target: int
    actual: int
    gap: int
    attainment: Decimal | None


class MonthOut(LineOut):
    cumulative_target: int
    cumulative_actual: int


class ProgressOut(Schema):
    as_of: date
    measure: Measure
    cumulative_target: int
    actual: int
    attainment: Decimal | None
    gap: int
    target_to_date: int
    projection: int = Field(description="Units at the plan's end at the pace so far.")
    elapsed_days: int
    total_days: int
    months: list[MonthOut]
    phases: list[LineOut]
    markets: list[LineOut]
    markets_behind: list[str]
    product_lines: list[LineOut]
    differences: list[str]


class ProgressQuery(Schema):
    as_of: IsoDate | None = None


class FactorOut(Schema):
    name: str
    value: str
    points: Decimal


class CandidateOut(Schema):
    code: str
    name: str
    score: Decimal
    factors: list[FactorOut]


class WeightsIn(Schema):
    resource_rich: int | None = Field(None, ge=0, le=100)
    low_duty: int | None = Field(None, ge=0, le=100)
    drive_side_fit: int | None = Field(None, ge=0, le=100)
    agreement_covers: int | None = Field(None, ge=0, le=100)
    units_sold: int | None = Field(None, ge=0, le=100)


# --- endpoints ------------------------------------------------------------------------------


@router.get("/plans", response=list[SalesPlanOut], summary="Sales plans the caller sees")
@paginate(PageNumberPagination)
def plan_list(request: HttpRequest, filters: Query[SalesPlanFilter]) -> QuerySet[SalesPlan]:
    return filters.filter(selectors.plan_list(actor=request_actor(request)))


@router.post("/plans", response={201: SalesPlanDetailOut}, summary="Draft a sales plan")
def plan_create(request: HttpRequest, payload: SalesPlanIn) -> Status:
    actor = request_actor(request)
    if actor is None:
        raise Forbidden(_("Act for an organisation to plan."))
    brand = restrict(actor, Brand.objects.filter(pk=payload.brand_id)).first()
    if brand is None:
        raise ValidationFailed(fields={"brand_id": [_("There is no such brand.")]})
    agreement = None
    if payload.agreement_id is not None:
        agreement = agreements_visible(actor).filter(pk=payload.agreement_id).first()
        if agreement is None:
            raise ValidationFailed(fields={"agreement_id": [_("There is no such agreement.")]})
    plan = services.sales_plan_create(
        actor=actor,
        brand=brand,
        agreement=agreement,
        data=services.PlanInput(
            title=payload.title,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            measure=payload.measure,
            cumulative_target=payload.cumulative_target,
            notes=payload.notes,
        ),
    )
    return Status(201, _plan(request, plan.pk))


@router.get("/plans/{plan_id}", response=SalesPlanDetailOut, summary="One sales plan")
def plan_detail(request: HttpRequest, plan_id: PathId) -> SalesPlan:
    return _plan(request, plan_id)


@router.patch("/plans/{plan_id}", response=SalesPlanDetailOut, summary="Change a sales plan")
def plan_patch(request: HttpRequest, plan_id: PathId, payload: SalesPlanPatch) -> SalesPlan:
    actor = required_actor(request)
    plan = _plan(request, plan_id)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise ValidationFailed(fields={name: [_("This field cannot be empty.")]})
    data = services.PlanInput(
        title=changes.get("title", plan.title),
        starts_on=changes.get("starts_on", plan.starts_on),
        ends_on=changes.get("ends_on", plan.ends_on),
        measure=changes.get("measure", plan.measure),
        cumulative_target=changes.get("cumulative_target", plan.cumulative_target),
        notes=changes.get("notes", plan.notes),
    )
    services.sales_plan_update(actor=actor, plan=plan, data=data)
    return _plan(request, plan_id)


@router.post("/plans/{plan_id}/approve", response=SalesPlanDetailOut, summary="Approve a plan")
def plan_approve(request: HttpRequest, plan_id: PathId) -> SalesPlan:
    services.sales_plan_approve(actor=required_actor(request), plan=_plan(request, plan_id))
    return _plan(request, plan_id)


@router.post(
    "/plans/{plan_id}/transition",
    response=SalesPlanDetailOut,
    summary="Activate, close, or send a plan back to draft",
)
def plan_transition(request: HttpRequest, plan_id: PathId, payload: TransitionIn) -> SalesPlan:
    services.sales_plan_transition(
        actor=required_actor(request), plan=_plan(request, plan_id), to=payload.status
    )
    return _plan(request, plan_id)


@router.put("/plans/{plan_id}/phases", response=list[PlanPhaseOut], summary="Set a plan's steps")
def plan_phases(request: HttpRequest, plan_id: PathId, payload: PhasesIn) -> list[PlanPhase]:
    plan = _plan(request, plan_id)
    services.plan_phases_set(
        actor=required_actor(request),
        plan=plan,
        phases=[
            services.PhaseInput(
                number=phase.number,
                name=phase.name,
                starts_on=phase.starts_on,
                ends_on=phase.ends_on,
                markets=phase.markets,
                target=phase.target,
            )
            for phase in payload.phases
        ],
    )
    return selectors.plan_phases(plan)


@router.post(
    "/plans/{plan_id}/targets",
    response=TargetsOut,
    summary="Set monthly targets by month, market and product line (all or none)",
)
def plan_targets(request: HttpRequest, plan_id: PathId, payload: TargetsIn) -> TargetsOut:
    result = services.plan_targets_set(
        actor=required_actor(request),
        plan=_plan(request, plan_id),
        rows=[
            services.TargetInput(
                month=row.month,
                market=row.market,
                units=row.units,
                product_line_id=row.product_line_id,
            )
            for row in payload.rows
        ],
    )
    return TargetsOut(created=result.created, updated=result.updated, unchanged=result.unchanged)


def _line(line: selectors.Line) -> LineOut:
    return LineOut(
        key=line.key,
        label=line.label,
        target=line.target,
        actual=line.actual,
        gap=line.gap,
        attainment=line.attainment,
    )


@router.get(
    "/plans/{plan_id}/progress", response=ProgressOut, summary="The plan against actual sales"
)
def plan_progress(
    request: HttpRequest, plan_id: PathId, query: Query[ProgressQuery]
) -> ProgressOut:
    plan = _plan(request, plan_id)
    progress = selectors.plan_progress(actor=request_actor(request), plan=plan, as_of=query.as_of)
    return ProgressOut(
        as_of=progress.as_of,
        measure=Measure(plan.measure),
        cumulative_target=plan.cumulative_target,
        actual=progress.actual,
        attainment=progress.attainment,
        gap=progress.gap,
        target_to_date=progress.target_to_date,
        projection=progress.projection,
        elapsed_days=progress.elapsed_days,
        total_days=progress.total_days,
        months=[
            MonthOut(
                **_line(month).dict(),
                cumulative_target=month.cumulative_target,
                cumulative_actual=month.cumulative_actual,
            )
            for month in progress.months
        ],
        phases=[_line(line) for line in progress.phases],
        markets=[_line(line) for line in progress.markets],
        markets_behind=[line.key for line in progress.markets_behind],
        product_lines=[_line(line) for line in progress.product_lines],
        differences=progress.differences,
    )


@router.get(
    "/plans/{plan_id}/shortlist",
    response=list[CandidateOut],
    summary="Markets ranked for the plan's next step, with each factor's points",
)
def plan_shortlist(request: HttpRequest, plan_id: PathId) -> list[CandidateOut]:
    plan = _plan(request, plan_id)
    candidates = selectors.market_shortlist(actor=request_actor(request), plan=plan)
    return [
        CandidateOut(
            code=candidate.code,
            name=candidate.name,
            score=candidate.score,
            factors=[
                FactorOut(name=factor.name, value=factor.value, points=factor.points)
                for factor in candidate.factors
            ],
        )
        for candidate in candidates
    ]


@router.patch(
    "/plans/{plan_id}/shortlist-weights",
    response=SalesPlanDetailOut,
    summary="Change how much each factor counts in the shortlist",
)
def plan_weights(request: HttpRequest, plan_id: PathId, payload: WeightsIn) -> SalesPlan:
    weights = {name: value for name, value in payload.dict().items() if value is not None}
    services.sales_plan_set_weights(
        actor=required_actor(request), plan=_plan(request, plan_id), weights=weights
    )
    return _plan(request, plan_id)


@router.get(
    "/plans/{plan_id}/milestones", response=list[MilestoneOut], summary="A plan's milestones"
)
def milestone_list(request: HttpRequest, plan_id: PathId) -> QuerySet[PlanMilestone]:
    return _plan(request, plan_id).milestones.all()


@router.post("/plans/{plan_id}/milestones", response={201: MilestoneOut}, summary="Add a milestone")
def milestone_create(request: HttpRequest, plan_id: PathId, payload: MilestoneIn) -> Status:
    milestone = services.plan_milestone_create(
        actor=required_actor(request),
        plan=_plan(request, plan_id),
        data=services.MilestoneInput(
            title=payload.title,
            due_on=payload.due_on,
            owner_id=payload.owner_id,
            condition=payload.condition,
            condition_market=payload.condition_market,
            condition_units=payload.condition_units,
            evidence_note=payload.evidence_note,
        ),
    )
    return Status(201, milestone)


@router.post(
    "/plans/{plan_id}/milestones/{milestone_id}/complete",
    response=MilestoneOut,
    summary="Mark a milestone done, with its evidence",
)
def milestone_complete(
    request: HttpRequest, plan_id: PathId, milestone_id: PathId, payload: MilestoneCompleteIn
) -> PlanMilestone:
    actor = required_actor(request)
    plan = _plan(request, plan_id)
    milestone = selectors.milestone_get(actor=actor, plan=plan, milestone_id=milestone_id)
    order = shipment = None
    if payload.evidence_order_id is not None:
        order = restrict(actor, ExportOrder.objects.filter(pk=payload.evidence_order_id)).first()
        if order is None:
            raise ValidationFailed(fields={"evidence_order_id": [_("There is no such order.")]})
    if payload.evidence_shipment_id is not None:
        shipment = restrict(actor, Shipment.objects.filter(pk=payload.evidence_shipment_id)).first()
        if shipment is None:
            raise ValidationFailed(
                fields={"evidence_shipment_id": [_("There is no such shipment.")]}
            )
    return services.plan_milestone_complete(
        actor=actor,
        milestone=milestone,
        completed_on=payload.completed_on,
        evidence_order=order,
        evidence_shipment=shipment,
        evidence_note=payload.evidence_note,
    )


@router.post(
    "/plans/{plan_id}/milestones/{milestone_id}/drop",
    response=MilestoneOut,
    summary="Drop a milestone that no longer applies",
)
def milestone_drop(request: HttpRequest, plan_id: PathId, milestone_id: PathId) -> PlanMilestone:
    actor = required_actor(request)
    milestone = selectors.milestone_get(
        actor=actor, plan=_plan(request, plan_id), milestone_id=milestone_id
    )
    return services.plan_milestone_drop(actor=actor, milestone=milestone)
