from django.db import models
from django.utils.translation import gettext_lazy as _

# Roles belong to the scope rule, which core owns; named here too, where people and
# memberships are, so that the rest of the code reads ``accounts.choices.Role`` as before.
from seabridge.core.choices import ROLE_RANK as ROLE_RANK
from seabridge.core.choices import Role as Role


class OrganizationKind(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    TRADE_PARTNER = "trade_partner", _("Trade partner")
    DISTRIBUTOR = "distributor", _("Distributor / importer")
    DEALER = "dealer", _("Dealer")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
