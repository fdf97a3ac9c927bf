"""Background jobs: the registry of kinds, starting a job, its progress, the worker's
task, and the reaper that finds jobs whose worker died.

A module that has long work declares a handler once::

    @job_handler("imports.run", on_abandoned=import_abandoned)
    def run_import(job: Job, progress: Progress) -> JobResult: ...

and starts it with :func:`job_enqueue`. The worker's task :func:`run_job` gives the
handler a :class:`Progress` to report how far it is and records success or failure
on the job.

A worker that dies (killed, out of memory, the machine restarted) records nothing,
so a running job says when it was last heard from: ``Job.heartbeat_at`` is stamped
by every progress report and, from a thread beside the handler, every
``JOB_HEARTBEAT_SECONDS`` (30) even while the handler reports nothing.
:func:`jobs_reap` marks failed every running job not heard from for
``JOB_STALE_SECONDS`` (300), says so in the job's message, and calls the kind's
``on_abandoned`` hook so that its app can say what became of its own record. The
worker reaps when it starts and every ``JOB_REAP_SECONDS`` (60) while it runs
(``seabridge db_worker``, :mod:`seabridge.core.management.commands.db_worker`);
``seabridge reap_jobs`` reaps once.

A reaped job is not run again by itself: core cannot know whether a handler that
stopped midway may safely start over, and a job that killed its worker (a file too
large for memory) would kill the next one too. The person who started it reads what
happened and starts it again.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from seabridge.core.choices import JobStatus
from seabridge.core.errors import ValidationFailed
from seabridge.core.models import Job

logger = logging.getLogger(__name__)

JobResult = dict[str, Any]
JobHandler = Callable[[Job, "Progress"], JobResult]
AbandonedHook = Callable[[Job], JobResult | None]
"""Told that the worker running ``job`` died; answers the job's result when the work
had in fact finished before the worker stopped (the job then succeeded), else None."""


@dataclass(frozen=True)
class JobKind:
    handler: JobHandler
    on_abandoned: AbandonedHook | None = None


_KINDS: dict[str, JobKind] = {}


def job_handler(
    kind: str, *, on_abandoned: AbandonedHook | None = None
) -> Callable[[JobHandler], JobHandler]:
    """Register the decorated function as the handler of jobs of ``kind`` (and
    ``on_abandoned`` as what to do when its worker dies); modules that declare
    handlers are imported by their app's ``ready()``."""

    def register(function: JobHandler) -> JobHandler:
        _KINDS[kind] = JobKind(function, on_abandoned)
        return function

    return register


def _kind(kind: str) -> JobKind:
    """The registration of ``kind``, or a refusal naming the unknown kind."""
    try:
        return _KINDS[kind]
    except KeyError:
        raise ValidationFailed(
            fields={"kind": [_("Unknown job kind %(kind)s.") % {"kind": kind}]}
        ) from None


def handler_for(kind: str) -> JobHandler:
    """Return the handler registered for ``kind``, or refuse an unknown kind."""
    return _kind(kind).handler


