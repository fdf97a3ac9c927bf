"""The demo world: the three cases of DESIGN.md as records Seabridge keeps.

:func:`world_build` writes, into a database with no organisations, the static part
of the world: the three makers (Zhengzhou Nissan, JAC, Nezha) with their brands,
product lines, variants and plants; Zhongjiang International and its memorandum of
cooperation with Zhengzhou Nissan (22 April 2025, Nanjing) with the "three-year,
three-step" sales plan that serves it; Nezha International in Hong Kong; the
importers and dealers of each brand with the agreements that grant them their
markets; the demo people; and a table of exchange rates. Vehicles and their events
are written afterwards by another module, from the :class:`DemoWorld` returned
here; :func:`world_finish` then records what needs the vehicles (the first batch
of sample vehicles procured, the plan's milestones).

Everything is fixed: names, dates and figures come from the tables below, never
from the clock or a random draw. The few records that speak about a single
business act (brands, product lines, variants, the memorandum, the partners'
distribution agreements, the plan, orders) go through the domain services; the
many repetitive rows (organisations, people, the importers' and dealers' grants,
exchange rates) are written in bulk, so that the whole world takes a few seconds.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Min
from django.utils.translation import gettext as _

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Membership, Organization
from seabridge.accounts.selectors import actor_from_membership
from seabridge.agreements import services as agreement_services
from seabridge.agreements.choices import AgreementKind, AgreementStatus, CollaborationTopic
from seabridge.agreements.models import Agreement, AgreementScopeEntry
from seabridge.catalog import services as catalog_services
from seabridge.catalog.choices import BodyType, Powertrain, SteeringSide
from seabridge.catalog.models import Brand, ProductLine, Variant
from seabridge.core.errors import Conflict
from seabridge.core.scope import Actor, Area
from seabridge.core.services import audit_record
from seabridge.demo.services import PersonRow, apportion, people_create
from seabridge.markets.models import Country
from seabridge.markets.services import reference_data_load
from seabridge.planning import services as planning_services
from seabridge.planning.choices import MilestoneCondition, MilestoneStatus, PlanStatus
from seabridge.planning.models import PlanPhase, SalesPlan
from seabridge.trade import services as trade_services
from seabridge.trade.choices import Incoterm, OrderStatus, PaymentTerms
from seabridge.trade.models import ExchangeRate, ExportOrder
from seabridge.vehicles.choices import EventType
from seabridge.vehicles.models import Plant, Vehicle, VehicleEvent

DEMO_PASSWORD = "seabridge-demo"  # noqa: S105 - the demo world's shared password, printed by `make run`
HOME = "CN"

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
class DemoPerson:
    """Someone to sign in as during a demo (password :data:`DEMO_PASSWORD`)."""

    email: str
    name: str
    organization: str
    role: str
    works_as: str


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


# --- the catalogue ---------------------------------------------------------------------


class LineSpec(NamedTuple):
    name: str
    launched_on: date
    description: str


class VariantSpec(NamedTuple):
    line: str
    code: str
    name: str
    body: str
    powertrain: str
    steering: str
    engine: str
    list_price_cny: int


LHD, RHD = SteeringSide.LEFT, SteeringSide.RIGHT
DOUBLE, EXTENDED, SINGLE = (
    BodyType.PICKUP_DOUBLE_CAB,
    BodyType.PICKUP_EXTENDED_CAB,
    BodyType.PICKUP_SINGLE_CAB,
)
DIESEL, PETROL, BEV, EREV = Powertrain.DIESEL, Powertrain.PETROL, Powertrain.BEV, Powertrain.EREV

ZN_LINES = (
    LineSpec("NAVARA", date(2015, 5, 1), "Mid-size pickup, diesel and petrol, 4×2 and 4×4."),
    LineSpec("Rich", date(2018, 4, 1), "Cost-effective pickup for work and family (Rich 6)."),
    LineSpec("Z9", date(2022, 9, 1), "Full-size premium pickup, diesel and petrol."),
)
ZN_VARIANTS = (
    VariantSpec("NAVARA", "NAV-D25-4X4", "NAVARA 2.5T diesel 4×4 double cab", DOUBLE, DIESEL,
                LHD, "2.5 L turbo diesel", 179_800),
    VariantSpec("NAVARA", "NAV-D25-4X4-R", "NAVARA 2.5T diesel 4×4 double cab RHD", DOUBLE,
                DIESEL, RHD, "2.5 L turbo diesel", 182_800),
    VariantSpec("NAVARA", "NAV-P25", "NAVARA 2.5 petrol 4×2 double cab", DOUBLE, PETROL, LHD,
                "2.5 L petrol", 146_800),
    VariantSpec("Rich", "RICH-D25", "Rich 6 2.5T diesel double cab", DOUBLE, DIESEL, LHD,
                "2.5 L turbo diesel", 129_800),
    VariantSpec("Rich", "RICH-D25-R", "Rich 6 2.5T diesel double cab RHD", DOUBLE, DIESEL, RHD,
                "2.5 L turbo diesel", 132_800),
    VariantSpec("Rich", "RICH-P24", "Rich 6 2.4 petrol extended cab", EXTENDED, PETROL, LHD,
                "2.4 L petrol", 105_800),
    VariantSpec("Z9", "Z9-D23-4X4", "Z9 2.3T diesel 4×4 double cab", DOUBLE, DIESEL, LHD,
                "2.3 L turbo diesel", 199_800),
    VariantSpec("Z9", "Z9-P20T", "Z9 2.0T petrol 4×2 double cab", DOUBLE, PETROL, LHD,
                "2.0 L turbo petrol", 162_800),
)  # fmt: skip

JAC_LINES = (
    LineSpec("T8", date(2009, 4, 1), "JAC's core pickup family, from the first units of 2009."),
    LineSpec("T9", date(2021, 11, 1), "Flagship pickup, diesel and petrol, 4×2 and 4×4."),
    LineSpec("T9 EV", date(2023, 9, 1), "Battery-electric pickup on the T9 body."),
)
JAC_VARIANTS = (
    VariantSpec("T8", "T8-D20", "T8 2.0T diesel 4×2 double cab", DOUBLE, DIESEL, LHD,
                "2.0 L turbo diesel", 109_800),
    VariantSpec("T8", "T8-D20-4X4-R", "T8 2.0T diesel 4×4 double cab RHD", DOUBLE, DIESEL, RHD,
                "2.0 L turbo diesel", 121_800),
    VariantSpec("T8", "T8-P20", "T8 2.0T petrol 4×2 double cab", DOUBLE, PETROL, LHD,
                "2.0 L turbo petrol", 98_800),
    VariantSpec("T8", "T8-D20-SC", "T8 2.0T diesel single cab", SINGLE, DIESEL, LHD,
                "2.0 L turbo diesel", 89_800),
    VariantSpec("T9", "T9-D20-4X4", "T9 2.0T diesel 4×4 double cab", DOUBLE, DIESEL, LHD,
                "2.0 L turbo diesel", 149_800),
    VariantSpec("T9", "T9-D20-4X4-R", "T9 2.0T diesel 4×4 double cab RHD", DOUBLE, DIESEL, RHD,
                "2.0 L turbo diesel", 152_800),
    VariantSpec("T9", "T9-P20", "T9 2.0T petrol 4×2 double cab", DOUBLE, PETROL, LHD,
                "2.0 L turbo petrol", 129_800),
    VariantSpec("T9 EV", "T9EV-B88", "T9 EV 88 kWh double cab", DOUBLE, BEV, LHD, "88 kWh",
                199_800),
)  # fmt: skip

NEZHA_LINES = (
    LineSpec("V", date(2020, 11, 1), "Compact electric SUV."),
    LineSpec("U", date(2020, 4, 1), "Mid-size electric SUV (U-II)."),
    LineSpec("S", date(2022, 7, 1), "Sports sedan, battery-electric or with range extender."),
    LineSpec("GT", date(2023, 4, 1), "Electric grand-touring coupé."),
    LineSpec("L", date(2024, 5, 1), "Family SUV, battery-electric or with range extender."),
)
NEZHA_VARIANTS = (
    VariantSpec("V", "NZ-V-B40", "Nezha V 401 km", BodyType.SUV, BEV, LHD, "38.5 kWh",
                79_900),
    VariantSpec("V", "NZ-V-B40-R", "Nezha V 401 km RHD", BodyType.SUV, BEV, RHD, "38.5 kWh",
                82_900),
    VariantSpec("U", "NZ-U-B61", "Nezha U-II 610 km", BodyType.SUV, BEV, LHD, "72 kWh",
                149_800),
    VariantSpec("U", "NZ-U-B61-R", "Nezha U-II 610 km RHD", BodyType.SUV, BEV, RHD, "72 kWh",
                152_800),
    VariantSpec("S", "NZ-S-B71", "Nezha S 715 km", BodyType.SEDAN, BEV, LHD, "91 kWh", 219_800),
    VariantSpec("S", "NZ-S-E11", "Nezha S range extender", BodyType.SEDAN, EREV, LHD,
                "43 kWh + 1.5 L range extender", 179_800),
    VariantSpec("GT", "NZ-GT-B66", "Nezha GT 660 km", BodyType.SEDAN, BEV, LHD, "75 kWh",
                178_800),
    VariantSpec("L", "NZ-L-E31", "Nezha L range extender", BodyType.SUV, EREV, LHD,
                "43 kWh + 1.5 L range extender", 129_900),
    VariantSpec("L", "NZ-L-E31-R", "Nezha L range extender RHD", BodyType.SUV, EREV, RHD,
                "43 kWh + 1.5 L range extender", 132_900),
    VariantSpec("L", "NZ-L-B51", "Nezha L 510 km", BodyType.SUV, BEV, LHD, "66 kWh", 149_900),
)  # fmt: skip

# --- markets, importers and dealers ------------------------------------------------------

# JAC exports to 132 countries and regions (case 2): a fixed list, by region.
JAC_MARKETS = (
    # Latin America and the Caribbean (28)
    "MX", "GT", "SV", "HN", "NI", "CR", "PA", "DO", "HT", "JM", "TT", "BB", "BS", "BZ",
    "CO", "VE", "EC", "PE", "BO", "CL", "AR", "UY", "PY", "BR", "GY", "SR", "CU", "LC",
    # The Middle East and the Caucasus (16)
    "SA", "AE", "QA", "KW", "BH", "OM", "YE", "IQ", "IR", "JO", "LB", "SY", "TR", "GE",
    "AM", "AZ",
    # Central Asia and neighbours (7)
    "KZ", "UZ", "KG", "TJ", "TM", "MN", "AF",
    # Europe (22)
    "RU", "BY", "UA", "MD", "RO", "BG", "RS", "MK", "AL", "BA", "ME", "GR", "IT", "ES",
    "PT", "PL", "HU", "DE", "FR", "NL", "CZ", "SK",
    # Southeast and South Asia, Oceania (19)
    "VN", "PH", "MY", "TH", "ID", "MM", "KH", "LA", "BN", "SG", "TL", "BD", "LK", "NP",
    "PK", "AU", "NZ", "PG", "FJ",
    # Africa (40)
    "DZ", "EG", "LY", "TN", "MA", "SD", "ET", "KE", "TZ", "UG", "RW", "NG", "GH", "CI",
    "SN", "CM", "GA", "CG", "CD", "AO", "ZA", "NA", "BW", "ZW", "ZM", "MZ", "MW", "MG",
    "MU", "DJ", "BJ", "TG", "BF", "ML", "NE", "GN", "SL", "LR", "MR", "GQ",
)  # fmt: skip

# Dealers by export market: the location of each outlet (its count is the tuple's length).
JAC_DEALERS: dict[str, tuple[str, ...]] = {
    "CL": ("Santiago Las Condes", "Santiago Maipú", "Antofagasta", "Concepción", "Temuco",
           "Puerto Montt"),
    "MX": ("Mexico City Tlalpan", "Guadalajara", "Monterrey", "Puebla", "León", "Mérida"),
    "PE": ("Lima San Isidro", "Lima Ate", "Arequipa", "Trujillo", "Piura"),
    "BR": ("São Paulo", "Belo Horizonte", "Curitiba", "Goiânia"),
    "CO": ("Bogotá", "Medellín", "Cali", "Barranquilla"),
    "EC": ("Quito", "Guayaquil", "Cuenca"),
    "BO": ("Santa Cruz", "La Paz", "Cochabamba"),
    "AR": ("Buenos Aires", "Córdoba", "Rosario"),
    "UY": ("Montevideo", "Salto"),
    "CR": ("San José", "Liberia Guanacaste"),
    "GT": ("Guatemala City", "Quetzaltenango"),
    "DO": ("Santo Domingo", "Santiago de los Caballeros"),
    "SA": ("Riyadh", "Jeddah", "Dammam", "Medina", "Tabuk"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
    "IQ": ("Baghdad", "Basra", "Erbil"),
    "EG": ("Cairo", "Alexandria", "Giza", "Mansoura"),
    "DZ": ("Algiers", "Oran", "Constantine", "Sétif"),
    "NG": ("Lagos Ikeja", "Lagos Lekki", "Abuja", "Port Harcourt"),
    "ZA": ("Johannesburg", "Durban", "Cape Town"),
    "RU": ("Moscow", "Saint Petersburg", "Yekaterinburg", "Novosibirsk", "Krasnodar", "Kazan"),
    "KZ": ("Almaty", "Astana", "Shymkent", "Karaganda"),
    "UZ": ("Tashkent", "Samarkand", "Namangan"),
    "VN": ("Hanoi", "Ho Chi Minh City", "Da Nang", "Hai Phong"),
    "PH": ("Quezon City", "Pasig", "Cebu", "Davao"),
    "MY": ("Kuala Lumpur", "Johor Bahru", "Penang"),
}  # fmt: skip

# Nezha overseas (case 3): ASEAN, South America, the Middle East.
NEZHA_DEALERS: dict[str, tuple[str, ...]] = {
    "TH": ("Bangkok Rama 9", "Bangkok Bang Na", "Chiang Mai", "Khon Kaen", "Pattaya"),
    "MY": ("Kuala Lumpur", "Petaling Jaya", "Johor Bahru", "Penang"),
    "ID": ("Jakarta", "Surabaya", "Bandung", "Medan"),
    "PH": ("Quezon City", "Makati", "Cebu"),
    "VN": ("Hanoi", "Ho Chi Minh City", "Da Nang"),
    "SG": ("Singapore Ubi", "Singapore Jurong"),
    "KH": ("Phnom Penh", "Siem Reap"),
    "LA": ("Vientiane", "Luang Prabang"),
    "BR": ("São Paulo", "Rio de Janeiro", "Brasília", "Porto Alegre"),
    "CL": ("Santiago Vitacura", "Viña del Mar", "Concepción"),
    "CO": ("Bogotá", "Medellín", "Cali"),
    "EC": ("Quito", "Guayaquil"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
    "SA": ("Riyadh", "Jeddah", "Dammam"),
    "QA": ("Doha", "Al Wakrah"),
}
NEZHA_MARKETS = tuple(NEZHA_DEALERS)

# Zhengzhou Nissan and Zhongjiang (case 1). The memorandum names no countries: these
# markets are the demo's illustration, inside Zhongjiang's footprint.
ZN_STEP_ONE = ("SA", "NG", "PH")  # three emerging markets
ZN_STEP_TWO = ("OM", "GH", "ID")  # high-demand, resource-rich
ZN_STEP_THREE = ("IQ", "AO", "ZM")
ZN_PLAN_MARKETS = (*ZN_STEP_ONE, *ZN_STEP_TWO, *ZN_STEP_THREE)
ZN_DEALERS: dict[str, tuple[str, ...]] = {
    "SA": ("Riyadh", "Jeddah", "Dammam"),
    "NG": ("Lagos Ikeja", "Abuja", "Port Harcourt"),
    "PH": ("Quezon City", "Cebu"),
    "OM": ("Muscat",),
    "GH": ("Accra",),
    "ID": ("Jakarta",),
}

CN_CITIES = (
    "Hefei", "Wuhu", "Bengbu", "Anqing", "Fuyang", "Shanghai", "Nanjing", "Suzhou",
    "Hangzhou", "Ningbo", "Beijing", "Tianjin", "Shijiazhuang", "Jinan", "Qingdao",
    "Zhengzhou", "Taiyuan", "Hohhot", "Shenyang", "Dalian", "Changchun", "Harbin", "Wuhan",
    "Changsha", "Nanchang", "Fuzhou", "Xiamen", "Guangzhou", "Shenzhen", "Dongguan",
    "Foshan", "Nanning", "Haikou", "Chongqing", "Chengdu", "Guiyang", "Kunming", "Lhasa",
    "Xi'an", "Lanzhou", "Xining", "Yinchuan", "Urumqi", "Wenzhou", "Jiaxing", "Shaoxing",
    "Wuxi", "Changzhou", "Xuzhou", "Yantai", "Weifang", "Tangshan", "Baoding", "Luoyang",
    "Zhuhai", "Huizhou", "Quanzhou", "Liuzhou", "Mianyang", "Yichang",
)  # fmt: skip
JAC_DOMESTIC_DEALERS = CN_CITIES[:40]
NEZHA_DOMESTIC_DEALERS = CN_CITIES[:60]
ZN_DOMESTIC_DEALERS = (
    "Zhengzhou", "Luoyang", "Kaifeng", "Xinxiang", "Nanyang", "Anyang", "Xi'an", "Wuhan",
)  # fmt: skip

# Areas a dealer works in; importers and partners are granted all areas.
DEALER_AREAS = (Area.SALES, Area.MARKETING, Area.AFTER_SALES, Area.PARTS)

# --- dates ---------------------------------------------------------------------------------

JAC_GRANTS_FROM = date(2009, 1, 1)  # JAC's first pickup came off the line in 2009
JAC_SIGNED_ON = date(2008, 12, 18)
NEZHA_DOMESTIC_FROM = date(2018, 10, 1)
NEZHA_OVERSEAS_FROM = date(2022, 1, 1)
NEZHA_SIGNED_ON = date(2021, 12, 20)
ZN_DOMESTIC_FROM = date(2015, 1, 1)
ZN_DOMESTIC_SIGNED_ON = date(2014, 12, 15)
MEMORANDUM_SIGNED_ON = date(2025, 4, 22)
MEMORANDUM_SIGNED_IN = "Nanjing"
# Zhongjiang's local company in each plan market is granted from its step's start.
ZN_MARKET_OPENS_ON: dict[str, date] = {
    **dict.fromkeys(ZN_STEP_ONE, MEMORANDUM_SIGNED_ON),
    **dict.fromkeys(ZN_STEP_TWO, date(2026, 1, 1)),
    **dict.fromkeys(ZN_STEP_THREE, date(2027, 1, 1)),
}
ZN_MARKET_SIGNED_ON: dict[str, date] = {
    **dict.fromkeys(ZN_STEP_ONE, MEMORANDUM_SIGNED_ON),
    **dict.fromkeys(ZN_STEP_TWO, date(2025, 11, 18)),
    **dict.fromkeys(ZN_STEP_THREE, date(2026, 10, 15)),
}

# --- the plan ------------------------------------------------------------------------------

PLAN_TITLE = "Three-Year, Three-Step overseas sales plan 2025–2027"
PLAN_STARTS_ON = date(2025, 5, 1)
PLAN_ENDS_ON = date(2027, 12, 31)
PLAN_TARGET = 3000


class StepSpec(NamedTuple):
    number: int
    name: str
    starts_on: date
    ends_on: date
    target: int
    new_markets: tuple[str, ...]


PLAN_STEPS = (
    StepSpec(1, "Step one: three emerging markets", PLAN_STARTS_ON, date(2025, 12, 31), 500,
             ZN_STEP_ONE),
    StepSpec(2, "Step two: first resource-rich markets", date(2026, 1, 1), date(2026, 12, 31),
             1000, ZN_STEP_TWO),
    StepSpec(3, "Step three: wider expansion", date(2027, 1, 1), PLAN_ENDS_ON, 1500,
             ZN_STEP_THREE),
)  # fmt: skip
# Relative size of each market and product line in the targets.
MARKET_WEIGHTS = {"SA": 4, "NG": 3, "PH": 3, "OM": 2, "GH": 2, "ID": 3, "IQ": 3, "AO": 2, "ZM": 2}
LINE_WEIGHTS = {"Rich": 45, "NAVARA": 35, "Z9": 20}
# A market added by a step sells from the step's third month.
NEW_MARKET_FIRST_MONTH = 3
# Step one starts with the sample vehicles: small in May and June, then growing.
STEP_ONE_MONTH_WEIGHTS = (2, 5, 10, 11, 12, 13, 14, 16)

SAMPLE_MILESTONE = "First batch of sample vehicles procured"
SAMPLE_DUE_ON = date(2025, 6, 30)
SAMPLE_ORDER_UNITS = 5  # an order of at least this many units is "the first batch"
SERVICE_MILESTONE = "Service network in every step-one market"
SERVICE_DUE_ON = date(2025, 12, 31)
SERVICE_DONE_ON = date(2025, 11, 28)
THOUSAND_MILESTONE = "1,000 cumulative units in the plan's markets"
THOUSAND_DUE_ON = date(2026, 6, 30)
TARGET_MILESTONE = "3,000 cumulative units in the plan's markets"
CUMULATIVE_MILESTONES = {THOUSAND_MILESTONE: 1000, TARGET_MILESTONE: PLAN_TARGET}
# When no sample vehicles are on record: the order date and what the batch holds.
SAMPLE_ORDER_DATES = {"SA": date(2025, 5, 8), "NG": date(2025, 5, 15), "PH": date(2025, 5, 22)}
DEFAULT_SAMPLE_BATCH = (("NAV-D25-4X4", 2), ("RICH-D25", 2), ("Z9-D23-4X4", 1))
SAMPLE_PORT = "Qingdao"

MEMORANDUM_TITLE = (
    "Memorandum of cooperation on overseas markets: Zhengzhou Nissan and Zhongjiang International"
)
MEMORANDUM_SIGNATORIES = (
    ("Yao Liwen", "Secretary of the Party Committee", "zn"),
    ("Qi Kuiyuan", "Vice President of Overseas Business", "zn"),
    ("Luo Kui", "General Manager", "zhongjiang"),
)
MEMORANDUM_COMMITMENTS = (
    (
        CollaborationTopic.SALES_PLANNING,
        'Enter three emerging markets under a "three-year, three-step" sales plan reaching '
        "3,000 cumulative units; procure the first batch of sample vehicles by June 2025; "
        "then expand into high-demand, resource-rich markets.",
    ),
    (
        CollaborationTopic.BRAND_MARKETING,
        "Run targeted marketing campaigns in each market, with promotional activities every "
        "two weeks, built around cost-effective models.",
    ),
    (
        CollaborationTopic.CHANNEL_SYNERGY,
        "Build the sales channels on Zhongjiang International's overseas network and local "
        "teams, with consistent Zhengzhou Nissan channel branding.",
    ),
    (
        CollaborationTopic.AFTER_SALES,
        "Set up maintenance networks, train local technical engineers, secure the supply of "
        "genuine spare parts and keep customer satisfaction high.",
    ),
    (
        CollaborationTopic.PRODUCT_PORTFOLIO,
        "Both sides jointly analyse market demand and optimise the product portfolio for "
        "each market.",
    ),
)
PLAN_NOTES = (
    "Serves the memorandum of cooperation signed in Nanjing on 22 April 2025. The "
    "memorandum names no countries: the markets of the three steps are illustrative. Step "
    "one takes three emerging markets where Zhongjiang International already works (Saudi "
    "Arabia, Nigeria, the Philippines); steps two and three expand into high-demand, "
    "resource-rich markets (Oman, Ghana and Indonesia in 2026; Iraq, Angola and Zambia in "
    "2027). Target: 3,000 cumulative units by the end of 2027 (500, 1,000 and 1,500 a year)."
)

# --- exchange rates ------------------------------------------------------------------------

RATE_YEARS = range(2009, 2027)
# CNY per US dollar on 1 January of each year.
CNY_PER_USD = {
    2009: "6.83", 2010: "6.83", 2011: "6.62", 2012: "6.30", 2013: "6.23", 2014: "6.10",
    2015: "6.12", 2016: "6.49", 2017: "6.94", 2018: "6.51", 2019: "6.86", 2020: "6.96",
    2021: "6.53", 2022: "6.37", 2023: "6.90", 2024: "7.10", 2025: "7.30", 2026: "7.03",
}  # fmt: skip
# Units of each currency per US dollar on 1 January of the years given; the years
# between are interpolated, the years after the last one keep its value.
UNITS_PER_USD: dict[str, dict[int, str]] = {
    "EUR": {2009: "0.72", 2010: "0.70", 2011: "0.75", 2012: "0.77", 2013: "0.76",
            2014: "0.73", 2015: "0.82", 2016: "0.92", 2017: "0.95", 2018: "0.83",
            2019: "0.87", 2020: "0.89", 2021: "0.82", 2022: "0.88", 2023: "0.94",
            2024: "0.91", 2025: "0.97", 2026: "0.86"},
    "CLP": {2009: "640", 2012: "520", 2014: "525", 2016: "710", 2018: "615", 2020: "750",
            2022: "850", 2024: "880", 2025: "995", 2026: "920"},
    "MXN": {2009: "13.8", 2012: "13.9", 2014: "13.1", 2016: "17.3", 2017: "20.7",
            2019: "19.6", 2021: "19.9", 2023: "19.5", 2024: "17.0", 2025: "20.6",
            2026: "18.0"},
    "PEN": {2009: "3.14", 2012: "2.70", 2014: "2.80", 2016: "3.41", 2019: "3.37",
            2021: "3.62", 2022: "3.99", 2023: "3.81", 2024: "3.70", 2025: "3.76",
            2026: "3.37"},
    "BRL": {2009: "2.33", 2011: "1.66", 2014: "2.36", 2016: "3.96", 2018: "3.31",
            2020: "4.02", 2021: "5.19", 2023: "5.28", 2024: "4.85", 2025: "6.18",
            2026: "5.50"},
    "COP": {2009: "2240", 2012: "1940", 2014: "1930", 2016: "3150", 2019: "3250",
            2021: "3430", 2022: "4000", 2023: "4810", 2024: "3870", 2025: "4400",
            2026: "3780"},
    "BOB": {2009: "7.07", 2012: "6.96"},
    "ARS": {2009: "3.45", 2012: "4.30", 2014: "6.52", 2016: "13.0", 2018: "18.6",
            2019: "37.7", 2020: "59.9", 2021: "84.1", 2022: "102.7", 2023: "177",
            2024: "808", 2025: "1032", 2026: "1450"},
    "UYU": {2009: "24.4", 2012: "19.9", 2014: "21.4", 2016: "29.9", 2018: "28.8",
            2020: "37.3", 2021: "42.3", 2022: "44.7", 2023: "40.0", 2024: "39.0",
            2025: "43.9", 2026: "39.0"},
    "CRC": {2009: "550", 2012: "505", 2014: "495", 2016: "540", 2018: "566", 2020: "570",
            2021: "615", 2022: "645", 2023: "595", 2024: "520", 2025: "505", 2026: "498"},
    "GTQ": {2009: "7.78", 2014: "7.85", 2016: "7.52", 2019: "7.74", 2022: "7.72",
            2024: "7.82", 2026: "7.66"},
    "DOP": {2009: "35.5", 2012: "39.0", 2014: "42.8", 2016: "45.9", 2018: "49.3",
            2020: "52.9", 2021: "58.3", 2022: "57.1", 2023: "56.2", 2024: "58.9",
            2025: "61.0", 2026: "63.5"},
    "SAR": {2009: "3.75"},
    "AED": {2009: "3.6725"},
    "QAR": {2009: "3.64"},
    "OMR": {2009: "0.3845"},
    "IQD": {2009: "1170", 2016: "1182", 2021: "1460", 2024: "1310"},
    "EGP": {2009: "5.52", 2012: "6.03", 2014: "6.96", 2016: "7.83", 2017: "18.1",
            2019: "17.9", 2020: "16.0", 2022: "15.7", 2023: "24.7", 2024: "30.9",
            2025: "50.8", 2026: "47.5"},
    "DZD": {2009: "71", 2012: "75", 2014: "78", 2016: "107", 2018: "115", 2020: "119",
            2021: "132", 2022: "139", 2024: "134", 2025: "135", 2026: "130"},
    "NGN": {2009: "132", 2010: "149", 2014: "160", 2016: "197", 2017: "305", 2020: "361",
            2021: "395", 2022: "415", 2023: "461", 2024: "900", 2025: "1535", 2026: "1450"},
    "ZAR": {2009: "9.3", 2011: "6.6", 2014: "10.5", 2016: "15.5", 2018: "12.4",
            2020: "14.0", 2021: "14.7", 2022: "15.9", 2023: "17.0", 2024: "18.4",
            2025: "18.8", 2026: "16.8"},
    "RUB": {2009: "29.4", 2012: "32.2", 2014: "32.7", 2015: "56.0", 2016: "72.9",
            2018: "57.6", 2020: "61.9", 2021: "73.9", 2022: "74.3", 2023: "70.3",
            2024: "89.7", 2025: "101.7", 2026: "79.0"},
    "KZT": {2009: "120", 2010: "148", 2014: "154", 2015: "182", 2016: "340", 2018: "332",
            2020: "381", 2021: "421", 2022: "431", 2023: "462", 2024: "455", 2025: "525",
            2026: "505"},
    "UZS": {2009: "1400", 2012: "1800", 2014: "2200", 2016: "2900", 2017: "3230",
            2018: "8120", 2020: "9500", 2021: "10480", 2022: "10840", 2023: "11230",
            2024: "12340", 2025: "12920", 2026: "12000"},
    "VND": {2009: "17480", 2012: "21000", 2014: "21100", 2016: "22450", 2018: "22700",
            2020: "23170", 2022: "22830", 2023: "23600", 2024: "24280", 2025: "25450",
            2026: "26300"},
    "PHP": {2009: "47.5", 2011: "43.8", 2013: "41.0", 2014: "44.4", 2016: "47.1",
            2018: "49.9", 2019: "52.6", 2020: "50.7", 2021: "48.0", 2022: "51.0",
            2023: "55.7", 2024: "55.4", 2025: "57.8", 2026: "58.8"},
    "MYR": {2009: "3.46", 2011: "3.08", 2014: "3.28", 2016: "4.29", 2018: "4.05",
            2020: "4.09", 2022: "4.17", 2023: "4.40", 2024: "4.59", 2025: "4.47",
            2026: "4.06"},
    "THB": {2009: "34.8", 2011: "30.2", 2014: "32.9", 2016: "36.0", 2018: "32.7",
            2020: "30.1", 2021: "30.0", 2022: "33.2", 2023: "34.6", 2024: "34.3",
            2025: "34.3", 2026: "31.5"},
    "IDR": {2009: "10950", 2011: "9000", 2013: "9670", 2014: "12190", 2016: "13790",
            2018: "13550", 2019: "14380", 2020: "13880", 2022: "14270", 2023: "15570",
            2024: "15400", 2025: "16100", 2026: "16700"},
    "SGD": {2009: "1.44", 2012: "1.30", 2014: "1.27", 2016: "1.42", 2018: "1.34",
            2020: "1.35", 2022: "1.35", 2023: "1.34", 2024: "1.32", 2025: "1.36",
            2026: "1.29"},
    "KHR": {2009: "4080", 2014: "3990", 2020: "4050", 2026: "4010"},
    "LAK": {2009: "8500", 2014: "8050", 2018: "8300", 2020: "8900", 2021: "9300",
            2022: "11300", 2023: "17200", 2024: "20500", 2025: "21900", 2026: "21700"},
    "GHS": {2009: "1.20", 2012: "1.55", 2014: "2.40", 2015: "3.20", 2016: "3.80",
            2018: "4.50", 2020: "5.70", 2021: "5.80", 2022: "6.00", 2023: "8.60",
            2024: "11.9", 2025: "14.7", 2026: "10.5"},
}  # fmt: skip
RATE_PLACES = Decimal("0.00000001")

# --- people --------------------------------------------------------------------------------


class PersonSpec(NamedTuple):
    email: str
    first_name: str
    last_name: str
    organization: str  # a key of the organisations built (see ``_Built.by_key``)
    role: Role
    works_as: str


PEOPLE = (
    PersonSpec("admin@jac.example", "Jing", "Chen", "jac", Role.ADMIN,
               "JAC headquarters administrator"),
    PersonSpec("analyst@jac.example", "Na", "Li", "jac", Role.VIEWER,
               "JAC headquarters sales analyst (read only)"),
    PersonSpec("production@jac.example", "Tao", "Wu", "jac", Role.STAFF,
               "JAC Hefei plant: records production and vehicle history"),
    PersonSpec("admin@zhengzhou-nissan.example", "Min", "Zhao", "zn", Role.ADMIN,
               "Zhengzhou Nissan headquarters administrator"),
    PersonSpec("overseas@zhengzhou-nissan.example", "Wei", "Zhang", "zn", Role.STAFF,
               "Zhengzhou Nissan overseas business staff (Qi Kuiyuan's team)"),
    PersonSpec("production@zhengzhou-nissan.example", "Lei", "Sun", "zn", Role.STAFF,
               "Zhengzhou Nissan plant: records production and vehicle history"),
    PersonSpec("admin@zhongjiang.example", "Qiang", "Xu", "zhongjiang", Role.ADMIN,
               "Zhongjiang International administrator"),
    PersonSpec("overseas@zhongjiang.example", "Yan", "Huang", "zhongjiang", Role.MANAGER,
               "Zhongjiang International overseas business manager"),
    PersonSpec("admin@nezha.example", "Yang", "Liu", "nezha", Role.ADMIN,
               "Nezha headquarters administrator"),
    PersonSpec("production@nezha.example", "Fang", "Yang", "nezha", Role.STAFF,
               "Nezha Tongxiang plant: records production and vehicle history"),
    PersonSpec("admin@nezha-international.example", "Ka-man", "Ho", "nezha_international",
               Role.ADMIN, "Nezha International (Hong Kong Science Park) administrator"),
    PersonSpec("analyst@jac-chile.example", "Camila", "Rojas", "importer:jac:CL", Role.VIEWER,
               "Analyst at JAC's national importer in Chile (read only)"),
    PersonSpec("sales@jac-lagos-ikeja.example", "Chinedu", "Okafor", "dealer:jac:NG:0",
               Role.STAFF, "Sales consultant at a JAC dealer in Lagos, Nigeria"),
    PersonSpec("sales@nezha-thailand.example", "Somchai", "Wongsakul", "importer:nezha:TH",
               Role.MANAGER, "Sales manager at Nezha's distributor in Thailand"),
)  # fmt: skip

# Who acts for each headquarters while the world is built, and who records vehicles.
ADMIN_EMAILS = {
    "zn": "admin@zhengzhou-nissan.example",
    "jac": "admin@jac.example",
    "nezha": "admin@nezha.example",
    "zhongjiang": "admin@zhongjiang.example",
    "nezha_international": "admin@nezha-international.example",
}
RECORDER_EMAILS = {
    "zn": "production@zhengzhou-nissan.example",
    "jac": "production@jac.example",
    "nezha": "production@nezha.example",
}

# Given and family names for the administrator of every other organisation, by region.
NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "chinese": (
        ("Wei", "Fang", "Jun", "Li", "Min", "Hao", "Yan", "Lei", "Jing", "Tao", "Xin", "Qiang"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu"),
    ),
    "arabic": (
        ("Ahmed", "Fatima", "Omar", "Layla", "Khalid", "Noura", "Youssef", "Mariam", "Hassan",
         "Salma", "Faisal", "Rania"),
        ("Al-Harbi", "Haddad", "Mansour", "Al-Qahtani", "Nasser", "Saleh", "Khalil", "Farouk",
         "Al-Amri", "Hamdan"),
    ),
    "latin": (
        ("Carlos", "María", "José", "Camila", "Diego", "Valentina", "Luis", "Fernanda",
         "Javier", "Lucía", "Mateo", "Ana"),
        ("García", "Rodríguez", "Silva", "Rojas", "Pérez", "Gómez", "Fernandes", "Torres",
         "Vargas", "Castro", "Morales", "Souza"),
    ),
    "african": (
        ("Chinedu", "Amara", "Kwame", "Ama", "Tendai", "Wanjiru", "Oluwaseun", "Thandiwe",
         "Kofi", "Zanele", "Ibrahim", "Aisha"),
        ("Okafor", "Mensah", "Mwangi", "Dlamini", "Adeyemi", "Banda", "Osei", "Nkosi",
         "Diallo", "Traoré"),
    ),
    "eurasian": (
        ("Alexei", "Olga", "Dmitri", "Aigerim", "Timur", "Nadia", "Rustam", "Elena", "Ivan",
         "Dilnoza"),
        ("Ivanov", "Petrova", "Sokolov", "Karimova", "Abdullaev", "Smirnova", "Omarov",
         "Volkova", "Bekov", "Kuznetsov"),
    ),
    "southeast_asian": (
        ("Somchai", "Linh", "Siti", "Arief", "Maria", "Budi", "Thanh", "Nurul", "Ploy",
         "Rizal"),
        ("Wongsakul", "Tran", "Rahman", "Santoso", "Reyes", "Pham", "Tan", "Lim", "Cruz",
         "Hakim"),
    ),
    "south_asian": (
        ("Arjun", "Priya", "Imran", "Nadia", "Ravi", "Ayesha", "Sanjay", "Farah"),
        ("Sharma", "Khan", "Perera", "Rahman", "Shrestha", "Hossain", "Iqbal", "Fernando"),
    ),
    "european": (
        ("Marco", "Sofia", "Jan", "Anna", "Luca", "Eva", "Pierre", "Julia", "Tomasz", "Elena"),
        ("Rossi", "Müller", "Novak", "Dubois", "Kowalski", "Fernández", "Jansen", "Horvat",
         "Costa", "Papadopoulos"),
    ),
}  # fmt: skip
POOL_OF_SUBREGION = {
    "Eastern Asia": "chinese",
    "Western Asia": "arabic",
    "Northern Africa": "arabic",
    "Latin America and the Caribbean": "latin",
    "Sub-Saharan Africa": "african",
    "Central Asia": "eurasian",
    "South-eastern Asia": "southeast_asian",
    "Southern Asia": "south_asian",
}
POOL_OF_COUNTRY = {
    **dict.fromkeys(("RU", "BY", "UA", "MD", "GE", "AM", "AZ", "MN"), "eurasian"),
    **dict.fromkeys(("TR", "IL", "CY"), "european"),
}


# --- building blocks -----------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _hs_code(spec: VariantSpec) -> str:
    """Goods vehicles (pickups) are 8704, passenger cars 8703, by powertrain."""
    pickups: dict[str, str] = {DIESEL: "87042100", PETROL: "87043100"}
    cars: dict[str, str] = {BEV: "87038000", EREV: "87036000"}
    if spec.body.startswith("pickup"):
        return pickups.get(spec.powertrain, "87046000")
    return cars.get(spec.powertrain, "87032300")


def _emission_standard(spec: VariantSpec) -> str:
    if spec.powertrain == BEV:
        return ""
    return "Euro 5" if spec.steering == RHD else "China 6b"


@dataclass
class _GrantRow:
    """An agreement written in bulk: granted, signed and active from the start."""

    kind: str
    title: str
    grantor: Organization
    grantee: Organization
    parent: Agreement | None
    signed_on: date
    signed_in: str
    effective_from: date
    brand: Brand
    countries: Sequence[str]
    areas: Sequence[str]


def _grants_bulk(rows: Sequence[_GrantRow]) -> list[Agreement]:
    """Write many simple agreements (one brand, their countries, their areas) at once.

    The same rows ``agreement_create``, ``agreement_sign`` and ``agreement_activate``
    would leave behind, without their per-row checks and audit events: the tables
    above are the check (a sub-grant's cells lie inside its parent's by construction,
    which the tests assert), and one audit event records the whole world.
    """
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                kind=row.kind,
                title=row.title,
                grantor=row.grantor,
                grantee=row.grantee,
                parent=row.parent,
                status=AgreementStatus.ACTIVE,
                signed_on=row.signed_on,
                signed_in=row.signed_in,
                effective_from=row.effective_from,
            )
            for row in rows
        ],
        batch_size=500,
    )
    AgreementScopeEntry.objects.bulk_create(
        [
            AgreementScopeEntry(agreement=agreement, brand=row.brand, country_id=country, area=area)
            for agreement, row in zip(agreements, rows, strict=True)
            for country in sorted(row.countries)
            for area in row.areas
        ],
        batch_size=1000,
    )
    return agreements


def _grant(
    actor: Actor,
    *,
    kind: str,
    grantee: Organization,
    title: str,
    brand: Brand,
    countries: Sequence[str],
    effective_from: date,
    signed_on: date,
    signed_in: str,
    parent: Agreement | None = None,
    commitments: Sequence[tuple[str, str]] = (),
    signatories: Sequence[agreement_services.SignatoryInput] = (),
    notes: str = "",
) -> Agreement:
    """An agreement through the services: drafted, signed and activated by ``actor``."""
    agreement = agreement_services.agreement_create(
        actor=actor,
        kind=kind,
        grantee=grantee,
        title=title,
        effective_from=effective_from,
        scope=agreement_services.ScopeInput(
            brands=[brand.pk], countries=list(countries), areas=list(Area.values)
        ),
        parent=parent,
        commitments=commitments,
        signatories=signatories,
        notes=notes,
    )
    agreement_services.agreement_sign(
        actor=actor, agreement=agreement, signed_on=signed_on, signed_in=signed_in
    )
    return agreement_services.agreement_activate(actor=actor, agreement=agreement)


def _catalogue(
    actor: Actor, *, brand_name: str, lines: Sequence[LineSpec], variants: Sequence[VariantSpec]
) -> tuple[Brand, dict[str, ProductLine], list[Variant]]:
    brand = catalog_services.brand_create(actor=actor, name=brand_name)
    product_lines = {
        spec.name: catalog_services.product_line_create(
            actor=actor,
            brand=brand,
            name=spec.name,
            description=spec.description,
            launched_on=spec.launched_on,
        )
        for spec in lines
    }
    made = [
        catalog_services.variant_create(
            actor=actor,
            product_line=product_lines[spec.line],
            code=spec.code,
            name=spec.name,
            body=spec.body,
            powertrain=spec.powertrain,
            steering=spec.steering,
            emission_standard=_emission_standard(spec),
            engine=spec.engine,
            hs_code=_hs_code(spec),
            list_price=Decimal(spec.list_price_cny),
            list_price_currency="CNY",
        )
        for spec in variants
    ]
    return brand, product_lines, made


@dataclass
class _Built:
    """The organisations as they are written, found again by a key."""

    by_key: dict[str, Organization] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)


def _organization(
    kind: str,
    legal_name: str,
    short_name: str,
    country: str,
    *,
    founded_year: int | None = None,
    description: str = "",
) -> Organization:
    return Organization(
        kind=kind,
        legal_name=legal_name,
        short_name=short_name,
        home_country_id=country,
        founded_year=founded_year,
        description=description,
    )


def _headquarters() -> dict[str, Organization]:
    return {
        "zn": _organization(
            OrganizationKind.MANUFACTURER,
            "Zhengzhou Nissan Automobile Co., Ltd.",
            "Zhengzhou Nissan",
            HOME,
            founded_year=1993,
            description=(
                "Pickup maker in Zhengzhou, Henan (NAVARA, Rich, Z9). Its overseas business "
                "works with Zhongjiang International under the memorandum of cooperation "
                "signed in Nanjing on 22 April 2025."
            ),
        ),
        "jac": _organization(
            OrganizationKind.MANUFACTURER,
            "Anhui Jianghuai Automobile Group Corp., Ltd.",
            "JAC",
            HOME,
            founded_year=1964,
            description=(
                "Maker of fuel and new-energy pickups in Hefei, Anhui (T8, T9, T9 EV), sold "
                "through domestic and foreign dealers; JAC pickups are exported to Latin "
                "America, the Middle East, Central Asia, Europe, Southeast Asia and Africa."
            ),
        ),
        "nezha": _organization(
            OrganizationKind.MANUFACTURER,
            "Hozon New Energy Automobile Co., Ltd.",
            "Nezha",
            HOME,
            founded_year=2014,
            description=(
                "Maker of Nezha new-energy passenger cars in Tongxiang, Zhejiang. Its "
                "international headquarters, R&D and big-data centre is in Hong Kong Science "
                "Park; overseas it sells in ASEAN, South America and the Middle East."
            ),
        ),
        "zhongjiang": _organization(
            OrganizationKind.TRADE_PARTNER,
            "China Zhongjiang International Group Co., Ltd.",
            "Zhongjiang International",
            HOME,
            founded_year=1980,
            description=(
                "International trading and contracting group from Nanjing, founded in 1980, "
                "with a network in more than 30 countries across the Middle East, Africa and "
                "Southeast Asia."
            ),
        ),
        "nezha_international": _organization(
            OrganizationKind.TRADE_PARTNER,
            "Nezha International (Hong Kong) Co., Limited",
            "Nezha International",
            "HK",
            founded_year=2022,
            description=(
                "Nezha's international headquarters, R&D and big-data centre in Hong Kong "
                "Science Park; holds the overseas distribution of Nezha vehicles."
            ),
        ),
    }


class _Outlets(NamedTuple):
    importers: dict[str, Organization]
    dealers: dict[str, list[Organization]]  # by country, CN included
    dealer_keys: dict[str, list[str]]  # by country: the location of each dealer


def _outlets_planned(
    *,
    brand: str,
    importers: Sequence[str],
    importer_names: tuple[str, str],  # short and legal name patterns, with {name}
    dealers: dict[str, tuple[str, ...]],
    domestic: Sequence[str],
    names: dict[str, str],
) -> tuple[list[tuple[str, Organization]], list[tuple[str, str, Organization]]]:
    """The importers (by market) and dealers (market, location) of one brand, unsaved."""
    short_pattern, legal_pattern = importer_names
    planned_importers = [
        (
            code,
            _organization(
                OrganizationKind.DISTRIBUTOR,
                legal_pattern.format(name=names[code]),
                short_pattern.format(name=names[code]),
                code,
            ),
        )
        for code in importers
    ]
    planned_dealers = [
        (
            HOME,
            city,
            _organization(
                OrganizationKind.DEALER,
                f"{city} {brand} Automobile Sales and Service Co., Ltd.",
                f"{brand} {city}",
                HOME,
            ),
        )
        for city in domestic
    ]
    planned_dealers += [
        (
            code,
            location,
            _organization(
                OrganizationKind.DEALER,
                f"{brand} {location} Motors Ltd.",
                f"{brand} {location}",
                code,
            ),
        )
        for code, locations in dealers.items()
        for location in locations
    ]
    return planned_importers, planned_dealers


def _pool(country: Country) -> tuple[tuple[str, ...], tuple[str, ...]]:
    name = POOL_OF_COUNTRY.get(country.code) or POOL_OF_SUBREGION.get(
        country.m49_subregion, "european"
    )
    return NAME_POOLS[name]


def _people(built: _Built, password: str) -> tuple[dict[str, Membership], list[DemoPerson]]:
    """The demo people and one administrator for every other organisation, in bulk."""
    rows: list[tuple[str, str, str, Organization, Role]] = []
    featured: list[DemoPerson] = []
    with_admin: set[int] = set()
    for spec in PEOPLE:
        organization = built.by_key[spec.organization]
        rows.append((spec.email, spec.first_name, spec.last_name, organization, spec.role))
        if spec.role == Role.ADMIN:
            with_admin.add(organization.pk)
        featured.append(
            DemoPerson(
                email=spec.email,
                name=f"{spec.first_name} {spec.last_name}",
                organization=organization.short_name,
                role=str(spec.role),
                works_as=spec.works_as,
            )
        )
    for organization in built.by_key.values():
        if organization.pk in with_admin:
            continue
        given, family = _pool(built.countries[organization.home_country_id])
        # A checksum of the name picks the same person every time, whatever the order.
        number = zlib.crc32(organization.short_name.encode())
        rows.append(
            (
                f"admin@{_slug(organization.short_name)}.example",
                given[number % len(given)],
                family[(number // len(given)) % len(family)],
                organization,
                Role.ADMIN,
            )
        )
    memberships = people_create(
        [
            PersonRow(email, organization, role, first_name=first_name, last_name=last_name)
            for email, first_name, last_name, organization, role in rows
        ],
        password=password,
    )
    return memberships, featured


def _outlets_create(built: _Built) -> dict[str, _Outlets]:
    """Every brand's importers and dealers, in one bulk insert; keyed in ``built`` too."""
    names = {code: country.name for code, country in built.countries.items()}
    plans = {
        "jac": _outlets_planned(
            brand="JAC",
            importers=JAC_MARKETS,
            importer_names=("JAC {name}", "JAC Motors {name} Import and Distribution Co."),
            dealers=JAC_DEALERS,
            domestic=JAC_DOMESTIC_DEALERS,
            names=names,
        ),
        "nezha": _outlets_planned(
            brand="Nezha",
            importers=NEZHA_MARKETS,
            importer_names=("Nezha {name}", "Nezha Auto {name} Distribution Co."),
            dealers=NEZHA_DEALERS,
            domestic=NEZHA_DOMESTIC_DEALERS,
            names=names,
        ),
        "zn": _outlets_planned(
            brand="Zhengzhou Nissan",
            importers=ZN_PLAN_MARKETS,
            importer_names=("Zhongjiang {name}", "Zhongjiang International ({name}) Co., Ltd."),
            dealers=ZN_DEALERS,
            domestic=ZN_DOMESTIC_DEALERS,
            names=names,
        ),
    }
    Organization.objects.bulk_create(
        [
            organization
            for importers, dealers in plans.values()
            for organization in [org for _code, org in importers]
            + [org for _code, _location, org in dealers]
        ],
        batch_size=500,
    )
    outlets: dict[str, _Outlets] = {}
    for key, (importers, dealers) in plans.items():
        outlet = _Outlets(importers=dict(importers), dealers={}, dealer_keys={})
        for code, location, organization in dealers:
            outlet.dealers.setdefault(code, []).append(organization)
            outlet.dealer_keys.setdefault(code, []).append(location)
            index = len(outlet.dealers[code]) - 1
            built.by_key[f"dealer:{key}:{code}:{index}"] = organization
        for code, organization in importers:
            built.by_key[f"importer:{key}:{code}"] = organization
        outlets[key] = outlet
    return outlets


