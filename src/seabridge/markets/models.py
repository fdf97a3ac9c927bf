"""Countries (ISO 3166), the business regions they sit in, and each market's profile."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from seabridge.core.models import BaseModel
from seabridge.markets.choices import TrafficSide


class Country(models.Model):
    """An ISO 3166-1 country or territory, keyed by its alpha-2 code (``SA``, ``CN``).

    Reference data loaded by ``seabridge load_markets`` from pycountry, babel and
    hdx-python-country; names are kept in our seven languages.
    """

    code = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    alpha3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3)
    name = models.CharField(_("name"), max_length=100)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    m49_region_code = models.CharField(_("UN M49 region code"), max_length=3, blank=True)
    m49_region = models.CharField(_("UN M49 region"), max_length=60, blank=True)
    m49_subregion_code = models.CharField(_("UN M49 sub-region code"), max_length=3, blank=True)
    m49_subregion = models.CharField(_("UN M49 sub-region"), max_length=60, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        indexes = [models.Index(fields=["m49_region_code", "name"], name="country_region")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_two_letters"
            )
        ]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        """The country's name in ``language`` (default: the active one), else English."""
        language = (language or get_language() or "en").lower()
        return self.names.get(language) or self.names.get(language.split("-")[0]) or self.name


class BusinessRegion(BaseModel):
    """A region as the business speaks of it (ASEAN, GCC, Latin America); users edit these.

    A country may sit in several regions: Saudi Arabia is in the Middle East and the GCC.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), related_name="business_regions", blank=True
    )

    class Meta:
        verbose_name = _("business region")
        verbose_name_plural = _("business regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name()

    def localized_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en").lower()
        return self.names.get(language) or self.names.get(language.split("-")[0]) or self.name


class MarketProfile(BaseModel):
    """What a maker needs to know about selling vehicles in one country."""

    country = models.OneToOneField(
        Country,
        verbose_name=_("country"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="profile",
    )
    traffic_side = models.CharField(
        _("traffic side"), max_length=5, choices=TrafficSide.choices, default=TrafficSide.RIGHT
    )
    emission_standard = models.CharField(_("emission standard in force"), max_length=60, blank=True)
    fuel_quality_notes = models.TextField(_("fuel quality notes"), blank=True)
    import_duty_pickup_pct = models.DecimalField(
        _("import duty on pickups (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    import_duty_passenger_pct = models.DecimalField(
        _("import duty on passenger cars (%)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    official_languages = models.JSONField(_("official languages"), default=list, blank=True)
    is_resource_rich = models.BooleanField(_("resource-rich"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("market profile")
        verbose_name_plural = _("market profiles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(import_duty_pickup_pct__gte=0)
                | models.Q(import_duty_pickup_pct__isnull=True),
                name="profile_pickup_duty_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(import_duty_passenger_pct__gte=0)
                | models.Q(import_duty_passenger_pct__isnull=True),
                name="profile_passenger_duty_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return str(self.country)
