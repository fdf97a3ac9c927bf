from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "seabridge.planning"
    label = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        from seabridge.planning import scope_rules  # noqa: F401 - registers the models
        from seabridge.planning.tasks import queue_milestones_checks
        from seabridge.vehicles import hooks

        # Sales count towards plan milestones: check them when a brand's sales move on.
        hooks.register_sales_changed(queue_milestones_checks)
