"""Import pages: upload, preview and column mapping, validation report, commit with progress.

The check and the commit run in the background worker; the page polls the
import's status fragment until it is finished.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from seabridge.accounts.choices import Role
from seabridge.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from seabridge.core.exports import export_response
from seabridge.core.types import HtmxHttpRequest
from seabridge.imports import selectors, services
from seabridge.imports.choices import ImportStatus
from seabridge.imports.filters import ImportBatchFilter
from seabridge.imports.forms import MappingForm, UploadForm
from seabridge.imports.kinds import all_kinds, kind_for
from seabridge.imports.models import ImportBatch
from seabridge.web.forms import apply_domain_error
from seabridge.web.lists import list_context
from seabridge.web.views import page_actor, scoped_page

MAPPING_STATUSES = {
    ImportStatus.UPLOADED,
    ImportStatus.VALID,
    ImportStatus.REFUSED,
    ImportStatus.FAILED,
}
SHOWN_PROBLEMS = 200


def summary_labels() -> dict[str, str]:
    return {
        "created": _("new"),
        "updated": _("changed"),
        "unchanged": _("already there"),
        "matched": _("matched"),
        "not_in_stock": _("not in stock by the records"),
        "missing": _("in stock by the records, not counted"),
    }


@scoped_page
def import_list(request: HtmxHttpRequest) -> HttpResponse:
    actor = page_actor(request.actor, Role.VIEWER)
    context = list_context(request, selectors.import_list(actor=actor), ImportBatchFilter)
    context.update(kinds=all_kinds(), may_import=actor.has_role(Role.STAFF))
    return render(request, "imports/import_list.html", context)


@scoped_page
def import_new(request: HtmxHttpRequest) -> HttpResponseBase:
    actor = page_actor(request.actor, Role.STAFF)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            batch = services.import_upload(
                actor=actor,
                kind=data["kind"],
                data=upload.read(),
                filename=upload.name,
                encoding=data["encoding"],
                delimiter=data["delimiter"] or "",
                date_order=data["date_order"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
            if not error.fields:
                form.add_error("file", error.message)
        else:
            return redirect("imports:import-detail", pk=batch.pk)
    return render(request, "imports/import_new.html", {"form": form, "kinds": all_kinds()})


def _detail_context(request: HtmxHttpRequest, batch: ImportBatch) -> dict:
    kind = kind_for(batch.kind)
    problems = batch.errors[:SHOWN_PROBLEMS]
    context: dict = {
        "batch": batch,
        "kind": kind,
        "problems": problems,
        "problems_left_out": selectors.problems_left_out(batch, listed=len(problems)),
        "summary": [
            (summary_labels().get(name, name.replace("_", " ")), count)
            for name, count in batch.summary.items()
        ],
        "may_import": request.actor is not None and request.actor.has_role(Role.STAFF),
    }
    if batch.status in MAPPING_STATUSES:
        try:
            preview = services.import_preview(batch=batch)
        except ValidationFailed as error:
            context["preview_error"] = error.message
        else:
            columns = [column for column in kind.columns if column.name in batch.mapping]
            context["preview"] = preview
            context["preview_columns"] = [(column.name, column.label) for column in columns]
            context["preview_rows"] = [
                {
                    "number": number,
                    "cells": [
                        {"value": values.get(column.name), "error": errors.get(column.name)}
                        for column in columns
                    ],
                }
                for number, values, errors in preview.parsed
            ]
        context["mapping_form"] = MappingForm(
            kind=kind,
            header=batch.header,
            initial={name: str(position) for name, position in batch.mapping.items()},
        )
    return context


@scoped_page
def import_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    batch = selectors.import_get(actor=request.actor, import_id=pk)
    if request.htmx and request.GET.get("fragment") == "status":
        if batch.is_finished or batch.status in MAPPING_STATUSES:
            # Done: reload the whole page, with its report.
            response = HttpResponse()
            response["HX-Refresh"] = "true"
            return response
        return render(request, "imports/_status.html", {"batch": batch})
    return render(request, "imports/import_detail.html", _detail_context(request, batch))


@require_POST
@scoped_page
def import_mapping(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    batch = selectors.import_get(actor=request.actor, import_id=pk)
    actor = page_actor(request.actor, Role.STAFF)
    form = MappingForm(request.POST, kind=kind_for(batch.kind), header=batch.header)
    if form.is_valid():
        try:
            services.import_set_mapping(actor=actor, batch=batch, mapping=form.mapping())
        except (ValidationFailed, Conflict) as error:
            apply_domain_error(form, error)
        else:
            services.import_start(actor=actor, batch=batch, commit=False)
            messages.success(request, _("Columns saved; the file is being checked."))
            return redirect("imports:import-detail", pk=batch.pk)
    context = _detail_context(request, batch)
    context["mapping_form"] = form
    return render(request, "imports/import_detail.html", context, status=422)


@require_POST
@scoped_page
def import_check(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    batch = selectors.import_get(actor=request.actor, import_id=pk)
    actor = page_actor(request.actor, Role.STAFF)
    try:
        services.import_start(actor=actor, batch=batch, commit=False)
    except Conflict as error:
        messages.error(request, error.message)
    return redirect("imports:import-detail", pk=batch.pk)


@require_POST
@scoped_page
def import_commit(request: HtmxHttpRequest, pk: int) -> HttpResponseBase:
    batch = selectors.import_get(actor=request.actor, import_id=pk)
    actor = page_actor(request.actor, Role.STAFF)
    try:
        services.import_start(actor=actor, batch=batch, commit=True)
    except Conflict as error:
        messages.error(request, error.message)
    return redirect("imports:import-detail", pk=batch.pk)


@scoped_page
def import_report(request: HtmxHttpRequest, pk: int, format: str) -> HttpResponseBase:
    """The validation report as a download (XLSX or CSV)."""
    batch = selectors.import_get(actor=request.actor, import_id=pk)
    header, rows = selectors.report_table(batch)
    return export_response(
        header=header, rows=rows, filename=f"import-{batch.pk}-problems", format=format
    )


@scoped_page
def import_template(request: HtmxHttpRequest, kind: str, format: str) -> HttpResponseBase:
    """A kind's template: the header in the reader's language and an example row."""
    try:
        import_kind = kind_for(kind)
    except ValidationFailed as error:
        raise NotFound(_("No such kind of import.")) from error
    header, rows = selectors.template_table(import_kind)
    return export_response(
        header=header, rows=rows, filename=f"seabridge-{import_kind.code}", format=format
    )
