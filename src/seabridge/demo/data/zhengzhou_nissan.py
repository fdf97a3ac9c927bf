"""Case 1's tables: Zhengzhou Nissan, Zhongjiang International and their memorandum.

Zhengzhou Nissan's catalogue (NAVARA, Rich, Z9), plant and dealers; the memorandum
of cooperation signed in Nanjing on 22 April 2025 (title, signatories, commitments,
notes); the "three-year, three-step" sales plan that serves it (steps, markets,
weights of the targets, milestones, the sample vehicles' orders); and the maker's
wholesale periods, which stay behind the plan. The memorandum names no countries:
the plan's markets here are the demo's illustration, inside Zhongjiang's footprint.
"""

from __future__ import annotations

from datetime import date, timedelta

from seabridge.agreements.choices import CollaborationTopic
from seabridge.demo.data.common import (
    DIESEL,
    DOUBLE,
    EXTENDED,
    LAG,
    LHD,
    PETROL,
    RHD,
    TODAY,
    LineSpec,
    MakerSpec,
    Period,
    PlantSpec,
    StepSpec,
    VariantSpec,
)

# --- the maker -----------------------------------------------------------------------------

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

# The plan's markets by step; Zhongjiang's local company in each is the importer.
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
ZN_DOMESTIC_DEALERS = (
    "Zhengzhou", "Luoyang", "Kaifeng", "Xinxiang", "Nanyang", "Anyang", "Xi'an", "Wuhan",
)  # fmt: skip

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

ZHENGZHOU_NISSAN = MakerSpec(
    key="zn",
    brand="Zhengzhou Nissan",
    lines=ZN_LINES,
    variants=ZN_VARIANTS,
    plant=PlantSpec("ZN-ZZ1", "Zhengzhou Nissan Zhengzhou plant", "Zhengzhou"),
    importers=ZN_PLAN_MARKETS,
    importer_names=("Zhongjiang {name}", "Zhongjiang International ({name}) Co., Ltd."),
    dealers=ZN_DEALERS,
    domestic_dealers=ZN_DOMESTIC_DEALERS,
    domestic_grant=(ZN_DOMESTIC_FROM, ZN_DOMESTIC_SIGNED_ON, "Zhengzhou"),
)

# --- the memorandum ------------------------------------------------------------------------

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
MEMORANDUM_NOTES = (
    "Signed in Nanjing on 22 April 2025 by Yao Liwen and Qi Kuiyuan for Zhengzhou Nissan "
    "and Luo Kui for Zhongjiang International. Four collaboration areas: sales planning, "
    "brand marketing, channel synergy and after-sales service; both sides jointly analyse "
    "market demand and optimise the product portfolio. The countries in its scope are the "
    "markets of the sales plan that serves it (illustrative: the memorandum names none)."
)

# --- the plan ------------------------------------------------------------------------------

PLAN_TITLE = "Three-Year, Three-Step overseas sales plan 2025–2027"
PLAN_STARTS_ON = date(2025, 5, 1)
PLAN_ENDS_ON = date(2027, 12, 31)
PLAN_TARGET = 3000

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

PLAN_NOTES = (
    "Serves the memorandum of cooperation signed in Nanjing on 22 April 2025. The "
    "memorandum names no countries: the markets of the three steps are illustrative. Step "
    "one takes three emerging markets where Zhongjiang International already works (Saudi "
    "Arabia, Nigeria, the Philippines); steps two and three expand into high-demand, "
    "resource-rich markets (Oman, Ghana and Indonesia in 2026; Iraq, Angola and Zambia in "
    "2027). Target: 3,000 cumulative units by the end of 2027 (500, 1,000 and 1,500 a year)."
)

# --- the maker's wholesale -----------------------------------------------------------------

# A domestic business, and the plan's markets from the samples of May–June 2025 on,
# behind the plan's 500 and 1,000 units.
ZN_PERIODS = (
    Period(date(2024, 1, 1), date(2024, 12, 31), 5_800, 0),
    Period(date(2025, 1, 1), date(2025, 5, 14), 2_300, 0),
    Period(date(2025, 5, 20), date(2025, 6, 20), 720, 24),  # the sample vehicles
    Period(date(2025, 6, 21), date(2025, 12, 31), 3_400, 286),
    Period(date(2026, 1, 1), TODAY + timedelta(days=LAG), 5_600, 640),
)
