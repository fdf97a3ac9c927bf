"""Writes owned by core: the audit trail and background jobs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from seabridge.core.choices import JobStatus
from seabridge.core.models import AuditEvent, Job

JSONScalar = str | int | float | bool | None


def _json_value(value: Any) -> Any:
    """Render a field value for the audit trail's JSON (dates, decimals and keys as text)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return str(value)


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, inside the caller's transaction.

    ``changes`` maps a field name to its new value, or to a ``[before, after]``
    pair as returned by :func:`field_changes`.
    """
    user = actor if isinstance(actor, User) and actor.pk else None
    event = AuditEvent(
        actor=user,
        actor_label=user.get_username() if user else "system",
        action=action,
        changes={name: _json_value(value) for name, value in (changes or {}).items()},
    )
    if obj is not None:
        event.content_type = ContentType.objects.get_for_model(obj)
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:200]
    event.save()
    return event


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [before, after]}`` for every field whose value differs."""
    return {
        name: [_json_value(before.get(name)), _json_value(value)]
        for name, value in after.items()
        if before.get(name) != value
    }


def job_enqueue(
    *,
    kind: str,
    parameters: Mapping[str, Any],
    created_by: User | None,
    label: str = "",
) -> Job:
    """Record a job and queue it for the worker once the surrounding transaction commits."""
    from seabridge.core.jobs import handler_for
    from seabridge.core.tasks import run_job

    handler_for(kind)  # refuse an unknown kind before anything is written
    job = Job.objects.create(
        kind=kind, label=label, parameters=dict(parameters), created_by=created_by
    )
    transaction.on_commit(lambda: run_job.enqueue(str(job.id)))
    return job


def job_report_progress(
    *, job: Job, done: int, total: int | None = None, message: str | None = None
) -> None:
    """Save a job's progress in its own short write, so that pages see it at once."""
    job.progress_done = done if total is None else min(done, total)
    if total is not None:
        job.progress_total = total
    fields = ["progress_done", "progress_total"]
    if message is not None:
        job.message = message[:500]
        fields.append("message")
    Job.objects.filter(pk=job.pk).update(**{name: getattr(job, name) for name in fields})


def job_mark(
    *, job: Job, status: JobStatus, result: Mapping[str, Any] | None = None, error: str = ""
) -> None:
    """Move a job to ``status``, stamping when it started or finished."""
    now = timezone.now()
    job.status = status
    if status == JobStatus.RUNNING:
        job.started_at = now
    else:
        job.finished_at = now
    if result is not None:
        job.result = dict(result)
    job.error = error
    if status == JobStatus.SUCCEEDED and job.progress_total is not None:
        job.progress_done = job.progress_total
    job.save(
        update_fields=["status", "started_at", "finished_at", "result", "error", "progress_done"]
    )
