"""Case 2's tables: JAC's pickups, sold at home and in 132 countries and regions abroad.

JAC's catalogue (T8, T9, T9 EV), its Hefei plant, its 132 export markets with a
national importer each, its dealers at home and in the largest markets, the dates of
its grants, and the fixed years of its wholesale (2022 to today) that give the case's
figures: 2023 55,000 units, +11.3 % (home +16.3 %, abroad +9.9 %), January–April 2024
18,200. The years before 2022 are solved from these (:mod:`seabridge.demo.schedules`)
so that unit 300,000 comes off the line on :data:`JAC_UNIT_300K_ON`.
"""

from __future__ import annotations

from datetime import date, timedelta

from seabridge.demo.data.common import (
    BEV,
    CN_CITIES,
    DIESEL,
    DOUBLE,
    LAG,
    LHD,
    PETROL,
    RHD,
    SINGLE,
    TODAY,
    LineSpec,
    MakerSpec,
    Period,
    PlantSpec,
    VariantSpec,
)

# --- the maker -----------------------------------------------------------------------------

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
JAC_DOMESTIC_DEALERS = CN_CITIES[:40]

JAC_GRANTS_FROM = date(2009, 1, 1)  # JAC's first pickup came off the line in 2009
JAC_SIGNED_ON = date(2008, 12, 18)

JAC = MakerSpec(
    key="jac",
    brand="JAC",
    lines=JAC_LINES,
    variants=JAC_VARIANTS,
    plant=PlantSpec("JAC-HF1", "JAC Hefei pickup plant", "Hefei"),
    importers=JAC_MARKETS,
    importer_names=("JAC {name}", "JAC Motors {name} Import and Distribution Co."),
    dealers=JAC_DEALERS,
    domestic_dealers=JAC_DOMESTIC_DEALERS,
    domestic_grant=(JAC_GRANTS_FROM, JAC_SIGNED_ON, "Hefei"),
)

# --- the maker's wholesale -----------------------------------------------------------------

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
JAC_UNIT_300K_ON = date(2024, 5, 23)  # the day the 300,000th pickup came off the line

# The largest export markets first (they get the most vehicles and a vessel a week).
JAC_LARGEST_MARKETS = (
    "CL", "SA", "MX", "PE", "AE", "EG", "NG", "RU", "KZ", "VN", "PH", "DZ", "IQ", "ZA", "EC",
    "BO", "CO", "UZ", "MY", "TH", "AU", "TR", "KE", "GH",
)  # fmt: skip
