"""The VIN registry: every vehicle, its lifecycle events, plants and retail customers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from seabridge.core.models import BaseModel
from seabridge.core.money import AmountField, CurrencyField
from seabridge.vehicles.choices import CustomerKind, EventType, StockCountResult, VehicleState


class Plant(BaseModel):
    """A factory of a brand owner, where vehicles come off the line."""

    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="plants",
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.ForeignKey(
        "markets.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("plant")
        verbose_name_plural = _("plants")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Customer(BaseModel):
    """Who bought a vehicle at retail: a person or a company, recorded by the selling dealer."""

    kind = models.CharField(_("kind"), max_length=8, choices=CustomerKind.choices)
    name = models.CharField(_("name"), max_length=200)
    country = models.ForeignKey(
        "markets.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    external_ref = models.CharField(
        _("reference"), max_length=60, blank=True, help_text=_("The dealer's own customer number.")
    )
    # Not indexed on its own: the index ``customer_ref`` starts with it.
    recorded_by = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="customers",
        db_index=False,
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        indexes = [models.Index(fields=["recorded_by", "external_ref"], name="customer_ref")]

    def __str__(self) -> str:
        return self.name


class VehicleQuerySet(models.QuerySet["Vehicle"]):
    def in_operation(self) -> VehicleQuerySet:
        """Sold to a customer and not scrapped or exported again: the user base."""
        return self.filter(state__in=[VehicleState.RETAILED, VehicleState.REGISTERED])

    def in_dealer_stock(self) -> VehicleQuerySet:
        return self.filter(state=VehicleState.IN_STOCK)


class Vehicle(BaseModel):
    """One vehicle, by its VIN, with its current state; history lives in its events.

    ``brand`` repeats the variant's brand and ``market`` is where the vehicle is
    meant to be sold (the brand owner's home country until it is allocated abroad),
    so that the scope module and reports filter vehicles without joins.
    ``wholesaled_on`` and ``retailed_on`` are the dates of the two sales measures.
    """

    vin = models.CharField(_("VIN"), max_length=17, unique=True)
    # brand and holder lead composite indexes (Meta.indexes), which serve their lookups.
    brand = models.ForeignKey(
        "catalog.Brand",
        verbose_name=_("brand"),
        on_delete=models.PROTECT,
        related_name="vehicles",
        db_index=False,
    )
    variant = models.ForeignKey(
        "catalog.Variant",
        verbose_name=_("variant"),
        on_delete=models.PROTECT,
        related_name="vehicles",
    )
    # Never searched by plant (production reads go by brand and date): not indexed.
    plant = models.ForeignKey(
        Plant,
        verbose_name=_("plant"),
        on_delete=models.PROTECT,
        related_name="vehicles",
        null=True,
        blank=True,
        db_index=False,
    )
    line_sequence = models.PositiveBigIntegerField(_("line sequence"), null=True, blank=True)
    produced_on = models.DateField(_("produced on"))
    state = models.CharField(
        _("state"), max_length=12, choices=VehicleState.choices, default=VehicleState.PRODUCED
    )
    market = models.ForeignKey(
        "markets.Country", verbose_name=_("market"), on_delete=models.PROTECT, related_name="+"
    )
    holder = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("current holder"),
        on_delete=models.PROTECT,
        related_name="vehicles_held",
        db_index=False,
    )
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
    )
    wholesaled_on = models.DateField(_("wholesaled on"), null=True, blank=True)
    retailed_on = models.DateField(_("retailed on"), null=True, blank=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["-produced_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(vin__regex=r"^[A-HJ-NPR-Z0-9]{17}$"), name="vehicle_vin_syntax"
            ),
        ]
        indexes = [
            models.Index(fields=["brand", "produced_on", "id"], name="vehicle_brand_produced"),
            models.Index(fields=["brand", "market", "state"], name="vehicle_brand_market_state"),
            models.Index(fields=["holder", "state"], name="vehicle_holder_state"),
            models.Index(fields=["-produced_on", "-id"], name="vehicle_recent"),
        ]

    def __str__(self) -> str:
        return self.vin


class VehicleEvent(models.Model):
    """One thing that happened to a vehicle. Append-only: corrections are new events.

    The VIN timeline and the analytics facts both come from these rows.
    """

    # Not indexed on its own: ``event_timeline`` (vehicle, date, id) serves every read by
    # vehicle, and each index costs every insert (millions in a history import).
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    type = models.CharField(_("event"), max_length=16, choices=EventType.choices)
    from_state = models.CharField(
        _("from"), max_length=12, choices=VehicleState.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=VehicleState.choices)
    occurred_on = models.DateField(_("date"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Who recorded it, by whom and where: shown on the timeline, never searched by.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    country = models.ForeignKey(
        "markets.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    is_wholesale = models.BooleanField(_("wholesale"), default=False)
    price = AmountField(verbose_name=_("price"), null=True, blank=True)
    currency = CurrencyField(verbose_name=_("currency"), blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    export_order = models.ForeignKey(
        "trade.ExportOrder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    shipment = models.ForeignKey(
        "trade.Shipment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document_ref = models.CharField(_("document"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("vehicle event")
        verbose_name_plural = _("vehicle events")
        ordering = ["vehicle", "occurred_on", "id"]
        indexes = [
            models.Index(fields=["vehicle", "occurred_on", "id"], name="event_timeline"),
            models.Index(fields=["type", "occurred_on"], name="event_type_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0) | models.Q(price__isnull=True),
                name="event_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.type} {self.occurred_on}"


class StockCount(BaseModel):
    """A dealer's physical count of its stock on a day, as the dealer reported it.

    Its lines compare the VINs counted with the vehicles the records show in that
    dealer's stock: counted and in stock, counted but not in stock, in stock but not
    counted. One count per dealer and day.
    """

    dealer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("dealer"),
        on_delete=models.PROTECT,
        related_name="stock_counts",
    )
    counted_on = models.DateField(_("counted on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-counted_on", "dealer"]
        constraints = [
            models.UniqueConstraint(fields=["dealer", "counted_on"], name="stock_count_dealer_day"),
        ]

    def __str__(self) -> str:
        return f"{self.dealer} {self.counted_on}"


class StockCountLine(models.Model):
    """One VIN of a stock count and how it compares with the records on that day."""

    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    vin = models.CharField(_("VIN"), max_length=17)
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=12, choices=StockCountResult.choices)

    class Meta:
        verbose_name = _("stock count line")
        verbose_name_plural = _("stock count lines")
        ordering = ["count", "vin"]
        constraints = [
            models.UniqueConstraint(fields=["count", "vin"], name="stock_count_line_vin"),
        ]

    def __str__(self) -> str:
        return f"{self.vin} {self.result}"
