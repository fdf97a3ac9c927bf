"""The demo world: the three cases of DESIGN.md as records Seabridge keeps.

:func:`world_build` writes, into a database with no organisations, the static part
of the world, calling the builders of :mod:`seabridge.demo.builders` in order: the
headquarters, every maker's importers and dealers, and the demo people; each maker's
catalogue and plant; then the cases: Zhengzhou Nissan and Zhongjiang International
with their memorandum of cooperation (22 April 2025, Nanjing) and the "three-year,
three-step" sales plan that serves it; Nezha International in Hong Kong with Nezha's
distributors; JAC's 132 importers; then every dealer's agreement and a table of
exchange rates. Vehicles and their events are written afterwards by
:mod:`seabridge.demo.histories`, from the :class:`DemoWorld` returned here;
:func:`world_finish` then records what needs the vehicles (the first batch of sample
vehicles procured, the plan's milestones).

Everything is fixed: names, dates and figures come from :mod:`seabridge.demo.data`,
never from the clock or a random draw. The few records that speak about a single
business act (brands, product lines, variants, the memorandum, the partners'
distribution agreements, the plan, orders) go through the domain services; the
many repetitive rows (organisations, people, the dealers' grants, exchange rates)
are written in bulk, so that the whole world takes a few seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from seabridge.accounts.choices import Role
from seabridge.accounts.models import Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.agreements.models import Agreement
from seabridge.catalog.models import Brand, Variant
from seabridge.core.errors import Conflict
from seabridge.core.scope import Actor
from seabridge.core.services import audit_record
from seabridge.demo.builders.agreements import dealer_agreements_create
from seabridge.demo.builders.catalogue import Catalogue, catalogue_create
from seabridge.demo.builders.jac import jac_build
from seabridge.demo.builders.nezha import nezha_build
from seabridge.demo.builders.organisations import DemoPerson, Parties, organisations_create
from seabridge.demo.builders.rates import exchange_rates_create
from seabridge.demo.builders.zhengzhou_nissan import (
    plan_milestones_record,
    sample_orders_create,
    zhengzhou_nissan_build,
)
from seabridge.demo.data.common import HOME
from seabridge.demo.data.jac import JAC
from seabridge.demo.data.nezha import NEZHA
from seabridge.demo.data.organisations import HEADQUARTERS
from seabridge.demo.data.zhengzhou_nissan import (
    ZHENGZHOU_NISSAN,
    ZN_STEP_ONE,
    ZN_STEP_THREE,
    ZN_STEP_TWO,
)
from seabridge.markets.models import Country
from seabridge.markets.services import reference_data_load
from seabridge.planning.models import SalesPlan
from seabridge.trade.models import ExportOrder
from seabridge.vehicles.models import Plant

DEMO_PASSWORD = "seabridge-demo"  # noqa: S105 - the demo world's shared password, printed by `make run`
MAKERS = (ZHENGZHOU_NISSAN, JAC, NEZHA)  # cases 1, 2 and 3

# --- the public shape ------------------------------------------------------------------


@dataclass
class MakerWorld:
    """One brand owner with everything the vehicle writer needs to record its vehicles."""

    organization: Organization
    brand: Brand
    recorder: Actor  # a staff member of the maker: records production and history
    plant: Plant
    variants: list[Variant]  # every variant of the brand, in a fixed order
    # Export market → its national importer (or distributor), granted the brand in that
    # country for all areas by an active distribution agreement.
    importers: dict[str, Organization]
    # Country → the brand's dealers there, "CN" included (domestic dealers).
    dealers: dict[str, list[Organization]]


@dataclass
class DemoWorld:
    """What :func:`world_build` wrote, for the vehicle writer and :func:`world_finish`."""

    zhengzhou_nissan: MakerWorld
    jac: MakerWorld
    nezha: MakerWorld
    zhongjiang: Organization
    memorandum: Agreement
    plan: SalesPlan
    plan_markets: tuple[str, str, str]  # the three markets of step one
    later_markets: tuple[str, ...]  # the markets steps two and three add
    people: list[DemoPerson] = field(default_factory=list)


# --- the world -----------------------------------------------------------------------------


@transaction.atomic
def world_build() -> DemoWorld:
    """Build the static demo world into a database with no organisations; refuse otherwise.

    Countries are loaded first if there are none.
    """
    _refuse_unless_empty()
    countries = _countries_ready(
        {
            HOME,
            *(spec.country for spec in HEADQUARTERS),
            *(code for maker in MAKERS for code in (*maker.importers, *maker.dealers)),
        }
    )
    # The outlets are written JAC, Nezha, Zhengzhou Nissan and the cases' agreements
    # 1, 3, 2: the order of the first demo world, kept so that its rows keep their ids.
    parties = organisations_create(
        countries=countries,
        makers=(JAC, NEZHA, ZHENGZHOU_NISSAN),
        password=make_password(DEMO_PASSWORD),
    )
    catalogues = {
        maker.key: catalogue_create(
            actor=parties.admins[maker.key],
            maker=maker,
            owner=parties.by_key[maker.key],
            country=countries[HOME],
        )
        for maker in MAKERS
    }
    case_one = zhengzhou_nissan_build(parties=parties, catalogue=catalogues["zn"])
    importer_grants = {
        "zn": case_one.grants,
        "nezha": nezha_build(parties=parties, brand=catalogues["nezha"].brand),
        "jac": jac_build(parties=parties, brand=catalogues["jac"].brand),
    }
    dealer_agreements_create(
        makers={maker.key: maker for maker in MAKERS},
        outlets=parties.outlets,
        headquarters=parties.by_key,
        brands={key: catalogue.brand for key, catalogue in catalogues.items()},
        importer_grants=importer_grants,
    )
    rates = exchange_rates_create(_currencies(parties))
    audit_record(
        actor=None,  # the system builds the world; the services above audited their rows
        action="demo.world_build",
        changes={
            "organizations": len(parties.by_key),
            "people": len(parties.memberships),
            "agreements": Agreement.objects.count(),
            "exchange_rates": len(rates),
        },
    )
    return DemoWorld(
        zhengzhou_nissan=_maker_world(parties, catalogues["zn"], "zn"),
        jac=_maker_world(parties, catalogues["jac"], "jac"),
        nezha=_maker_world(parties, catalogues["nezha"], "nezha"),
        zhongjiang=parties.by_key["zhongjiang"],
        memorandum=case_one.memorandum,
        plan=case_one.plan,
        plan_markets=ZN_STEP_ONE,
        later_markets=(*ZN_STEP_TWO, *ZN_STEP_THREE),
        people=parties.people,
    )


def _refuse_unless_empty() -> None:
    count = Organization.objects.count()
    if count:
        raise Conflict(
            _(
                "The database already has %(count)d organisations; the demo world is built "
                "into a database with none. Use a fresh database and run it again."
            )
            % {"count": count}
        )


def _countries_ready(codes: set[str]) -> dict[str, Country]:
    if not Country.objects.filter(code=HOME).exists():
        reference_data_load()
    countries = Country.objects.in_bulk(sorted(codes))
    missing = sorted(codes - set(countries))
    if missing:
        raise Conflict(
            _("The country table lacks %(codes)s; load the reference data again.")
            % {"codes": ", ".join(missing)}
        )
    return countries


def _currencies(parties: Parties) -> set[str]:
    """The dollar, the euro and the currency of every country with dealers but China."""
    dealer_markets = {code for outlet in parties.outlets.values() for code in outlet.dealers}
    countries = parties.countries
    currencies = {"USD", "EUR"} | {
        countries[code].currency for code in dealer_markets if countries[code].currency
    }
    currencies.discard("CNY")
    return currencies


def _maker_world(parties: Parties, catalogue: Catalogue, key: str) -> MakerWorld:
    return MakerWorld(
        organization=parties.by_key[key],
        brand=catalogue.brand,
        recorder=parties.recorders[key],
        plant=catalogue.plant,
        variants=catalogue.variants,
        importers=parties.outlets[key].importers,
        dealers=parties.outlets[key].dealers,
    )


# --- after the vehicles ----------------------------------------------------------------------


@transaction.atomic
def world_finish(world: DemoWorld) -> None:
    """What the demo world records once its vehicles exist: the sample vehicles' orders
    and the plan's milestones (the sample batch, the service network, cumulative units).
    Run once, after the vehicles are written."""
    maker = world.zhengzhou_nissan
    if ExportOrder.objects.filter(brand=maker.brand).exists():
        raise Conflict(_("The demo world is already finished: its sample orders exist."))
    admin = _admin_of(maker.organization)
    partner = _admin_of(world.zhongjiang)
    orders = sample_orders_create(
        actor=admin,
        brand=maker.brand,
        variants=maker.variants,
        importers=maker.importers,
        markets=world.plan_markets,
    )
    plan_milestones_record(plan=world.plan, orders=orders, admin=admin, partner=partner)


def _admin_of(organization: Organization) -> Actor:
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(organization=organization, role=Role.ADMIN)
        .order_by("pk")
        .first()
    )
    if membership is None:
        raise Conflict(_("%(name)s has no administrator.") % {"name": organization})
    return actor_from_membership(membership)


__all__ = [
    "DEMO_PASSWORD",
    "DemoPerson",
    "DemoWorld",
    "MakerWorld",
    "world_build",
    "world_finish",
]
