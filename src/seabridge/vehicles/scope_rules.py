"""Vehicles are sales records of their brand in their market; a holder sees what it holds."""

from seabridge.core.scope import Area, ScopeRule, register
from seabridge.vehicles.models import Vehicle, VehicleEvent

register(
    Vehicle,
    ScopeRule(area=Area.SALES, brand="brand", market="market", outlet_organization="holder"),
)
register(
    VehicleEvent,
    ScopeRule(
        area=Area.SALES,
        brand="vehicle__brand",
        market="vehicle__market",
        outlet_organization="vehicle__holder",
    ),
)