def _dealer_grants(
    outlets: dict[str, _Outlets],
    headquarters: dict[str, Organization],
    brands: dict[str, Brand],
    importer_grants: dict[tuple[str, str], Agreement],
) -> list[_GrantRow]:
    """Every dealer's agreement: the maker grants its domestic dealers; abroad the
    importer sub-grants its dealers inside its own grant, from the same date."""
    domestic_terms = {
        "zn": (ZN_DOMESTIC_FROM, ZN_DOMESTIC_SIGNED_ON, "Zhengzhou"),
        "jac": (JAC_GRANTS_FROM, JAC_SIGNED_ON, "Hefei"),
        "nezha": (NEZHA_DOMESTIC_FROM, NEZHA_DOMESTIC_FROM, "Tongxiang"),
    }
    rows: list[_GrantRow] = []
    for key, outlet in outlets.items():
        for code, dealers in outlet.dealers.items():
            for dealer, location in zip(dealers, outlet.dealer_keys[code], strict=True):
                parent: Agreement | None
                if code == HOME:
                    effective_from, signed_on, signed_in = domestic_terms[key]
                    grantor, parent = headquarters[key], None
                else:
                    parent = importer_grants[key, code]
                    grantor = outlet.importers[code]
                    effective_from = signed_on = parent.effective_from
                    signed_in = location
                rows.append(
                    _GrantRow(
                        kind=AgreementKind.DISTRIBUTION,
                        title=f"Dealer agreement: {dealer.short_name}",
                        grantor=grantor,
                        grantee=dealer,
                        parent=parent,
                        signed_on=signed_on,
                        signed_in=signed_in,
                        effective_from=effective_from,
                        brand=brands[key],
                        countries=[code],
                        areas=list(DEALER_AREAS),
                    )
                )
    return rows


