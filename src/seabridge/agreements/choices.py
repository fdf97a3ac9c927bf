from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    MEMORANDUM = "memorandum", _("Memorandum of cooperation")
    DISTRIBUTION = "distribution", _("Distribution contract")
    SERVICE = "service", _("Service contract")
    PARTS_SUPPLY = "parts_supply", _("Parts supply")


class AgreementStatus(models.TextChoices):
    """draft → signed → active → expired (by date) or terminated."""

    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class CollaborationTopic(models.TextChoices):
    """The collaboration areas a memorandum states commitments in."""

    SALES_PLANNING = "sales_planning", _("Sales planning")
    BRAND_MARKETING = "brand_marketing", _("Brand marketing")
    CHANNEL_SYNERGY = "channel_synergy", _("Channel synergy")
    AFTER_SALES = "after_sales", _("After-sales service")
    PARTS_SUPPLY = "parts_supply", _("Parts supply")
    PRODUCT_PORTFOLIO = "product_portfolio", _("Market analysis and product portfolio")


# Moves an agreement may make; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.DRAFT: frozenset({AgreementStatus.SIGNED, AgreementStatus.TERMINATED}),
    AgreementStatus.SIGNED: frozenset({AgreementStatus.ACTIVE, AgreementStatus.TERMINATED}),
    AgreementStatus.ACTIVE: frozenset({AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}),
    AgreementStatus.EXPIRED: frozenset(),
    AgreementStatus.TERMINATED: frozenset(),
}

MAX_SUB_GRANT_DEPTH = 3
