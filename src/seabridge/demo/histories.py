"""The demo world's vehicles: each maker's history, drawn so that reports state the figures.

A maker's history starts from its **wholesale schedule** (:mod:`seabridge.demo.schedules`):
one *slot* per vehicle, a day on which it is sold wholesale, at home or abroad.
Vehicle ``k`` comes off the line the plan's lag (:data:`~seabridge.demo.data.common.LAG`
days, unless the maker's plan says otherwise) before its slot, so production runs in
the order of sales and unit numbers (which the milestones count) follow the slots.
A vehicle sold at home is allocated, then delivered to a Chinese dealer (the
wholesale); one sold abroad is allocated to its market, sails on its market's next
vessel in the same month (the wholesale: sales stay in their month and year), arrives
after the route's transit time (:mod:`seabridge.demo.data.shipping`), is delivered
to a dealer, and most are retailed, some registered, a few scrapped, a few sales
cancelled and sold again.

:func:`maker_history` writes one maker's vehicles a batch at a time, with their
shipments and customers; :func:`demo_build` builds the whole demo: the world of
:mod:`seabridge.demo.world`, each maker's vehicles, then the plan's milestones.
Everything is drawn from one seeded ``random.Random`` in a fixed order.
"""

from __future__ import annotations

import dataclasses
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction

from seabridge.catalog.choices import NEW_ENERGY_POWERTRAINS, SteeringSide
from seabridge.catalog.models import Variant
from seabridge.core.bulk import DateValues, db_now, ids_reserve, rows_insert
from seabridge.demo.data.common import HOME, LAG, TODAY, Period
from seabridge.demo.data.jac import JAC_LARGEST_MARKETS
from seabridge.demo.data.nezha import NEZHA_LARGEST_MARKETS, NEZHA_PERIODS
from seabridge.demo.data.people import (
    CUSTOMER_FAMILY_NAMES,
    CUSTOMER_GIVEN_NAMES,
    CUSTOMER_TRADES,
)
from seabridge.demo.data.shipping import (
    BY_RAIL,
    CARRIERS,
    LOADING,
    LOADING_DEFAULT,
    PORTS,
    VESSELS,
)
from seabridge.demo.data.zhengzhou_nissan import ZN_MARKET_OPENS_ON, ZN_PERIODS
from seabridge.demo.schedules import jac_periods, slots
from seabridge.demo.world import DemoWorld, MakerWorld, world_build, world_finish
from seabridge.markets.services import left_hand_traffic_codes
from seabridge.trade.choices import ShipmentMode, ShipmentStatus
from seabridge.trade.models import ExchangeRate, Shipment, ShipmentVehicle
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.history import History, Step, vehicles_record_history
from seabridge.vehicles.services import NewCustomer
from seabridge.vehicles.vin import check_digit

DEMO_SEED = 2025  # the seed `seabridge demo` draws the world's vehicles with
BATCH = 50_000
Progress = Callable[[int, str], None]
NEW_ENERGY = frozenset(str(powertrain) for powertrain in NEW_ENERGY_POWERTRAINS)


@dataclass(frozen=True)
class MakerPlan:
    """How a maker's vehicles are drawn."""

    key: str  # "JAC", "Nezha", "Zhengzhou Nissan": also the VIN and shipment prefix source
    wmi: str
    periods: tuple[Period, ...]
    retail_share: float
    registered_share: float
    scrapped_share: float
    new_energy_growth: bool = False  # the new-energy variants' share grows with the years
    markets: tuple[str, ...] = ()  # export markets, largest first (default: the importers')
    weekly: int = 15  # the largest markets get a vessel a week, the others one a month
    entries: dict[str, date] = field(default_factory=dict)  # a market's first day, if later
    lag: int = LAG  # days from the line to the wholesale


@dataclass
class _Maker:
    """A maker's world and what its vehicles are drawn from."""

    plan: MakerPlan
    world: MakerWorld
    variants_by_market: dict[str, list[tuple[int, Variant]]]
    weights: list[float]
    domestic_dealers: list[int]
    dealers: dict[str, list[int]]
    launched: dict[int, date] = field(default_factory=dict)  # variant -> its line's launch
    pools: dict[tuple[str, date], Any] = field(default_factory=dict)
    cum_weights: list[float] = field(default_factory=list)
    shipments: dict[tuple[str, date], int] = field(default_factory=dict)
    pending: dict[int, tuple[str, date]] = field(default_factory=dict)  # placeholder -> key
    numbered: int = 0
    sequence: int = 0
    customers: int = 0


