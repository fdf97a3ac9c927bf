"""The demo world's people: those to sign in as, and the names everyone else is given.

:data:`PEOPLE` are the demo people the command prints (password
:data:`seabridge.demo.world.DEMO_PASSWORD`); :data:`ADMIN_EMAILS` and
:data:`RECORDER_EMAILS` say who acts for each headquarters while the world is built.
Every other organisation gets an administrator named from :data:`NAME_POOLS`, chosen
by its country. Customers are named from the generator's lists
(:data:`GIVEN_NAMES`, :data:`FAMILY_NAMES`; ``seabridge generate`` draws from them
too) with a few more in the demo's.
"""

from __future__ import annotations

from seabridge.accounts.choices import Role
from seabridge.demo.data.common import PersonSpec

# --- people to sign in as ------------------------------------------------------------------

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

# --- customers -----------------------------------------------------------------------------

# The generator's customers (``seabridge generate``).
GIVEN_NAMES = (
    "Ahmed", "Aisha", "Carlos", "Chen", "Daniel", "Fatima", "Hassan", "Ibrahim", "Juan",
    "Kofi", "Li", "Lucia", "Maria", "Mohammed", "Nguyen", "Olga", "Omar", "Priya", "Rafael",
    "Sara", "Somchai", "Wei", "Yusuf", "Zanele",
)  # fmt: skip
FAMILY_NAMES = (
    "Al-Farsi", "Banda", "Costa", "Dlamini", "Fernandes", "Garcia", "Haddad", "Ivanov",
    "Khan", "Lim", "Mensah", "Nakamura", "Okafor", "Pereira", "Rahman", "Santos", "Silva",
    "Tan", "Wang", "Yilmaz", "Zhang",
)  # fmt: skip
# The demo's customers: the generator's names and a few more (the generator's tuples
# first, so its draws stay).
CUSTOMER_GIVEN_NAMES = (*GIVEN_NAMES, "Ana", "Bayu", "Dmitri", "Emeka")
CUSTOMER_FAMILY_NAMES = (*FAMILY_NAMES, "Liu", "Chen", "Huang", "Zhou", "Wu")
CUSTOMER_TRADES = (
    "Logistics",
    "Construction",
    "Agro",
    "Mining",
    "Transport",
    "Trading",
    "Oilfield Services",
)
