"""Close plan milestones whose condition holds and mark overdue ones late (run daily)."""

from typing import Any

from django.core.management.base import BaseCommand

from seabridge.planning.services import plan_milestones_check


class Command(BaseCommand):
    help = "Close plan milestones whose condition holds; mark overdue ones late."

    def handle(self, *args: Any, **options: Any) -> None:
        closed = plan_milestones_check()
        self.stdout.write(f"{closed} milestone(s) closed by their condition.")
