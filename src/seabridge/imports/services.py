"""Writes of the imports app: upload a file, map its columns, check it, commit it.

A file goes upload → preview and column mapping → validation report → commit.
Checking reads the whole file, parses every cell, and lets the kind resolve
references and ask the scope module about every row; each stage runs on the rows
the earlier ones left, so that the report names every problem of the file at once.
It writes nothing but the report. Committing checks again and, when no row has a
problem, applies every row in one transaction: all rows or none. A file whose rows
are all already in Seabridge is reported as unchanged, and nothing is written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seabridge.accounts.choices import Role
from seabridge.core.errors import Conflict, DomainError, Forbidden, ValidationFailed
from seabridge.core.jobs import job_enqueue
from seabridge.core.models import Job
from seabridge.core.scope import Actor, require_actor
from seabridge.core.services import audit_record
from seabridge.imports.choices import DateOrder, Encoding, ImportStatus
from seabridge.imports.kinds import Context, ImportKind, Prepared, Progress, Row, kind_for
from seabridge.imports.models import ImportBatch
from seabridge.imports.readers import Sheet, read_sheet
from seabridge.imports.values import CellError, match_header, parse_cell

PREVIEW_ROWS = 10


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 200_000))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 50 * 1024 * 1024))


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _no_progress(done: int, total: int | None = None, message: str | None = None) -> None:
    return None


# --- reading --------------------------------------------------------------------------------


def _read(batch: ImportBatch, data: bytes | None = None) -> Sheet:
    if data is None:
        with batch.file.open("rb") as handle:
            data = handle.read()
    encoding = "auto" if batch.encoding == Encoding.AUTO else batch.encoding
    return read_sheet(
        data,
        batch.filename,
        encoding=encoding,
        delimiter=batch.delimiter,
        max_rows=max_rows(),
        max_bytes=max_bytes(),
    )


def _check_options(encoding: str, date_order: str, delimiter: str) -> None:
    fields: dict[str, list[str]] = {}
    if encoding not in Encoding.values:
        fields["encoding"] = [
            _("%(value)s is not one of: %(choices)s.")
            % {"value": encoding, "choices": ", ".join(Encoding.values)}
        ]
    if date_order not in DateOrder.values:
        fields["date_order"] = [
            _("%(value)s is not one of: %(choices)s.")
            % {"value": date_order, "choices": ", ".join(DateOrder.values)}
        ]
    if delimiter not in ("", ",", ";", "\t", "|"):
        fields["delimiter"] = [_("Use a comma, a semicolon, a tab or a vertical bar.")]
    if fields:
        raise ValidationFailed(fields=fields)


def _require_importer(actor: Actor | None) -> Actor:
    actor = require_actor(actor, Role.STAFF)
    return actor


def import_upload(
    *,
    actor: Actor | None,
    kind: str,
    data: bytes,
    filename: str,
    encoding: str = Encoding.AUTO,
    delimiter: str = "",
    date_order: str = DateOrder.DMY,
    idempotency_key: str = "",
) -> ImportBatch:
    """Keep an uploaded file with its header read and its columns mapped automatically.

    A file that cannot be read at all (empty, corrupt, too large, not a spreadsheet)
    is refused before anything is written. With ``idempotency_key``, a second upload
    under the same key answers the first import when it is the same file, and is
    refused when it is another.
    """
    actor = _require_importer(actor)
    import_kind = kind_for(kind)
    _check_options(encoding, date_order, delimiter)
    name = (filename or "upload").replace("\\", "/").rsplit("/", 1)[-1][:200] or "upload"
    checksum = hashlib.sha256(data).hexdigest()
    key = idempotency_key.strip()[:200]
    if key:
        earlier = ImportBatch.objects.filter(
            organization_id=actor.organization_id, idempotency_key=key
        ).first()
        if earlier is not None:
            if earlier.checksum != checksum or earlier.kind != kind:
                raise Conflict(
                    _("The idempotency key %(key)s was used for another file.") % {"key": key}
                )
            return earlier
    sheet = read_sheet(
        data,
        name,
        encoding="auto" if encoding == Encoding.AUTO else encoding,
        delimiter=delimiter,
        max_rows=max_rows(),
        max_bytes=max_bytes(),
    )
    mapping, _unmatched = match_header(sheet.header, import_kind.columns, languages())
    batch = ImportBatch(
        kind=kind,
        organization_id=actor.organization_id,
        created_by=actor.user,
        filename=name,
        checksum=checksum,
        size=len(data),
        encoding=encoding,
        detected_encoding=sheet.encoding,
        delimiter=sheet.delimiter,
        date_order=date_order,
        header=sheet.header,
        mapping=mapping,
        rows_total=len(sheet.rows),
        idempotency_key=key,
    )
    batch.file.save(f"{checksum[:16]}-{name}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:
        # Another request under the same key got there first.
        batch.file.delete(save=False)
        raise Conflict(
            _("The idempotency key %(key)s was used for another file.") % {"key": key}
        ) from None
    return batch


def import_set_mapping(
    *, actor: Actor | None, batch: ImportBatch, mapping: Mapping[str, int | None]
) -> ImportBatch:
    """Correct which column of the file holds which of the kind's columns."""
    actor = _require_own(actor, batch)
    _require_status(batch, {ImportStatus.UPLOADED, ImportStatus.VALID, ImportStatus.REFUSED})
    kind = kind_for(batch.kind)
    fields: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    used: dict[int, str] = {}
    for name, position in mapping.items():
        if not kind.has(name):
            fields[name] = [_("%(name)s is not a column of this kind of import.") % {"name": name}]
            continue
        if position is None:
            continue
        if not 0 <= position < len(batch.header):
            fields[name] = [_("The file has no column %(position)s.") % {"position": position + 1}]
            continue
        if position in used:
            fields[name] = [
                _("Column %(header)s is already used for %(other)s.")
                % {
                    "header": batch.header[position] or position + 1,
                    "other": kind.column(used[position]).label,
                }
            ]
            continue
        used[position] = name
        clean[name] = position
    if fields:
        raise ValidationFailed(fields=fields)
    batch.mapping = clean
    batch.status = ImportStatus.UPLOADED
    batch.errors, batch.error_count, batch.summary, batch.message = [], 0, {}, ""
    batch.save(
        update_fields=[
            "mapping",
            "status",
            "errors",
            "error_count",
            "summary",
            "message",
            "updated_at",
        ]
    )
    return batch


