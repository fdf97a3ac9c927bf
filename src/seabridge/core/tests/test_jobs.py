"""Jobs survive their worker: a job whose worker died is reaped, saying so; a live one is not.

A worker that dies (killed, the machine restarted) leaves its job running with the
heartbeat of its last sign of life. The tests kill the worker as a signal would: the
handler raises an exception that is not an ``Exception`` (as ``SystemExit`` from
SIGTERM), so the task records nothing, exactly as when the process is gone.
"""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command, get_commands
from django.test import override_settings
from django.urls import reverse

from seabridge.core import jobs
from seabridge.core.choices import JobStatus
from seabridge.core.jobs import (
    Progress,
    job_enqueue,
    job_handler,
    jobs_reap,
    reaping,
    run_job,
)
from seabridge.core.models import Job

pytestmark = pytest.mark.django_db

REAPED_MESSAGE = "The worker stopped while running this job, so it did not finish."


def heard(job: Job) -> datetime:
    """When the job's worker was last heard from (set once the job started)."""
    assert job.heartbeat_at is not None
    return job.heartbeat_at


def started(job: Job) -> datetime:
    assert job.started_at is not None
    return job.started_at


class WorkerKilled(BaseException):
    """What the worker's death looks like from inside the handler."""


@job_handler("tests.dies")
def dies(job: Job, progress: Progress) -> dict:
    progress(2, 10, message="counted 2")
    raise WorkerKilled


ABANDONED: list[str] = []


def _note_abandoned(job: Job) -> dict | None:
    ABANDONED.append(job.label)
    return {"finished": True} if job.parameters.get("finished") else None


@job_handler("tests.dies_with_hook", on_abandoned=_note_abandoned)
def dies_with_hook(job: Job, progress: Progress) -> dict:
    progress(1, 4)
    raise WorkerKilled


def _start_and_kill(kind: str, user, **parameters) -> Job:
    """Start a job as the worker does and kill the worker mid-way; the job as left."""
    job = job_enqueue(kind=kind, parameters=parameters, created_by=user, label=kind)
    with pytest.raises(WorkerKilled):
        run_job.call(str(job.id))
    return Job.objects.get(pk=job.pk)


def test_a_job_whose_worker_died_is_reaped_and_its_page_says_so(user, client):
    job = _start_and_kill("tests.dies", user)
    assert job.status == JobStatus.RUNNING  # what a dead worker leaves behind
    assert job.heartbeat_at is not None
    last_heard = heard(job)

    # Not yet: five minutes without a sign of life is the limit.
    assert jobs_reap(now=last_heard + timedelta(seconds=299)) == []
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

    later = last_heard + timedelta(seconds=301)
    reaped = jobs_reap(now=later)

    assert [reaped_job.pk for reaped_job in reaped] == [job.pk]
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == REAPED_MESSAGE
    assert job.error == f"No sign of life from the worker since {last_heard.isoformat()}."
    assert job.finished_at == later
    assert (job.progress_done, job.progress_total) == (2, 10)  # as far as it got
    assert jobs_reap(now=later + timedelta(hours=1)) == []  # reaped once

    client.force_login(user)
    page = client.get(reverse("core:job-detail", args=[job.pk])).content.decode()
    assert REAPED_MESSAGE in page
    assert "The job failed. Nothing it was doing has been kept." in page
    assert 'hx-trigger="every 1s"' not in page  # the page stops polling


def test_reap_jobs_reaps_a_job_left_stale_and_names_it(user):
    job = _start_and_kill("tests.dies", user)
    stale = heard(job) - timedelta(minutes=10)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    live = _start_and_kill("tests.dies", user)  # its worker was heard from just now

    out = io.StringIO()
    call_command("reap_jobs", stdout=out)

    assert out.getvalue() == f"{job.id} tests.dies tests.dies: Failed\n1 job(s) reaped.\n"
    job.refresh_from_db()
    live.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, REAPED_MESSAGE)
    assert job.error == f"No sign of life from the worker since {stale.isoformat()}."
    assert (live.status, live.message, live.error) == (JobStatus.RUNNING, "counted 2", "")


