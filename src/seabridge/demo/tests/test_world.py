"""The demo world: exact counts of what it holds, the memorandum and plan of case 1 as
the case states them, people who can sign in, and a refusal on a non-empty database."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.db.models import Sum
from django.test import Client

from seabridge.accounts.choices import OrganizationKind
from seabridge.accounts.models import Membership, Organization
from seabridge.agreements.choices import AgreementKind, AgreementStatus
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.catalog.choices import SteeringSide
from seabridge.catalog.models import Variant
from seabridge.core.errors import Conflict
from seabridge.core.scope import Area
from seabridge.demo.data import common, nezha, zhengzhou_nissan
from seabridge.demo.world import DEMO_PASSWORD, DemoWorld, world_build, world_finish
from seabridge.markets.models import Country
from seabridge.planning.choices import MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanMilestone
from seabridge.trade.choices import OrderStatus
from seabridge.trade.models import ExchangeRate, ExportOrder
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.lifecycle import Move, vehicles_move_each
from seabridge.vehicles.services import (
    Delivery,
    ProductionRow,
    vehicles_deliver_bulk,
    vehicles_produce,
)
from seabridge.vehicles.vin import check_digit

JAC_FOREIGN_DEALERS = 92
NEZHA_FOREIGN_DEALERS = 45
ZN_FOREIGN_DEALERS = 11


@pytest.fixture
def world() -> DemoWorld:
    started = time.perf_counter()
    built = world_build()
    print(f"world_build took {time.perf_counter() - started:.2f} s")
    return built


def _dealer_count(dealers: dict[str, list[Organization]]) -> tuple[int, int]:
    domestic = len(dealers.get("CN", []))
    return domestic, sum(len(found) for code, found in dealers.items() if code != "CN")


@pytest.mark.django_db
def test_organisations_by_kind(world: DemoWorld) -> None:
    kinds = Counter(Organization.objects.values_list("kind", flat=True))
    assert kinds == {
        OrganizationKind.MANUFACTURER: 3,
        OrganizationKind.TRADE_PARTNER: 2,
        OrganizationKind.DISTRIBUTOR: 132 + 15 + 9,
        OrganizationKind.DEALER: 40 + 60 + 8 + JAC_FOREIGN_DEALERS + NEZHA_FOREIGN_DEALERS
        + ZN_FOREIGN_DEALERS,
    }  # fmt: skip
    assert world.jac.organization.legal_name == "Anhui Jianghuai Automobile Group Corp., Ltd."
    assert world.jac.organization.short_name == "JAC"
    assert world.zhengzhou_nissan.organization.legal_name == (
        "Zhengzhou Nissan Automobile Co., Ltd."
    )
    assert world.nezha.organization.legal_name == "Hozon New Energy Automobile Co., Ltd."
    assert "Hong Kong Science Park" in world.nezha.organization.description
    assert world.zhongjiang.kind == OrganizationKind.TRADE_PARTNER
    assert world.zhongjiang.founded_year == 1980
    assert "more than 30 countries" in world.zhongjiang.description
    for maker in (world.jac, world.zhengzhou_nissan, world.nezha):
        assert maker.organization.home_country_id == "CN"
        assert maker.plant.country_id == "CN"
        assert maker.plant.owner == maker.organization
        assert maker.brand.owner == maker.organization
        assert maker.recorder.organization == maker.organization
        assert maker.recorder.role in ("staff", "admin")
        assert {dealer.kind for found in maker.dealers.values() for dealer in found} == {
            OrganizationKind.DEALER
        }
        for code, found in maker.dealers.items():
            assert {dealer.home_country_id for dealer in found} == {code}
            assert code == "CN" or code in maker.importers
    assert _dealer_count(world.jac.dealers) == (40, JAC_FOREIGN_DEALERS)
    assert _dealer_count(world.nezha.dealers) == (60, NEZHA_FOREIGN_DEALERS)
    assert _dealer_count(world.zhengzhou_nissan.dealers) == (8, ZN_FOREIGN_DEALERS)
    assert len(world.jac.dealers) == 26  # China and the 25 largest export markets
    assert all(1 <= len(found) <= 6 for code, found in world.jac.dealers.items() if code != "CN")
    assert world.jac.dealers["NG"][0].short_name == "JAC Lagos Ikeja"


@pytest.mark.django_db
def test_catalogue(world: DemoWorld) -> None:
    assert world.zhengzhou_nissan.brand.name == "Zhengzhou Nissan"
    assert world.jac.brand.name == "JAC"
    assert world.nezha.brand.name == "Nezha"
    lines = {
        maker.brand.name: sorted(maker.brand.product_lines.values_list("name", flat=True))
        for maker in (world.zhengzhou_nissan, world.jac, world.nezha)
    }
    assert lines == {
        "Zhengzhou Nissan": ["NAVARA", "Rich", "Z9"],
        "JAC": ["T8", "T9", "T9 EV"],
        "Nezha": ["GT", "L", "S", "U", "V"],
    }
    for maker in (world.zhengzhou_nissan, world.jac, world.nezha):
        stored = list(Variant.objects.filter(brand=maker.brand).order_by("pk"))
        assert maker.variants == stored
        assert {variant.list_price_currency for variant in stored} == {"CNY"}
        assert any(variant.steering == SteeringSide.RIGHT for variant in stored)
    assert [variant.code for variant in world.zhengzhou_nissan.variants] == [
        "NAV-D25-4X4", "NAV-D25-4X4-R", "NAV-P25", "RICH-D25", "RICH-D25-R", "RICH-P24",
        "Z9-D23-4X4", "Z9-P20T",
    ]  # fmt: skip
    assert Counter(variant.powertrain for variant in world.jac.variants) == {
        "diesel": 5,
        "petrol": 2,
        "bev": 1,
    }
    assert Counter(variant.powertrain for variant in world.nezha.variants) == {"bev": 7, "erev": 3}


@pytest.mark.django_db
def test_jac_importers_cover_132_markets_from_2009(world: DemoWorld) -> None:
    importers = world.jac.importers
    assert len(importers) == 132
    assert "CN" not in importers
    assert all(org.home_country_id == code for code, org in importers.items())
    assert Country.objects.filter(code__in=importers).count() == 132
    regions = {
        region: set(
            Country.objects.filter(code__in=importers, m49_subregion=region).values_list(
                "code", flat=True
            )
        )
        for region in (
            "Latin America and the Caribbean",
            "Western Asia",
            "Central Asia",
            "South-eastern Asia",
            "Sub-Saharan Africa",
            "Northern Africa",
        )
    }
    assert all(regions.values())
    assert Country.objects.filter(code__in=importers, m49_region="Europe").count() == 22
    grants = Agreement.objects.filter(grantor=world.jac.organization, parent=None)
    distribution = grants.filter(grantee__kind=OrganizationKind.DISTRIBUTOR)
    assert distribution.count() == 132
    assert set(distribution.values_list("status", flat=True)) == {AgreementStatus.ACTIVE}
    assert set(distribution.values_list("effective_from", flat=True)) == {date(2009, 1, 1)}
    cells = AgreementScopeEntry.objects.filter(agreement__in=distribution)
    assert cells.count() == 132 * len(Area.values)
    assert set(cells.values_list("brand", flat=True)) == {world.jac.brand.pk}


@pytest.mark.django_db
def test_every_importer_and_dealer_is_granted_its_market(world: DemoWorld) -> None:
    assert set(Agreement.objects.values_list("status", flat=True)) == {AgreementStatus.ACTIVE}
    for maker in (world.zhengzhou_nissan, world.jac, world.nezha):
        for code, importer in maker.importers.items():
            grant = Agreement.objects.get(grantee=importer)
            assert grant.kind == AgreementKind.DISTRIBUTION
            assert set(grant.scope_entries.values_list("brand_id", "country_id", "area")) == {
                (maker.brand.pk, code, area) for area in Area.values
            }
        for code, dealers in maker.dealers.items():
            for dealer in dealers:
                grant = Agreement.objects.select_related("parent").get(grantee=dealer)
                cells = set(grant.scope_entries.values_list("brand_id", "country_id", "area"))
                assert cells == {(maker.brand.pk, code, area) for area in common.DEALER_AREAS}
                if code == "CN":
                    assert grant.grantor == maker.organization
                    assert grant.parent is None
                else:
                    assert grant.parent is not None
                    assert grant.grantor == maker.importers[code]
                    parent_cells = set(
                        grant.parent.scope_entries.values_list("brand_id", "country_id", "area")
                    )
                    assert cells <= parent_cells
                    assert grant.effective_from >= grant.parent.effective_from
    nezha_international = Agreement.objects.get(grantee__short_name="Nezha International")
    assert nezha_international.grantee.home_country_id == "HK"
    assert nezha_international.effective_from == date(2022, 1, 1)
    assert sorted(world.nezha.importers) == sorted(nezha.NEZHA_MARKETS)
    assert len(world.nezha.importers) == 15


@pytest.mark.django_db
def test_memorandum_as_signed_in_nanjing(world: DemoWorld) -> None:
    memorandum = world.memorandum
    assert memorandum.kind == AgreementKind.MEMORANDUM
    assert memorandum.status == AgreementStatus.ACTIVE
    assert memorandum.grantor == world.zhengzhou_nissan.organization
    assert memorandum.grantee == world.zhongjiang
    assert memorandum.signed_on == date(2025, 4, 22)
    assert memorandum.signed_in == "Nanjing"
    assert list(
        memorandum.signatories.values_list("name", "title", "organization__short_name")
    ) == [
        ("Yao Liwen", "Secretary of the Party Committee", "Zhengzhou Nissan"),
        ("Qi Kuiyuan", "Vice President of Overseas Business", "Zhengzhou Nissan"),
        ("Luo Kui", "General Manager", "Zhongjiang International"),
    ]
    assert list(memorandum.commitments.values_list("topic", flat=True)) == [
        "sales_planning",
        "brand_marketing",
        "channel_synergy",
        "after_sales",
        "product_portfolio",
    ]
    assert memorandum.commitments.count() == 5
    countries = set(memorandum.scope_entries.values_list("country_id", flat=True))
    assert countries == {*world.plan_markets, *world.later_markets}
    assert memorandum.scope_entries.count() == 9 * len(Area.values)
    # Zhongjiang's local company in each plan market holds a sub-grant of the memorandum.
    assert sorted(world.zhengzhou_nissan.importers) == sorted(countries)
    for code, importer in world.zhengzhou_nissan.importers.items():
        assert importer.short_name.startswith("Zhongjiang ")
        grant = Agreement.objects.get(grantee=importer)
        assert grant.parent == memorandum
        assert grant.grantor == world.zhongjiang
        assert grant.effective_from == zhengzhou_nissan.ZN_MARKET_OPENS_ON[code]


@pytest.mark.django_db
def test_three_year_three_step_plan(world: DemoWorld) -> None:
    plan = world.plan
    assert plan.agreement == world.memorandum
    assert plan.brand == world.zhengzhou_nissan.brand
    assert plan.status == PlanStatus.ACTIVE
    assert (plan.starts_on.year, plan.ends_on.year) == (2025, 2027)
    assert plan.cumulative_target == 3000
    assert "illustrative" in plan.notes
    assert world.plan_markets == ("SA", "NG", "PH")
    assert world.later_markets == ("OM", "GH", "ID", "IQ", "AO", "ZM")
    phases = list(plan.phases.order_by("number"))
    assert [(phase.starts_on.year, phase.ends_on.year) for phase in phases] == [
        (2025, 2025),
        (2026, 2026),
        (2027, 2027),
    ]
    assert [phase.target for phase in phases] == [500, 1000, 1500]
    assert sorted(phases[0].markets.values_list("code", flat=True)) == ["NG", "PH", "SA"]
    assert phases[2].markets.count() == 9
    assert plan.targets.aggregate(total=Sum("units"))["total"] == 3000
    by_year = {
        year: plan.targets.filter(month__year=year).aggregate(total=Sum("units"))["total"]
        for year in (2025, 2026, 2027)
    }
    assert by_year == {2025: 500, 2026: 1000, 2027: 1500}
    assert plan.targets.filter(product_line__isnull=True).count() == 0
    milestones = list(plan.milestones.order_by("due_on", "pk"))
    assert [(milestone.title, milestone.due_on) for milestone in milestones] == [
        ("First batch of sample vehicles procured", date(2025, 6, 30)),
        ("Service network in every step-one market", date(2025, 12, 31)),
        ("1,000 cumulative units in the plan's markets", date(2026, 6, 30)),
        ("3,000 cumulative units in the plan's markets", date(2027, 12, 31)),
    ]
    assert set(plan.approvals.values_list("organization__short_name", flat=True)) == {
        "Zhengzhou Nissan",
        "Zhongjiang International",
    }


@pytest.mark.django_db
def test_people_sign_in_with_the_demo_password(world: DemoWorld) -> None:
    emails = [person.email for person in world.people]
    assert len(emails) == len(set(emails)) == 14
    assert all(email.endswith(".example") for email in emails)
    works = {person.email: (person.organization, person.role) for person in world.people}
    assert works["admin@jac.example"] == ("JAC", "admin")
    assert works["analyst@jac.example"] == ("JAC", "viewer")
    assert works["overseas@zhengzhou-nissan.example"] == ("Zhengzhou Nissan", "staff")
    assert works["overseas@zhongjiang.example"] == ("Zhongjiang International", "manager")
    assert works["analyst@jac-chile.example"] == ("JAC Chile", "viewer")
    assert works["sales@jac-lagos-ikeja.example"] == ("JAC Lagos Ikeja", "staff")
    assert works["admin@nezha.example"] == ("Nezha", "admin")
    assert works["sales@nezha-thailand.example"] == ("Nezha Thailand", "manager")
    for person in world.people:
        user = authenticate(username=person.email, password=DEMO_PASSWORD)
        assert user is not None, person.email
        assert user.get_full_name() == person.name
        assert Membership.objects.get(user=user).organization.short_name == person.organization
    assert Client().login(username="admin@jac.example", password=DEMO_PASSWORD)
    # Every organisation has someone to sign in as; everyone has a name.
    assert not Organization.objects.filter(memberships__isnull=True).exists()
    assert not User.objects.filter(first_name="").exists()
    assert not User.objects.filter(last_name="").exists()
    assert User.objects.count() == Organization.objects.count() + 14 - 5


@pytest.mark.django_db
def test_exchange_rates(world: DemoWorld) -> None:
    dealer_markets = {
        code for maker in (world.jac, world.nezha, world.zhengzhou_nissan) for code in maker.dealers
    }
    currencies = set(
        Country.objects.filter(code__in=dealer_markets).values_list("currency", flat=True)
    ) - {"CNY"}
    stored = set(ExchangeRate.objects.values_list("currency", flat=True))
    assert stored == currencies | {"USD", "EUR"}
    assert ExchangeRate.objects.count() == len(stored) * 18
    usd = dict(ExchangeRate.objects.filter(currency="USD").values_list("on", "cny_per_unit"))
    assert sorted(usd) == [date(year, 1, 1) for year in range(2009, 2027)]
    assert min(usd.values()) >= 6
    assert max(usd.values()) <= 7.4
    sar = ExchangeRate.objects.get(currency="SAR", on=date(2025, 1, 1)).cny_per_unit
    assert str(sar) == "1.94666667"  # 7.30 / 3.75


@pytest.mark.django_db
def test_a_second_build_is_refused_and_writes_nothing(world: DemoWorld) -> None:
    counts = (Organization.objects.count(), User.objects.count(), Agreement.objects.count())
    with pytest.raises(Conflict):
        world_build()
    assert counts == (
        Organization.objects.count(),
        User.objects.count(),
        Agreement.objects.count(),
    )


@pytest.mark.django_db
def test_finish_without_vehicles_orders_the_default_samples(world: DemoWorld) -> None:
    world_finish(world)

    orders = list(ExportOrder.objects.order_by("number"))
    assert [(order.number, order.destination_id, order.confirmed_on) for order in orders] == [
        ("ZN-EXP-2025-001", "SA", date(2025, 5, 8)),
        ("ZN-EXP-2025-002", "NG", date(2025, 5, 15)),
        ("ZN-EXP-2025-003", "PH", date(2025, 5, 22)),
    ]
    assert {order.status for order in orders} == {OrderStatus.CONFIRMED}
    assert [order.buyer for order in orders] == [
        world.zhengzhou_nissan.importers[code] for code in ("SA", "NG", "PH")
    ]
    assert orders[0].lines.aggregate(units=Sum("quantity"))["units"] == 5
    milestones = {
        milestone.title: milestone for milestone in PlanMilestone.objects.filter(plan=world.plan)
    }
    sample = milestones["First batch of sample vehicles procured"]
    assert sample.status == MilestoneStatus.DONE
    assert sample.completed_on == date(2025, 5, 8)
    assert sample.evidence_order == orders[0]
    service = milestones["Service network in every step-one market"]
    assert (service.status, service.completed_on) == (MilestoneStatus.DONE, date(2025, 11, 28))
    # No vehicles, so the cumulative milestones are still to come (or late).
    assert milestones["1,000 cumulative units in the plan's markets"].status != (
        MilestoneStatus.DONE
    )
    with pytest.raises(Conflict):
        world_finish(world)


def _vin(serial: int) -> str:
    body = f"LZNRD25A_SZ{serial:06d}"
    return body.replace("_", check_digit(body.replace("_", "0")))


def _sample_vehicles(world: DemoWorld, shipments: list[tuple[str, str, int]]) -> None:
    """Zhengzhou Nissan vehicles (variant code, market, units) made on 5 May 2025,
    allocated on 6 May and delivered to Zhongjiang's local company on 10 June."""
    maker = world.zhengzhou_nissan
    by_code = {variant.code: variant for variant in maker.variants}
    plan = [(code, market) for code, market, units in shipments for _unit in range(units)]
    produced = vehicles_produce(
        actor=maker.recorder,
        rows=[
            ProductionRow(
                vin=_vin(serial),
                variant_id=by_code[code].pk,
                produced_on=date(2025, 5, 5),
                plant_id=maker.plant.pk,
            )
            for serial, (code, _market) in enumerate(plan, start=1)
        ],
    ).vehicles
    vehicles_move_each(
        actor=maker.recorder,
        moves=[
            (
                vehicle.pk,
                Move(type=EventType.ALLOCATED, occurred_on=date(2025, 5, 6), market_id=market),
            )
            for vehicle, (_code, market) in zip(produced, plan, strict=True)
        ],
        answer=False,
    )
    vehicles_deliver_bulk(
        actor=maker.recorder,
        deliveries=[
            Delivery(
                vehicle_id=vehicle.pk, dealer=maker.importers[market], occurred_on=date(2025, 6, 10)
            )
            for vehicle, (_code, market) in zip(produced, plan, strict=True)
        ],
        answer=False,
    )


