"""The apps above vehicles hear of every vehicle written through the hooks they register
in their ``ready()``: analytics keeps its facts exact, planning checks its milestones."""

from datetime import date

import pytest
from django.db.models import Sum

from seabridge.analytics import facts
from seabridge.analytics.models import DailyFact
from seabridge.planning import tasks as planning_tasks
from seabridge.vehicles import hooks, services
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move
from seabridge.vehicles.tests.conftest import produce

pytestmark = pytest.mark.django_db


def units(measure: str) -> dict[tuple[str, date], int]:
    return {
        (market, day): total
        for market, day, total in DailyFact.objects.filter(measure=measure)
        .values_list("market_id", "day")
        .annotate(total=Sum("units"))
        .order_by("market_id", "day")
    }


def test_analytics_and_planning_register_their_hooks():
    assert hooks._produced == [facts.record_production]
    assert hooks._removed == [facts.record_removal]
    assert hooks._moved == [facts.record_moves]
    assert hooks._sales_changed == [planning_tasks.queue_milestones_checks]


def test_registering_twice_keeps_one():
    hooks.register_moved(facts.record_moves)
    assert hooks._moved == [facts.record_moves]


def test_vehicles_produced_moved_and_removed_change_the_facts_and_sales_queue_checks(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int | None] = []

    class Recorder:
        def enqueue(self, brand_id: int | None = None) -> None:
            queued.append(brand_id)

    monkeypatch.setattr(planning_tasks, "check_plan_milestones", Recorder())
    first, second, third = produce(world, 1, 2, 3)
    assert units("production") == {("CN", date(2025, 3, 1)): 3}

    with django_capture_on_commit_callbacks(execute=True):
        vehicles_move(
            actor=None,
            vehicle_ids=[first.pk, second.pk],
            move=Move(type=EventType.ALLOCATED, occurred_on=date(2025, 3, 5)),
        )
    assert queued == []  # an allocation sells nothing

    with django_capture_on_commit_callbacks(execute=True):
        services.vehicles_deliver_to_dealer(
            actor=world.jac_staff,
            vehicles=[first, second],
            dealer=world.dealer,
            occurred_on=date(2025, 3, 8),
        )
    assert units("sales") == {("CN", date(2025, 3, 8)): 2}
    assert queued == [world.jac_brand.pk]

    services.vehicle_remove(actor=world.jac_staff, vehicle=third)
    assert units("production") == {("CN", date(2025, 3, 1)): 2}
    assert facts.facts_check() == []
