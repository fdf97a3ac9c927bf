from django.db import models
from django.utils.translation import gettext_lazy as _


class BodyType(models.TextChoices):
    PICKUP_SINGLE_CAB = "pickup_single_cab", _("Pickup, single cab")
    PICKUP_EXTENDED_CAB = "pickup_extended_cab", _("Pickup, extended cab")
    PICKUP_DOUBLE_CAB = "pickup_double_cab", _("Pickup, double cab")
    SUV = "suv", _("SUV")
    SEDAN = "sedan", _("Sedan")
    HATCHBACK = "hatchback", _("Hatchback")
    MPV = "mpv", _("MPV")
    VAN = "van", _("Van")
    LIGHT_TRUCK = "light_truck", _("Light truck")


class Powertrain(models.TextChoices):
    DIESEL = "diesel", _("Diesel")
    PETROL = "petrol", _("Petrol")
    BEV = "bev", _("Battery electric (BEV)")
    PHEV = "phev", _("Plug-in hybrid (PHEV)")
    EREV = "erev", _("Extended-range electric (EREV)")


NEW_ENERGY_POWERTRAINS = frozenset({Powertrain.BEV, Powertrain.PHEV, Powertrain.EREV})


class SteeringSide(models.TextChoices):
    """Where the steering wheel sits; it must suit the market's traffic side."""

    LEFT = "lhd", _("Left-hand drive")
    RIGHT = "rhd", _("Right-hand drive")


class HomologationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    EXPIRED = "expired", _("Expired")
