"""Vehicles are sales records of their brand in their market.

The brand owner, the grantees of the market and the holder see a vehicle. Writing
follows the relationship: the holder acts on what it holds (delivers it on, sells
it, registers or scraps it), the brand owner on its brand's vehicles, and a trade
partner or importer granted the market acts for that market; a dealer granted the
market acts on nothing it does not hold. Only the brand owner removes a vehicle.
Events are written by the lifecycle only.
"""

from seabridge.core.scope import MARKET_PARTNER, OWNER, Action, Area, ScopeRule, register
from seabridge.vehicles.models import Vehicle, VehicleEvent

register(
    Vehicle,
    ScopeRule(
        area=Area.SALES,
        brand="brand",
        market="market",
        relations={"holder": "holder"},
        sees=("holder",),
        writes={
            Action.CREATE: (OWNER,),
            Action.CHANGE: (OWNER, MARKET_PARTNER, "holder"),
            Action.DELETE: (OWNER,),
        },
    ),
)
register(
    VehicleEvent,
    ScopeRule(
        area=Area.SALES,
        brand="vehicle__brand",
        market="vehicle__market",
        relations={"holder": "vehicle__holder"},
        sees=("holder",),
    ),
)
