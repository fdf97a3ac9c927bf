"""Organisations, the people who work for them (memberships) and API tokens."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seabridge.accounts.choices import ROLE_RANK, OrganizationKind, OrganizationStatus, Role
from seabridge.core.models import BaseModel


class Organization(BaseModel):
    """A company working in Seabridge: a maker, a trade partner, an importer, a dealer.

    Outlet-owning organisations (dealers, importers) get their outlets from the
    channels app, which points at this model.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(
        _("short name"),
        max_length=60,
        help_text=_("How people and commands refer to it, e.g. JAC or Zhongjiang."),
    )
    home_country = models.ForeignKey(
        "markets.Country",
        verbose_name=_("home country"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    languages = models.JSONField(_("working languages"), default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.ACTIVE,
    )
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["short_name"]
        constraints = [
            models.UniqueConstraint(Lower("short_name"), name="organization_short_name_unique"),
            models.UniqueConstraint(Lower("legal_name"), name="organization_legal_name_unique"),
        ]

    def __str__(self) -> str:
        return self.short_name


class Membership(BaseModel):
    """A person works for an organisation with a role; a person may have several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__short_name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    def has_role(self, role: Role) -> bool:
        """Whether this membership's role includes ``role``."""
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[role]


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that are neither revoked nor expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(BaseModel):
    """A secret that lets a program act as one membership on the API.

    Only a SHA-256 digest is stored: the token is 32 random bytes, so a fast hash
    is as safe as a slow one, and lookup is one index probe. The clear token is
    shown once, when it is created.
    """

    PREFIX = "sbk_"

    membership = models.ForeignKey(
        Membership, verbose_name=_("membership"), on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(_("starts with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects: ClassVar[ApiTokenQuerySet] = ApiTokenQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