def _require_own(actor: Actor | None, batch: ImportBatch) -> Actor:
    actor = _require_importer(actor)
    if batch.organization_id != actor.organization_id:
        raise Forbidden(_("This import belongs to another organisation."))
    return actor


def _require_status(batch: ImportBatch, allowed: Collection[str]) -> None:
    if batch.status not in allowed:
        raise Conflict(
            _("The import is %(status)s.") % {"status": ImportStatus(batch.status).label.lower()}
        )


# --- preview --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """The first rows of a file as read, and as parsed under the current mapping."""

    header: list[str]
    raw: list[tuple[int, list[Any]]]
    parsed: list[tuple[int, dict[str, Any], dict[str, str]]]  # row, values, errors by column
    missing: list[str]  # required columns with no column of the file
    unused: list[str]  # header cells mapped to nothing


def import_preview(*, batch: ImportBatch, rows: int = PREVIEW_ROWS) -> Preview:
    kind = kind_for(batch.kind)
    sheet = _read(batch)
    parsed = []
    for number, cells in sheet.rows[:rows]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for name, position in batch.mapping.items():
            cell = cells[position] if position < len(cells) else None
            try:
                values[name] = parse_cell(cell, kind.column(name), date_order=batch.date_order)
            except CellError as error:
                errors[name] = error.message
        parsed.append((number, values, errors))
    used = set(batch.mapping.values())
    return Preview(
        header=sheet.header,
        raw=sheet.rows[:rows],
        parsed=parsed,
        missing=[
            str(column.label)
            for column in kind.columns
            if column.required and column.name not in batch.mapping
        ],
        unused=[header for position, header in enumerate(sheet.header) if position not in used],
    )


