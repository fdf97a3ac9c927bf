from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    """What a figure counts. "Sales" means wholesale, as makers report it."""

    SALES = "sales", _("Sales (wholesale)")
    RETAIL = "retail", _("Retail sales")
    PRODUCTION = "production", _("Production")
    SHIPPED = "shipped", _("Shipped")
    IN_OPERATION = "in_operation", _("Vehicles in operation")


class Scope(models.TextChoices):
    """Which side of the brand owner's home border a figure lies on."""

    DOMESTIC = "domestic", _("Domestic")
    INTERNATIONAL = "international", _("International")


class PeriodKind(models.TextChoices):
    """How the dashboard states its period."""

    YEAR_TO_DATE = "ytd", _("Year to date")
    YEAR = "year", _("Year")
    QUARTER = "quarter", _("Quarter")
    MONTH = "month", _("Month")
    ROLLING = "rolling", _("Rolling 12 months")
    CUSTOM = "custom", _("From … to")
