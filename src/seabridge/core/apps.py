from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Base model, audit trail, money and periods, errors, background jobs."""

    name = "seabridge.core"
    label = "core"
    verbose_name = _("Core")
