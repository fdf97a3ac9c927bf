"""Core pages (a background job's progress) and whom a request acts as, for every
app's pages and endpoints."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from seabridge.core.errors import NotFound
from seabridge.core.selectors import job_get_for_user
from seabridge.core.types import HtmxHttpRequest

if TYPE_CHECKING:
    from seabridge.core.scope import Actor


def request_actor(request: HttpRequest) -> Actor | None:
    """Whom the request acts as: the person and the organisation they act for, or None
    (signed out, or a person who acts for no organisation).

    A session's actor is set by ``accounts.middleware.ActorMiddleware`` (the acting
    organisation chosen in the session, else the person's first), an API token's by the
    API's token authentication. Reads pass None on to the scope module, which then
    shows only what is public.
    """
    return getattr(request, "actor", None)


def required_actor(request: HttpRequest) -> Actor:
    """:func:`request_actor` where acting for an organisation is the only way in (writes,
    an organisation's own views): acting for none is a :class:`NotFound` (404), as a row
    out of scope is."""
    actor = request_actor(request)
    if actor is None:
        raise NotFound()
    return actor


@login_required
def job_detail(request: HtmxHttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """The job page; htmx polls the progress fragment until the job finishes."""
    try:
        job = job_get_for_user(user=request.user, job_id=job_id)
    except NotFound as error:
        raise Http404 from error
    template = "core/_job_progress.html" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})
