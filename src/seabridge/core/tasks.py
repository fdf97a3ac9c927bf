"""Tasks the worker runs. One generic task runs every kind of :class:`Job`."""

from __future__ import annotations

import logging
import traceback

from django_tasks import task

from seabridge.core.choices import JobStatus
from seabridge.core.jobs import Progress, handler_for
from seabridge.core.models import Job
from seabridge.core.services import job_mark

logger = logging.getLogger(__name__)


@task()
def run_job(job_id: str) -> None:
    """Run the job's handler, recording its result or its failure on the job."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return  # a redelivered task must not run a job twice
    job_mark(job=job, status=JobStatus.RUNNING)
    try:
        result = handler_for(job.kind)(job, Progress(job))
    except Exception as error:
        logger.exception("Job %s (%s) failed", job.id, job.kind)
        job_mark(
            job=job,
            status=JobStatus.FAILED,
            error=f"{error}\n\n{traceback.format_exc(limit=5)}"[:10_000],
        )
        return
    job_mark(job=job, status=JobStatus.SUCCEEDED, result=result)
