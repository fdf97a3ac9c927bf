from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Base templates, navigation, sign-in and the static assets every page uses."""

    name = "seabridge.web"
    label = "web"
    verbose_name = _("Web")
