"""The demo world's vehicles: each maker's history, drawn so that reports state the figures.

A maker's history starts from its **wholesale schedule**: how many units it sold at
home and abroad in each period (:class:`Period`). The schedule is spread over the
days of each period (seasonality, quiet Sundays; largest remainders, so the
period's totals are exact) into one *slot* per vehicle. Vehicle ``k`` comes off
the line :data:`LAG` days before its slot, so production runs in the order of
sales and unit numbers (which the milestones count) follow the slots. A vehicle
sold at home is allocated, then delivered to a Chinese dealer (the wholesale);
one sold abroad is allocated to its market, sails on its market's next vessel in
the same month (the wholesale: sales stay in their month and year), arrives after
the route's transit time, is delivered to a dealer, and most are retailed, some
registered, a few scrapped, a few sales cancelled and sold again.

JAC's schedule is solved for the figures of the case (see :func:`jac_periods`):
2022 and 2023 at home and abroad give +11.3 %, +16.3 % and +9.9 %; January–April
2024 sums to 18,200; the years before 2022 hold exactly as many units as put the
300,000th unit on 2024-05-23; and the first unit comes off the line 13 years
before the 200,000th.

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
from seabridge.demo.services import FAMILY_NAMES, GIVEN_NAMES, apportion
from seabridge.demo.world import (
    ZN_MARKET_OPENS_ON,
    DemoWorld,
    MakerWorld,
    world_build,
    world_finish,
)
from seabridge.markets.services import left_hand_traffic_codes
from seabridge.trade.choices import ShipmentMode, ShipmentStatus
from seabridge.trade.models import ExchangeRate, Shipment, ShipmentVehicle
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.history import History, Step, vehicles_record_history
from seabridge.vehicles.services import NewCustomer
from seabridge.vehicles.vin import check_digit

DEMO_SEED = 2025  # the seed `seabridge demo` draws the world's vehicles with
TODAY = date(2026, 11, 23)  # the demo world's today: nothing happens after it
HOME = "CN"
LAG = 40  # days from the line to the wholesale
BATCH = 50_000
SEASON = (0.95, 0.72, 1.05, 1.00, 1.00, 1.02, 0.95, 0.97, 1.05, 1.03, 1.08, 1.18)
Progress = Callable[[int, str], None]
NEW_ENERGY = frozenset(str(powertrain) for powertrain in NEW_ENERGY_POWERTRAINS)

# Ports of loading by maker, and the destination's port with the transit time by sea.
LOADING = {"JAC": ("CNSHA", "Shanghai"), "Nezha": ("CNNGB", "Ningbo")}
LOADING_DEFAULT = ("CNTAO", "Qingdao")
PORTS: dict[str, tuple[str, str, int]] = {
    "SA": ("SAJED", "Jeddah", 24),
    "AE": ("AEJEA", "Jebel Ali", 20),
    "QA": ("QAHMD", "Hamad", 22),
    "OM": ("OMSOH", "Sohar", 20),
    "KW": ("KWSAA", "Shuwaikh", 23),
    "BH": ("BHKBS", "Khalifa Bin Salman", 22),
    "IQ": ("IQUQR", "Umm Qasr", 26),
    "JO": ("JOAQJ", "Aqaba", 26),
    "EG": ("EGALY", "Alexandria", 30),
    "NG": ("NGAPP", "Lagos Apapa", 38),
    "GH": ("GHTEM", "Tema", 36),
    "KE": ("KEMBA", "Mombasa", 24),
    "TZ": ("TZDAR", "Dar es Salaam", 26),
    "ZA": ("ZADUR", "Durban", 28),
    "DZ": ("DZALG", "Algiers", 32),
    "MA": ("MACAS", "Casablanca", 33),
    "AO": ("AOLAD", "Luanda", 34),
    "ET": ("DJJIB", "Djibouti", 24),
    "CL": ("CLSAI", "San Antonio", 36),
    "PE": ("PECLL", "Callao", 32),
    "MX": ("MXZLO", "Manzanillo", 26),
    "BR": ("BRSSZ", "Santos", 42),
    "AR": ("ARBUE", "Buenos Aires", 45),
    "CO": ("COCTG", "Cartagena", 38),
    "EC": ("ECGYE", "Guayaquil", 34),
    "BO": ("CLARI", "Arica", 36),
    "UY": ("UYMVD", "Montevideo", 44),
    "PY": ("UYMVD", "Montevideo", 46),
    "PA": ("PAONX", "Colon", 32),
    "CR": ("CRLIO", "Limon", 36),
    "GT": ("GTSTC", "Santo Tomas de Castilla", 38),
    "DO": ("DOCAU", "Caucedo", 38),
    "TH": ("THLCH", "Laem Chabang", 9),
    "MY": ("MYPKG", "Port Klang", 10),
    "ID": ("IDJKT", "Jakarta", 10),
    "PH": ("PHMNL", "Manila", 6),
    "VN": ("VNSGN", "Ho Chi Minh City", 7),
    "SG": ("SGSIN", "Singapore", 8),
    "MM": ("MMRGN", "Yangon", 14),
    "KH": ("KHKOS", "Sihanoukville", 10),
    "BD": ("BDCGP", "Chittagong", 16),
    "LK": ("LKCMB", "Colombo", 14),
    "PK": ("PKKHI", "Karachi", 18),
    "AU": ("AUMEL", "Melbourne", 18),
    "NZ": ("NZAKL", "Auckland", 20),
    "RU": ("RUVVO", "Vladivostok", 5),
    "TR": ("TRMER", "Mersin", 30),
    "IT": ("ITGOA", "Genoa", 34),
    "ES": ("ESVLC", "Valencia", 34),
    "DE": ("DEBRV", "Bremerhaven", 38),
    "GB": ("GBSOU", "Southampton", 36),
    "FR": ("FRLEH", "Le Havre", 37),
    "PL": ("PLGDN", "Gdansk", 40),
}
# Central Asia by rail across the Khorgos crossing; everything else by sea to a port
# not listed here (UN/LOCODE "ZZZ": a place not in the code list).
BY_RAIL = {"KZ": 14, "UZ": 18, "KG": 12, "TJ": 18, "TM": 22, "MN": 10}
CARRIERS = (
    "COSCO Shipping", "BYD Auto Shipping", "Wallenius Wilhelmsen", "Höegh Autoliners",
    "NYK Line", "CMA CGM", "MSC",
)  # fmt: skip
VESSELS = (
    "Ocean Pioneer", "Jade Harmony", "Silk Road Express", "Pacific Glory", "Great Wall",
    "Morning Star", "Eastern Dawn", "Blue Dragon", "Golden Gate", "Harmony Leader",
)  # fmt: skip

# The generator's names and a few more (the generator's tuples first, so its draws stay).
GIVEN = (*GIVEN_NAMES, "Ana", "Bayu", "Dmitri", "Emeka")
FAMILY = (*FAMILY_NAMES, "Liu", "Chen", "Huang", "Zhou", "Wu")
TRADES = (
    "Logistics",
    "Construction",
    "Agro",
    "Mining",
    "Transport",
    "Trading",
    "Oilfield Services",
)


class Period(NamedTuple):
    """Units sold wholesale from ``first`` to ``last`` (both included), at home and abroad."""

    first: date
    last: date
    domestic: int
    international: int


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


def _spread(period: Period, total: int) -> list[tuple[date, int]]:
    """``total`` units over the period's days with seasonality and quiet Sundays."""
    days = (period.last - period.first).days + 1
    weights = []
    for offset in range(days):
        day = period.first + timedelta(days=offset)
        weights.append(SEASON[day.month - 1] * (0.35 if day.weekday() == 6 else 1.0))
    counts = apportion(total, weights)
    return [(period.first + timedelta(days=offset), count) for offset, count in enumerate(counts)]


