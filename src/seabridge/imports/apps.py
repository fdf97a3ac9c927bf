from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "seabridge.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Each app declares its kinds of import in its own ``imports.py``.
        autodiscover_modules("imports")
        from seabridge.imports import jobs  # noqa: F401 - registers the commit job
