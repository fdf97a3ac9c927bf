from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "seabridge.vehicles"
    label = "vehicles"
    verbose_name = _("Vehicles")

    def ready(self) -> None:
        from seabridge.vehicles import scope_rules  # noqa: F401 - registers the models