def slots(periods: Sequence[Period]) -> list[tuple[date, bool]]:
    """One (wholesale day, sold at home) per vehicle, in order; home and abroad
    interleaved within each day as evenly as their counts allow."""
    result: list[tuple[date, bool]] = []
    for period in periods:
        total = period.domestic + period.international
        home_days = dict(_spread(period, period.domestic))
        for day, count in _spread(period, total):
            home = min(home_days.get(day, 0), count)
            for index in range(count):
                # Bresenham: the first `home` of every `count` positions, spread evenly.
                is_home = (index + 1) * home // count > index * home // count
                result.append((day, is_home))
    return result


def _years_weights(first: date, last: date, growth: float) -> list[tuple[date, date, float]]:
    spans = []
    year = first.year
    while year <= last.year:
        start = max(first, date(year, 1, 1))
        end = min(last, date(year, 12, 31))
        share = ((end - start).days + 1) / 365
        spans.append((start, end, share * (1 + growth) ** (year - first.year)))
        year += 1
    return spans


def _early_periods(first: date, last: date, total: int, export_share: float) -> list[Period]:
    """``total`` units from ``first`` to ``last``, growing 9 % a year, exactly."""
    spans = _years_weights(first, last, 0.09)
    counts = apportion(total, [span[2] for span in spans])
    periods = []
    for (start, end, _weight), count in zip(spans, counts, strict=True):
        abroad = round(count * export_share)
        periods.append(Period(start, end, count - abroad, abroad))
    return periods


