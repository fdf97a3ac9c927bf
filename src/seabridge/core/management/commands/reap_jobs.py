"""``seabridge reap_jobs``: mark failed, once, the running jobs whose worker died (the
worker does it by itself when it starts and every minute)."""

from typing import Any

from django.core.management.base import BaseCommand

from seabridge.core.jobs import jobs_reap


class Command(BaseCommand):
    help = "Mark failed the running jobs whose worker stopped (no heartbeat for too long)."

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = jobs_reap()
        for job in reaped:
            self.stdout.write(f"{job.id} {job.kind} {job.label}: {job.get_status_display()}")
        self.stdout.write(f"{len(reaped)} job(s) reaped.")
