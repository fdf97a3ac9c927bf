"""The scale generator: a synthetic world of any size, for benchmarks.

:func:`world_generate` builds, into a database with no vehicles, one maker with a
brand, three product lines and six variants, a plant, an importer per market (each
granted its market by an active distribution agreement), dealers spread over the
markets and China, a staff person per organisation, and then the vehicles with
their whole lifecycle. The same seed gives the same rows: every random draw comes
from one ``random.Random(seed)``, in a fixed order, and never from the clock.

Vehicles are written with their whole lives through
:func:`seabridge.vehicles.history.vehicles_record_history` (the bulk service a maker
brings its registry over with), a batch of :data:`BATCH` vehicles at a time, each
batch one transaction. It checks every transition as the lifecycle does and keeps
the analytics facts, so ``seabridge analytics_facts --check`` finds no difference
afterwards.

Exports go from allocation (to the importer's market) straight to delivery: the
lifecycle allows delivering from ALLOCATED, and that delivery is the wholesale.
Export orders and shipments are left out; the generator measures the vehicle
registry and its facts, not the trade documents.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.agreements import services as agreement_services
from seabridge.agreements.choices import AgreementKind
from seabridge.catalog import services as catalog_services
from seabridge.catalog.choices import BodyType, Powertrain, SteeringSide
from seabridge.catalog.models import Brand, Variant
from seabridge.core.choices import Area
from seabridge.core.errors import Conflict, ValidationFailed
from seabridge.core.scope import Actor
from seabridge.demo.data.people import FAMILY_NAMES, GIVEN_NAMES
from seabridge.markets.models import Country
from seabridge.markets.services import reference_data_load
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.history import History, Step, vehicles_record_history
from seabridge.vehicles.models import Plant, Vehicle
from seabridge.vehicles.services import NewCustomer, ProductionRow
from seabridge.vehicles.vin import check_digit

# Vehicles per batch (one transaction each).
BATCH = 50_000
FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2026, 10, 31)  # the generated world's "today": nothing happens after it
HOME = "CN"
DOMESTIC_SHARE = 0.35
RETAIL_SHARE = 0.80
REGISTERED_SHARE = 0.30
SCRAPPED_SHARE = 0.02
ANNUAL_GROWTH = 0.12
# Relative production by calendar month: the Spring Festival dip, a year-end push.
SEASON = (0.95, 0.70, 1.05, 1.00, 1.00, 1.02, 0.95, 0.97, 1.05, 1.03, 1.08, 1.20)
WMI = "L9G"  # China (L): the check digit is mandatory and is computed below
MODEL_YEAR = {2019: "K", 2020: "L", 2021: "M", 2022: "N", 2023: "P", 2024: "R", 2025: "S"}
MODEL_YEAR |= {2026: "T", 2027: "V"}
# The VIN's plant letter, one per million units of a model year (serials are 6 digits).
PLANT_LETTERS = "ZYXWVUTSRPNMLKJHGFEDCBA"
EXPORT_CURRENCY = "USD"
CNY_PER_USD = 7.10  # a fixed rate: the generator keeps no rate history

COMPANY_WORDS = ("Logistics", "Construction", "Agro", "Mining", "Transport", "Trading")
COMPANY_SHARE = 0.15


class VariantSpec(NamedTuple):
    line: str
    code: str
    name: str
    body: str
    powertrain: str
    steering: str
    engine: str
    list_price_cny: int


PRODUCT_LINES = ("Ridge", "Summit", "Volt")
VARIANTS = (
    VariantSpec("Ridge", "RDG-D25", "Ridge 2.5 diesel", BodyType.PICKUP_DOUBLE_CAB,
                Powertrain.DIESEL, SteeringSide.LEFT, "2.5 L diesel", 128_000),
    VariantSpec("Ridge", "RDG-P24", "Ridge 2.4 petrol", BodyType.PICKUP_DOUBLE_CAB,
                Powertrain.PETROL, SteeringSide.LEFT, "2.4 L petrol", 112_000),
    VariantSpec("Summit", "SMT-D20-R", "Summit 2.0 diesel RHD", BodyType.PICKUP_EXTENDED_CAB,
                Powertrain.DIESEL, SteeringSide.RIGHT, "2.0 L diesel", 118_000),
    VariantSpec("Summit", "SMT-P20", "Summit 2.0 petrol", BodyType.PICKUP_SINGLE_CAB,
                Powertrain.PETROL, SteeringSide.LEFT, "2.0 L petrol", 96_000),
    VariantSpec("Volt", "VLT-E64", "Volt 64 kWh", BodyType.PICKUP_DOUBLE_CAB,
                Powertrain.BEV, SteeringSide.LEFT, "64 kWh", 189_000),
    VariantSpec("Volt", "VLT-E88", "Volt 88 kWh long range", BodyType.PICKUP_DOUBLE_CAB,
                Powertrain.BEV, SteeringSide.LEFT, "88 kWh", 226_000),
)  # fmt: skip
# Fuel variants' relative weights; the battery-electric ones grow from 3 % to 25 %.
FUEL_WEIGHTS = (0.30, 0.25, 0.25, 0.20)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class GenerateSummary:
    """What :func:`world_generate` wrote, and how long it took."""

    seed: int
    vehicles: int
    markets: int
    outlets: int
    organizations: int
    customers: int
    events: dict[str, int]
    states: dict[str, int]
    reference_seconds: float
    seconds: float

    @property
    def event_count(self) -> int:
        return sum(self.events.values())


@dataclass
class _World:
    """The organisations and catalogue the vehicles are written against."""

    actor: Actor
    plant: Plant
    variants: list[Variant]
    markets: list[str]  # export markets, in the order their weights follow
    market_weights: list[float]
    importers: dict[str, Organization]
    dealers: dict[str, list[Organization]]  # by country, China included
    organizations: int = 0
    outlets: int = 0


class _Planned(NamedTuple):
    """One vehicle's whole life, drawn before anything is written."""

    row: ProductionRow
    market: str  # the country it is sold in (HOME for domestic)
    allocated_on: date | None
    dealer: Organization | None
    delivered_on: date | None
    retailed_on: date | None
    price: Decimal | None
    currency: str
    customer: NewCustomer | None
    registered_on: date | None
    plate: str
    scrapped_on: date | None


