"""What every table of the demo world uses: the row types and a few shared values.

The home country, the world's today, the days from the line to the wholesale, the
areas a dealer works in, China's cities (the domestic dealers' locations), and the
short names the catalogue tables use for steering sides, bodies and powertrains.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from seabridge.accounts.choices import Role
from seabridge.catalog.choices import BodyType, Powertrain, SteeringSide
from seabridge.core.choices import Area

HOME = "CN"
TODAY = date(2026, 11, 23)  # the demo world's today: nothing happens after it
LAG = 40  # days from the line to the wholesale

# Areas a dealer works in; importers and partners are granted all areas.
DEALER_AREAS = (Area.SALES, Area.MARKETING, Area.AFTER_SALES, Area.PARTS)

LHD, RHD = SteeringSide.LEFT, SteeringSide.RIGHT
DOUBLE, EXTENDED, SINGLE = (
    BodyType.PICKUP_DOUBLE_CAB,
    BodyType.PICKUP_EXTENDED_CAB,
    BodyType.PICKUP_SINGLE_CAB,
)
DIESEL, PETROL, BEV, EREV = Powertrain.DIESEL, Powertrain.PETROL, Powertrain.BEV, Powertrain.EREV

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


class PlantSpec(NamedTuple):
    code: str
    name: str
    city: str


class MakerSpec(NamedTuple):
    """One maker's tables: its catalogue, its plant, its importers and dealers."""

    key: str  # how the builders and the people table name its organisations
    brand: str
    lines: tuple[LineSpec, ...]
    variants: tuple[VariantSpec, ...]
    plant: PlantSpec
    importers: tuple[str, ...]  # the export markets with a national importer
    importer_names: tuple[str, str]  # short and legal name patterns, with {name}
    dealers: dict[str, tuple[str, ...]]  # export market → the location of each dealer
    domestic_dealers: tuple[str, ...]  # the city of each dealer in China
    # The maker's grant to its domestic dealers: effective from, signed on, signed in.
    domestic_grant: tuple[date, date, str]


class OrganisationSpec(NamedTuple):
    key: str
    kind: str
    legal_name: str
    short_name: str
    country: str
    founded_year: int
    description: str


class PersonSpec(NamedTuple):
    email: str
    first_name: str
    last_name: str
    organization: str  # a key of the organisations built: "jac", "importer:jac:CL", …
    role: Role
    works_as: str


class StepSpec(NamedTuple):
    number: int
    name: str
    starts_on: date
    ends_on: date
    target: int
    new_markets: tuple[str, ...]


class Period(NamedTuple):
    """Units sold wholesale from ``first`` to ``last`` (both included), at home and abroad."""

    first: date
    last: date
    domestic: int
    international: int