# --- the sales plan ------------------------------------------------------------------------


def _months(starts_on: date, ends_on: date) -> list[date]:
    months = []
    month = date(starts_on.year, starts_on.month, 1)
    while month <= ends_on:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def _targets(lines: dict[str, ProductLine]) -> list[planning_services.TargetInput]:
    """Monthly units per market and product line, adding up to each step's target."""
    rows: list[planning_services.TargetInput] = []
    markets: list[str] = []
    for step in PLAN_STEPS:
        markets += step.new_markets
        months = _months(step.starts_on, step.ends_on)
        cells: list[tuple[date, str, str]] = []
        weights: list[float] = []
        for index, month in enumerate(months):
            if step.number == 1:
                month_weight = float(STEP_ONE_MONTH_WEIGHTS[index])
            else:
                month_weight = 1 + 0.05 * index  # steady growth through the year
            for market in markets:
                is_new = market in step.new_markets and step.number > 1
                if is_new and index + 1 < NEW_MARKET_FIRST_MONTH:
                    continue
                for line, line_weight in LINE_WEIGHTS.items():
                    cells.append((month, market, line))
                    weights.append(month_weight * MARKET_WEIGHTS[market] * line_weight)
        for (month, market, line), units in zip(
            cells, apportion(step.target, weights), strict=True
        ):
            if units:
                rows.append(
                    planning_services.TargetInput(
                        month=month, market=market, units=units, product_line_id=lines[line].pk
                    )
                )
    return rows


