"""Export orders with their lines, shipments of VINs, and the exchange rates users keep."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from seabridge.core.models import BaseModel
from seabridge.core.money import AMOUNT_MAX_DIGITS, AmountField, CurrencyField
from seabridge.trade.choices import (
    BuyerResponse,
    Incoterm,
    OrderStatus,
    PaymentTerms,
    ShipmentMode,
    ShipmentStatus,
)

RATE_DECIMAL_PLACES = 8  # an exchange rate's decimal places (CNY per unit)


class ExportOrder(BaseModel):
    """An order from an overseas buyer (importer, partner) for vehicles of one brand."""

    number = models.CharField(_("order number"), max_length=40, unique=True)
    brand = models.ForeignKey(
        "catalog.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="+"
    )
    seller = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("seller"),
        on_delete=models.PROTECT,
        related_name="orders_sold",
    )
    buyer = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("buyer"),
        on_delete=models.PROTECT,
        related_name="orders_bought",
    )
    destination = models.ForeignKey(
        "markets.Country", verbose_name=_("destination"), on_delete=models.PROTECT, related_name="+"
    )
    incoterm = models.CharField(_("Incoterms 2020 rule"), max_length=3, choices=Incoterm.choices)
    named_place = models.CharField(_("named place"), max_length=120, blank=True)
    currency = CurrencyField(verbose_name=_("currency"))
    payment_terms = models.CharField(_("payment terms"), max_length=2, choices=PaymentTerms.choices)
    lc_number = models.CharField(_("L/C number"), max_length=60, blank=True)
    lc_expires_on = models.DateField(_("L/C expiry"), null=True, blank=True)
    requested_on = models.DateField(_("requested delivery"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=14, choices=OrderStatus.choices, default=OrderStatus.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    buyer_response = models.CharField(
        _("buyer's response"), max_length=8, choices=BuyerResponse.choices, blank=True
    )
    buyer_responded_on = models.DateField(_("buyer responded on"), null=True, blank=True)
    dispute_reason = models.TextField(_("reason for the dispute"), blank=True)

    class Meta:
        verbose_name = _("export order")
        verbose_name_plural = _("export orders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(payment_terms=PaymentTerms.LC) | ~models.Q(lc_number=""),
                name="order_lc_has_number",
            ),
            models.CheckConstraint(
                condition=~models.Q(buyer_response=BuyerResponse.DISPUTED)
                | ~models.Q(dispute_reason=""),
                name="order_dispute_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["brand", "destination", "status"], name="order_brand_market"),
            models.Index(fields=["buyer", "status"], name="order_buyer"),
        ]

    def __str__(self) -> str:
        return self.number


class ExportOrderLine(models.Model):
    """So many units of one variant at one unit price."""

    order = models.ForeignKey(ExportOrder, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(
        "catalog.Variant", verbose_name=_("variant"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = AmountField(verbose_name=_("unit price"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
            models.UniqueConstraint(fields=["order", "variant"], name="order_line_variant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} × {self.variant_id}"


class Allocation(models.Model):
    """A VIN allocated to an order line; the database allows one live allocation per vehicle."""

    line = models.ForeignKey(ExportOrderLine, on_delete=models.PROTECT, related_name="allocations")
    vehicle = models.OneToOneField(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="allocation"
    )
    allocated_on = models.DateField(_("allocated on"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")

    def __str__(self) -> str:
        return f"{self.vehicle_id} → line {self.line_id}"


class Shipment(BaseModel):
    """Vehicles moving together from a port of loading to a port of discharge."""

    number = models.CharField(_("shipment number"), max_length=40, unique=True)
    brand = models.ForeignKey(
        "catalog.Brand", verbose_name=_("brand"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.ForeignKey(
        "markets.Country", verbose_name=_("destination"), on_delete=models.PROTECT, related_name="+"
    )
    orders = models.ManyToManyField(ExportOrder, verbose_name=_("orders"), related_name="shipments")
    mode = models.CharField(_("mode"), max_length=10, choices=ShipmentMode.choices)
    carrier = models.CharField(_("carrier"), max_length=120, blank=True)
    vessel = models.CharField(_("vessel"), max_length=120, blank=True)
    voyage = models.CharField(_("voyage"), max_length=40, blank=True)
    port_of_loading = models.CharField(_("port of loading (UN/LOCODE)"), max_length=5)
    port_of_discharge = models.CharField(_("port of discharge (UN/LOCODE)"), max_length=5)
    bill_of_lading = models.CharField(_("bill of lading"), max_length=60, blank=True)
    etd = models.DateField(_("ETD"), null=True, blank=True)
    eta = models.DateField(_("ETA"), null=True, blank=True)
    departed_on = models.DateField(_("departed on"), null=True, blank=True)
    arrived_on = models.DateField(_("arrived on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ShipmentStatus.choices, default=ShipmentStatus.PLANNED
    )
    freight = AmountField(verbose_name=_("freight"), null=True, blank=True)
    insurance = AmountField(verbose_name=_("insurance"), null=True, blank=True)
    other_costs = AmountField(verbose_name=_("other costs"), null=True, blank=True)
    cost_currency = CurrencyField(verbose_name=_("cost currency"), blank=True)
    vehicles: models.ManyToManyField = models.ManyToManyField(
        "vehicles.Vehicle",
        through="ShipmentVehicle",
        related_name="shipments",
        verbose_name=_("vehicles"),
    )

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(port_of_loading__regex=r"^[A-Z]{2}[A-Z2-9]{3}$")
                & models.Q(port_of_discharge__regex=r"^[A-Z]{2}[A-Z2-9]{3}$"),
                name="shipment_ports_unlocode",
            ),
            # Landed cost parts are never negative (null: not known yet).
            models.CheckConstraint(
                condition=models.Q(freight__gte=0) | models.Q(freight__isnull=True),
                name="shipment_freight_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(insurance__gte=0) | models.Q(insurance__isnull=True),
                name="shipment_insurance_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(other_costs__gte=0) | models.Q(other_costs__isnull=True),
                name="shipment_other_costs_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["brand", "destination", "status"], name="shipment_brand_market")
        ]

    def __str__(self) -> str:
        return self.number


class ShipmentVehicle(models.Model):
    """A vehicle on a shipment (a vehicle exported again may sail twice)."""

    # The unique constraint's index (shipment, vehicle) serves lookups by shipment.
    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shipment", "vehicle"], name="shipment_vehicle_unique")
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} on {self.shipment_id}"


class ExchangeRate(BaseModel):
    """How many CNY one unit of a currency bought on a date; users load these."""

    currency = CurrencyField(verbose_name=_("currency"))
    on = models.DateField(_("date"))
    cny_per_unit = models.DecimalField(
        _("CNY per unit"), max_digits=AMOUNT_MAX_DIGITS, decimal_places=RATE_DECIMAL_PLACES
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "on"], name="exchange_rate_unique"),
            models.CheckConstraint(
                condition=models.Q(cny_per_unit__gt=0), name="exchange_rate_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.on}: {self.cny_per_unit}"
