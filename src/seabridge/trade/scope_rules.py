"""Trade records are sales records of their brand in their destination; buyers see theirs."""

from seabridge.core.scope import Area, ScopeRule, register
from seabridge.trade.models import ExportOrder, ExportOrderLine, Shipment

register(
    ExportOrder,
    ScopeRule(
        area=Area.SALES,
        brand="brand",
        market="destination",
        outlet_organization="buyer",
        outlet_reads_only=True,
    ),
)
register(Shipment, ScopeRule(area=Area.SALES, brand="brand", market="destination"))
register(
    ExportOrderLine,
    ScopeRule(
        area=Area.SALES,
        brand="order__brand",
        market="order__destination",
        outlet_organization="order__buyer",
        outlet_reads_only=True,
    ),
)