@dataclass
class _Rates:
    """CNY per unit of each currency by year, from the world's exchange rates."""

    by_currency: dict[str, dict[int, Decimal]]

    def convert(self, amount_cny: float, currency: str, year: int) -> Decimal | None:
        rates = self.by_currency.get(currency)
        if not rates:
            return None
        rate = rates.get(year) or rates[max(rates)]
        return Decimal(round(amount_cny / float(rate), -1))


def _rates() -> _Rates:
    by_currency: dict[str, dict[int, Decimal]] = {}
    for currency, on, rate in ExchangeRate.objects.values_list("currency", "on", "cny_per_unit"):
        by_currency.setdefault(currency, {})[on.year] = rate
    return _Rates(by_currency)


def _vin(wmi: str, variant_index: int, year: int, serial: int) -> str:
    years = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 2010 = A … 2030 = Y, then 2031 = 1 …; 2009 = 9
    code = years[(year - 2010) % 30]
    body = (
        f"{wmi}{'ABCDEFGHJK'[variant_index % 10]}{variant_index // 10 + 1}AP1_{code}H{serial:06d}"
    )
    return body.replace("_", check_digit(body.replace("_", "0")))


def _sailing(market: str, day: date, weekly: bool) -> date:
    """The market's vessel in ``day``'s month nearest to ``day`` (weekly or monthly)."""
    offset = sum(map(ord, market)) % 7
    if weekly:
        options = [date(day.year, day.month, start + offset) for start in (1, 8, 15, 22)]
    else:
        options = [date(day.year, day.month, 10 + offset)]
    return min(options, key=lambda option: (abs((option - day).days), option))


def _customer(rng: random.Random, number: int, country: str, prefix: str) -> NewCustomer:
    if rng.random() < 0.12:
        return NewCustomer(
            kind="company",
            name=(
                f"{rng.choice(CUSTOMER_FAMILY_NAMES)} {rng.choice(CUSTOMER_TRADES)} "
                f"{number % 89 + 1}"
            ),
            country_id=country,
            external_ref=f"{prefix}{number:08d}",
        )
    return NewCustomer(
        kind="person",
        name=f"{rng.choice(CUSTOMER_GIVEN_NAMES)} {rng.choice(CUSTOMER_FAMILY_NAMES)}",
        country_id=country,
        external_ref=f"{prefix}{number:08d}",
    )


class _Batch:
    """Histories and their new customers, written together."""

    def __init__(self) -> None:
        self.histories: list[History] = []
        self.customers: list[NewCustomer] = []

    def customer(self, customer: NewCustomer) -> int:
        self.customers.append(customer)
        return len(self.customers) - 1


def _maker(plan: MakerPlan, world: MakerWorld) -> _Maker:
    variants = list(world.variants)
    left = left_hand_traffic_codes()
    markets = [HOME, *world.importers]
    by_market: dict[str, list[Choice]] = {}
    numbered = list(enumerate(variants))
    for market in markets:
        side = SteeringSide.RIGHT if market in left else SteeringSide.LEFT
        fitting = [choice for choice in numbered if choice[1].steering == side]
        by_market[market] = fitting or numbered
    dealers = {
        code: [organization.pk for organization in organizations]
        for code, organizations in world.dealers.items()
    }
    for code, importer in world.importers.items():
        dealers.setdefault(code, [importer.pk])
    preferred = [code for code in plan.markets if code in world.importers]
    export = preferred + [code for code in world.importers if code not in preferred]
    weights = [1 / (rank + 1) ** 0.95 for rank in range(len(export))]
    maker = _Maker(
        plan=plan,
        world=world,
        variants_by_market=by_market,
        weights=weights,
        domestic_dealers=dealers.get(HOME, []),
        dealers=dealers,
    )
    maker.plan = dataclasses.replace(plan, markets=tuple(export))
    maker.cum_weights = list(itertools.accumulate(weights))
    maker.launched = {
        variant.pk: variant.product_line.launched_on or date.min for variant in variants
    }
    return maker


