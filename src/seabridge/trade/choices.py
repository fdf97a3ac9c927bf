from django.db import models
from django.utils.translation import gettext_lazy as _


class Incoterm(models.TextChoices):
    """The eleven Incoterms 2020 rules; codes are never translated."""

    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"
    FAS = "FAS", "FAS"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"


class PaymentTerms(models.TextChoices):
    TT = "tt", _("Telegraphic transfer (T/T)")
    LC = "lc", _("Letter of credit (L/C)")
    DP = "dp", _("Documents against payment (D/P)")


class OrderStatus(models.TextChoices):
    """draft → confirmed → in production → shipped → delivered → closed, or cancelled."""

    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")
    IN_PRODUCTION = "in_production", _("In production")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.DRAFT: frozenset({OrderStatus.CONFIRMED, OrderStatus.CANCELLED}),
    OrderStatus.CONFIRMED: frozenset(
        {OrderStatus.IN_PRODUCTION, OrderStatus.SHIPPED, OrderStatus.CANCELLED}
    ),
    OrderStatus.IN_PRODUCTION: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.CLOSED}),
    OrderStatus.CLOSED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class BuyerResponse(models.TextChoices):
    """The buyer's answer to an order its seller confirmed."""

    ACCEPTED = "accepted", _("Accepted")
    DISPUTED = "disputed", _("Disputed")


# Orders a buyer may answer: confirmed and not yet shipped.
ANSWERABLE_STATUSES = frozenset({OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION})


class ShipmentMode(models.TextChoices):
    RORO = "roro", _("Roll-on/roll-off vessel")
    CONTAINER = "container", _("Container")
    RAIL = "rail", _("Rail")
    TRUCK = "truck", _("Truck")


class ShipmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DEPARTED = "departed", _("Departed")
    ARRIVED = "arrived", _("Arrived")