@dataclass
class _Tally:
    events: Counter[str] = field(default_factory=Counter)
    states: Counter[str] = field(default_factory=Counter)
    customers: int = 0


# --- the world ------------------------------------------------------------------------


def _refuse_unless_empty() -> None:
    count = Vehicle.objects.count()
    if count:
        raise Conflict(
            _(
                "The database already has %(count)d vehicles; the generator builds its "
                "world into an empty database only. Use a fresh database (migrate a new "
                "file or schema) and run it again."
            )
            % {"count": count}
        )


def _check_sizes(*, vehicles: int, markets: int, outlets: int, available: int) -> None:
    fields: dict[str, list[str]] = {}
    if vehicles < 1:
        fields["vehicles"] = [_("Give at least one vehicle.")]
    if not 1 <= markets <= available:
        fields["markets"] = [
            _("Give from 1 to %(available)d markets (the countries other than China).")
            % {"available": available}
        ]
    if outlets < 1:
        fields["outlets"] = [_("Give at least one outlet.")]
    if fields:
        raise ValidationFailed(fields=fields)


class PersonRow(NamedTuple):
    """A person to create with one membership."""

    email: str
    organization: Organization
    role: Role
    first_name: str = ""
    last_name: str = ""
    username: str = ""  # the e-mail when not given


def people_create(rows: Sequence[PersonRow], *, password: str) -> dict[str, Membership]:
    """A user and a membership per row, in bulk, all with the one ``password`` hash;
    answers the memberships by username."""
    users = User.objects.bulk_create(
        [
            User(
                username=row.username or row.email,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                password=password,
            )
            for row in rows
        ],
        batch_size=500,
    )
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=user, organization=row.organization, role=row.role)
            for user, row in zip(users, rows, strict=True)
        ],
        batch_size=500,
    )
    return {
        row.username or row.email: membership
        for row, membership in zip(rows, memberships, strict=True)
    }


def _generated(username: str, organization: Organization, role: Role) -> PersonRow:
    """A generated person: no usable password, an address that can never receive mail."""
    return PersonRow(f"{username}@generated.invalid", organization, role, username=username)