Choice = tuple[int, Variant]  # a variant and its position in the maker's list


def _pools(
    maker: _Maker, market: str, day: date
) -> tuple[list[Choice], list[Choice], list[Choice]]:
    """The variants a vehicle made on ``day`` for ``market`` may be (their lines launched
    by then), as (fuel, new energy, all), computed once per market and day."""
    key = (market, day)
    pools = maker.pools.get(key)
    if pools is None:
        fitting = maker.variants_by_market[market]
        launched = [choice for choice in fitting if maker.launched[choice[1].pk] <= day]
        choices = launched or fitting
        electric = [choice for choice in choices if choice[1].powertrain in NEW_ENERGY]
        fuel = [choice for choice in choices if choice[1].powertrain not in NEW_ENERGY]
        pools = maker.pools[key] = (fuel, electric, choices)
    return pools


def _variant(rng: random.Random, maker: _Maker, market: str, day: date) -> Choice:
    fuel, electric, every = _pools(maker, market, day)
    if maker.plan.new_energy_growth and electric and fuel:
        # New-energy pickups from 2021, up to a fifth of the mix by 2026.
        share = min(max(0.0, (day.year - 2020) * 0.04), 0.2)
        pool = electric if rng.random() < share else fuel
    elif maker.plan.new_energy_growth:
        pool = fuel or electric
    else:
        pool = every
    return pool[int(rng.random() * len(pool))]


class _Wholesale(NamedTuple):
    """A vehicle's way to its dealer, and what a customer will pay there."""

    steps: list[Step]  # allocated … delivered to the dealer
    dealer: int
    delivered_on: date
    currency: str
    price: Decimal | None


def _life(
    rng: random.Random,
    maker: _Maker,
    slot: date,
    home: bool,
    batch: _Batch,
    rates: _Rates,
) -> None:
    """One vehicle, sold wholesale on ``slot``, from the line to what has happened by
    today, added to ``batch``."""
    plan, world = maker.plan, maker.world
    maker.sequence += 1
    produced_on = slot - timedelta(days=plan.lag)
    market = _market(rng, maker, slot, home)
    index, variant = _variant(rng, maker, market, produced_on)
    vin = _vin(plan.wmi, index, produced_on.year, maker.sequence % 1_000_000)
    list_price = float(variant.list_price or 150_000)
    allocated_on = produced_on + timedelta(days=3 + int(rng.random() * 6))
    if home:
        wholesale = _home_wholesale(rng, maker, slot, allocated_on, list_price)
    else:
        wholesale = _export_wholesale(rng, maker, market, slot, allocated_on, list_price, rates)
    steps = wholesale.steps + _after_wholesale(rng, maker, market, wholesale, batch)
    kept = _until_today(steps)  # what lies after today has not happened yet
    batch.histories.append(
        History(
            vin=vin,
            variant_id=variant.pk,
            produced_on=produced_on,
            steps=kept,
            plant_id=world.plant.pk,
            line_sequence=maker.sequence,
        )
    )


def _market(rng: random.Random, maker: _Maker, slot: date, home: bool) -> str:
    """Where the vehicle is sold: at home, or a market drawn by weight (among those open
    by ``slot`` when the maker's markets open one after another)."""
    plan = maker.plan
    if home:
        return HOME
    if plan.entries:  # markets opened one after another
        open_ = [i for i, code in enumerate(plan.markets) if plan.entries.get(code, slot) <= slot]
        return plan.markets[rng.choices(open_, [maker.weights[i] for i in open_])[0]]
    return rng.choices(plan.markets, cum_weights=maker.cum_weights)[0]


def _home_wholesale(
    rng: random.Random, maker: _Maker, slot: date, allocated_on: date, list_price: float
) -> _Wholesale:
    """Allocated, then delivered to a Chinese dealer on ``slot`` (the wholesale)."""
    organization = maker.world.organization.pk
    dealer = maker.domestic_dealers[int(rng.random() * len(maker.domestic_dealers))]
    steps = [
        Step(EventType.ALLOCATED, allocated_on, organization_id=organization),
        Step(
            EventType.DELIVERED,
            slot,
            organization_id=organization,
            holder_id=dealer,
            country_id=HOME,
            is_wholesale=True,
            price=Decimal(round(list_price * 0.86, -2)),
            currency="CNY",
        ),
    ]
    retail_price = Decimal(round(list_price * (1 - rng.random() * 0.08), -2))
    return _Wholesale(steps, dealer, slot, "CNY", retail_price)


