from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "seabridge.trade"
    label = "trade"
    verbose_name = _("Trade")

    def ready(self) -> None:
        from seabridge.trade import scope_rules  # noqa: F401 - registers the models
