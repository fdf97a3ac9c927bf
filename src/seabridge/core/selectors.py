"""Reads owned by core."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AnonymousUser, User

from seabridge.core.errors import NotFound
from seabridge.core.models import Job


def job_get_for_user(*, user: User | AnonymousUser, job_id: uuid.UUID | str) -> Job:
    """Return the job if ``user`` started it; otherwise answer as if it did not exist."""
    if not isinstance(user, User):
        raise NotFound()
    try:
        return Job.objects.get(pk=job_id, created_by=user)
    except (Job.DoesNotExist, ValueError):
        raise NotFound() from None
