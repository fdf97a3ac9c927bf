from django.db import models
from django.utils.translation import gettext_lazy as _


class VehicleState(models.TextChoices):
    """Where a vehicle stands between the production line and its end."""

    PRODUCED = "produced", _("Produced")
    ALLOCATED = "allocated", _("Allocated")
    SHIPPED = "shipped", _("Shipped")
    ARRIVED = "arrived", _("Arrived at port")
    IN_STOCK = "in_stock", _("In dealer stock")
    RETAILED = "retailed", _("Retailed")
    REGISTERED = "registered", _("Registered")
    SCRAPPED = "scrapped", _("Scrapped")
    RE_EXPORTED = "re_exported", _("Exported again")


class EventType(models.TextChoices):
    """What happened to a vehicle; each event moves it from one state to another."""

    PRODUCED = "produced", _("Produced")
    ALLOCATED = "allocated", _("Allocated")
    DEALLOCATED = "deallocated", _("Allocation withdrawn")
    SHIPPED = "shipped", _("Shipped")
    ARRIVED = "arrived", _("Arrived at port")
    DELIVERED = "delivered", _("Delivered to dealer stock")
    RETAILED = "retailed", _("Retailed")
    REGISTERED = "registered", _("Registered")
    SCRAPPED = "scrapped", _("Scrapped")
    RE_EXPORTED = "re_exported", _("Exported again")
    RETAIL_CANCELLED = "retail_cancelled", _("Retail sale cancelled")


# event type -> (states it may start from, state it leads to). Anything else is refused.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    EventType.ALLOCATED: (frozenset({VehicleState.PRODUCED}), VehicleState.ALLOCATED),
    EventType.DEALLOCATED: (frozenset({VehicleState.ALLOCATED}), VehicleState.PRODUCED),
    EventType.SHIPPED: (frozenset({VehicleState.ALLOCATED}), VehicleState.SHIPPED),
    EventType.ARRIVED: (frozenset({VehicleState.SHIPPED}), VehicleState.ARRIVED),
    # Delivery to a dealer: after arrival abroad, or straight from allocation at home.
    EventType.DELIVERED: (
        frozenset({VehicleState.ARRIVED, VehicleState.ALLOCATED}),
        VehicleState.IN_STOCK,
    ),
    EventType.RETAILED: (frozenset({VehicleState.IN_STOCK}), VehicleState.RETAILED),
    EventType.RETAIL_CANCELLED: (frozenset({VehicleState.RETAILED}), VehicleState.IN_STOCK),
    EventType.REGISTERED: (frozenset({VehicleState.RETAILED}), VehicleState.REGISTERED),
    EventType.SCRAPPED: (
        frozenset(
            {
                VehicleState.PRODUCED,
                VehicleState.ALLOCATED,
                VehicleState.ARRIVED,
                VehicleState.IN_STOCK,
                VehicleState.RETAILED,
                VehicleState.REGISTERED,
            }
        ),
        VehicleState.SCRAPPED,
    ),
    EventType.RE_EXPORTED: (
        frozenset({VehicleState.IN_STOCK, VehicleState.RETAILED, VehicleState.REGISTERED}),
        VehicleState.RE_EXPORTED,
    ),
}

# In operation (the "user base"): sold to a customer and not gone.
IN_OPERATION_STATES = frozenset({VehicleState.RETAILED, VehicleState.REGISTERED})


class CustomerKind(models.TextChoices):
    PERSON = "person", _("Person")
    COMPANY = "company", _("Company")


class StockCountResult(models.TextChoices):
    """How a VIN of a dealer's stock count compares with the records."""

    MATCHED = "matched", _("Counted and in stock")
    NOT_IN_STOCK = "not_in_stock", _("Counted but not in stock")
    MISSING = "missing", _("In stock but not counted")
