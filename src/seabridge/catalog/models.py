"""Brands, product lines (model families) and variants, and where each may be sold."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from seabridge.catalog.choices import (
    NEW_ENERGY_POWERTRAINS,
    BodyType,
    HomologationStatus,
    Powertrain,
    SteeringSide,
)
from seabridge.core.models import BaseModel
from seabridge.core.money import AmountField, CurrencyField, Money


class Brand(BaseModel):
    """A vehicle brand owned by one manufacturer organisation (JAC, Nezha)."""

    name = models.CharField(_("name"), max_length=60)
    owner = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="brands",
    )

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="brand_name_unique")]

    def __str__(self) -> str:
        return self.name


class ProductLine(BaseModel):
    """A model family of a brand (NAVARA, T8, Nezha V)."""

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="product_lines"
    )
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)

    class Meta:
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")
        ordering = ["brand__name", "name"]
        constraints = [
            models.UniqueConstraint("brand", Lower("name"), name="product_line_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


class VariantQuerySet(models.QuerySet["Variant"]):
    def new_energy(self) -> VariantQuerySet:
        return self.filter(powertrain__in=NEW_ENERGY_POWERTRAINS)

    def fuel(self) -> VariantQuerySet:
        return self.exclude(powertrain__in=NEW_ENERGY_POWERTRAINS)


class Variant(BaseModel):
    """A sellable configuration: body, powertrain, steering side, emission standard, price.

    ``brand`` repeats the product line's brand so that scope checks and reports
    filter variants without a join; services keep the two equal.
    """

    brand = models.ForeignKey(
        Brand, verbose_name=_("brand"), on_delete=models.PROTECT, related_name="variants"
    )
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        related_name="variants",
    )
    code = models.CharField(
        _("variant code"), max_length=40, help_text=_("The maker's code, used in imports.")
    )
    name = models.CharField(_("name"), max_length=120)
    body = models.CharField(_("body"), max_length=24, choices=BodyType.choices)
    powertrain = models.CharField(_("powertrain"), max_length=8, choices=Powertrain.choices)
    steering = models.CharField(
        _("steering"), max_length=3, choices=SteeringSide.choices, default=SteeringSide.LEFT
    )
    emission_standard = models.CharField(_("emission standard"), max_length=40, blank=True)
    engine = models.CharField(
        _("engine or battery"), max_length=80, blank=True, help_text=_("e.g. 2.5 L diesel, 64 kWh")
    )
    hs_code = models.CharField(
        _("HS code"), max_length=10, help_text=_("8704 goods vehicles, 8703 passenger cars")
    )
    list_price = AmountField(verbose_name=_("list price"), null=True, blank=True)
    list_price_currency = CurrencyField(verbose_name=_("list price currency"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = VariantQuerySet.as_manager()

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["brand__name", "product_line__name", "code"]
        constraints = [
            models.UniqueConstraint("brand", Lower("code"), name="variant_code_unique"),
            models.CheckConstraint(
                condition=models.Q(list_price__gte=0) | models.Q(list_price__isnull=True),
                name="variant_price_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(hs_code__regex=r"^[0-9]{4,10}$"), name="variant_hs_code_digits"
            ),
        ]
        indexes = [models.Index(fields=["brand", "powertrain"], name="variant_brand_powertrain")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_new_energy(self) -> bool:
        return self.powertrain in NEW_ENERGY_POWERTRAINS

    @property
    def price(self) -> Money | None:
        if self.list_price is None or not self.list_price_currency:
            return None
        return Money(self.list_price, self.list_price_currency)


class Homologation(BaseModel):
    """Whether a variant may be sold in a country, with its certificate."""

    variant = models.ForeignKey(
        Variant, verbose_name=_("variant"), on_delete=models.CASCADE, related_name="homologations"
    )
    country = models.ForeignKey(
        "markets.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=HomologationStatus.choices,
        default=HomologationStatus.PENDING,
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    certificate_ref = models.CharField(_("certificate reference"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("homologation")
        verbose_name_plural = _("homologations")
        ordering = ["variant__code", "country__name"]
        constraints = [
            models.UniqueConstraint(fields=["variant", "country"], name="homologation_unique")
        ]
        indexes = [models.Index(fields=["country", "status"], name="homologation_country")]

    def __str__(self) -> str:
        return f"{self.variant.code} in {self.country_id}"
