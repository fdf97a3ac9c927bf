"""Exports of lists and reports to CSV and XLSX, one implementation for every app.

A table is a header row and data rows. Text cells that a spreadsheet would read as
a formula (starting with ``=``, ``+``, ``-``, ``@``, or a tab or carriage return)
are neutralised with a leading apostrophe, as OWASP advises against CSV
injection; numbers, dates and decimals stay typed so that sums work in Excel. A
character that no field accepts now (:data:`~seabridge.core.errors.CONTROL_CHARACTERS`)
but that a row stored before may hold becomes U+FFFD in both formats: XLSX (XML)
cannot hold it, and a spreadsheet would show it as nothing.
Rows are streamed: a CSV of a million vehicles never sits in memory, and the
XLSX writer works in openpyxl's write-only mode.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from seabridge.core.errors import CONTROL_CHARACTERS, ValidationFailed

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT_CHARACTER = "\ufffd"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_XLSX_ROWS = 1_048_575  # Excel's limit, less the header


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text that would run as a formula
    gets a leading apostrophe, a control character becomes U+FFFD; numbers and dates
    pass unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float, Decimal, date, datetime)):
        return value
    text = CONTROL_CHARACTERS.sub(REPLACEMENT_CHARACTER, str(value))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def check_format(value: str | None) -> str:
    """``csv`` or ``xlsx``, or a refusal naming the ``format`` field."""
    chosen = (value or "csv").lower()
    if chosen not in FORMATS:
        raise ValidationFailed(
            fields={"format": [_("Choose csv or xlsx, not %(value)s.") % {"value": value}]}
        )
    return chosen


class _Echo:
    """A file-like object whose ``write`` hands back what it was given."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a BOM, so that Excel reads UTF-8 (Chinese, Arabic) correctly
    yield writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        yield writer.writerow(
            [
                cell.isoformat() if isinstance(cell, (date, datetime)) else cell
                for cell in map(neutralise, row)
            ]
        )


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "") -> bytes:
    """An XLSX workbook of one sheet: the header in bold, then the rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Seabridge")[:31])
    bold = Font(bold=True)
    cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise(name))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for count, row in enumerate(rows, start=1):
        if count > MAX_XLSX_ROWS:
            raise ValidationFailed(
                _("More than %(limit)s rows do not fit in one sheet; export CSV instead.")
                % {"limit": f"{MAX_XLSX_ROWS:,}"}
            )
        # Excel has no time zones; we store UTC.
        sheet.append(
            [
                value.replace(tzinfo=None) if isinstance(value, datetime) else value
                for value in map(neutralise, row)
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    *,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filename: str,
    format: str,
) -> HttpResponse | StreamingHttpResponse:
    """The table as a download: CSV streamed, XLSX built in write-only mode."""
    chosen = check_format(format)
    if chosen == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(header, rows, title=filename), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{chosen}"'
    return response
