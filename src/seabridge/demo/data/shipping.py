"""How the demo's exports travel: ports of loading, destination ports, carriers, vessels.

Each maker loads at its port (:data:`LOADING`; Qingdao when it has none there); a
destination's port and the days at sea come from :data:`PORTS`, Central Asia goes by
rail across the Khorgos crossing (:data:`BY_RAIL`), and any other market is reached by
sea in 30 days at a port not in the code list. Carriers and vessels are named in turn
from the tuples below.
"""

from __future__ import annotations

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