def _plan(
    *,
    admin: Actor,
    partner: Actor,
    brand: Brand,
    memorandum: Agreement,
    lines: dict[str, ProductLine],
) -> SalesPlan:
    plan = planning_services.sales_plan_create(
        actor=admin,
        brand=brand,
        agreement=memorandum,
        data=planning_services.PlanInput(
            title=PLAN_TITLE,
            starts_on=PLAN_STARTS_ON,
            ends_on=PLAN_ENDS_ON,
            cumulative_target=PLAN_TARGET,
            notes=PLAN_NOTES,
        ),
    )
    markets: list[str] = []
    phases = []
    for step in PLAN_STEPS:
        markets += step.new_markets
        phases.append(
            planning_services.PhaseInput(
                number=step.number,
                name=step.name,
                starts_on=step.starts_on,
                ends_on=step.ends_on,
                markets=list(markets),
                target=step.target,
            )
        )
    planning_services.plan_phases_set(actor=admin, plan=plan, phases=phases)
    planning_services.plan_targets_set(actor=admin, plan=plan, rows=_targets(lines))
    zhongjiang_id = memorandum.grantee_id
    for data in (
        planning_services.MilestoneInput(
            title=SAMPLE_MILESTONE,
            due_on=SAMPLE_DUE_ON,
            owner_id=zhongjiang_id,
            condition=MilestoneCondition.ORDER_CONFIRMED,
            condition_units=SAMPLE_ORDER_UNITS,
        ),
        planning_services.MilestoneInput(
            title=SERVICE_MILESTONE, due_on=SERVICE_DUE_ON, owner_id=zhongjiang_id
        ),
        planning_services.MilestoneInput(title=THOUSAND_MILESTONE, due_on=THOUSAND_DUE_ON),
        planning_services.MilestoneInput(title=TARGET_MILESTONE, due_on=PLAN_ENDS_ON),
    ):
        planning_services.plan_milestone_create(actor=admin, plan=plan, data=data)
    planning_services.sales_plan_approve(actor=admin, plan=plan)
    planning_services.sales_plan_approve(actor=partner, plan=plan)
    return planning_services.sales_plan_transition(actor=admin, plan=plan, to=PlanStatus.ACTIVE)