def _export_wholesale(
    rng: random.Random,
    maker: _Maker,
    market: str,
    slot: date,
    allocated_on: date,
    list_price: float,
    rates: _Rates,
) -> _Wholesale:
    """Allocated to ``market``, shipped on its vessel (the wholesale), arrived at the
    importer, delivered to a dealer; the retail price in the market's currency."""
    plan, world = maker.plan, maker.world
    organization = world.organization.pk
    importer = world.importers[market]
    steps = [
        Step(EventType.ALLOCATED, allocated_on, organization_id=organization, market_id=market)
    ]
    weekly = plan.markets.index(market) < plan.weekly
    sailed_on = max(_sailing(market, slot, weekly), allocated_on)
    shipment = _shipment_placeholder(maker, market, sailed_on)
    port, _name, transit = PORTS.get(market, (f"{market}ZZZ", "", 30))
    transit = BY_RAIL.get(market, transit)
    loading = LOADING.get(plan.key, LOADING_DEFAULT)
    fob_usd = list_price / 7.1 * 0.82
    steps.append(
        Step(
            EventType.SHIPPED,
            sailed_on,
            organization_id=organization,
            country_id=HOME,
            place=loading[1],
            is_wholesale=True,
            price=Decimal(round(fob_usd, -1)),
            currency="USD",
            shipment_id=shipment,
        )
    )
    arrived_on = sailed_on + timedelta(days=transit)
    steps.append(
        Step(
            EventType.ARRIVED,
            arrived_on,
            organization_id=importer.pk,
            holder_id=importer.pk,
            country_id=market,
            place=port,
            shipment_id=shipment,
        )
    )
    outlets = maker.dealers[market]
    dealer = outlets[int(rng.random() * len(outlets))]
    delivered_on = arrived_on + timedelta(days=4 + int(rng.random() * 10))
    steps.append(
        Step(
            EventType.DELIVERED,
            delivered_on,
            organization_id=importer.pk,
            holder_id=dealer,
            country_id=market,
        )
    )
    currency = importer.home_country.currency or "USD"
    local = rates.convert(list_price * 1.35 * (1 + rng.random() * 0.1), currency, slot.year)
    if local:
        return _Wholesale(steps, dealer, delivered_on, currency, local)
    return _Wholesale(steps, dealer, delivered_on, "USD", Decimal(round(fob_usd * 1.45, -1)))


def _shipment_placeholder(maker: _Maker, market: str, sailed_on: date) -> int | None:
    """The shipment of ``market``'s vessel of ``sailed_on``: known, or a new one (a
    negative placeholder, written with the batch); none for a vessel after today."""
    shipment = maker.shipments.get((market, sailed_on))
    if shipment is None and sailed_on <= TODAY:  # a new vessel, created with the batch
        shipment = -len(maker.pending) - 1
        maker.shipments[(market, sailed_on)] = shipment
        maker.pending[shipment] = (market, sailed_on)
    return shipment


def _after_wholesale(
    rng: random.Random, maker: _Maker, market: str, wholesale: _Wholesale, batch: _Batch
) -> list[Step]:
    """The sale to a customer (a few cancelled and sold again), registration, the end."""
    plan = maker.plan
    retailed_on = wholesale.delivered_on + timedelta(days=2 + int(rng.expovariate(1 / 40)))
    draw = rng.random()
    if not (draw < plan.retail_share and retailed_on <= TODAY):
        return []
    dealer = wholesale.dealer
    steps = [_retail(rng, maker, market, wholesale, batch, retailed_on)]
    end = retailed_on
    if draw < 0.003:  # a sale entered wrongly, cancelled, and the car sold again
        cancelled_on = retailed_on + timedelta(days=3 + int(rng.random() * 10))
        sold_again_on = cancelled_on + timedelta(days=5 + int(rng.random() * 30))
        if sold_again_on <= TODAY:
            steps.append(
                Step(
                    EventType.RETAIL_CANCELLED,
                    cancelled_on,
                    organization_id=dealer,
                    country_id=market,
                    document_ref="wrong customer",
                )
            )
            steps.append(_retail(rng, maker, market, wholesale, batch, sold_again_on))
            end = sold_again_on
    registered_on = end + timedelta(days=3 + int(rng.random() * 25))
    if rng.random() < plan.registered_share and registered_on <= TODAY:
        steps.append(
            Step(
                EventType.REGISTERED,
                registered_on,
                country_id=market,
                document_ref=f"{market}-{int(rng.random() * 900_000) + 100_000}",
            )
        )
        end = registered_on
    scrapped_on = end + timedelta(days=200 + int(rng.random() * 2500))
    if rng.random() < plan.scrapped_share and scrapped_on <= TODAY:
        steps.append(Step(EventType.SCRAPPED, scrapped_on, country_id=market))
    return steps


