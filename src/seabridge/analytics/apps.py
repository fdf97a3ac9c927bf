from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "seabridge.analytics"
    label = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from seabridge.analytics import facts, scope_rules  # noqa: F401 - registers the models
        from seabridge.vehicles import hooks

        # The facts stay exact in the same transaction as every vehicle written.
        hooks.register_produced(facts.record_production)
        hooks.register_removed(facts.record_removal)
        hooks.register_moved(facts.record_moves)