@pytest.mark.django_db
def test_finish_orders_the_sample_vehicles_on_record(
    world: DemoWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sample_vehicles(
        world, [("RICH-D25", "SA", 4), ("NAV-D25-4X4", "SA", 2), ("Z9-D23-4X4", "NG", 2)]
    )
    # Seven units stand in for the thousandth, so that the cumulative milestone closes.
    monkeypatch.setitem(
        zhengzhou_nissan.CUMULATIVE_MILESTONES, zhengzhou_nissan.THOUSAND_MILESTONE, 7
    )

    world_finish(world)

    orders = list(ExportOrder.objects.order_by("number"))
    summary = [
        (
            order.destination_id,
            order.confirmed_on,
            order.status,
            sorted(order.lines.values_list("variant__code", "quantity")),
        )
        for order in orders
    ]
    assert summary == [
        ("SA", date(2025, 5, 6), OrderStatus.CLOSED, [("NAV-D25-4X4", 2), ("RICH-D25", 4)]),
        ("NG", date(2025, 5, 6), OrderStatus.CLOSED, [("Z9-D23-4X4", 2)]),
        (
            "PH",
            date(2025, 5, 22),
            OrderStatus.CONFIRMED,
            [("NAV-D25-4X4", 2), ("RICH-D25", 2), ("Z9-D23-4X4", 1)],
        ),
    ]
    milestones = {
        milestone.title: milestone for milestone in PlanMilestone.objects.filter(plan=world.plan)
    }
    sample = milestones["First batch of sample vehicles procured"]
    assert (sample.status, sample.completed_on, sample.evidence_order) == (
        MilestoneStatus.DONE,
        date(2025, 5, 6),
        orders[0],
    )
    thousand = milestones["1,000 cumulative units in the plan's markets"]
    assert (thousand.status, thousand.completed_on) == (MilestoneStatus.DONE, date(2025, 6, 10))
    assert "wholesaled in" in thousand.evidence_note
    assert milestones["3,000 cumulative units in the plan's markets"].status == (
        MilestoneStatus.OPEN
    )