# JAC 2022 and 2023: 49,416 → 55,000 (+11.3 %); home 10,809 → 12,571 (+16.3 %),
# abroad 38,607 → 42,429 (+9.9 %).
JAC_FIXED = (
    Period(date(2022, 1, 1), date(2022, 12, 31), 10_809, 38_607),
    Period(date(2023, 1, 1), date(2023, 12, 31), 12_571, 42_429),
    Period(date(2024, 1, 1), date(2024, 4, 30), 4_300, 13_900),  # January–April: 18,200
    Period(date(2024, 5, 1), date(2024, 12, 31), 10_400, 32_600),
    Period(date(2025, 1, 1), date(2025, 12, 31), 14_200, 46_800),
    Period(date(2026, 1, 1), TODAY + timedelta(days=LAG), 13_600, 45_400),
)
JAC_UNIT_300K_ON = date(2024, 5, 23)


def jac_periods() -> tuple[Period, ...]:
    """JAC's schedule: the fixed years from 2022, and before them exactly as many units
    as put unit 300,000 on 2024-05-23, starting 13 years before unit 200,000."""
    later = slots(JAC_FIXED)
    # Unit 300,000 is the first vehicle of the slot day LAG days after its production.
    day_300k = JAC_UNIT_300K_ON + timedelta(days=LAG)
    before_day = sum(1 for day, _home in later if day < day_300k)
    early_total = 300_000 - 1 - before_day
    unit_200k_slot = later[200_000 - early_total - 1][0]
    # 13 whole years and a few weeks before unit 200,000 came off the line.
    unit_200k_on = unit_200k_slot - timedelta(days=LAG)
    first_on = unit_200k_on.replace(year=unit_200k_on.year - 13) - timedelta(days=20)
    early = _early_periods(first_on + timedelta(days=LAG), date(2021, 12, 31), early_total, 0.7)
    return (*early, *JAC_FIXED)


def nezha_periods() -> tuple[Period, ...]:
    """Nezha: China first, abroad from 2022; more than 320,000 cars with their owners."""
    return (
        Period(date(2020, 5, 15), date(2020, 12, 31), 25_400, 0),  # the U from April 2020
        Period(date(2021, 1, 1), date(2021, 12, 31), 69_600, 0),
        Period(date(2022, 1, 1), date(2022, 12, 31), 104_000, 4_400),
        Period(date(2023, 1, 1), date(2023, 12, 31), 67_000, 12_600),
        Period(date(2024, 1, 1), date(2024, 12, 31), 22_000, 14_500),
        Period(date(2025, 1, 1), date(2025, 12, 31), 5_200, 6_800),
        Period(date(2026, 1, 1), TODAY + timedelta(days=LAG), 1_200, 2_300),
    )


