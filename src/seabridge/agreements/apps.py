from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Agreements are the grants: who may see and do what, for which brands, markets, areas."""

    name = "seabridge.agreements"
    label = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        from seabridge.agreements.selectors import grants_of
        from seabridge.core import grants

        grants.register_source(grants_of)