@transaction.atomic
def _world_build(rng: random.Random, *, markets: int, outlets: int) -> _World:
    candidates = sorted(
        Country.objects.exclude(code=HOME).exclude(currency="").values_list("code", flat=True)
    )
    china = Country.objects.get(code=HOME)
    chosen = rng.sample(candidates, markets)
    # A long tail: the first markets take most exports.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(markets)]
    maker, importers, dealers_made = _organisations_create(china, chosen, outlets)
    dealers: dict[str, list[Organization]] = {}
    for dealer in dealers_made:
        dealers.setdefault(dealer.home_country_id, []).append(dealer)
    admin, staff = _people_create(maker, importers, dealers_made)
    brand, variants = _catalogue_create(admin)
    plant = Plant.objects.create(
        owner=maker, code="GEN-HF1", name="Generated Motors Hefei plant", country=china
    )
    importer_of = {org.home_country_id: org for org in importers}
    for code in chosen:
        _importer_grant(admin, brand=brand, importer=importer_of[code], code=code)
    return _World(
        actor=staff,
        plant=plant,
        variants=variants,
        markets=chosen,
        market_weights=weights,
        importers=importer_of,
        dealers=dealers,
        organizations=1 + len(importers) + len(dealers_made),
        outlets=len(dealers_made),
    )


def _organisations_create(
    china: Country, markets: Sequence[str], outlets: int
) -> tuple[Organization, list[Organization], list[Organization]]:
    """The maker, an importer per market and ``outlets`` dealers, round-robin over China
    and the markets (dealer 0 is in China)."""
    maker = Organization.objects.create(
        kind=OrganizationKind.MANUFACTURER,
        legal_name="Generated Motors Co., Ltd.",
        short_name="Generated Motors",
        home_country=china,
        founded_year=1998,
        description="A synthetic maker built by `seabridge generate` for benchmarks.",
    )
    importers = Organization.objects.bulk_create(
        [
            Organization(
                kind=OrganizationKind.DISTRIBUTOR,
                legal_name=f"Generated Importer {code} Ltd.",
                short_name=f"Importer {code}",
                home_country_id=code,
            )
            for code in markets
        ]
    )
    dealer_countries = [HOME, *markets]
    dealer_rows = [
        Organization(
            kind=OrganizationKind.DEALER,
            legal_name=f"Generated Dealer {index:05d} Ltd.",
            short_name=f"Dealer {index:05d}",
            home_country_id=dealer_countries[index % len(dealer_countries)],
        )
        for index in range(outlets)
    ]
    dealers = Organization.objects.bulk_create(dealer_rows, batch_size=500)
    return maker, importers, dealers


def _people_create(
    maker: Organization, importers: Sequence[Organization], dealers: Sequence[Organization]
) -> tuple[Actor, Actor]:
    """The maker's administrator and staff person, and a staff person per importer and
    dealer; answers the maker's two."""
    people = [
        _generated("gen-maker-admin", maker, Role.ADMIN),
        _generated("gen-maker-staff", maker, Role.STAFF),
    ]
    people += [
        _generated(f"gen-importer-{org.home_country_id.lower()}", org, Role.STAFF)
        for org in importers
    ]
    people += [
        _generated(f"gen-dealer-{index:05d}", org, Role.STAFF) for index, org in enumerate(dealers)
    ]
    memberships = people_create(people, password=make_password(None))
    return (
        actor_from_membership(memberships["gen-maker-admin"]),
        actor_from_membership(memberships["gen-maker-staff"]),
    )


def _catalogue_create(admin: Actor) -> tuple[Brand, list[Variant]]:
    """The brand, its product lines and its variants, through the catalogue services."""
    brand: Brand = catalog_services.brand_create(actor=admin, name="Generated")
    lines = {
        name: catalog_services.product_line_create(
            actor=admin, brand=brand, name=name, launched_on=FIRST_DAY
        )
        for name in PRODUCT_LINES
    }
    variants = [
        catalog_services.variant_create(
            actor=admin,
            product_line=lines[spec.line],
            code=spec.code,
            name=spec.name,
            body=spec.body,
            powertrain=spec.powertrain,
            steering=spec.steering,
            engine=spec.engine,
            hs_code="87042100" if spec.powertrain != Powertrain.BEV else "87046000",
            list_price=Decimal(spec.list_price_cny),
            list_price_currency="CNY",
        )
        for spec in VARIANTS
    ]
    return brand, variants


