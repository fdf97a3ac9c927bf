"""Reads of the imports app: an organisation's imports, a kind's template, the report."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from django.db.models import QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from seabridge.core.errors import NotFound
from seabridge.core.money import babel_locale
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


def problems_left_out(batch: ImportBatch, *, listed: int) -> str:
    """What a report says of the problems of ``batch`` beyond the first ``listed`` (the
    import keeps the first thousand and counts them all): "And 4,211 more problems.";
    "" when there are none."""
    count = batch.error_count - listed
    if count <= 0:
        return ""
    shown = format_decimal(count, locale=babel_locale(get_language() or "en"))
    return ngettext("And %(count)s more problem.", "And %(count)s more problems.", count) % {
        "count": shown
    }


def report_table(batch: ImportBatch) -> tuple[list[str], list[list[Any]]]:
    """The validation report as a table a user can sort and filter in Excel; a last line
    says how many problems the import counted beyond the ones it kept."""
    rows: list[list[Any]] = [
        [problem.get("row") or "", problem.get("column") or "", problem["message"]]
        for problem in batch.errors
    ]
    left_out = problems_left_out(batch, listed=len(batch.errors))
    if left_out:
        rows.append(["", "", left_out])
    return [_("Row"), _("Column"), _("Problem")], rows
