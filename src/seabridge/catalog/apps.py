from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "seabridge.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
        from seabridge.core.scope import Area, ScopeRule, register

        # The catalogue is the brand owner's to write. A grant in any area reveals the
        # brand's catalogue (after-sales partners need the variants they service);
        # homologations are sales facts per market.
        for model, brand in ((Brand, "self"), (ProductLine, "brand"), (Variant, "brand")):
            register(
                model,
                ScopeRule(area=Area.SALES, brand=brand, owner_writes_only=True, any_area=True),
            )
        register(
            Homologation,
            ScopeRule(
                area=Area.SALES, brand="variant__brand", market="country", owner_writes_only=True
            ),
        )