def _importer_grant(admin: Actor, *, brand: Brand, importer: Organization, code: str) -> None:
    """The importer's distribution agreement for its market, signed and active."""
    agreement = agreement_services.agreement_create(
        actor=admin,
        kind=AgreementKind.DISTRIBUTION,
        grantee=importer,
        title=f"Distribution of Generated vehicles in {code}",
        effective_from=FIRST_DAY,
        scope=agreement_services.ScopeInput(
            brands=[brand.pk], countries=[code], areas=list(Area.values)
        ),
    )
    agreement_services.agreement_sign(
        actor=admin, agreement=agreement, signed_on=FIRST_DAY, signed_in="Hefei"
    )
    agreement_services.agreement_activate(actor=admin, agreement=agreement)


# --- the vehicles' lives --------------------------------------------------------------


def _daily_counts(total: int) -> list[tuple[date, int]]:
    """``total`` units spread over the days of the period with growth and seasonality
    (largest remainders, so the counts add up exactly; no randomness)."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = []
    for offset in range(days):
        day = FIRST_DAY + timedelta(days=offset)
        years = offset / 365.25
        weekday = 0.35 if day.weekday() == 6 else 1.0  # Sundays: a skeleton shift
        weights.append((1 + ANNUAL_GROWTH) ** years * SEASON[day.month - 1] * weekday)
    counts = apportion(total, weights)
    return [(FIRST_DAY + timedelta(days=offset), count) for offset, count in enumerate(counts)]


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, by largest remainders: the shares add
    up to ``total`` exactly, and ties go to the earlier weight (no randomness)."""
    scale = total / sum(weights)
    quotas = [weight * scale for weight in weights]
    shares = [math.floor(quota) for quota in quotas]
    short = total - sum(shares)
    by_remainder = sorted(
        range(len(quotas)), key=lambda index: (shares[index] - quotas[index], index)
    )
    for index in by_remainder[:short]:
        shares[index] += 1
    return shares


