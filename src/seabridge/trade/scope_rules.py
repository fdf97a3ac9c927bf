"""Trade records are sales records of their brand in their destination.

The brand owner and the grantees of the destination see orders and shipments; the
seller and the buyer see their orders. The seller prices, edits, confirms and
cancels an order (the brand owner too only when it is the seller); the buyer reads
it and accepts or disputes it once confirmed. Shipments are moved by the brand owner
or the trade partner or importer granted the destination.
"""

from seabridge.core.scope import MARKET_PARTNER, OWNER, Action, Area, ScopeRule, register
from seabridge.trade.models import ExportOrder, ExportOrderLine, Shipment


def _order_rule(prefix: str) -> ScopeRule:
    return ScopeRule(
        area=Area.SALES,
        brand=f"{prefix}brand",
        market=f"{prefix}destination",
        relations={"seller": f"{prefix}seller", "buyer": f"{prefix}buyer"},
        sees=("seller", "buyer"),
        writes={
            # A new order's seller is its creator: the brand owner or the partner
            # granted the destination (``may_create``); then the seller alone acts.
            Action.CREATE: (OWNER, MARKET_PARTNER),
            Action.CHANGE: ("seller",),
            Action.APPROVE: ("seller",),
            Action.DELETE: ("seller",),
            # The buyer accepts or disputes what its seller confirmed.
            Action.RESPOND: ("buyer",),
        },
    )


register(ExportOrder, _order_rule(""))
register(ExportOrderLine, _order_rule("order__"))
register(
    Shipment,
    ScopeRule(
        area=Area.SALES,
        brand="brand",
        market="destination",
        writes={
            Action.CREATE: (OWNER, MARKET_PARTNER),
            Action.CHANGE: (OWNER, MARKET_PARTNER),
        },
    ),
)
