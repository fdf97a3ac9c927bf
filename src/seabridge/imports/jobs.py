"""The background job that checks or commits an uploaded file, and what becomes of the
file when the worker running it dies."""

from __future__ import annotations

from seabridge.accounts.models import Membership
from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.jobs import JobResult, Progress, job_handler
from seabridge.core.models import Job
from seabridge.imports.choices import ImportStatus
from seabridge.imports.models import ImportBatch
from seabridge.imports.services import (
    import_abandoned,
    import_commit,
    import_validate,
    imports_mark_failed,
)


def _result(batch: ImportBatch) -> JobResult:
    return {"batch": batch.pk, "status": batch.status, "summary": batch.summary}


def run_abandoned(job: Job) -> JobResult | None:
    """The worker running ``job`` died. A file still being checked or imported is marked
    failed (nothing was written); a file that reached its outcome first keeps it, and
    the job succeeded with it. A batch since started again by another job is left alone.

    Not retried by itself: the person reads what happened on the import's page and
    starts it again (a file that killed its worker would kill the next one too)."""
    batch = ImportBatch.objects.filter(pk=job.parameters.get("batch"), job=job).first()
    if batch is None or import_abandoned(batch=batch) or batch.status == ImportStatus.FAILED:
        return None
    return _result(batch)


@job_handler("imports.run", on_abandoned=run_abandoned)
def run_import(job: Job, progress: Progress) -> JobResult:
    """Check (or commit) the file as the person who asked, with their current role."""
    batch = ImportBatch.objects.get(pk=job.parameters["batch"])
    membership = Membership.objects.select_related("organization", "user").get(
        pk=job.parameters["membership"]
    )
    actor = actor_from_membership(membership)
    try:
        if job.parameters.get("commit"):
            batch = import_commit(actor=actor, batch=batch, progress=progress)
        else:
            batch = import_validate(actor=actor, batch=batch, progress=progress)
    except Exception as error:
        imports_mark_failed(batch=batch, error=str(error))
        raise
    return _result(batch)
