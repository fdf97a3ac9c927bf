"""``db_worker`` that also reaps: django-tasks-db's worker, which marks failed, when it
starts and every ``JOB_REAP_SECONDS`` while it runs, the jobs whose worker died
(:func:`seabridge.core.jobs.jobs_reap`). Found before django-tasks-db's own command
because ``seabridge.core`` comes first in ``INSTALLED_APPS``."""

from typing import Any

from django_tasks_db.management.commands import db_worker

from seabridge.core.jobs import reaping


class Command(db_worker.Command):
    help = "Run the background worker, reaping jobs whose worker died."

    def handle(self, *args: Any, **options: Any) -> None:
        with reaping():
            super().handle(*args, **options)
