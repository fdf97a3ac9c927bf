import pytest
from django.contrib.contenttypes.models import ContentType

from seabridge.core.choices import JobStatus
from seabridge.core.errors import ValidationFailed
from seabridge.core.jobs import Progress, job_enqueue, job_handler
from seabridge.core.models import AppendOnlyError, AuditEvent, Job
from seabridge.core.services import audit_record, field_changes

pytestmark = pytest.mark.django_db


@job_handler("tests.count")
def count_to(job: Job, progress: Progress) -> dict:
    total = job.parameters["to"]
    for done in range(1, total + 1):
        progress(done, total, message=f"counted {done}")
    return {"counted": total}


@job_handler("tests.fail")
def fail(job: Job, progress: Progress) -> dict:
    progress(1, 4)
    raise RuntimeError("the file was unreadable")


def test_audit_record_writes_who_did_what_to_which_object(user):
    event = audit_record(
        actor=user,
        action="update",
        obj=user,
        changes=field_changes({"email": "old@example.com"}, {"email": "amina@example.com"}),
    )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == user
    assert stored.actor_label == "amina"
    assert stored.action == "update"
    assert stored.content_type == ContentType.objects.get_for_model(user)
    assert stored.object_id == str(user.pk)
    assert stored.object_repr == "amina"
    assert stored.changes == {"email": ["old@example.com", "amina@example.com"]}
    assert list(AuditEvent.objects.for_object(user)) == [stored]


def test_audit_events_without_a_person_are_by_the_system():
    event = audit_record(actor=None, action="rebuild")
    assert (event.actor, event.actor_label, event.object_id) == (None, "system", "")


def test_the_audit_trail_is_append_only(user):
    event = audit_record(actor=user, action="create", obj=user)
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "create"


def test_field_changes_lists_only_what_differs():
    assert field_changes({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == {"b": ["x", "y"]}


def test_a_job_runs_after_commit_and_reports_progress(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_enqueue(kind="tests.count", parameters={"to": 3}, created_by=user, label="Count")
        assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.message == "counted 3"
    assert job.result == {"counted": 3}
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.finished_at >= job.started_at


def test_a_failing_job_is_marked_failed_with_its_error(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="tests.fail", parameters={}, created_by=user)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("the file was unreadable")
    assert (job.progress_done, job.progress_total, job.percent) == (1, 4, 25)


def test_an_unknown_job_kind_is_refused_and_nothing_is_written(user):
    with pytest.raises(ValidationFailed) as caught:
        job_enqueue(kind="tests.nothing", parameters={}, created_by=user)
    assert caught.value.fields == {"kind": ["Unknown job kind tests.nothing."]}
    assert Job.objects.count() == 0
