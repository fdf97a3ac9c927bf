"""Case 3's tables: Nezha, with more than 320,000 cars on the road.

Nezha's catalogue (V, U, S, GT, L), its Tongxiang plant, its dealers in China and in
the 15 overseas markets of ASEAN, South America and the Middle East, where Nezha
International (Hong Kong) holds the distribution and grants a distributor in each;
the dates of those grants; and the wholesale periods: China first, abroad from 2022.
"""

from __future__ import annotations

from datetime import date, timedelta

from seabridge.catalog.choices import BodyType
from seabridge.demo.data.common import (
    BEV,
    CN_CITIES,
    EREV,
    LAG,
    LHD,
    RHD,
    TODAY,
    LineSpec,
    MakerSpec,
    Period,
    PlantSpec,
    VariantSpec,
)

# --- the maker -----------------------------------------------------------------------------

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
NEZHA_DOMESTIC_DEALERS = CN_CITIES[:60]

NEZHA_DOMESTIC_FROM = date(2018, 10, 1)
NEZHA_OVERSEAS_FROM = date(2022, 1, 1)
NEZHA_SIGNED_ON = date(2021, 12, 20)
NEZHA_SIGNED_IN = "Hong Kong"
NEZHA_OVERSEAS_TITLE = "Overseas distribution of Nezha vehicles"

NEZHA = MakerSpec(
    key="nezha",
    brand="Nezha",
    lines=NEZHA_LINES,
    variants=NEZHA_VARIANTS,
    plant=PlantSpec("NZ-TX1", "Nezha Tongxiang plant", "Tongxiang"),
    importers=NEZHA_MARKETS,
    importer_names=("Nezha {name}", "Nezha Auto {name} Distribution Co."),
    dealers=NEZHA_DEALERS,
    domestic_dealers=NEZHA_DOMESTIC_DEALERS,
    domestic_grant=(NEZHA_DOMESTIC_FROM, NEZHA_DOMESTIC_FROM, "Tongxiang"),
)

# --- the maker's wholesale -----------------------------------------------------------------

# China first, abroad from 2022; more than 320,000 cars with their owners.
NEZHA_PERIODS = (
    Period(date(2020, 5, 15), date(2020, 12, 31), 25_400, 0),  # the U from April 2020
    Period(date(2021, 1, 1), date(2021, 12, 31), 69_600, 0),
    Period(date(2022, 1, 1), date(2022, 12, 31), 104_000, 4_400),
    Period(date(2023, 1, 1), date(2023, 12, 31), 67_000, 12_600),
    Period(date(2024, 1, 1), date(2024, 12, 31), 22_000, 14_500),
    Period(date(2025, 1, 1), date(2025, 12, 31), 5_200, 6_800),
    Period(date(2026, 1, 1), TODAY + timedelta(days=LAG), 1_200, 2_300),
)
# The largest export markets first (the first six get a vessel a week).
NEZHA_LARGEST_MARKETS = ("TH", "MY", "ID", "AE", "SA", "BR", "PH", "QA", "CL", "VN", "SG", "CO")
