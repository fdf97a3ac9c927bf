from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "seabridge.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from seabridge.catalog.models import Brand, Homologation, ProductLine, Variant
        from seabridge.core.scope import Area, ScopeRule, register

        # The catalogue is the brand owner's to write; agreements grant reading it.
        register(Brand, ScopeRule(area=Area.SALES, brand="self", owner_writes_only=True))
        register(ProductLine, ScopeRule(area=Area.SALES, brand="brand", owner_writes_only=True))
        register(Variant, ScopeRule(area=Area.SALES, brand="brand", owner_writes_only=True))
        register(
            Homologation,
            ScopeRule(
                area=Area.SALES, brand="variant__brand", market="country", owner_writes_only=True
            ),
        )
