"""The analytics app's rows in the authorization matrix (see core/tests/authorization.py).

Figures are sales records of their brand in their market: JAC's members count all
of JAC's; Zhongjiang counts JAC in Saudi Arabia and Iraq (its sales grant); Nezha,
a foreign maker, counts nothing of JAC's.
"""

from __future__ import annotations

from seabridge.core.tests.authorization import Policy
from seabridge.core.tests.world import World


def extend_world(world: World) -> None:
    """Nothing to add: the figures come from the vehicles the other apps' worlds make."""


# The API helper fills this dict (one entry per analytics endpoint).
API: dict[str, Policy] = {}

# The dashboard helper fills this dict (one entry per analytics page).
PAGES: dict[str, Policy] = {}