# --- exchange rates ------------------------------------------------------------------------


def _units_per_usd(currency: str, year: int) -> Decimal:
    anchors = UNITS_PER_USD[currency]
    years = sorted(anchors)
    if year <= years[0]:
        return Decimal(anchors[years[0]])
    if year >= years[-1]:
        return Decimal(anchors[years[-1]])
    after = next(known for known in years if known >= year)
    before = max(known for known in years if known <= year)
    if before == after:
        return Decimal(anchors[before])
    share = Decimal(year - before) / Decimal(after - before)
    low, high = Decimal(anchors[before]), Decimal(anchors[after])
    return low + (high - low) * share


def _exchange_rates(currencies: set[str]) -> list[ExchangeRate]:
    missing = sorted(currencies - set(UNITS_PER_USD) - {"USD"})
    if missing:
        raise Conflict(
            _("The demo world has no exchange rates for %(codes)s.") % {"codes": ", ".join(missing)}
        )
    rates = []
    for currency in sorted(currencies):
        for year in RATE_YEARS:
            usd = Decimal(CNY_PER_USD[year])
            rate = usd if currency == "USD" else usd / _units_per_usd(currency, year)
            rates.append(
                ExchangeRate(
                    currency=currency, on=date(year, 1, 1), cny_per_unit=rate.quantize(RATE_PLACES)
                )
            )
    return ExchangeRate.objects.bulk_create(rates, batch_size=500)


