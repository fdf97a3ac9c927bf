"""The export module: formula cells neutralised, numbers and dates kept typed, a CSV with
a BOM and exact lines, an XLSX that reads back cell for cell, and a refused format.

``csv_lines`` and ``xlsx_rows`` read a download back; the apps' export tests use them.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from seabridge.core.errors import ValidationFailed
from seabridge.core.exports import (
    XLSX_TYPE,
    check_format,
    export_response,
    neutralise,
    xlsx_bytes,
)


def csv_lines(response: Any) -> list[str]:
    """The lines of a streamed CSV download, after its BOM (the last one is empty)."""
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return body[1:].split("\r\n")


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """The cells of the first sheet of an XLSX, row by row."""
    sheet = load_workbook(io.BytesIO(content)).active
    assert isinstance(sheet, Worksheet)
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- neutralise -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\t=x", "'\t=x"),
        ("\r=x", "'\r=x"),
        ('=HYPERLINK("http://example.com")', '\'=HYPERLINK("http://example.com")'),
        ("T8 = pickup", "T8 = pickup"),
        ("江淮", "江淮"),
        ("", ""),
    ],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        -2,
        0,
        3.5,
        Decimal("-18500.25"),
        date(2025, 3, 1),
        datetime(2025, 3, 1, 8, 30, tzinfo=UTC),
    ],
)
def test_numbers_and_dates_stay_typed(value):
    assert neutralise(value) is value


def test_nothing_is_an_empty_cell_and_a_boolean_reads_yes_or_no():
    assert neutralise(None) == ""
    assert neutralise(True) == "yes"
    assert neutralise(False) == "no"


# --- formats --------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(None, "csv"), ("", "csv"), ("XLSX", "xlsx")])
def test_a_format_is_csv_or_xlsx(value, expected):
    assert check_format(value) == expected


def test_another_format_is_refused_naming_the_field():
    with pytest.raises(ValidationFailed) as refused:
        check_format("pdf")
    assert refused.value.status == 422
    assert refused.value.fields == {"format": ["Choose csv or xlsx, not pdf."]}


def test_export_response_refuses_an_unknown_format():
    with pytest.raises(ValidationFailed) as refused:
        export_response(header=["A"], rows=[], filename="x", format="ods")
    assert list(refused.value.fields) == ["format"]


# --- CSV ------------------------------------------------------------------------------------

HEADER = ["VIN", "Customer", "Price", "Currency", "Retailed on", "Note"]
ROWS: list[list[Any]] = [
    ["LJ12EKR10S4000001", "王磊", Decimal("118000.00"), "CNY", date(2025, 6, 1), "=1+1"],
    ["LJ12EKR10S4000002", "محمد العتيبي", Decimal("-250.5"), "SAR", None, "+966 11 000"],
    ["LJ12EKR10S4000003", '@home, "quoted"', 3, "USD", date(2025, 12, 31), "-"],
]


def test_the_csv_has_a_bom_and_exact_lines():
    response = export_response(
        header=HEADER, rows=iter(ROWS), filename="vehicles-2026-11-23", format="csv"
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="vehicles-2026-11-23.csv"'
    assert csv_lines(response) == [
        "VIN,Customer,Price,Currency,Retailed on,Note",
        "LJ12EKR10S4000001,王磊,118000.00,CNY,2025-06-01,'=1+1",
        "LJ12EKR10S4000002,محمد العتيبي,-250.5,SAR,,'+966 11 000",
        'LJ12EKR10S4000003,"\'@home, ""quoted""",3,USD,2025-12-31,\'-',
        "",
    ]


def test_the_csv_is_streamed_not_built_in_memory():
    produced: list[int] = []

    def rows() -> Any:
        for number in range(3):
            produced.append(number)
            yield [number]

    response = export_response(header=["n"], rows=rows(), filename="n", format="csv")
    assert produced == []  # nothing is read until the download is sent
    assert csv_lines(response) == ["n", "0", "1", "2", ""]


# --- XLSX -----------------------------------------------------------------------------------


def test_the_xlsx_reads_back_cell_for_cell():
    response = export_response(
        header=HEADER, rows=iter(ROWS), filename="vehicles-2026-11-23", format="xlsx"
    )
    assert response["Content-Type"] == XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="vehicles-2026-11-23.xlsx"'
    assert xlsx_rows(response.content) == [
        HEADER,
        ["LJ12EKR10S4000001", "王磊", 118000, "CNY", datetime(2025, 6, 1), "'=1+1"],
        ["LJ12EKR10S4000002", "محمد العتيبي", -250.5, "SAR", None, "'+966 11 000"],
        ["LJ12EKR10S4000003", '\'@home, "quoted"', 3, "USD", datetime(2025, 12, 31), "'-"],
    ]


def test_xlsx_cells_keep_their_types_and_the_header_is_bold():
    content = xlsx_bytes(
        ["When", "Amount", "Text"],
        [[datetime(2025, 3, 1, 8, 30, tzinfo=UTC), Decimal("1.25"), "=A1"]],
        title="report",
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)
    assert sheet.title == "report"
    assert all(cell.font.bold for cell in sheet[1])
    when, amount, text = sheet[2]
    assert isinstance(when, Cell)
    # Excel has no time zones: the UTC time is written as it is.
    assert (when.value, when.is_date) == (datetime(2025, 3, 1, 8, 30), True)
    assert (amount.value, amount.data_type) == (1.25, "n")
    assert (text.value, text.data_type) == ("'=A1", "s")
