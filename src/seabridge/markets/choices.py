from django.db import models
from django.utils.translation import gettext_lazy as _


class TrafficSide(models.TextChoices):
    """Which side of the road traffic keeps to; left-hand traffic takes right-hand drive."""

    RIGHT = "right", _("Drives on the right (left-hand drive vehicles)")
    LEFT = "left", _("Drives on the left (right-hand drive vehicles)")