# --- the world -----------------------------------------------------------------------------


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


@transaction.atomic
def world_build() -> DemoWorld:
    """Build the static demo world into a database with no organisations; refuse otherwise.

    Countries are loaded first if there are none.
    """
    _refuse_unless_empty()
    countries = _countries_ready(
        {HOME, "HK", *JAC_MARKETS, *NEZHA_MARKETS, *ZN_PLAN_MARKETS, *JAC_DEALERS}
    )
    names = {code: country.name for code, country in countries.items()}
    built = _Built(countries=countries)

    headquarters = _headquarters()
    Organization.objects.bulk_create(list(headquarters.values()))
    built.by_key.update(headquarters)

    outlets = _outlets_create(built)
    memberships, people = _people(built, make_password(DEMO_PASSWORD))
    admin = {key: actor_from_membership(memberships[email]) for key, email in ADMIN_EMAILS.items()}
    recorder = {
        key: actor_from_membership(memberships[email]) for key, email in RECORDER_EMAILS.items()
    }

    catalogues = {
        "zn": _catalogue(admin["zn"], brand_name="Zhengzhou Nissan", lines=ZN_LINES,
                         variants=ZN_VARIANTS),
        "jac": _catalogue(admin["jac"], brand_name="JAC", lines=JAC_LINES,
                          variants=JAC_VARIANTS),
        "nezha": _catalogue(admin["nezha"], brand_name="Nezha", lines=NEZHA_LINES,
                            variants=NEZHA_VARIANTS),
    }  # fmt: skip
    china = countries[HOME]
    plants = {
        key: Plant.objects.create(
            owner=headquarters[key], code=code, name=name, country=china, city=city
        )
        for key, code, name, city in (
            ("zn", "ZN-ZZ1", "Zhengzhou Nissan Zhengzhou plant", "Zhengzhou"),
            ("jac", "JAC-HF1", "JAC Hefei pickup plant", "Hefei"),
            ("nezha", "NZ-TX1", "Nezha Tongxiang plant", "Tongxiang"),
        )
    }

    # Case 1: the memorandum, Zhongjiang's local companies under it, and the plan.
    zn_brand = catalogues["zn"][0]
    zhongjiang = headquarters["zhongjiang"]
    signatories = [
        agreement_services.SignatoryInput(
            name=name, title=title, organization_id=headquarters[party].pk
        )
        for name, title, party in MEMORANDUM_SIGNATORIES
    ]
    memorandum = _grant(
        admin["zn"],
        kind=AgreementKind.MEMORANDUM,
        grantee=zhongjiang,
        title=MEMORANDUM_TITLE,
        brand=zn_brand,
        countries=ZN_PLAN_MARKETS,
        effective_from=MEMORANDUM_SIGNED_ON,
        signed_on=MEMORANDUM_SIGNED_ON,
        signed_in=MEMORANDUM_SIGNED_IN,
        commitments=MEMORANDUM_COMMITMENTS,
        signatories=signatories,
        notes=_memorandum_notes(),
    )
    importer_grants: dict[tuple[str, str], Agreement] = {}
    for code in ZN_PLAN_MARKETS:
        importer_grants["zn", code] = _grant(
            admin["zhongjiang"],
            kind=AgreementKind.DISTRIBUTION,
            grantee=outlets["zn"].importers[code],
            title=f"Zhengzhou Nissan distribution in {names[code]}",
            brand=zn_brand,
            countries=[code],
            effective_from=ZN_MARKET_OPENS_ON[code],
            signed_on=ZN_MARKET_SIGNED_ON[code],
            signed_in=MEMORANDUM_SIGNED_IN,
            parent=memorandum,
        )
    plan = _plan(
        admin=admin["zn"],
        partner=admin["zhongjiang"],
        brand=zn_brand,
        memorandum=memorandum,
        lines=catalogues["zn"][1],
    )

    # Case 3: Nezha International holds the overseas markets; distributors under it.
    nezha_brand = catalogues["nezha"][0]
    overseas = _grant(
        admin["nezha"],
        kind=AgreementKind.DISTRIBUTION,
        grantee=headquarters["nezha_international"],
        title="Overseas distribution of Nezha vehicles",
        brand=nezha_brand,
        countries=NEZHA_MARKETS,
        effective_from=NEZHA_OVERSEAS_FROM,
        signed_on=NEZHA_SIGNED_ON,
        signed_in="Hong Kong",
    )
    for code in NEZHA_MARKETS:
        importer_grants["nezha", code] = _grant(
            admin["nezha_international"],
            kind=AgreementKind.DISTRIBUTION,
            grantee=outlets["nezha"].importers[code],
            title=f"Nezha distribution in {names[code]}",
            brand=nezha_brand,
            countries=[code],
            effective_from=NEZHA_OVERSEAS_FROM,
            signed_on=NEZHA_SIGNED_ON,
            signed_in="Hong Kong",
            parent=overseas,
        )

    # Case 2: JAC's 132 national importers, each granted its market since 2009.
    jac_brand = catalogues["jac"][0]
    for code in JAC_MARKETS:
        importer_grants["jac", code] = _grant(
            admin["jac"],
            kind=AgreementKind.DISTRIBUTION,
            grantee=outlets["jac"].importers[code],
            title=f"JAC distribution in {names[code]}",
            brand=jac_brand,
            countries=[code],
            effective_from=JAC_GRANTS_FROM,
            signed_on=JAC_SIGNED_ON,
            signed_in="Hefei",
        )

    maker_brand = {"zn": zn_brand, "jac": jac_brand, "nezha": nezha_brand}
    _grants_bulk(_dealer_grants(outlets, headquarters, maker_brand, importer_grants))

    dealer_markets = {code for outlet in outlets.values() for code in outlet.dealers}
    currencies = {"USD", "EUR"} | {
        countries[code].currency for code in dealer_markets if countries[code].currency
    }
    currencies.discard("CNY")
    rates = _exchange_rates(currencies)

    def maker(key: str) -> MakerWorld:
        return MakerWorld(
            organization=headquarters[key],
            brand=maker_brand[key],
            recorder=recorder[key],
            plant=plants[key],
            variants=catalogues[key][2],
            importers=outlets[key].importers,
            dealers=outlets[key].dealers,
        )

    audit_record(
        actor=None,  # the system builds the world; the services above audited their rows
        action="demo.world_build",
        changes={
            "organizations": len(built.by_key),
            "people": len(memberships),
            "agreements": Agreement.objects.count(),
            "exchange_rates": len(rates),
        },
    )
    return DemoWorld(
        zhengzhou_nissan=maker("zn"),
        jac=maker("jac"),
        nezha=maker("nezha"),
        zhongjiang=zhongjiang,
        memorandum=memorandum,
        plan=plan,
        plan_markets=ZN_STEP_ONE,
        later_markets=(*ZN_STEP_TWO, *ZN_STEP_THREE),
        people=people,
    )