def _seconds(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


# --- writes -------------------------------------------------------------------------


def job_enqueue(
    *,
    kind: str,
    parameters: Mapping[str, Any],
    created_by: User | None,
    label: str = "",
) -> Job:
    """Record a job and queue it for the worker once the surrounding transaction commits."""
    handler_for(kind)  # refuse an unknown kind before anything is written
    job = Job.objects.create(
        kind=kind, label=label, parameters=dict(parameters), created_by=created_by
    )
    transaction.on_commit(lambda: run_job.enqueue(str(job.id)))
    return job


def job_report_progress(
    *, job: Job, done: int, total: int | None = None, message: str | None = None
) -> None:
    """Save a job's progress (and so its heartbeat) in its own short write, so that
    pages see it at once."""
    job.progress_done = done if total is None else min(done, total)
    if total is not None:
        job.progress_total = total
    job.heartbeat_at = timezone.now()
    fields = ["progress_done", "progress_total", "heartbeat_at"]
    if message is not None:
        job.message = message[:500]
        fields.append("message")
    Job.objects.filter(pk=job.pk).update(**{name: getattr(job, name) for name in fields})


def job_mark(
    *, job: Job, status: JobStatus, result: Mapping[str, Any] | None = None, error: str = ""
) -> None:
    """Move a job to ``status``, stamping when it started (and its first heartbeat) or
    when it finished. A job the reaper gave up on is still marked with what its
    handler answers, should its worker turn out to be alive: the outcome is the truth."""
    now = timezone.now()
    job.status = status
    fields = ["status", "result", "error", "progress_done"]
    if status == JobStatus.RUNNING:
        job.started_at = job.heartbeat_at = now
        fields += ["started_at", "heartbeat_at"]
    else:
        job.finished_at = now  # the heartbeat stays the last one the worker stamped
        fields.append("finished_at")
    if result is not None:
        job.result = dict(result)
    job.error = error
    if status == JobStatus.SUCCEEDED and job.progress_total is not None:
        job.progress_done = job.progress_total
    job.save(update_fields=fields)


class Progress:
    """Reports a job's progress, writing at most every ``interval`` seconds."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last_write = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - self._last_write >= self.interval:
            job_report_progress(job=self.job, done=done, total=total, message=message)
            self._last_write = now


# --- the worker's task ----------------------------------------------------------------


@contextmanager
def _heartbeat(job_id: Any) -> Iterator[None]:
    """Stamp the running job's heartbeat every ``JOB_HEARTBEAT_SECONDS`` from a thread
    (with its own database connection) until the handler returns."""
    stop = threading.Event()
    every = _seconds("JOB_HEARTBEAT_SECONDS", 30)

    def beat() -> None:
        try:
            while not stop.wait(every):
                try:
                    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now()
                    )
                except DatabaseError:  # the database is busy: the next beat tries again
                    logger.warning("Could not stamp the heartbeat of job %s", job_id)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"job-heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@task()
def run_job(job_id: str) -> None:
    """Run the job's handler, recording its result or its failure on the job."""
    job = Job.objects.get(pk=job_id)
    if job.is_finished:
        return  # a redelivered task (or one for a reaped job) must not run a job twice
    job_mark(job=job, status=JobStatus.RUNNING)
    try:
        with _heartbeat(job.pk):
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


# --- the reaper ---------------------------------------------------------------------


def jobs_stale(*, now: datetime | None = None) -> list[Job]:
    """Running jobs not heard from for ``JOB_STALE_SECONDS``: their worker died."""
    cutoff = (now or timezone.now()) - timedelta(seconds=_seconds("JOB_STALE_SECONDS", 300))
    return list(
        Job.objects.filter(status=JobStatus.RUNNING)
        .filter(Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff))
        .order_by("started_at")
    )


def jobs_reap(*, now: datetime | None = None) -> list[Job]:
    """Mark failed every running job whose worker died, saying so, and let its kind say
    what became of its work; answers the jobs reaped (as now stored).

    Each job is taken only if its heartbeat is still the stale one read, so a worker
    that beats meanwhile keeps its job."""
    reaped = []
    for job in jobs_stale(now=now):
        with transaction.atomic():
            if _job_abandon(job, now=now or timezone.now()):
                reaped.append(job)
    for job in reaped:
        logger.warning("Job %s (%s) lost its worker: %s", job.id, job.kind, job.status)
    return reaped


def _job_abandon(job: Job, *, now: datetime) -> bool:
    """Mark ``job`` failed as abandoned (unless a heartbeat came meanwhile) and call its
    kind's hook; inside the caller's transaction."""
    message = _("The worker stopped while running this job, so it did not finish.")
    heard = job.heartbeat_at or job.started_at
    error = f"No sign of life from the worker since {heard.isoformat() if heard else '?'}."
    taken = Job.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, heartbeat_at=job.heartbeat_at
    ).update(status=JobStatus.FAILED, finished_at=now, message=message, error=error)
    if not taken:
        return False
    job.refresh_from_db()
    hook = _KINDS[job.kind].on_abandoned if job.kind in _KINDS else None
    result = hook(job) if hook is not None else None
    if result is not None:
        job.status, job.result, job.message, job.error = JobStatus.SUCCEEDED, result, "", ""
        if job.progress_total is not None:
            job.progress_done = job.progress_total
        job.save(update_fields=["status", "result", "message", "error", "progress_done"])
    return True


def _reap_or_wait() -> None:
    """Reap; a busy database (or a kind's failing hook) waits for the next round rather
    than stopping the worker or its reaper."""
    try:
        jobs_reap()
    except Exception:
        logger.exception("Could not reap abandoned jobs this time")


@contextmanager
def reaping(*, every: float | None = None) -> Iterator[None]:
    """Reap now and then every ``every`` seconds (``JOB_REAP_SECONDS``) from a thread,
    for as long as the block runs: what a worker does while it waits for tasks."""
    _reap_or_wait()
    stop = threading.Event()
    interval = every if every is not None else _seconds("JOB_REAP_SECONDS", 60)

    def reap_periodically() -> None:
        while not stop.wait(interval):
            try:
                _reap_or_wait()
            finally:
                connection.close()  # this thread's own connection

    thread = threading.Thread(target=reap_periodically, name="job-reaper", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