def _retail(
    rng: random.Random,
    maker: _Maker,
    market: str,
    wholesale: _Wholesale,
    batch: _Batch,
    retailed_on: date,
) -> Step:
    """The sale by the dealer to a new customer, added to the batch."""
    maker.customers += 1
    new = _customer(rng, maker.customers, market, maker.plan.key[:3].upper())
    return Step(
        EventType.RETAILED,
        retailed_on,
        organization_id=wholesale.dealer,
        country_id=market,
        price=wholesale.price,
        currency=wholesale.currency,
        customer=batch.customer(new),
    )


def _until_today(steps: Sequence[Step]) -> tuple[Step, ...]:
    kept = []
    for step in steps:
        if step.occurred_on > TODAY:
            break
        kept.append(step)
    return tuple(kept)


def _write_shipments(maker: _Maker, batch: _Batch) -> None:
    """Create the shipments first named in this batch, and put their ids into the steps."""
    pending = sorted(maker.pending.items(), reverse=True)  # placeholders -1, -2, … in order
    ids = ids_reserve(Shipment, len(pending))
    now = db_now()
    day = DateValues()
    real: dict[int, int] = {}
    rows = []
    for pk, (placeholder, (market, sailed_on)) in zip(ids, pending, strict=True):
        real[placeholder] = maker.shipments[(market, sailed_on)] = pk
        maker.numbered += 1
        rows.append((pk, now, now, *_shipment_row(maker, maker.numbered, market, sailed_on, day)))
    rows_insert(Shipment, SHIPMENT_COLUMNS, rows)
    maker.pending.clear()
    if real:
        _shipment_ids_put(batch, real)


def _shipment_row(
    maker: _Maker, number: int, market: str, sailed_on: date, day: DateValues
) -> tuple[Any, ...]:
    """A shipment's columns after its id and timestamps: by rail to Central Asia, by sea
    (roll-on roll-off) to every other market, arrived if it arrives by today."""
    loading = LOADING.get(maker.plan.key, LOADING_DEFAULT)[0]
    prefix = "".join(word[0] for word in maker.plan.key.split()).upper()[:3]
    port, _name, transit = PORTS.get(market, (f"{market}ZZZ", "", 30))
    rail = market in BY_RAIL
    transit = BY_RAIL.get(market, transit)
    arrived_on = sailed_on + timedelta(days=transit)
    arrived = arrived_on <= TODAY
    return (
        f"{prefix}-{sailed_on:%Y%m%d}-{market}-{number:05d}",
        maker.world.brand.pk,
        market,
        ShipmentMode.RAIL.value if rail else ShipmentMode.RORO.value,
        "China Railway Express" if rail else CARRIERS[number % len(CARRIERS)],
        "" if rail else VESSELS[number % len(VESSELS)],
        f"{sailed_on:%y}{number % 1000:03d}",
        "CNKHG" if rail else loading,
        port,
        f"{prefix}BL{number:07d}",
        day[sailed_on],
        day[arrived_on],
        day[sailed_on],
        day[arrived_on] if arrived else None,
        ShipmentStatus.ARRIVED.value if arrived else ShipmentStatus.DEPARTED.value,
        "",
    )


def _shipment_ids_put(batch: _Batch, real: dict[int, int]) -> None:
    """Replace the placeholders in the batch's steps by the shipments' ids."""
    for index, history in enumerate(batch.histories):
        if any(step.shipment_id in real for step in history.steps):
            batch.histories[index] = history._replace(
                steps=tuple(
                    step._replace(shipment_id=real[step.shipment_id])
                    if step.shipment_id in real
                    else step
                    for step in history.steps
                )
            )