def _memorandum_notes() -> str:
    return (
        "Signed in Nanjing on 22 April 2025 by Yao Liwen and Qi Kuiyuan for Zhengzhou Nissan "
        "and Luo Kui for Zhongjiang International. Four collaboration areas: sales planning, "
        "brand marketing, channel synergy and after-sales service; both sides jointly analyse "
        "market demand and optimise the product portfolio. The countries in its scope are the "
        "markets of the sales plan that serves it (illustrative: the memorandum names none)."
    )


# --- after the vehicles ----------------------------------------------------------------------


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


def _sample_orders(world: DemoWorld, admin: Actor) -> list[ExportOrder]:
    """One order per step-one market for the sample vehicles Zhongjiang's local company
    received by the milestone's due date, confirmed before the first was allocated.

    The lines count those vehicles by variant; a market with none on record gets the
    default batch, confirmed on its default date.
    """
    maker = world.zhengzhou_nissan
    by_code = {variant.code: variant for variant in maker.variants}
    orders = []
    for number, code in enumerate(world.plan_markets, start=1):
        sample = Vehicle.objects.filter(
            brand=maker.brand,
            market_id=code,
            wholesaled_on__isnull=False,
            wholesaled_on__lte=SAMPLE_DUE_ON,
        )
        counts = dict(sample.order_by().values_list("variant_id").annotate(units=Count("pk")))
        confirmed_on = SAMPLE_ORDER_DATES[code]
        if counts:
            first = VehicleEvent.objects.filter(
                vehicle__in=sample, type=EventType.ALLOCATED
            ).aggregate(first=Min("occurred_on"))["first"]
            if first is not None:
                confirmed_on = max(MEMORANDUM_SIGNED_ON, min(confirmed_on, first))
            lines = sorted(counts.items())
        else:
            lines = [(by_code[variant].pk, units) for variant, units in DEFAULT_SAMPLE_BATCH]
        prices = {variant.pk: variant.list_price or Decimal(0) for variant in maker.variants}
        order = trade_services.export_order_create(
            actor=admin,
            number=f"ZN-EXP-2025-{number:03d}",
            brand=maker.brand,
            buyer=maker.importers[code],
            destination=code,
            incoterm=Incoterm.FOB,
            named_place=SAMPLE_PORT,
            currency="USD",
            payment_terms=PaymentTerms.TT,
            lines=[
                trade_services.LineInput(
                    variant_id=variant_id,
                    quantity=units,
                    # The CNY list price less 15 % for export, in dollars, to ten dollars.
                    unit_price=(
                        prices[variant_id] * Decimal("0.85") / Decimal(CNY_PER_USD[2025]) / 10
                    ).quantize(Decimal(1))
                    * 10,
                )
                for variant_id, units in lines
            ],
            notes="First batch of sample vehicles under the memorandum's step one.",
        )
        order = trade_services.export_order_transition(
            actor=admin, order=order, to=OrderStatus.CONFIRMED, on=confirmed_on
        )
        if counts:  # the vehicles are on record as delivered: the order is done
            for status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CLOSED):
                order = trade_services.export_order_transition(actor=admin, order=order, to=status)
        orders.append(order)
    return orders


