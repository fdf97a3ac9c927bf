"""The scale generator: exact counts from the seed, the same world for the same seed,
facts that match the events, and a refusal on a database that has vehicles."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from seabridge.accounts.models import Membership, Organization
from seabridge.agreements.models import Agreement
from seabridge.analytics.facts import facts_check
from seabridge.core.errors import Conflict, ValidationFailed
from seabridge.demo.services import GenerateSummary, world_generate
from seabridge.vehicles.models import Customer, Vehicle, VehicleEvent


def small_world(seed: int = 7) -> GenerateSummary:
    """The small world of these tests: 300 vehicles, 5 markets, 10 dealers."""
    return world_generate(vehicles=300, seed=seed, markets=5, outlets=10)


# sha256 of the sorted "VIN,state,market" lines of the small world (computed once).
SMALL_CHECKSUM = "eef6078803f536c95894211c5de05ed802422f58096fac80cb86ac3ba5efa7e5"


def world_checksum() -> str:
    lines = sorted(
        f"{vin},{state},{market}"
        for vin, state, market in Vehicle.objects.values_list("vin", "state", "market_id")
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.mark.django_db
def test_small_world_has_the_counts_its_seed_gives() -> None:
    summary = small_world()

    assert summary.vehicles == 300
    assert Vehicle.objects.count() == 300
    events = dict(VehicleEvent.objects.values_list("type").annotate(n=Count("pk")))
    assert events == {
        "produced": 300,
        "allocated": 292,
        "delivered": 272,
        "retailed": 196,
        "registered": 59,
    }
    assert summary.events == events
    states = dict(Vehicle.objects.values_list("state").annotate(n=Count("pk")))
    assert states == {
        "produced": 8,
        "allocated": 20,
        "in_stock": 76,
        "retailed": 137,
        "registered": 59,
    }
    assert summary.states == states
    assert Customer.objects.count() == summary.customers == 196
    assert Vehicle.objects.filter(customer__isnull=False).count() == 196
    # One maker, 5 importers, 10 dealers; a person each, and the maker's admin.
    assert Organization.objects.count() == summary.organizations == 16
    assert Membership.objects.count() == 17
    assert Agreement.objects.filter(status="active").count() == 5
    assert set(Vehicle.objects.values_list("market_id", flat=True).distinct()) >= {"CN"}
    assert Vehicle.objects.exclude(market_id="CN").count() > 0


@pytest.mark.django_db
def test_same_seed_gives_the_same_world() -> None:
    small_world()

    assert world_checksum() == SMALL_CHECKSUM


@pytest.mark.django_db
def test_another_seed_gives_another_world() -> None:
    small_world(seed=8)

    assert world_checksum() != SMALL_CHECKSUM


@pytest.mark.django_db
def test_facts_match_the_events() -> None:
    small_world()

    assert facts_check() == []


@pytest.mark.django_db
def test_a_database_with_vehicles_is_refused_and_left_alone() -> None:
    small_world()
    before = (Vehicle.objects.count(), VehicleEvent.objects.count(), Organization.objects.count())

    with pytest.raises(Conflict) as refusal:
        small_world()

    assert refusal.value.message.startswith(
        "The database already has 300 vehicles; the generator builds its world into an "
        "empty database only."
    )
    after = (Vehicle.objects.count(), VehicleEvent.objects.count(), Organization.objects.count())
    assert after == before


@pytest.mark.django_db
def test_sizes_out_of_range_are_refused_naming_the_option() -> None:
    with pytest.raises(ValidationFailed) as refusal:
        world_generate(vehicles=0, seed=1, markets=0, outlets=0)

    assert set(refusal.value.fields) == {"vehicles", "markets", "outlets"}
    assert Organization.objects.count() == 0


requires_app = pytest.mark.skipif(
    "seabridge.demo" not in settings.INSTALLED_APPS,
    reason="the generate command is found only once seabridge.demo is in INSTALLED_APPS",
)


@requires_app
@pytest.mark.django_db
def test_command_generates_and_reports() -> None:
    out, err = StringIO(), StringIO()

    call_command(
        "generate", "--vehicles=300", "--seed=7", "--markets=5", "--outlets=10",
        stdout=out, stderr=err,
    )  # fmt: skip

    assert world_checksum() == SMALL_CHECKSUM
    assert out.getvalue().startswith("Generated 300 vehicles with 1,119 events, 196 customers")
    assert "300/300" in err.getvalue()


@requires_app
@pytest.mark.django_db
def test_command_refuses_a_database_with_vehicles() -> None:
    small_world()

    with pytest.raises(CommandError, match="already has 300 vehicles"):
        call_command("generate", "--vehicles=10", stdout=StringIO(), stderr=StringIO())