# --- checking and committing -------------------------------------------------------------------


def _parse(
    kind: ImportKind, sheet: Sheet, batch: ImportBatch, context: Context
) -> tuple[list[Row], bool]:
    """The rows that pass reading and parsing, as typed values, and whether the file
    has a column for every required one. Reported on ``context``: missing required
    columns, rows of the wrong shape (not parsed), cells that are not of their
    column's type, empty required cells and keys repeated inside the file."""
    mapping: dict[str, int] = batch.mapping
    context.headers = {
        name: (sheet.header[position] if position < len(sheet.header) else "")
        or str(kind.column(name).label)
        for name, position in mapping.items()
    }
    complete = True
    for column in kind.columns:
        if column.required and column.name not in mapping:
            complete = False
            context.error(
                None,
                None,
                _("The file has no column for %(column)s, which is required.")
                % {"column": column.label},
            )
    for number, message in sheet.problems:
        context.error(number, None, message)
    misshapen = {number for number, _message in sheet.problems}
    columns = [(name, position, kind.column(name)) for name, position in mapping.items()]
    required = [
        column.name for column in kind.columns if column.required and column.name in mapping
    ]
    date_order = batch.date_order
    bad_rows = context.bad_rows
    rows: list[Row] = []
    seen: dict[tuple[Any, ...], int] = {}
    total = len(sheet.rows)
    for index, (number, cells) in enumerate(sheet.rows):
        if index % 5000 == 0:
            context.progress(index, total, _("Reading rows"))
        if number in misshapen:
            continue
        values: dict[str, Any] = {}
        unreadable: list[str] | None = None
        for name, position, column in columns:
            try:
                values[name] = parse_cell(cells[position], column, date_order=date_order)
            except CellError as error:
                context.error(number, name, error.message)
                values[name] = None
                unreadable = [*(unreadable or ()), name]
        for name in required:
            if values[name] is None and (unreadable is None or name not in unreadable):
                context.error(number, name, _("This cell is required."))
        row = Row(number, values)
        _check_key(kind, context, row, seen)
        if number not in bad_rows:
            rows.append(row)
    return rows, complete


def _check_key(
    kind: ImportKind, context: Context, row: Row, seen: dict[tuple[Any, ...], int]
) -> None:
    """Report ``row`` when an earlier row of the file has its key."""
    key = tuple(row.values.get(name) for name in kind.key)
    if any(part is None for part in key):
        return
    first = seen.get(key)
    if first is None:
        seen[key] = row.number
        return
    context.error(
        row,
        None,
        _("Row %(row)s repeats row %(first)s (%(key)s).")
        % {"row": row.number, "first": first, "key": ", ".join(str(part) for part in key)},
    )


def _check(
    batch: ImportBatch, actor: Actor, progress: Progress, data: bytes | None = None
) -> tuple[Context, Prepared | None]:
    """Run every stage on the rows the earlier ones left: read, parse, and (when the file
    has its required columns and some rows passed) the kind's own check."""
    kind = kind_for(batch.kind)
    context = Context(actor=actor, kind=kind, progress=progress, date_order=batch.date_order)
    try:
        sheet = _read(batch, data)
    except ValidationFailed as error:
        context.error(None, None, error.message)
        return context, None
    rows, complete = _parse(kind, sheet, batch, context)
    if not complete or not rows:
        return context, None
    progress(0, len(rows), _("Checking rows"))
    prepared = kind.check(context, rows)
    return context, prepared