def zhengzhou_nissan_periods() -> tuple[Period, ...]:
    """Zhengzhou Nissan: a domestic business, and the plan's markets from the samples of
    May–June 2025 on, behind the plan's 500 and 1,000 units."""
    return (
        Period(date(2024, 1, 1), date(2024, 12, 31), 5_800, 0),
        Period(date(2025, 1, 1), date(2025, 5, 14), 2_300, 0),
        Period(date(2025, 5, 20), date(2025, 6, 20), 720, 24),  # the sample vehicles
        Period(date(2025, 6, 21), date(2025, 12, 31), 3_400, 286),
        Period(date(2026, 1, 1), TODAY + timedelta(days=LAG), 5_600, 640),
    )


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
            name=f"{rng.choice(FAMILY)} {rng.choice(TRADES)} {number % 89 + 1}",
            country_id=country,
            external_ref=f"{prefix}{number:08d}",
        )
    return NewCustomer(
        kind="person",
        name=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
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


def _life(
    rng: random.Random,
    maker: _Maker,
    slot: date,
    home: bool,
    batch: _Batch,
    rates: _Rates,
) -> None:
    plan, world = maker.plan, maker.world
    maker.sequence += 1
    produced_on = slot - timedelta(days=plan.lag)
    if home:
        market = HOME
    elif plan.entries:  # markets opened one after another
        open_ = [i for i, code in enumerate(plan.markets) if plan.entries.get(code, slot) <= slot]
        market = plan.markets[rng.choices(open_, [maker.weights[i] for i in open_])[0]]
    else:
        market = rng.choices(plan.markets, cum_weights=maker.cum_weights)[0]
    index, variant = _variant(rng, maker, market, produced_on)
    vin = _vin(plan.wmi, index, produced_on.year, maker.sequence % 1_000_000)
    list_price = float(variant.list_price or 150_000)
    organization = world.organization.pk
    steps: list[Step] = []
    allocated_on = produced_on + timedelta(days=3 + int(rng.random() * 6))
    if home:
        dealer = maker.domestic_dealers[int(rng.random() * len(maker.domestic_dealers))]
        steps.append(Step(EventType.ALLOCATED, allocated_on, organization_id=organization))
        delivered_on = slot
        steps.append(
            Step(
                EventType.DELIVERED,
                delivered_on,
                organization_id=organization,
                holder_id=dealer,
                country_id=HOME,
                is_wholesale=True,
                price=Decimal(round(list_price * 0.86, -2)),
                currency="CNY",
            )
        )
        retail_currency = "CNY"
        retail_price: Decimal | None = Decimal(round(list_price * (1 - rng.random() * 0.08), -2))
    else:
        importer = world.importers[market]
        steps.append(
            Step(EventType.ALLOCATED, allocated_on, organization_id=organization, market_id=market)
        )
        weekly = plan.markets.index(market) < plan.weekly
        sailed_on = max(_sailing(market, slot, weekly), allocated_on)
        shipment = maker.shipments.get((market, sailed_on))
        if shipment is None and sailed_on <= TODAY:  # a new vessel, created with the batch
            shipment = -len(maker.pending) - 1
            maker.shipments[(market, sailed_on)] = shipment
            maker.pending[shipment] = (market, sailed_on)
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
        currency = world.importers[market].home_country.currency or "USD"
        local = rates.convert(list_price * 1.35 * (1 + rng.random() * 0.1), currency, slot.year)
        retail_currency, retail_price = (currency, local) if local else ("USD", None)
        if retail_price is None:
            retail_price = Decimal(round(fob_usd * 1.45, -1))
    # After the wholesale: the sale to a customer, registration, the end.
    retailed_on = delivered_on + timedelta(days=2 + int(rng.expovariate(1 / 40)))
    draw = rng.random()
    if draw < plan.retail_share and retailed_on <= TODAY:
        maker.customers += 1
        customer = batch.customer(_customer(rng, maker.customers, market, plan.key[:3].upper()))
        steps.append(
            Step(
                EventType.RETAILED,
                retailed_on,
                organization_id=dealer,
                country_id=market,
                price=retail_price,
                currency=retail_currency,
                customer=customer,
            )
        )
        end = retailed_on
        if draw < 0.003:  # a sale entered wrongly, cancelled, and the car sold again
            cancelled_on = retailed_on + timedelta(days=3 + int(rng.random() * 10))
            sold_again_on = cancelled_on + timedelta(days=5 + int(rng.random() * 30))
            if sold_again_on <= TODAY:
                maker.customers += 1
                again = batch.customer(
                    _customer(rng, maker.customers, market, plan.key[:3].upper())
                )
                steps.append(
                    Step(
                        EventType.RETAIL_CANCELLED,
                        cancelled_on,
                        organization_id=dealer,
                        country_id=market,
                        document_ref="wrong customer",
                    )
                )
                steps.append(
                    Step(
                        EventType.RETAILED,
                        sold_again_on,
                        organization_id=dealer,
                        country_id=market,
                        price=retail_price,
                        currency=retail_currency,
                        customer=again,
                    )
                )
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
    loading = LOADING.get(maker.plan.key, LOADING_DEFAULT)[0]
    prefix = "".join(word[0] for word in maker.plan.key.split()).upper()[:3]
    real: dict[int, int] = {}
    rows = []
    for pk, (placeholder, (market, sailed_on)) in zip(ids, pending, strict=True):
        real[placeholder] = maker.shipments[(market, sailed_on)] = pk
        maker.numbered += 1
        number = maker.numbered
        port, _name, transit = PORTS.get(market, (f"{market}ZZZ", "", 30))
        rail = market in BY_RAIL
        transit = BY_RAIL.get(market, transit)
        arrived_on = sailed_on + timedelta(days=transit)
        arrived = arrived_on <= TODAY
        rows.append(
            (
                pk,
                now,
                now,
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
        )
    rows_insert(Shipment, SHIPMENT_COLUMNS, rows)
    maker.pending.clear()
    if not real:
        return
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


# The largest export markets first (they get the most vehicles and a vessel a week).
JAC_MARKETS = ("CL", "SA", "MX", "PE", "AE", "EG", "NG", "RU", "KZ", "VN", "PH", "DZ", "IQ",
               "ZA", "EC", "BO", "CO", "UZ", "MY", "TH", "AU", "TR", "KE", "GH")  # fmt: skip
NEZHA_MARKETS = ("TH", "MY", "ID", "AE", "SA", "BR", "PH", "QA", "CL", "VN", "SG", "CO")


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
                periods=zhengzhou_nissan_periods(),
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
                markets=JAC_MARKETS,
            ),
            world.jac,
        ),
        (
            MakerPlan(
                key="Nezha",
                wmi="LUZ",
                periods=nezha_periods(),
                retail_share=0.985,
                registered_share=0.6,
                scrapped_share=0.004,
                markets=NEZHA_MARKETS,
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
