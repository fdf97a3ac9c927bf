"""Reading uploaded files: formats, encodings, delimiters, limits and refusals."""

import codecs
import io
import zipfile
from datetime import date, datetime, time

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from seabridge.imports.readers import BOM_GB18030, FileRefused, Formula, Sheet, read_sheet


def refusal(data: bytes, filename: str = "sales.csv", **options) -> str:
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, filename, **options)
    return refused.value.message


def xlsx(*rows, setup=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    if setup is not None:
        setup(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV encodings -------------------------------------------------------------------------


def test_utf8_is_read_as_utf8():
    sheet = read_sheet("VIN,Customer\nLJ1,Zoë\n".encode(), "sales.csv")
    assert sheet == Sheet(
        format="csv",
        header=["VIN", "Customer"],
        rows=[(2, ["LJ1", "Zoë"])],
        encoding="utf-8",
        delimiter=",",
        problems=[],
    )


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_header():
    sheet = read_sheet("\ufeffVIN,客户\nLJ1,张伟\n".encode(), "sales.csv")
    assert sheet.encoding == "utf-8-sig"
    assert sheet.header == ["VIN", "客户"]
    assert sheet.rows == [(2, ["LJ1", "张伟"])]


def test_an_explicit_utf8_also_drops_the_byte_order_mark():
    sheet = read_sheet("\ufeffVIN\nLJ1\n".encode(), "sales.csv", encoding="utf-8")
    assert sheet.encoding == "utf-8-sig"
    assert sheet.header == ["VIN"]


@pytest.mark.parametrize(
    ("encoding", "text", "first_row"),
    [
        ("cp1252", "VIN,Fecha de producción\nLJ1,01/03/2025\n", ["LJ1", "01/03/2025"]),
        ("gb18030", "VIN,生产日期\nLJ1,2025年3月1日\n", ["LJ1", "2025年3月1日"]),
    ],
)
def test_a_utf8_byte_order_mark_before_text_in_another_encoding_is_dropped(
    encoding, text, first_row, tmp_path
):
    # A program saved the file in a legacy encoding behind a UTF-8 mark: read as UTF-8 it
    # is refused, and read in the encoding the refusal asks for, the mark is not text.
    path = tmp_path / "sales.csv"
    path.write_bytes(codecs.BOM_UTF8 + text.encode(encoding))
    data = path.read_bytes()
    assert refusal(data).startswith("The file is not valid UTF-8 text (byte ")

    sheet = read_sheet(data, path.name, encoding=encoding)

    assert (sheet.encoding, sheet.header) == (encoding, text.split("\n")[0].split(","))
    assert sheet.rows == [(2, first_row)]


@pytest.mark.parametrize("encoding", ["auto", "gb18030"])
def test_gb18030s_own_byte_order_mark_is_not_part_of_the_first_header(encoding, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_bytes(BOM_GB18030 + "车架号,客户\nLJ1,张伟\n".encode("gb18030"))

    sheet = read_sheet(path.read_bytes(), path.name, encoding=encoding)

    assert (sheet.encoding, sheet.header) == ("gb18030", ["车架号", "客户"])
    assert sheet.rows == [(2, ["LJ1", "张伟"])]


def test_a_utf16_byte_order_mark_is_dropped_when_the_byte_order_is_chosen():
    data = codecs.BOM_UTF16_LE + "VIN\tCustomer\r\nLJ1\tمحمد\r\n".encode("utf-16-le")
    sheet = read_sheet(data, "sales.txt", encoding="utf-16-le")
    assert sheet.header == ["VIN", "Customer"]


def test_a_file_of_nothing_but_a_gb18030_byte_order_mark_is_empty():
    assert refusal(BOM_GB18030 + b"\r\n") == "The file is empty."


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(codec):
    data = "VIN\tCustomer\r\nLJ1\tمحمد\r\n".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    sheet = read_sheet(data, "sales.txt")
    assert (sheet.encoding, sheet.delimiter) == ("utf-16", "\t")
    assert sheet.header == ["VIN", "Customer"]
    assert sheet.rows == [(2, ["LJ1", "محمد"])]


def test_gb18030_chinese_is_detected():
    text = "车架号,销售日期,客户\nLJ1,2024-05-23,张伟\nLJ2,2024-05-24,李娜\n"
    sheet = read_sheet(text.encode("gb18030"), "sales.csv")
    assert sheet.encoding == "gb18030"
    assert sheet.header == ["车架号", "销售日期", "客户"]
    assert sheet.rows == [(2, ["LJ1", "2024-05-23", "张伟"]), (3, ["LJ2", "2024-05-24", "李娜"])]


def test_gb18030_with_a_rare_character_and_mixed_latin_is_detected():
    text = "型号,车架号,客户\nT8皮卡,LJ1,王喆\nSUV车型,LJ2,北京市朝阳区（东）\n"
    sheet = read_sheet(text.encode("gb18030"), "sales.csv")
    assert sheet.encoding == "gb18030"
    assert sheet.rows[0] == (2, ["T8皮卡", "LJ1", "王喆"])
    assert sheet.rows[1] == (3, ["SUV车型", "LJ2", "北京市朝阳区（东）"])


def test_gb18030_arabic_is_detected():
    text = "VIN,Customer,City\nLJ1,محمد,الرياض\n"
    sheet = read_sheet(text.encode("gb18030"), "sales.csv")
    assert sheet.encoding == "gb18030"
    assert sheet.rows == [(2, ["LJ1", "محمد", "الرياض"])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("City\nSão Paulo\n", ["São Paulo"]),
        ("City\nPeñalolén\n", ["Peñalolén"]),
        ("Customer,City\nJoão,São Paulo\nAna,Peñalolén\n", ["João", "São Paulo"]),
        ("Note\nINFORMAÇÃO\n", ["INFORMAÇÃO"]),
        ("Name,City\nMüller GmbH,Zürich\nÅsa,Malmö\n", ["Müller GmbH", "Zürich"]),
        ("Item,Temp,Price\nMotor,25°C,€100\n", ["Motor", "25°C", "€100"]),
        ("Cliente;Ciudad\nJosé;Bogotá\n", ["José", "Bogotá"]),
    ],
)
def test_windows_1252_latin_text_is_detected(text, expected):
    sheet = read_sheet(text.encode("cp1252"), "sales.csv")
    assert sheet.encoding == "cp1252"
    assert sheet.rows[0] == (2, expected)


def test_an_explicit_encoding_is_used_as_given():
    data = "City\nSão Paulo\n".encode("cp1252")
    sheet = read_sheet(data, "sales.csv", encoding="gb18030")
    assert sheet.encoding == "gb18030"
    assert sheet.rows == [(2, ["S鉶 Paulo"])]


@pytest.mark.parametrize(
    ("data", "encoding", "message"),
    [
        (
            "City\nZürich\n".encode("cp1252"),
            "utf-8",
            "The file is not valid UTF-8 text (byte 7); choose another encoding.",
        ),
        (
            "VIN,Customer\nLJ1,محمد\n".encode("gb18030"),
            "cp1252",
            "The file is not valid Windows-1252 text (byte 18); choose another encoding.",
        ),
        (
            "City\nBogotá\n".encode("cp1252"),
            "gb18030",
            "The file is not valid GB18030 text (byte 11); choose another encoding.",
        ),
    ],
)
def test_a_wrong_explicit_encoding_is_refused(data, encoding, message):
    assert refusal(data, encoding=encoding) == message


def test_text_in_no_known_encoding_is_refused():
    # 0x81 is undefined in Windows-1252, and 0x81 0x20 is no GB18030 sequence.
    assert refusal(b"City\n\x81 \n") == (
        "The file's text is neither UTF-8, GB18030 nor Windows-1252; "
        "save it as CSV UTF-8 or choose the encoding."
    )


# --- CSV structure -------------------------------------------------------------------------


def test_semicolon_delimiter_is_detected():
    sheet = read_sheet(b"VIN;Price;Units\nLJ1;1.234,56;3\nLJ2;12,5;4\n", "sales.csv")
    assert sheet.delimiter == ";"
    assert sheet.rows == [(2, ["LJ1", "1.234,56", "3"]), (3, ["LJ2", "12,5", "4"])]


def test_tab_delimiter_is_detected():
    sheet = read_sheet(b"VIN\tCustomer\nLJ1\tAna, Maria\n", "sales.txt")
    assert sheet.delimiter == "\t"
    assert sheet.rows == [(2, ["LJ1", "Ana, Maria"])]


def test_the_header_decides_when_the_sniffer_cannot():
    sheet = read_sheet(b"VIN;Customer\nLJ1;Ana\n", "sales.csv")
    assert sheet.delimiter == ";"
    sheet = read_sheet(b"VIN\nLJ1\n", "sales.csv")
    assert sheet.delimiter == ","
    assert sheet.rows == [(2, ["LJ1"])]


def test_a_given_delimiter_is_used():
    sheet = read_sheet(b"VIN,Customer\nLJ1,Ana\n", "sales.csv", delimiter=";")
    assert sheet.delimiter == ";"
    assert sheet.header == ["VIN,Customer"]
    assert sheet.rows == [(2, ["LJ1,Ana"])]


def test_quoted_cells_keep_delimiters_and_line_breaks():
    data = b'VIN,Note,Units\r\nLJ1,"Paid, in full","two\r\nlines"\r\n"LJ2"," spaced ",3\r\n'
    sheet = read_sheet(data, "sales.csv")
    assert sheet.rows == [
        (2, ["LJ1", "Paid, in full", "two\r\nlines"]),
        (3, ["LJ2", "spaced", "3"]),
    ]


def test_cells_and_header_are_stripped_and_trailing_empty_headers_dropped():
    sheet = read_sheet(b" VIN ,, Units ,,\n LJ1 , x ,3,,\n", "sales.csv")
    assert sheet.header == ["VIN", "", "Units"]
    assert sheet.rows == [(2, ["LJ1", "x", "3"])]
    assert sheet.problems == []


def test_row_numbers_count_blank_lines_which_are_skipped():
    data = b"\n\nVIN,Units\n\nLJ1,1\n , \n,\nLJ2,2\n\n"
    sheet = read_sheet(data, "sales.csv")
    assert sheet.header == ["VIN", "Units"]
    assert sheet.rows == [(5, ["LJ1", "1"]), (8, ["LJ2", "2"])]


def test_a_quoted_line_break_is_one_row_as_in_a_spreadsheet():
    sheet = read_sheet(b'VIN,Note\nLJ1,"a\nb"\n\nLJ2,c\n', "sales.csv")
    assert sheet.rows == [(2, ["LJ1", "a\nb"]), (4, ["LJ2", "c"])]


def test_ragged_rows_are_problems_and_are_fitted_to_the_header():
    data = b"VIN,Units,Note\nLJ1,1\nLJ2,2,x,extra\nLJ3,3,y,,\nLJ4,4,z\n"
    sheet = read_sheet(data, "sales.csv")
    assert sheet.problems == [
        (2, "Row 2 has 2 cells; the header has 3."),
        (3, "Row 3 has 4 cells; the header has 3."),
    ]
    assert sheet.rows == [
        (2, ["LJ1", "1", ""]),
        (3, ["LJ2", "2", "x"]),
        (4, ["LJ3", "3", "y"]),
        (5, ["LJ4", "4", "z"]),
    ]


def test_a_header_name_twice_is_refused():
    assert refusal(b"VIN,Units,vin\nLJ1,1,LJ1\n") == "The header names vin twice."


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n", b"\xff\xfe", b"\xff\xfe \x00"]
)
def test_an_empty_file_is_refused(data):
    assert refusal(data) == "The file is empty."


@pytest.mark.parametrize("data", [b"VIN,Units\n", b"\nVIN,Units\n\n,\n", b"\xef\xbb\xbfVIN"])
def test_a_header_without_rows_is_refused(data):
    assert refusal(data) == "The file has a header but no rows."


def test_an_old_excel_workbook_is_refused():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert refusal(data, "C:\\exports\\sales.xls") == (
        "sales.xls is an old Excel 97-2003 workbook (.xls); save it as .xlsx or CSV."
    )


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n...",
        b"\x89PNG\r\n\x1a\n",
        b"MZ\x90\x00\x03\x00",
        b"\n<html><table><tr><td>VIN</td></tr></table></html>",
        b'<?xml version="1.0"?>\n<Workbook/>',
    ],
)
def test_other_binary_files_are_refused(data):
    assert refusal(data, "sales.pdf") == (
        "sales.pdf is not a CSV file or an Excel workbook (.xlsx)."
    )


