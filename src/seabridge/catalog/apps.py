from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "seabridge.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
        from seabridge.core.scope import OWNER, Action, Area, ScopeRule, register

        # The catalogue is the brand owner's to write (its steward). A grant in any area
        # reveals the brand's catalogue (after-sales partners need the variants they
        # service); homologations are sales facts per market.
        owner_writes = {Action.CREATE: (OWNER,), Action.CHANGE: (OWNER,), Action.DELETE: (OWNER,)}
        for model, brand in ((Brand, "self"), (ProductLine, "brand"), (Variant, "brand")):
            register(
                model,
                ScopeRule(area=Area.SALES, brand=brand, writes=owner_writes, any_area=True),
            )
        register(
            Homologation,
            ScopeRule(
                area=Area.SALES, brand="variant__brand", market="country", writes=owner_writes
            ),
        )