def _finish(
    batch: ImportBatch,
    context: Context,
    prepared: Prepared | None,
    status: ImportStatus,
    message: str,
) -> ImportBatch:
    batch.status = status
    batch.errors = [problem.as_dict() for problem in context.problems]
    batch.error_count = context.error_count
    batch.message = message[:500]
    if prepared is not None:
        extra = prepared.payload.get("summary", {}) if isinstance(prepared.payload, dict) else {}
        batch.summary = {
            "created": prepared.created,
            "updated": prepared.updated,
            "unchanged": prepared.unchanged,
            **extra,
        }
    if status == ImportStatus.COMMITTED:
        batch.committed_at = timezone.now()
    batch.save(
        update_fields=[
            "status",
            "errors",
            "error_count",
            "message",
            "summary",
            "committed_at",
            "updated_at",
        ]
    )
    return batch


def _refused_message(context: Context) -> str:
    return ngettext(
        "The file was refused: %(count)s problem. Nothing was imported.",
        "The file was refused: %(count)s problems. Nothing was imported.",
        context.error_count,
    ) % {"count": context.error_count}


def _unchanged_message(batch: ImportBatch, prepared: Prepared) -> str:
    message = ngettext(
        "The %(count)s row is already in Seabridge; nothing changed.",
        "All %(count)s rows are already in Seabridge; nothing changed.",
        prepared.unchanged,
    ) % {"count": prepared.unchanged}
    earlier = (
        ImportBatch.objects.filter(
            organization_id=batch.organization_id,
            kind=batch.kind,
            checksum=batch.checksum,
            status=ImportStatus.COMMITTED,
        )
        .exclude(pk=batch.pk)
        .select_related("created_by")
        .order_by("-committed_at")
        .first()
    )
    if earlier is not None and earlier.committed_at is not None:
        message += " " + _("The same file was imported on %(date)s by %(person)s.") % {
            "date": f"{earlier.committed_at:%Y-%m-%d %H:%M}",
            "person": earlier.created_by.get_full_name() or earlier.created_by.get_username(),
        }
    return message


def import_validate(
    *, actor: Actor | None, batch: ImportBatch, progress: Progress | None = None
) -> ImportBatch:
    """Check every row and keep the report; writes nothing else."""
    actor = _require_own(actor, batch)
    _require_status(
        batch,
        {
            ImportStatus.UPLOADED,
            ImportStatus.VALIDATING,
            ImportStatus.VALID,
            ImportStatus.REFUSED,
            ImportStatus.FAILED,
        },
    )
    context, prepared = _check(batch, actor, progress or _no_progress)
    if context.error_count or prepared is None:
        return _finish(batch, context, prepared, ImportStatus.REFUSED, _refused_message(context))
    return _finish(
        batch,
        context,
        prepared,
        ImportStatus.VALID,
        _("%(created)s new, %(updated)s changed, %(unchanged)s already there.")
        % {
            "created": prepared.created,
            "updated": prepared.updated,
            "unchanged": prepared.unchanged,
        },
    )


def import_commit(
    *,
    actor: Actor | None,
    batch: ImportBatch,
    progress: Progress | None = None,
    data: bytes | None = None,
) -> ImportBatch:
    """Check every row again and, when none has a problem, write them all in one
    transaction; otherwise write nothing and keep the report."""
    actor = _require_own(actor, batch)
    _require_status(
        batch,
        {
            ImportStatus.UPLOADED,
            ImportStatus.VALIDATING,
            ImportStatus.VALID,
            ImportStatus.REFUSED,
            ImportStatus.COMMITTING,
            ImportStatus.FAILED,
        },
    )
    report = progress or _no_progress
    context, prepared = _check(batch, actor, report, data)
    if context.error_count or prepared is None:
        return _finish(batch, context, prepared, ImportStatus.REFUSED, _refused_message(context))
    if not prepared.changes:
        return _finish(
            batch, context, prepared, ImportStatus.UNCHANGED, _unchanged_message(batch, prepared)
        )
    kind = kind_for(batch.kind)
    report(0, prepared.changes, _("Writing"))
    try:
        with transaction.atomic():
            kind.apply(context, prepared)
            audit_record(
                actor=actor.user,
                action=f"import.{batch.kind}",
                obj=batch,
                changes={
                    "file": batch.filename,
                    "checksum": batch.checksum,
                    "created": prepared.created,
                    "updated": prepared.updated,
                    "unchanged": prepared.unchanged,
                },
            )
            batch = _finish(
                batch,
                context,
                prepared,
                ImportStatus.COMMITTED,
                _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s already there.")
                % {
                    "created": prepared.created,
                    "updated": prepared.updated,
                    "unchanged": prepared.unchanged,
                },
            )
    except DomainError as error:
        # The world changed between the check and the write: nothing was kept.
        batch.refresh_from_db()
        context.error(None, None, str(error.message))
        for field, messages in (error.fields or {}).items():
            for message in messages:
                context.error(None, None, f"{field}: {message}")
        return _finish(batch, context, None, ImportStatus.REFUSED, _refused_message(context))
    report(prepared.changes, prepared.changes, _("Imported"))
    return batch


