"""Background tasks of planning, and queuing them."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django_tasks import task

from seabridge.planning.services import plan_milestones_check


@task()
def check_plan_milestones(brand_id: int | None = None) -> int:
    """Close milestones whose condition now holds and mark overdue ones late."""
    return plan_milestones_check(brand_id=brand_id)


def queue_milestones_check(*, brand_id: int) -> None:
    """After the current transaction commits, check the brand's plan milestones in the
    background (an order was confirmed, vehicles were wholesaled)."""
    transaction.on_commit(lambda: check_plan_milestones.enqueue(brand_id))


def queue_milestones_checks(brand_ids: Collection[int]) -> None:
    """What planning hears when brands' sales move on (the vehicles hook
    :func:`seabridge.vehicles.hooks.register_sales_changed`, in ``PlanningConfig.ready``)."""
    for brand_id in sorted(brand_ids):
        queue_milestones_check(brand_id=brand_id)
