"""Background tasks of planning."""

from __future__ import annotations

from django_tasks import task

from seabridge.planning.services import plan_milestones_check


@task()
def check_plan_milestones(brand_id: int | None = None) -> int:
    """Close milestones whose condition now holds and mark overdue ones late."""
    return plan_milestones_check(brand_id=brand_id)
