"""The five headquarters of the demo world: the three makers and the two trade partners.

Zhengzhou Nissan, JAC and Nezha (the makers of cases 1, 2 and 3), Zhongjiang
International (Zhengzhou Nissan's partner under the memorandum) and Nezha
International in Hong Kong (which holds Nezha's overseas distribution), with their
legal names, founding years and descriptions. The importers and dealers are named
from patterns in each case's module.
"""

from __future__ import annotations

from seabridge.accounts.choices import OrganizationKind
from seabridge.demo.data.common import HOME, OrganisationSpec

HEADQUARTERS = (
    OrganisationSpec(
        "zn",
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
    OrganisationSpec(
        "jac",
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
    OrganisationSpec(
        "nezha",
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
    OrganisationSpec(
        "zhongjiang",
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
    OrganisationSpec(
        "nezha_international",
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
)
