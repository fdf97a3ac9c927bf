"""Core pages: a background job's progress."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from seabridge.core.errors import NotFound
from seabridge.core.selectors import job_get_for_user
from seabridge.core.types import HtmxHttpRequest


@login_required
def job_detail(request: HtmxHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The job page; htmx polls the progress fragment until the job finishes."""
    try:
        job = job_get_for_user(user=request.user, job_id=job_id)
    except NotFound as error:
        raise Http404 from error
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})
