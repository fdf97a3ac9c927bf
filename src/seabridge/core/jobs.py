"""The registry of background job kinds.

A module that has long work declares a handler once::

    @job_handler("imports.commit")
    def commit_import(job: Job, progress: Progress) -> dict: ...

and starts it with :func:`seabridge.core.services.job_enqueue`. The handler gets
a :class:`Progress` to report how far it is; the worker records success or
failure on the job.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed
from seabridge.core.models import Job

JobResult = dict[str, Any]
JobHandler = Callable[[Job, "Progress"], JobResult]

_HANDLERS: dict[str, JobHandler] = {}


def job_handler(kind: str) -> Callable[[JobHandler], JobHandler]:
    """Register ``function`` as the handler of jobs of ``kind``."""

    def register(function: JobHandler) -> JobHandler:
        _HANDLERS[kind] = function
        return function

    return register


def handler_for(kind: str) -> JobHandler:
    """Return the handler registered for ``kind``, or refuse an unknown kind."""
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise ValidationFailed(
            fields={"kind": [_("Unknown job kind %(kind)s.") % {"kind": kind}]}
        ) from None


class Progress:
    """Reports a job's progress, writing at most every ``interval`` seconds."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        self.job = job
        self.interval = interval
        self._last_write = 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None) -> None:
        from seabridge.core.services import job_report_progress

        now = time.monotonic()
        finished = total is not None and done >= total
        if finished or now - self._last_write >= self.interval:
            job_report_progress(job=self.job, done=done, total=total, message=message)
            self._last_write = now
