"""The background job that checks or commits an uploaded file."""

from __future__ import annotations

from seabridge.accounts.models import Membership
from seabridge.accounts.selectors import actor_from_membership
from seabridge.core.jobs import JobResult, Progress, job_handler
from seabridge.core.models import Job
from seabridge.imports.models import ImportBatch
from seabridge.imports.services import import_commit, import_validate, imports_mark_failed


@job_handler("imports.run")
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
    return {"batch": batch.pk, "status": batch.status, "summary": batch.summary}
