from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "seabridge.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from seabridge.analytics import scope_rules  # noqa: F401 - registers the models
