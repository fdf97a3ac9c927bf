"""Import endpoints: send a file of a kind, poll the job, read the report.

``POST /imports/{kind}`` keeps the file, queues its check and (unless ``dry_run``)
its commit in the background, and answers 202 with the import to poll at
``GET /imports/{kind}/{id}``. With an
``Idempotency-Key`` header, sending the same file again under the same key answers
the first import (200) and starts nothing; another file under a used key is a 409.
"""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from seabridge.core.errors import NotFound
from seabridge.core.pagination import PageNumberPagination
from seabridge.core.types import RowId
from seabridge.core.views import request_actor
from seabridge.imports import selectors, services
from seabridge.imports.choices import DateOrder, Encoding, ImportStatus
from seabridge.imports.filters import ImportBatchFilter
from seabridge.imports.kinds import all_kinds
from seabridge.imports.models import ImportBatch

router = Router(tags=["imports"])

# The kinds are written out in the schema, so that a client sees which there are.
KindPath = Annotated[
    str,
    WithJsonSchema(
        {"type": "string", "enum": [kind.code for kind in all_kinds()], "title": "Kind"}
    ),
]


class ColumnOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    example: Any


class KindOut(Schema):
    code: str
    label: str
    key: list[str]
    columns: list[ColumnOut]


class ProblemOut(Schema):
    row: int | None
    column: str | None
    message: str


class ImportOut(Schema):
    id: int
    kind: str
    filename: str
    checksum: str
    size: int
    status: ImportStatus
    message: str
    rows_total: int
    error_count: int
    errors: list[ProblemOut]
    summary: dict[str, int]
    detected_encoding: str
    delimiter: str
    mapping: dict[str, int]
    job_id: str | None
    progress_done: int | None
    progress_total: int | None
    created_at: datetime
    committed_at: datetime | None

    @staticmethod
    def resolve_job_id(batch: ImportBatch) -> str | None:
        return str(batch.job_id) if batch.job_id else None

    @staticmethod
    def resolve_progress_done(batch: ImportBatch) -> int | None:
        return batch.job.progress_done if batch.job else None

    @staticmethod
    def resolve_progress_total(batch: ImportBatch) -> int | None:
        return batch.job.progress_total if batch.job else None


class UploadIn(Schema):
    encoding: Encoding = Encoding.AUTO
    delimiter: str = ""
    date_order: DateOrder = DateOrder.DMY
    dry_run: bool = False


@router.get("/kinds", response=list[KindOut], summary="The kinds of import and their columns")
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "code": kind.code,
            "label": str(kind.label),
            "key": list(kind.key),
            "columns": [
                {
                    "name": column.name,
                    "label": str(column.label),
                    "type": column.type.value,
                    "required": column.required,
                    "example": column.example,
                }
                for column in kind.columns
            ],
        }
        for kind in all_kinds()
    ]


@router.get("/", response=list[ImportOut], summary="The imports of the caller's organisation")
@paginate(PageNumberPagination)
def import_list(request: HttpRequest, filters: Query[ImportBatchFilter]) -> QuerySet[ImportBatch]:
    return filters.filter(selectors.import_list(actor=request_actor(request)).select_related("job"))


@router.get(
    "/{kind}/{import_id}", response=ImportOut, summary="An import: status, progress, report"
)
def import_detail(request: HttpRequest, kind: KindPath, import_id: RowId) -> ImportBatch:
    batch = selectors.import_get(actor=request_actor(request), import_id=import_id)
    if batch.kind != kind:
        raise NotFound(_("No such import."))
    return batch


@router.post(
    "/{kind}",
    response={200: ImportOut, 202: ImportOut},
    summary="Send a file to import; answers the import to poll (Idempotency-Key honoured)",
)
def import_create(
    request: HttpRequest,
    kind: KindPath,
    file: File[UploadedFile],
    options: Form[UploadIn],
) -> Status[ImportBatch]:
    actor = request_actor(request)
    key = request.headers.get("Idempotency-Key", "")
    batch = services.import_upload(
        actor=actor,
        kind=kind,
        data=file.read(),
        filename=file.name or "upload",
        encoding=options.encoding,
        delimiter=options.delimiter,
        date_order=options.date_order,
        idempotency_key=key,
    )
    if batch.status != ImportStatus.UPLOADED or batch.job_id:
        return Status(200, batch)  # the same file again under the same key
    services.import_start(actor=actor, batch=batch, commit=not options.dry_run)
    batch.refresh_from_db()
    return Status(202, batch)