def test_a_file_over_the_size_limit_is_refused():
    data = b"VIN\n" + b"LJ1\n" * 300_000
    assert refusal(data, max_bytes=1024 * 1024) == "The file is 1.2 MB; the limit is 1 MB."
    data = b"VIN\n" + b"LJ1\n" * (50 * 1024 * 256)
    assert refusal(data) == "The file is 50.1 MB; the limit is 50 MB."


def test_a_file_at_the_size_limit_is_read():
    data = b"VIN\nLJ1\n"
    assert len(read_sheet(data, "sales.csv", max_bytes=len(data)).rows) == 1


def test_more_rows_than_the_limit_are_refused():
    data = b"VIN\n\n" + b"LJ1\n\n" * 3
    assert len(read_sheet(data, "sales.csv", max_rows=3).rows) == 3
    data += b"LJ4\n"
    assert refusal(data, max_rows=3) == (
        "The file has more than 3 rows; split it into several files."
    )


# --- XLSX ----------------------------------------------------------------------------------


def test_xlsx_cells_keep_their_native_values():
    data = xlsx(
        [" VIN ", "Price", "Sold on", "Units", "Fleet", None],
        ["LJ1", 12.5, datetime(2024, 5, 23), 3, True],
        [],
        ["LJ2", 7, date(2024, 5, 24), None, False, None],
        [" ", None, ""],
        ["LJ3 ", -1.25, datetime(2024, 5, 25, 10, 30), 4, None],
    )
    sheet = read_sheet(data, "sales.xlsx")
    assert sheet == Sheet(
        format="xlsx",
        header=["VIN", "Price", "Sold on", "Units", "Fleet"],
        rows=[
            (2, ["LJ1", 12.5, datetime(2024, 5, 23), 3, True]),
            (4, ["LJ2", 7, datetime(2024, 5, 24), None, False]),
            (6, ["LJ3", -1.25, datetime(2024, 5, 25, 10, 30), 4, None]),
        ],
        encoding="",
        delimiter="",
        problems=[],
    )