def import_file(
    *,
    actor: Actor | None,
    kind: str,
    data: bytes,
    filename: str,
    commit: bool = True,
    encoding: str = Encoding.AUTO,
    delimiter: str = "",
    date_order: str = DateOrder.DMY,
    progress: Progress | None = None,
) -> ImportBatch:
    """Upload, check and (unless ``commit`` is False) commit a file in this process:
    the command line's and the tests' way in."""
    batch = import_upload(
        actor=actor,
        kind=kind,
        data=data,
        filename=filename,
        encoding=encoding,
        delimiter=delimiter,
        date_order=date_order,
    )
    if commit:
        return import_commit(actor=actor, batch=batch, progress=progress, data=data)
    return import_validate(actor=actor, batch=batch, progress=progress)


# --- in the background -------------------------------------------------------------------------


def import_start(*, actor: Actor | None, batch: ImportBatch, commit: bool) -> Job:
    """Queue the check (or the commit) of ``batch`` for the worker; answers the job to poll."""
    actor = _require_own(actor, batch)
    # A failed run (the worker crashed; its transaction rolled back) may be retried.
    allowed = {
        ImportStatus.UPLOADED,
        ImportStatus.VALID,
        ImportStatus.REFUSED,
        ImportStatus.FAILED,
    }
    if commit:
        allowed = {ImportStatus.VALID, ImportStatus.UPLOADED, ImportStatus.FAILED}
    _require_status(batch, allowed)
    with transaction.atomic():
        job = job_enqueue(
            kind="imports.run",
            parameters={
                "batch": batch.pk,
                "commit": commit,
                "membership": actor.membership_id,
            },
            created_by=actor.user,
            label=(_("Import %(file)s") if commit else _("Check %(file)s"))
            % {"file": batch.filename},
        )
        batch.job = job
        batch.status = ImportStatus.COMMITTING if commit else ImportStatus.VALIDATING
        batch.save(update_fields=["job", "status", "updated_at"])
    return job


JobRunner = Callable[..., ImportBatch]


def imports_mark_failed(*, batch: ImportBatch, error: str) -> None:
    """A crashed worker leaves the import failed (its transaction rolled back)."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.FAILED, message=error[:500], updated_at=timezone.now()
    )


def import_abandoned(*, batch: ImportBatch) -> bool:
    """The worker checking or importing ``batch`` died (the job reaper found it): a batch
    still being checked or imported kept nothing — its rows and its outcome are written
    in one transaction, which the database rolled back — so it is marked failed, saying
    so, and may be checked and imported again. Answers whether it was; a batch that
    reached its outcome before the worker stopped keeps it."""
    if batch.status == ImportStatus.VALIDATING:
        message = _(
            "The worker stopped while checking this file; nothing was written. Check it again."
        )
    elif batch.status == ImportStatus.COMMITTING:
        message = _(
            "The worker stopped while importing this file; nothing was written. "
            "Check the file and import it again."
        )
    else:
        return False
    imports_mark_failed(batch=batch, error=message)
    return True


def example_rows(kind: ImportKind) -> Sequence[Any]:
    return [column.example for column in kind.columns]
