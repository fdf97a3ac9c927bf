"""Core endpoints: health and background job progress."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import connection
from django.http import HttpRequest
from ninja import Router, Schema

from seabridge.core.errors import DomainError, ErrorOut
from seabridge.core.selectors import job_get_for_user

router = Router(tags=["core"])


class HealthOut(Schema):
    status: str
    database: str


class JobOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    status: str
    progress_done: int
    progress_total: int | None
    percent: int | None
    message: str
    result: dict
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class DatabaseUnavailable(DomainError):
    status = 503
    code = "database_unavailable"


@router.get(
    "/health",
    response={200: HealthOut, 503: ErrorOut},
    auth=None,
    summary="Check that the service and its database answer",
)
def health(request: HttpRequest) -> HealthOut:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        raise DatabaseUnavailable(str(error)) from error
    return HealthOut(status="ok", database=connection.vendor)


@router.get("/jobs/{job_id}", response=JobOut, summary="Read a background job's progress")
def job_detail(request: HttpRequest, job_id: uuid.UUID) -> JobOut:
    job = job_get_for_user(user=request.user, job_id=job_id)
    return JobOut.model_validate(job, from_attributes=True)
