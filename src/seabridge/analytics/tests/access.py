"""The analytics app's rows in the authorization matrix (see core/tests/authorization.py).

Figures are sales records of their brand in their market: JAC's members count all
of JAC's; Zhongjiang counts JAC in Saudi Arabia and Iraq (its sales grant); Nezha,
a foreign maker, counts nothing of JAC's.
"""

from __future__ import annotations

from seabridge.core.tests.authorization import Access, Policy
from seabridge.core.tests.world import World


def extend_world(world: World) -> None:
    """Nothing to add: the figures come from the vehicles the other apps' worlds make."""


# The API: figures of JAC's brand for JAC's members and the partner (its grant counts
# Saudi Arabia and Iraq only). Nezha and a person of no organisation cannot name JAC's
# brand: a 422 naming it, as for a brand that does not exist. Production milestones
# are the owner's: the partner, who sees the brand, is refused with a 403.
NOT_THEIR_BRAND = {"lonely": 422, "nezha_admin": 422}
FIGURES = Policy(
    Access.SCOPED_LIST,
    query=lambda world: {"brand": world.jac_brand.pk, "from": "2025-01-01", "to": "2025-06-30"},
    expect=NOT_THEIR_BRAND,
)
API: dict[str, Policy] = {
    "GET /api/v1/analytics/kpi": FIGURES,
    "GET /api/v1/analytics/markets": FIGURES,
    "GET /api/v1/analytics/trend": FIGURES,
    "GET /api/v1/analytics/mix": FIGURES,
    "GET /api/v1/analytics/milestones": Policy(
        Access.SCOPED_LIST,
        query=lambda world: {"brand": world.jac_brand.pk},
        expect={**NOT_THEIR_BRAND, "partner_viewer": 403, "partner_admin": 403},
    ),
    "GET /api/v1/analytics/bulletin": Policy(
        Access.SCOPED_LIST,
        query=lambda world: {"brand": world.jac_brand.pk, "year": 2024, "through": "2025-03-31"},
        expect=NOT_THEIR_BRAND,
    ),
}

# The dashboard helper fills this dict (one entry per analytics page).
# Every signed-in person opens the dashboard and its downloads: each shows only the
# figures the caller's scope counts. JAC's own brand is on JAC's page and on the
# partner's (its grant); Nezha and a person of no organisation do not see it. A person
# of no organisation has no brand to download figures of: a 400 naming the brand.
PAGES: dict[str, Policy] = {
    "GET analytics:dashboard": Policy(
        Access.SCOPED_LIST,
        own_ids=lambda world: {">JAC<"},
        expect={"partner_viewer": 200, "partner_admin": 200},
    ),
    "GET analytics:chart": Policy(
        Access.SCOPED_LIST,
        params=lambda world: {"name": "markets", "format": "csv"},
        query=lambda world: {"brand": world.jac_brand.pk},
        # Only JAC's members and the partner see the JAC brand; others get the brand's
        # field error, as for any brand that is not theirs to see.
        expect={"lonely": 400, "nezha_admin": 400},
    ),
}
