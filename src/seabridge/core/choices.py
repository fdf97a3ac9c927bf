from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    """Where a background job stands."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class AuditAction(models.TextChoices):
    """Generic actions; domain services may record their own verbs (``vehicle.ship``)."""

    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    SIGN_IN = "sign_in", _("Signed in")


class Area(models.TextChoices):
    """The business area every scoped record belongs to; agreements grant by area."""

    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    CHANNEL = "channel", _("Channel")
    AFTER_SALES = "after_sales", _("After-sales")
    PARTS = "parts", _("Parts")
    ANALYTICS = "analytics", _("Analytics")


class Role(models.TextChoices):
    """What a member may do for an organisation; each role includes the ones before it.

    Kept in core because the scope module ranks roles; ``accounts.choices`` names it too."""

    VIEWER = "viewer", _("Viewer")
    STAFF = "staff", _("Staff")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Admin")


ROLE_RANK = {Role.VIEWER: 1, Role.STAFF: 2, Role.MANAGER: 3, Role.ADMIN: 4}
