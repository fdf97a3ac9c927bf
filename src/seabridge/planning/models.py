"""Sales plans: phases ("steps"), monthly targets by market and product line, milestones."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seabridge.core.models import BaseModel
from seabridge.planning.choices import (
    DEFAULT_SHORTLIST_WEIGHTS,
    PLAN_TRANSITIONS,
    Measure,
    MilestoneCondition,
    MilestoneStatus,
    PlanStatus,
)


class SalesPlan(BaseModel):
    """A brand's plan for overseas markets over a period, with a cumulative target.

    When it serves an agreement, the agreement's grantee is a party to the plan:
    it sees the plan, edits its targets and must approve it too.
    """

    brand = models.ForeignKey(
        "catalog.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales_plans",
    )
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.WHOLESALE
    )
    cumulative_target = models.PositiveIntegerField(_("cumulative target (units)"))
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="sales_plans",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    shortlist_weights = models.JSONField(
        _("shortlist weights"),
        default=dict,
        blank=True,
        help_text=_("How much each factor counts when ranking markets for the next step."),
    )

    class Meta:
        verbose_name = _("sales plan")
        verbose_name_plural = _("sales plans")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["brand", "status"], name="plan_brand_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def party_ids(self) -> list[int]:
        """Organisations whose manager must approve the plan: the brand's owner, and the
        grantee of the agreement the plan serves."""
        parties = [self.brand.owner_id]
        agreement = self.agreement
        if agreement is not None and agreement.grantee_id not in parties:
            parties.append(agreement.grantee_id)
        return parties

    @property
    def weights(self) -> dict[str, int]:
        """The shortlist weights in force: the defaults, as changed for this plan."""
        return {**DEFAULT_SHORTLIST_WEIGHTS, **(self.shortlist_weights or {})}

    @property
    def is_open(self) -> bool:
        """Whether the plan still takes changes: every status but closed."""
        return self.status != PlanStatus.CLOSED

    def awaits_approval_of(self, organization_id: int) -> bool:
        """Whether the plan is a draft still waiting for ``organization_id``'s approval:
        one of its parties that has not approved it yet. Reads the approvals prefetched
        with the plan when there are (see ``selectors.plan_approvals``)."""
        return (
            self.status == PlanStatus.DRAFT
            and organization_id in self.party_ids
            and all(
                approval.organization_id != organization_id for approval in self.approvals.all()
            )
        )

    def manual_transitions(self) -> list[PlanStatus]:
        """The statuses a party's manager may move the plan to by hand, in the order of
        the lifecycle. "Approved" is not one of them: the parties' approvals make it so."""
        return [
            PlanStatus(status)
            for status in PlanStatus.values
            if status in PLAN_TRANSITIONS[self.status] and status != PlanStatus.APPROVED
        ]


class PlanApproval(models.Model):
    """One party's approval of a plan: the brand owner's, and the partner's when it serves
    an agreement."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="approvals")
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan approval")
        verbose_name_plural = _("plan approvals")
        constraints = [
            models.UniqueConstraint(fields=["plan", "organization"], name="plan_approval_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.organization_id}"


class PlanPhase(models.Model):
    """A step of a plan: its period inside the plan's, its markets and its target."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("step"))
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    markets = models.ManyToManyField(
        "markets.Country", verbose_name=_("markets"), related_name="+", blank=True
    )
    target = models.PositiveIntegerField(_("target (units)"))

    class Meta:
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="phase_number_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Target(models.Model):
    """Units planned for one month in one market, for one product line or (null) all."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="targets")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    market = models.ForeignKey(
        "markets.Country", verbose_name=_("market"), on_delete=models.PROTECT, related_name="+"
    )
    product_line = models.ForeignKey(
        "catalog.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    units = models.PositiveIntegerField(_("units"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "month", "market", "product_line"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "month", "market", "product_line"],
                name="target_unique_line",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="target_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.month:%Y-%m} {self.market_id} {self.units}"


class PlanMilestone(BaseModel):
    """Something the plan needs done by a date, with evidence; some close themselves."""

    plan = models.ForeignKey(SalesPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=MilestoneStatus.choices, default=MilestoneStatus.OPEN
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    condition = models.CharField(
        _("condition"), max_length=20, choices=MilestoneCondition.choices, blank=True
    )
    condition_market = models.ForeignKey(
        "markets.Country",
        verbose_name=_("condition market"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    condition_units = models.PositiveIntegerField(_("condition units"), null=True, blank=True)
    evidence_order = models.ForeignKey(
        "trade.ExportOrder",
        verbose_name=_("export order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_shipment = models.ForeignKey(
        "trade.Shipment",
        verbose_name=_("shipment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    evidence_document = models.FileField(
        _("document"), upload_to="planning/%Y/", blank=True, max_length=200
    )
    evidence_note = models.TextField(_("evidence note"), blank=True)

    class Meta:
        verbose_name = _("plan milestone")
        verbose_name_plural = _("plan milestones")
        ordering = ["plan", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=MilestoneStatus.DONE)
                | models.Q(completed_on__isnull=False),
                name="milestone_done_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(condition="")
                | models.Q(condition_units__isnull=False, condition_units__gte=1),
                name="milestone_condition_has_units",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="milestone_status_due")]

    def __str__(self) -> str:
        return self.title
