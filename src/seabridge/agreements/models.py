"""Agreements between organisations and the scope each one grants."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seabridge.agreements.choices import AgreementKind, AgreementStatus, CollaborationTopic
from seabridge.core.choices import Area
from seabridge.core.models import BaseModel


def in_force_q(today: date, prefix: str = "") -> Q:
    """Agreements that grant today: active, started, not past their end (expiry by date)."""
    return Q(
        **{f"{prefix}status": AgreementStatus.ACTIVE, f"{prefix}effective_from__lte": today}
    ) & (Q(**{f"{prefix}effective_to__isnull": True}) | Q(**{f"{prefix}effective_to__gte": today}))


class AgreementQuerySet(models.QuerySet["Agreement"]):
    def in_force(self, today: date | None = None) -> AgreementQuerySet:
        """Agreements granting on ``today``, whose parents (for sub-grants) grant too."""
        today = today or timezone.localdate()
        return self.filter(
            in_force_q(today)
            & (Q(parent__isnull=True) | in_force_q(today, "parent__"))
            & (Q(parent__parent__isnull=True) | in_force_q(today, "parent__parent__"))
        )


class Agreement(BaseModel):
    """A memorandum, distribution, service or parts contract from a grantor to a grantee.

    A top-level agreement is granted by the owner of its brands. A sub-grant has a
    ``parent`` whose grantee is its grantor, and its scope lies inside the parent's.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    grantor = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("grantor"),
        on_delete=models.PROTECT,
        related_name="agreements_granted",
    )
    grantee = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("grantee"),
        on_delete=models.PROTECT,
        related_name="agreements_received",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("granted under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_grants",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_in = models.CharField(_("signed in (city)"), max_length=100, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(grantor=models.F("grantee")), name="agreement_parties_differ"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="agreement_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["grantee", "status"], name="agreement_grantee_status"),
            models.Index(fields=["grantor", "status"], name="agreement_grantor_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_in_force(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.status == AgreementStatus.ACTIVE
            and self.effective_from <= today
            and (self.effective_to is None or self.effective_to >= today)
        )

    @property
    def depth(self) -> int:
        """1 for an agreement from a brand owner, 2 for a sub-grant under it, and so on."""
        depth, current = 1, self.parent
        while current is not None:
            depth, current = depth + 1, current.parent
        return depth


class AgreementScopeEntry(models.Model):
    """One cell of an agreement's scope: a brand in a market for an area.

    The scope as entered (brands × countries or regions × areas) is expanded into
    these rows, so that asking "who may see this brand in this market" is one
    index lookup.
    """

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scope_entries")
    brand = models.ForeignKey("catalog.Brand", on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey("markets.Country", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=12, choices=Area.choices)

    class Meta:
        verbose_name = _("scope entry")
        verbose_name_plural = _("scope entries")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "brand", "country", "area"], name="scope_entry_unique"
            )
        ]
        indexes = [
            models.Index(fields=["brand", "country", "area"], name="scope_entry_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.brand_id}/{self.country_id}/{self.area}"


class Commitment(models.Model):
    """What a party commits to in one collaboration area, in the agreement's words."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    topic = models.CharField(_("area"), max_length=20, choices=CollaborationTopic.choices)
    text = models.TextField(_("commitment"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return f"{self.get_topic_display()}: {self.text[:60]}"


class Signatory(models.Model):
    """A person who signed the agreement, with their title and organisation."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "accounts.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT
    )

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["agreement", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"
