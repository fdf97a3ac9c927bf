"""Where tasks queued before the jobs module was one (``seabridge.core.tasks.run_job``)
still find the worker's task; it lives in :mod:`seabridge.core.jobs`."""

from seabridge.core.jobs import run_job as run_job
