"""An import whose worker died is found by the job reaper and marked failed, saying that
nothing was written; the person starts it again and it runs to the end.

The worker is killed as a signal would kill it: mid-commit, after rows are written
inside the import's transaction, an exception that is not an ``Exception`` (as
``SystemExit`` from SIGTERM) leaves the job and the import as a dead worker does,
and the database rolls the transaction back. (``test_kill.py`` kills a real process
with SIGKILL and shows the database keeps nothing of the file.)
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from seabridge.core.choices import JobStatus
from seabridge.core.jobs import jobs_reap, run_job
from seabridge.core.models import Job
from seabridge.imports import services
from seabridge.imports.choices import ImportStatus
from seabridge.imports.kinds import kind_for
from seabridge.imports.tests.conftest import production_csv
from seabridge.vehicles.models import Vehicle, VehicleEvent

COMMIT_REAPED = (
    "The worker stopped while importing this file; nothing was written. "
    "Check the file and import it again."
)
CHECK_REAPED = "The worker stopped while checking this file; nothing was written. Check it again."


def heard(job: Job) -> datetime:
    """When the job's worker was last heard from (set once the job started)."""
    assert job.heartbeat_at is not None
    return job.heartbeat_at


class WorkerKilled(BaseException):
    """What the worker's death looks like from inside the import."""


@pytest.fixture
def dying_commit(monkeypatch):
    """The production kind writes its rows, then its worker dies inside the transaction."""
    kind = kind_for("production")
    apply = kind.apply

    def apply_and_die(context, prepared):
        apply(context, prepared)
        assert Vehicle.objects.count() == 2  # written, not yet committed
        raise WorkerKilled

    monkeypatch.setattr(kind, "apply", apply_and_die)


def _start_and_kill(world, batch, *, commit: bool) -> Job:
    job = services.import_start(actor=world.jac_staff, batch=batch, commit=commit)
    with pytest.raises(WorkerKilled):
        run_job.call(str(job.id))
    return Job.objects.get(pk=job.pk)


def test_an_import_whose_worker_died_is_failed_saying_nothing_was_written(
    world, dying_commit, monkeypatch, client, django_capture_on_commit_callbacks
):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1, 2), filename="line.csv"
    )
    job = _start_and_kill(world, batch, commit=True)
    batch.refresh_from_db()
    assert (job.status, batch.status) == (JobStatus.RUNNING, ImportStatus.COMMITTING)
    assert Vehicle.objects.count() == 0  # the transaction rolled back

    reaped = jobs_reap(now=heard(job) + timedelta(minutes=6))

    assert [reaped_job.pk for reaped_job in reaped] == [job.pk]
    job.refresh_from_db()
    batch.refresh_from_db()
    assert (job.status, job.message) == (
        JobStatus.FAILED,
        "The worker stopped while running this job, so it did not finish.",
    )
    assert (batch.status, batch.message) == (ImportStatus.FAILED, COMMIT_REAPED)
    assert (Vehicle.objects.count(), VehicleEvent.objects.count()) == (0, 0)

    # The import's page says what happened and offers to check the file again.
    client.force_login(world.jac_staff.user)
    session = client.session
    session["acting_organization_id"] = world.jac_staff.organization_id
    session.save()
    page = client.get(reverse("imports:import-detail", args=[batch.pk])).content.decode()
    assert COMMIT_REAPED in page
    assert "Check the file" in page

    # Started again (the worker is healthy now), the import runs to the end.
    monkeypatch.undo()  # the worker is healthy again
    with django_capture_on_commit_callbacks(execute=True):
        again = services.import_start(actor=world.jac_staff, batch=batch, commit=True)
    again.refresh_from_db()
    batch.refresh_from_db()
    assert (again.status, batch.status) == (JobStatus.SUCCEEDED, ImportStatus.COMMITTED)
    assert Vehicle.objects.count() == 2


def test_a_check_whose_worker_died_is_failed_too(world, monkeypatch):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1), filename="line.csv"
    )
    kind = kind_for("production")

    def check_and_die(context, rows):
        raise WorkerKilled

    monkeypatch.setattr(kind, "check", check_and_die)
    job = _start_and_kill(world, batch, commit=False)

    jobs_reap(now=heard(job) + timedelta(minutes=6))

    batch.refresh_from_db()
    assert (batch.status, batch.message) == (ImportStatus.FAILED, CHECK_REAPED)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_an_import_that_committed_just_before_its_worker_died_keeps_its_outcome(world):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1, 2), filename="line.csv"
    )
    job = services.import_start(actor=world.jac_staff, batch=batch, commit=True)
    # The worker committed the file, then died before it could mark the job.
    services.import_commit(actor=world.jac_staff, batch=batch)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=job.created_at)

    jobs_reap(now=job.created_at + timedelta(minutes=6))

    job.refresh_from_db()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED
    assert (job.status, job.message) == (JobStatus.SUCCEEDED, "")
    assert job.result == {
        "batch": batch.pk,
        "status": "committed",
        "summary": {"created": 2, "updated": 0, "unchanged": 0},
    }
    assert Vehicle.objects.count() == 2


def test_a_live_import_is_not_reaped(world, dying_commit):
    batch = services.import_upload(
        actor=world.jac_staff, kind="production", data=production_csv(1, 2), filename="line.csv"
    )
    job = _start_and_kill(world, batch, commit=True)

    assert jobs_reap(now=heard(job) + timedelta(minutes=4)) == []
    batch.refresh_from_db()
    assert (Job.objects.get(pk=job.pk).status, batch.status, batch.message) == (
        JobStatus.RUNNING,
        ImportStatus.COMMITTING,
        "",
    )