def test_xlsx_formulas_are_kept_as_formulas_and_text_starting_with_equals_is_text():
    def setup(sheet):
        sheet["A4"] = "=not a formula"
        sheet["A4"].data_type = "s"
        sheet["B4"] = ArrayFormula("B4:B4", "=B2*2")
        sheet["C4"] = time(10, 30)

    data = xlsx(["VIN", "Price", "Total"], ["LJ1", 2, "=SUM(B2:B3)"], ["LJ2", 3], setup=setup)
    sheet = read_sheet(data, "sales.xlsx")
    assert sheet.rows == [
        (2, ["LJ1", 2, Formula("=SUM(B2:B3)")]),
        (3, ["LJ2", 3, None]),
        (4, ["=not a formula", Formula("=B2*2"), time(10, 30)]),
    ]


def test_xlsx_is_recognised_by_its_content_whatever_its_name():
    sheet = read_sheet(xlsx(["VIN"], ["LJ1"]), "sales.csv")
    assert (sheet.format, sheet.rows) == ("xlsx", [(2, ["LJ1"])])


def test_xlsx_ragged_rows_and_blank_rows():
    def setup(sheet):
        sheet["E5"] = "beyond"

    data = xlsx([None, None], ["VIN", "Units", None, ""], ["LJ1"], [], setup=setup)
    sheet = read_sheet(data, "sales.xlsx")
    assert sheet.header == ["VIN", "Units"]
    assert sheet.rows == [(3, ["LJ1", None]), (5, [None, None])]
    assert sheet.problems == [(5, "Row 5 has 5 cells; the header has 2.")]


def test_xlsx_limits_and_refusals():
    assert refusal(xlsx(["VIN"]), "sales.xlsx") == "The file has a header but no rows."
    assert refusal(xlsx(), "sales.xlsx") == "The file is empty."
    assert refusal(xlsx(["VIN", "vin"], ["LJ1", "LJ1"])) == "The header names vin twice."
    rows = [["VIN"]] + [[f"LJ{number}"] for number in range(4)]
    assert refusal(xlsx(*rows), "sales.xlsx", max_rows=3) == (
        "The file has more than 3 rows; split it into several files."
    )


def test_a_damaged_workbook_is_refused():
    data = xlsx(["VIN"], ["LJ1"])
    message = "The file is not a readable Excel workbook (.xlsx)."
    assert refusal(data[: len(data) // 2], "sales.xlsx") == message
    assert refusal(b"PK\x03\x04" + bytes(range(256)) * 4, "sales.xlsx") == message
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert refusal(buffer.getvalue(), "sales.xlsx") == message
    assert refusal(b"VIN\nLJ1\n", "sales.xlsx") == message