SHIPMENT_COLUMNS = (
    "id", "created_at", "updated_at", "number", "brand_id", "destination_id", "mode", "carrier",
    "vessel", "voyage", "port_of_loading", "port_of_discharge", "bill_of_lading", "etd", "eta",
    "departed_on", "arrived_on", "status", "cost_currency",
)  # fmt: skip


def maker_history(
    rng: random.Random,
    plan: MakerPlan,
    world: MakerWorld,
    rates: _Rates | None = None,
    progress: Progress | None = None,
) -> int:
    """Write a maker's vehicles, a batch at a time (each one transaction); answers the count.

    ``rates`` are the world's exchange rates (read from the database when not given)."""
    if rates is None:
        rates = _rates()
    maker = _maker(plan, world)
    written = 0
    batch = _Batch()
    for slot, home in slots(plan.periods):
        if slot - timedelta(days=plan.lag) > TODAY:
            break
        _life(rng, maker, slot, home, batch, rates)
        if len(batch.histories) == BATCH:
            written += _flush(maker, batch)
            batch = _Batch()
            if progress:
                progress(written, plan.key)
    if batch.histories:
        written += _flush(maker, batch)
        if progress:
            progress(written, plan.key)
    return written


def _flush(maker: _Maker, batch: _Batch) -> int:
    """The batch's shipments, vehicles with their events and customers, and which vehicle
    sailed on which shipment: one transaction."""
    with transaction.atomic():
        _write_shipments(maker, batch)
        result = vehicles_record_history(
            actor=maker.world.recorder, histories=batch.histories, customers=batch.customers
        )
        rows_insert(
            ShipmentVehicle,
            ("shipment_id", "vehicle_id"),
            (
                (step.shipment_id, vehicle_id)
                for vehicle_id, history in zip(result.vehicle_ids, batch.histories, strict=True)
                for step in history.steps
                if step.type == EventType.SHIPPED
            ),
        )
    return len(batch.histories)


class DemoSummary(NamedTuple):
    world: DemoWorld
    vehicles: dict[str, int]  # by maker


def maker_plans(world: DemoWorld) -> tuple[tuple[MakerPlan, MakerWorld], ...]:
    """Each maker's plan with its part of the world, in the order :func:`demo_build`
    writes them: Zhengzhou Nissan first, so that its vehicles, drawn alone from a fresh
    generator with the same seed (as the browser journeys do), come out the same."""
    return (
        (
            MakerPlan(
                key="Zhengzhou Nissan",
                wmi="LJN",
                periods=ZN_PERIODS,
                retail_share=0.9,
                registered_share=0.5,
                scrapped_share=0.0,
                markets=(*world.plan_markets, *world.later_markets),
                weekly=0,
                entries=dict(ZN_MARKET_OPENS_ON),
                lag=20,
            ),
            world.zhengzhou_nissan,
        ),
        (
            MakerPlan(
                key="JAC",
                wmi="LJ1",
                periods=jac_periods(),
                retail_share=0.93,
                registered_share=0.45,
                scrapped_share=0.03,
                new_energy_growth=True,
                markets=JAC_LARGEST_MARKETS,
            ),
            world.jac,
        ),
        (
            MakerPlan(
                key="Nezha",
                wmi="LUZ",
                periods=NEZHA_PERIODS,
                retail_share=0.985,
                registered_share=0.6,
                scrapped_share=0.004,
                markets=NEZHA_LARGEST_MARKETS,
                weekly=6,
            ),
            world.nezha,
        ),
    )


def demo_build(*, seed: int = DEMO_SEED, progress: Progress | None = None) -> DemoSummary:
    """Build the demo world into an empty database: the organisations and agreements of
    :mod:`seabridge.demo.world`, then each maker's vehicles, then the plan's milestones."""
    # Reproducible synthetic data, not secrets: a seeded generator is what is wanted.
    rng = random.Random(seed)  # noqa: S311
    if progress:
        progress(0, "organisations")
    world = world_build()
    rates = _rates()
    vehicles = {}
    for plan, maker_world in maker_plans(world):
        vehicles[plan.key] = maker_history(rng, plan, maker_world, rates, progress)
    world_finish(world)
    return DemoSummary(world=world, vehicles=vehicles)
