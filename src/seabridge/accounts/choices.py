from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    MANUFACTURER = "manufacturer", _("Manufacturer")
    TRADE_PARTNER = "trade_partner", _("Trade partner")
    DISTRIBUTOR = "distributor", _("Distributor / importer")
    DEALER = "dealer", _("Dealer")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class Role(models.TextChoices):
    """What a member may do for an organisation; each role includes the ones before it."""

    VIEWER = "viewer", _("Viewer")
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Admin")


ROLE_RANK = {Role.VIEWER: 1, Role.STAFF: 2, Role.MANAGER: 3, Role.ADMIN: 4}