def test_a_job_heard_from_meanwhile_is_not_reaped(user, monkeypatch):
    job = _start_and_kill("tests.dies", user)
    later = heard(job) + timedelta(minutes=10)
    stale = jobs.jobs_stale(now=later)
    assert [stale_job.pk for stale_job in stale] == [job.pk]
    # The worker beats between the reaper's read and its write.
    Job.objects.filter(pk=job.pk).update(heartbeat_at=later)
    monkeypatch.setattr(jobs, "jobs_stale", lambda now=None: stale)

    assert jobs_reap(now=later) == []
    job.refresh_from_db()
    assert (job.status, job.heartbeat_at) == (JobStatus.RUNNING, later)


def test_the_kind_hook_hears_of_the_death_and_may_say_the_work_was_done(user):
    ABANDONED.clear()
    unfinished = _start_and_kill("tests.dies_with_hook", user)
    finished = _start_and_kill("tests.dies_with_hook", user, finished=True)
    Job.objects.filter(pk=finished.pk).update(label="finished")

    jobs_reap(now=heard(finished) + timedelta(minutes=6))

    assert sorted(ABANDONED) == ["finished", "tests.dies_with_hook"]
    unfinished.refresh_from_db()
    finished.refresh_from_db()
    assert (unfinished.status, unfinished.message) == (JobStatus.FAILED, REAPED_MESSAGE)
    assert (finished.status, finished.result, finished.message, finished.error) == (
        JobStatus.SUCCEEDED,
        {"finished": True},
        "",
        "",
    )
    assert (finished.progress_done, finished.percent) == (4, 100)


def test_a_job_never_heard_from_since_it_started_is_reaped_by_its_start(user):
    job = _start_and_kill("tests.dies", user)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=None)  # a job from before heartbeats

    assert jobs_reap(now=started(job) + timedelta(seconds=299)) == []
    assert [reaped.pk for reaped in jobs_reap(now=started(job) + timedelta(seconds=301))] == [
        job.pk
    ]
    assert Job.objects.get(pk=job.pk).error == (
        f"No sign of life from the worker since {started(job).isoformat()}."
    )


@pytest.mark.django_db(transaction=True)
@override_settings(JOB_HEARTBEAT_SECONDS=0.01)
def test_a_live_job_that_reports_nothing_keeps_its_heartbeat(user):
    """The worker stamps the heartbeat from a thread while the handler is silent."""
    seen = {}

    @job_handler("tests.silent")
    def silent(job: Job, progress: Progress) -> dict:
        started = Job.objects.get(pk=job.pk).heartbeat_at
        beaten = threading.Event()
        for _attempt in range(500):  # the beat comes every 10 ms; give up after 5 s
            if Job.objects.get(pk=job.pk).heartbeat_at != started:
                beaten.set()
                break
            beaten.wait(0.01)
        seen["beaten"] = beaten.is_set()
        return {}

    job = job_enqueue(kind="tests.silent", parameters={}, created_by=user)  # runs on commit
    job.refresh_from_db()
    assert seen == {"beaten": True}
    assert job.status == JobStatus.SUCCEEDED
    assert heard(job) > started(job)


def test_db_worker_is_cores_which_reaps():
    assert get_commands()["db_worker"] == "seabridge.core"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_reaps_when_it_starts_and_then_runs_what_is_queued(user):
    dead = _start_and_kill("tests.dies", user)
    Job.objects.filter(pk=dead.pk).update(heartbeat_at=heard(dead) - timedelta(hours=1))

    @job_handler("tests.count_to_two")
    def count_to_two(job: Job, progress: Progress) -> dict:
        progress(2, 2)
        return {"counted": 2}

    queued = job_enqueue(kind="tests.count_to_two", parameters={}, created_by=user)

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    dead.refresh_from_db()
    queued.refresh_from_db()
    assert (dead.status, dead.message) == (JobStatus.FAILED, REAPED_MESSAGE)
    assert (queued.status, queued.result) == (JobStatus.SUCCEEDED, {"counted": 2})


def test_reaping_reaps_at_once_and_stops_with_its_block(user):
    job = _start_and_kill("tests.dies", user)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=heard(job) - timedelta(hours=1))
    before = set(threading.enumerate())

    with reaping(every=3600):
        assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
        assert [thread.name for thread in set(threading.enumerate()) - before] == ["job-reaper"]
    assert set(threading.enumerate()) - before == set()