def _vin(variant_index: int, produced_on: date, serial: int) -> str:
    plant_letter = PLANT_LETTERS[serial // 1_000_000]
    body = (
        f"{WMI}{'ABC'[variant_index // 2]}{'DPE'[_fuel_code(variant_index)]}"
        f"{variant_index + 1}A1_{MODEL_YEAR[produced_on.year]}{plant_letter}"
        f"{serial % 1_000_000:06d}"
    )
    return body.replace("_", check_digit(body.replace("_", "0")))


def _fuel_code(variant_index: int) -> int:
    powertrain = VARIANTS[variant_index].powertrain
    codes: dict[str, int] = {Powertrain.DIESEL: 0, Powertrain.PETROL: 1}
    return codes.get(powertrain, 2)


def _variant_weights(produced_on: date) -> list[float]:
    """Battery-electric pickups grow from 3 % of production in 2019 to about 25 % in 2026."""
    years = (produced_on - FIRST_DAY).days / 365.25
    electric = min(0.03 + 0.03 * years, 0.25)
    fuel = [weight * (1 - electric) for weight in FUEL_WEIGHTS]
    return [*fuel, electric * 0.6, electric * 0.4]


def _customer(rng: random.Random, number: int, country: str) -> NewCustomer:
    if rng.random() < COMPANY_SHARE:
        return NewCustomer(
            kind="company",
            name=f"{rng.choice(FAMILY_NAMES)} {rng.choice(COMPANY_WORDS)} {number % 97 + 1}",
            country_id=country,
            external_ref=f"G{number:09d}",
        )
    return NewCustomer(
        kind="person",
        name=f"{rng.choice(GIVEN_NAMES)} {rng.choice(FAMILY_NAMES)}",
        country_id=country,
        external_ref=f"G{number:09d}",
    )


def _plans(rng: random.Random, world: _World, total: int) -> Iterator[_Planned]:
    """Every vehicle's life in production order: all random draws happen here, in a
    fixed order per vehicle, so that the same seed gives the same world."""
    serial_of_year: Counter[int] = Counter()
    sequence = 0
    sold = 0
    indexes = list(range(len(VARIANTS)))
    for day, count in _daily_counts(total):
        weights = _variant_weights(day)
        for _unit in range(count):
            sequence += 1
            variant_index = rng.choices(indexes, weights)[0]
            serial_of_year[day.year] += 1
            vin = _vin(variant_index, day, serial_of_year[day.year])
            row = ProductionRow(
                vin=vin,
                variant_id=world.variants[variant_index].pk,
                produced_on=day,
                plant_id=world.plant.pk,
                line_sequence=sequence,
            )
            planned = _planned(rng, world, row, VARIANTS[variant_index], sold + 1)
            if planned.retailed_on is not None:
                sold += 1
            yield planned


def _planned(
    rng: random.Random, world: _World, row: ProductionRow, spec: VariantSpec, number: int
) -> _Planned:
    """One vehicle's life after the line: every draw is made, in a fixed order, whatever
    happens by the last day; ``number`` numbers its customer if it is sold."""
    domestic = rng.random() < DOMESTIC_SHARE
    market, dealer, transit = _destination(rng, world, domestic)
    allocated_on = row.produced_on + timedelta(days=rng.randint(1, 14))
    delivered_on = allocated_on + timedelta(days=transit)
    is_retailed = rng.random() < RETAIL_SHARE
    retailed_on = delivered_on + timedelta(days=1 + int(rng.expovariate(1 / 45)))
    price, currency = _price(rng, spec, domestic)
    customer = _customer(rng, number, market)
    is_registered = rng.random() < REGISTERED_SHARE
    registered_on = retailed_on + timedelta(days=rng.randint(3, 30))
    plate = f"{market}-{rng.randint(100000, 999999)}"
    is_scrapped = rng.random() < SCRAPPED_SHARE
    scrapped_on = retailed_on + timedelta(days=rng.randint(200, 1500))
    # Whatever would happen after the world's "today" has not happened yet.
    if allocated_on > LAST_DAY:
        return _Planned(row, market, None, None, None, None, None, "", None, None, "", None)
    if delivered_on > LAST_DAY:
        return _Planned(row, market, allocated_on, None, None, None, None, "", None, None, "", None)
    if not is_retailed or retailed_on > LAST_DAY:
        return _Planned(
            row, market, allocated_on, dealer, delivered_on,
            None, None, "", None, None, "", None,
        )  # fmt: skip
    return _Planned(
        row,
        market,
        allocated_on,
        dealer,
        delivered_on,
        retailed_on,
        price,
        currency,
        customer,
        registered_on if is_registered and registered_on <= LAST_DAY else None,
        plate,
        scrapped_on if is_scrapped and scrapped_on <= LAST_DAY else None,
    )


def _destination(
    rng: random.Random, world: _World, domestic: bool
) -> tuple[str, Organization, int]:
    """Where the vehicle is sold, the outlet it goes to, and the days it takes there."""
    if domestic:
        return HOME, rng.choice(world.dealers[HOME]), rng.randint(2, 10)
    market = rng.choices(world.markets, world.market_weights)[0]
    outlets = world.dealers.get(market)
    dealer = rng.choice(outlets) if outlets else world.importers[market]
    return market, dealer, rng.randint(25, 60)  # by sea, customs, to the outlet


def _price(rng: random.Random, spec: VariantSpec, domestic: bool) -> tuple[Decimal, str]:
    """The retail price and its currency."""
    if domestic:
        # The list price less a dealer discount of up to 8 %, to the hundred yuan.
        discount = rng.randint(0, 80)
        return Decimal(round(spec.list_price_cny * (1000 - discount) / 100_000) * 100), "CNY"
    # Abroad: in dollars, with freight, duty and margin of 5 to 25 %, to ten dollars.
    margin = rng.randint(50, 250)
    dollars = spec.list_price_cny * (1000 + margin) / 1000 / CNY_PER_USD
    return Decimal(round(dollars / 10) * 10), EXPORT_CURRENCY


def _history(plan: _Planned, world: _World, customers: list[NewCustomer]) -> History:
    """One planned life as the steps the history writer takes (the new customer, if
    the vehicle is sold, is appended to ``customers``)."""
    row = plan.row
    maker = world.actor.organization_id
    steps: list[Step] = []
    if plan.allocated_on is not None:
        abroad = plan.market != HOME
        steps.append(
            Step(
                EventType.ALLOCATED,
                plan.allocated_on,
                organization_id=maker,
                market_id=plan.market if abroad else None,
            )
        )
    if plan.dealer is not None and plan.delivered_on is not None:
        steps.append(
            Step(
                EventType.DELIVERED,
                plan.delivered_on,
                organization_id=maker,
                holder_id=plan.dealer.pk,
                country_id=plan.dealer.home_country_id,
                is_wholesale=True,
            )
        )
    if plan.retailed_on is not None and plan.customer is not None:
        customers.append(plan.customer)
        steps.append(
            Step(
                EventType.RETAILED,
                plan.retailed_on,
                organization_id=plan.dealer.pk if plan.dealer else None,
                country_id=plan.market,
                price=plan.price,
                currency=plan.currency,
                customer=len(customers) - 1,
            )
        )
    if plan.registered_on is not None:
        steps.append(
            Step(
                EventType.REGISTERED,
                plan.registered_on,
                country_id=plan.market,
                document_ref=plan.plate,
            )
        )
    if plan.scrapped_on is not None:
        steps.append(Step(EventType.SCRAPPED, plan.scrapped_on, country_id=plan.market))
    return History(
        vin=row.vin,
        variant_id=row.variant_id,
        produced_on=row.produced_on,
        steps=tuple(steps),
        plant_id=row.plant_id,
        line_sequence=row.line_sequence,
    )


def _write_batch(world: _World, batch: Sequence[_Planned], tally: _Tally) -> None:
    """One batch through the history writer, in one transaction."""
    customers: list[NewCustomer] = []
    histories = [_history(plan, world, customers) for plan in batch]
    vehicles_record_history(actor=world.actor, histories=histories, customers=customers)
    tally.customers += len(customers)
    for history in histories:
        tally.events[EventType.PRODUCED] += 1
        for step in history.steps:
            tally.events[step.type] += 1
    for plan in batch:
        tally.states[_final_state(plan)] += 1


def _final_state(plan: _Planned) -> str:
    if plan.scrapped_on is not None:
        return "scrapped"
    if plan.registered_on is not None:
        return "registered"
    if plan.retailed_on is not None:
        return "retailed"
    if plan.delivered_on is not None:
        return "in_stock"
    if plan.allocated_on is not None:
        return "allocated"
    return "produced"


def world_generate(
    *,
    vehicles: int,
    seed: int,
    markets: int,
    outlets: int,
    progress: Progress | None = None,
) -> GenerateSummary:
    """Build a synthetic world of ``vehicles`` vehicles, ``markets`` export markets and
    ``outlets`` dealers into a database with no vehicles; refuse any other database.

    Countries are loaded first if there are none. ``progress(done, total, message)``
    is called after each batch of vehicles.
    """
    started = time.perf_counter()
    _refuse_unless_empty()
    reference_started = time.perf_counter()
    if not Country.objects.filter(code=HOME).exists():
        reference_data_load()
    reference_seconds = time.perf_counter() - reference_started
    available = Country.objects.exclude(code=HOME).exclude(currency="").count()
    _check_sizes(vehicles=vehicles, markets=markets, outlets=outlets, available=available)
    # Reproducible synthetic data, not secrets: a seeded generator is what is wanted.
    rng = random.Random(seed)  # noqa: S311
    if progress:
        progress(0, vehicles, _("Building organisations, catalogue and agreements"))
    world = _world_build(rng, markets=markets, outlets=outlets)
    tally = _Tally()
    batch: list[_Planned] = []
    done = 0
    message = _("Writing vehicles and their events")
    if progress:
        progress(0, vehicles, message)
    for plan in _plans(rng, world, vehicles):
        batch.append(plan)
        if len(batch) == BATCH:
            _write_batch(world, batch, tally)
            done += len(batch)
            batch = []
            if progress:
                progress(done, vehicles, message)
    if batch:
        _write_batch(world, batch, tally)
        done += len(batch)
        if progress:
            progress(done, vehicles, message)
    return GenerateSummary(
        seed=seed,
        vehicles=done,
        markets=markets,
        outlets=world.outlets,
        organizations=world.organizations,
        customers=tally.customers,
        events={str(key): value for key, value in sorted(tally.events.items())},
        states=dict(sorted(tally.states.items())),
        reference_seconds=reference_seconds,
        seconds=time.perf_counter() - started,
    )
