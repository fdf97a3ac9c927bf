from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """draft → approved → active → closed."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.APPROVED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.ACTIVE, PlanStatus.DRAFT}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.CLOSED}),
    PlanStatus.CLOSED: frozenset(),
}


class Measure(models.TextChoices):
    """Which sales a plan counts: wholesale (the default "sales") or retail."""

    WHOLESALE = "wholesale", _("Wholesale units")
    RETAIL = "retail", _("Retail units")


class MilestoneStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    DROPPED = "dropped", _("Dropped")


class MilestoneCondition(models.TextChoices):
    """A fact the system checks itself; the milestone closes when it holds."""

    NONE = "", _("None: closed by hand")
    ORDER_CONFIRMED = "order_confirmed", _("An export order of at least N units confirmed")
    UNITS_SOLD = "units_sold", _("At least N units sold (the plan's measure)")


# The factors of the market shortlist and their default weights (points at full strength).
DEFAULT_SHORTLIST_WEIGHTS: dict[str, int] = {
    "resource_rich": 25,
    "low_duty": 20,
    "drive_side_fit": 20,
    "agreement_covers": 20,
    "units_sold": 15,
}
