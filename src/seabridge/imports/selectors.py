"""Reads of the imports app: an organisation's imports, a kind's template, the report."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from seabridge.core.errors import NotFound
from seabridge.core.scope import Actor
from seabridge.imports.kinds import ImportKind
from seabridge.imports.models import ImportBatch
from seabridge.imports.values import template_header


def import_list(*, actor: Actor | None) -> QuerySet[ImportBatch]:
    """The imports of the actor's organisation, newest first: each organisation sees its own."""
    if actor is None:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(organization_id=actor.organization_id).select_related(
        "created_by"
    )


def import_get(*, actor: Actor | None, import_id: int) -> ImportBatch:
    batch = import_list(actor=actor).filter(pk=import_id).select_related("job").first()
    if batch is None:
        raise NotFound(_("No such import."))
    return batch


def template_table(kind: ImportKind) -> tuple[list[str], list[list[Any]]]:
    """The header in the active language (required columns marked *) and an example row."""
    return (
        [template_header(column) for column in kind.columns],
        [[column.example for column in kind.columns]],
    )


def report_table(batch: ImportBatch) -> tuple[list[str], list[list[Any]]]:
    """The validation report as a table a user can sort and filter in Excel."""
    return (
        [_("Row"), _("Column"), _("Problem")],
        [
            [problem.get("row") or "", problem.get("column") or "", problem["message"]]
            for problem in batch.errors
        ],
    )