def _cumulative_reached(plan: SalesPlan, markets: Sequence[str], units: int) -> Vehicle | None:
    """The vehicle whose wholesale brought the plan's markets to ``units`` units."""
    vehicles = Vehicle.objects.filter(
        brand_id=plan.brand_id,
        market_id__in=markets,
        wholesaled_on__gte=plan.starts_on,
        wholesaled_on__lte=plan.ends_on,
    ).order_by("wholesaled_on", "pk")
    return vehicles[units - 1 : units].first()


@transaction.atomic
def world_finish(world: DemoWorld) -> None:
    """What the demo world records once its vehicles exist: the sample vehicles' orders
    and the plan's milestones (the sample batch, the service network, cumulative units).
    Run once, after the vehicles are written."""
    if ExportOrder.objects.filter(brand=world.zhengzhou_nissan.brand).exists():
        raise Conflict(_("The demo world is already finished: its sample orders exist."))
    plan = world.plan
    admin = _admin_of(world.zhengzhou_nissan.organization)
    partner = _admin_of(world.zhongjiang)
    orders = _sample_orders(world, admin)
    planning_services.plan_milestones_check(plan=plan)

    milestones = {milestone.title: milestone for milestone in plan.milestones.all()}
    sample = milestones[SAMPLE_MILESTONE]
    if sample.status != MilestoneStatus.DONE:
        # No single order reached the batch size: the first order is the evidence.
        first = min(orders, key=lambda order: (order.confirmed_on or SAMPLE_DUE_ON, order.pk))
        planning_services.plan_milestone_complete(
            actor=partner,
            milestone=sample,
            completed_on=first.confirmed_on or SAMPLE_DUE_ON,
            evidence_order=first,
            evidence_note="The sample vehicles were ordered for the step-one markets.",
        )
    planning_services.plan_milestone_complete(
        actor=partner,
        milestone=milestones[SERVICE_MILESTONE],
        completed_on=SERVICE_DONE_ON,
        evidence_note=(
            "Authorised service workshops open at the dealers in Riyadh, Lagos and Quezon "
            "City; their technicians trained by Zhengzhou Nissan engineers; genuine parts "
            "stocked locally."
        ),
    )
    markets = PlanPhase.markets.through.objects.filter(planphase__plan=plan).values_list(
        "country_id", flat=True
    )
    for title, units in CUMULATIVE_MILESTONES.items():
        reached = _cumulative_reached(plan, sorted(set(markets)), units)
        if reached is None or reached.wholesaled_on is None:
            continue
        planning_services.plan_milestone_complete(
            actor=admin,
            milestone=milestones[title],
            completed_on=reached.wholesaled_on,
            evidence_note=(
                f"Unit {units:,} in the plan's markets: {reached.vin}, wholesaled in "
                f"{reached.market_id} on {reached.wholesaled_on:%Y-%m-%d}."
            ),
        )
    planning_services.plan_milestones_check(plan=plan)


__all__ = [
    "DEMO_PASSWORD",
    "DemoPerson",
    "DemoWorld",
    "MakerWorld",
    "world_build",
    "world_finish",
]
