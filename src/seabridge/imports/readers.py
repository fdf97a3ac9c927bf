"""Read the bytes of an uploaded file into a sheet of raw cells.

A file is a CSV (UTF-8, UTF-16, GB18030 or Windows-1252 text; comma, semicolon or
tab between cells; a byte-order mark in front is never part of the text, whatever
the encoding) or an Excel workbook (.xlsx, its first worksheet). Whatever makes
the whole file unreadable is a :class:`FileRefused` whose message tells the user
what to do; what is wrong with single rows goes to :attr:`Sheet.problems`, so that
every broken row is reported at once. Cells stay raw: strings (stripped) for CSV,
openpyxl's native values for XLSX; :mod:`seabridge.imports.values` types them.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed

XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t")
SNIFF_CHARACTERS = 64 * 1024
SNIFF_LINES = 50
ENCODING_SAMPLE_BYTES = 64 * 1024

# Signatures of files people upload by mistake (for a clearer refusal than "not text").
_BINARY_SIGNATURES = (
    b"%PDF",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"Rar!",
    b"7z\xbc\xaf",
    b"PK\x05\x06",
    b"PK\x07\x08",
)


class FileRefused(ValidationFailed):
    """The whole file cannot be read; the message says why, for a user."""


@dataclass
class Formula:
    """A formula cell of an XLSX, kept so that the row can be refused."""

    text: str  # e.g. "=SUM(B2:B4)"

    def __str__(self) -> str:
        return self.text


@dataclass
class Sheet:
    """A file as read: its header, its non-blank data rows and how it was decoded.

    Row numbers are those a user sees in a spreadsheet: the first line (or record)
    is row 1, blank lines count. Every row of :attr:`rows` has as many cells as
    :attr:`header`.
    """

    format: str  # "csv" or "xlsx"
    header: list[str]
    rows: list[tuple[int, list[Any]]]
    encoding: str = ""  # the encoding that decoded a CSV; "" for xlsx
    delimiter: str = ""  # the delimiter of a CSV; "" for xlsx
    problems: list[tuple[int, str]] = field(default_factory=list)


def read_sheet(
    data: bytes,
    filename: str,
    *,
    encoding: str = "auto",
    delimiter: str = "",
    max_rows: int = 200_000,
    max_bytes: int = 50 * 1024 * 1024,
) -> Sheet:
    """Read ``data`` (a CSV or an XLSX; the content decides, ``filename`` only helps
    word refusals) into a :class:`Sheet`, or raise :class:`FileRefused`."""
    if len(data) > max_bytes:
        raise FileRefused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(len(data), up=True), "limit": _megabytes(max_bytes)}
        )
    name = _basename(filename)
    if data.startswith(XLSX_SIGNATURE):
        return _read_xlsx(data, max_rows=max_rows)
    if data.startswith(XLS_SIGNATURE):
        raise FileRefused(
            _("%(name)s is an old Excel 97-2003 workbook (.xls); save it as .xlsx or CSV.")
            % {"name": name or _("The file")}
        )
    if _is_empty(data):
        raise FileRefused(_("The file is empty."))
    if name.lower().endswith(".xlsx"):
        # Named a workbook but not a zip: a damaged or a renamed file.
        raise FileRefused(_("The file is not a readable Excel workbook (.xlsx)."))
    text, used_encoding = _decode(data, encoding, name)
    return _read_csv(text, used_encoding, delimiter, max_rows=max_rows)


# --- CSV -------------------------------------------------------------------------------------


def _read_csv(text: str, encoding: str, delimiter: str, *, max_rows: int) -> Sheet:
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    if not delimiter:
        delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    strip = str.strip
    header: list[str] | None = None
    width = 0
    rows: list[tuple[int, list[Any]]] = []
    problems: list[tuple[int, str]] = []
    append = rows.append
    try:
        for number, raw in enumerate(reader, start=1):
            cells = list(map(strip, raw))
            if not any(cells):
                continue
            if header is None:
                header = _header(cells)
                width = len(header)
                continue
            if len(cells) != width:
                cells = _fit(number, cells, width, problems, filler="", short_is_problem=True)
            append((number, cells))
            if len(rows) > max_rows:
                raise _too_many_rows(max_rows)
    except csv.Error as error:
        raise FileRefused(
            _("The file is not a readable CSV file (%(error)s).") % {"error": error}
        ) from None
    return _finish("csv", header, rows, problems, encoding=encoding, delimiter=delimiter)


def _detect_delimiter(text: str) -> str:
    """The delimiter csv.Sniffer sees in the first lines (among comma, semicolon and
    tab), or else the one the first non-blank line holds most of; comma by default."""
    sample = text[:SNIFF_CHARACTERS]
    cut = -1
    for _line in range(SNIFF_LINES):
        cut = sample.find("\n", cut + 1)
        if cut < 0:
            break
    if cut > 0:
        sample = sample[:cut]
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {candidate: first_line.count(candidate) for candidate in DELIMITERS}
    most_frequent = max(DELIMITERS, key=lambda candidate: counts[candidate])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in DELIMITERS and (counts[sniffed] or not counts[most_frequent]):
        return sniffed
    return most_frequent if counts[most_frequent] else ","


# --- XLSX ------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, *, max_rows: int) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    formula_types = (ArrayFormula, DataTableFormula)
    header: list[str] | None = None
    width = 0
    rows: list[tuple[int, list[Any]]] = []
    problems: list[tuple[int, str]] = []
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not read; cells are fine.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                if not workbook.worksheets:
                    raise FileRefused(_("The file is empty."))
                worksheet = workbook.worksheets[0]
                # Some programs write a wrong size for the sheet; read every row there is.
                worksheet.reset_dimensions()
                for number, row in enumerate(worksheet.iter_rows(), start=1):
                    cells: list[Any] = []
                    blank = True
                    for cell in row:
                        value: Any = cell.value
                        if value is None:
                            pass
                        elif type(value) is str:
                            value = value.strip()
                            if value:
                                blank = False
                                if value[0] == "=" and cell.data_type == "f":
                                    value = Formula(value)
                        else:
                            blank = False
                            if isinstance(value, formula_types):
                                value = Formula(_formula_text(value))
                        cells.append(value)
                    if blank:
                        continue
                    if header is None:
                        header = _header(["" if cell is None else str(cell) for cell in cells])
                        width = len(header)
                        continue
                    if len(cells) != width:
                        # A row of a workbook ends at its last cell that holds something.
                        cells = _fit(
                            number, cells, width, problems, filler=None, short_is_problem=False
                        )
                    rows.append((number, cells))
                    if len(rows) > max_rows:
                        raise _too_many_rows(max_rows)
            finally:
                workbook.close()
    except FileRefused:
        raise
    except Exception:  # damaged zip, missing part, bad XML, bad values: all say the same
        raise FileRefused(_("The file is not a readable Excel workbook (.xlsx).")) from None
    return _finish("xlsx", header, rows, problems)


def _formula_text(value: Any) -> str:
    text = str(getattr(value, "text", None) or "")
    if not text:
        return "=TABLE()"
    return text if text.startswith("=") else "=" + text


# --- both ------------------------------------------------------------------------------------


def _header(cells: list[str]) -> list[str]:
    """The header row: cells stripped, trailing empty cells dropped; a name twice is
    refused (case-insensitively)."""
    header = list(cells)
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        key = name.casefold()
        if key in seen:
            raise FileRefused(_("The header names %(name)s twice.") % {"name": name})
        seen.add(key)
    return header


def _fit(
    number: int,
    cells: list[Any],
    width: int,
    problems: list[tuple[int, str]],
    *,
    filler: Any,
    short_is_problem: bool,
) -> list[Any]:
    """Pad with ``filler`` or cut ``cells`` to ``width``; a row holding something beyond
    the header is a problem (empty cells beyond it are fine), and so is a short row
    when ``short_is_problem``."""
    count = len(cells)
    if count > width:
        while count > width and (cells[count - 1] is None or cells[count - 1] == ""):
            count -= 1
        if count == width:
            return cells[:width]
    elif not short_is_problem:
        return cells + [filler] * (width - count)
    problems.append(
        (
            number,
            _("Row %(row)s has %(count)s cells; the header has %(columns)s.")
            % {"row": number, "count": count, "columns": width},
        )
    )
    if count > width:
        return cells[:width]
    return cells + [filler] * (width - count)


def _finish(
    format: str,
    header: list[str] | None,
    rows: list[tuple[int, list[Any]]],
    problems: list[tuple[int, str]],
    *,
    encoding: str = "",
    delimiter: str = "",
) -> Sheet:
    if header is None:
        raise FileRefused(_("The file is empty."))
    if not rows:
        raise FileRefused(_("The file has a header but no rows."))
    return Sheet(format, header, rows, encoding, delimiter, problems)


def _too_many_rows(limit: int) -> FileRefused:
    return FileRefused(
        _("The file has more than %(limit)s rows; split it into several files.") % {"limit": limit}
    )


def _megabytes(size: int, *, up: bool = False) -> str:
    """``size`` in MB with at most one decimal; rounded ``up`` for a size over a limit,
    so that it never reads as the limit itself."""
    tenths = size * 10 / (1024 * 1024)
    tenths = math.ceil(tenths) if up else round(tenths)
    return f"{tenths / 10:.1f}".removesuffix(".0")


def _is_empty(data: bytes) -> bool:
    """Whether ``data`` holds nothing but a byte-order mark and white space."""
    for mark in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if data.startswith(mark):
            data = data[len(mark) :]
            if mark != codecs.BOM_UTF8:
                data = data.replace(b"\x00", b"")
            break
    return not data.strip(b" \t\r\n\x0b\x0c")


def _basename(filename: str) -> str:
    return (filename or "").replace("\\", "/").rsplit("/", 1)[-1]


# --- text encodings --------------------------------------------------------------------------


# GB18030's byte-order mark: U+FEFF in its four-byte form.
BOM_GB18030 = b"\x84\x31\x95\x33"
# Encodings whose own byte-order mark is not UTF-8's (a UTF-8 mark before their text
# is a leftover of the program that saved it, never part of the text).
_UTF_16_32 = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})


def _decode(data: bytes, encoding: str, name: str) -> tuple[str, str]:
    """The text of ``data`` and the encoding that decoded it."""
    if encoding and encoding != "auto":
        return _decode_as(data, encoding), _encoding_name(data, encoding)
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, "utf-8-sig"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16"), "utf-16"
    if data.startswith(BOM_GB18030):
        return _decode_as(data, "gb18030"), "gb18030"
    if _looks_binary(data):
        raise FileRefused(
            _("%(name)s is not a CSV file or an Excel workbook (.xlsx).")
            % {"name": name or _("The file")}
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    chosen = _guess_legacy_encoding(data)
    if not chosen:
        raise FileRefused(
            _(
                "The file's text is neither UTF-8, GB18030 nor Windows-1252; "
                "save it as CSV UTF-8 or choose the encoding."
            )
        )
    return _decode_as(data, chosen), chosen


def _encoding_name(data: bytes, encoding: str) -> str:
    if codecs.lookup(encoding).name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    return encoding


def _decode_as(data: bytes, encoding: str) -> str:
    """``data`` decoded as ``encoding``, without a byte-order mark in front: a UTF-8
    mark is dropped whatever the encoding (a Windows-1252 or GB18030 file saved by a
    program that wrote one), and so is the mark of the encoding itself (GB18030's, or
    UTF-16's when its byte order is given), so that the first header stays itself."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise FileRefused(
            _("%(encoding)s is not a text encoding we know.") % {"encoding": encoding}
        ) from None
    skipped = 0
    if codec not in _UTF_16_32 and data.startswith(codecs.BOM_UTF8):
        skipped = len(codecs.BOM_UTF8)
    try:
        text = data[skipped:].decode(encoding) if skipped else data.decode(encoding)
    except UnicodeDecodeError as error:
        message = _(
            "The file is not valid %(encoding)s text (byte %(position)s); choose another encoding."
        )
        shown = _ENCODING_NAMES.get(encoding, encoding)
        position = skipped + error.start + 1
        raise FileRefused(message % {"encoding": shown, "position": position}) from None
    return text[1:] if text.startswith("\ufeff") else text


_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "gb18030": "GB18030",
    "cp1252": "Windows-1252",
}


_MARKUP = re.compile(rb"^\s*<(?:\?xml|!doctype|html|table)", re.IGNORECASE)


def _looks_binary(data: bytes) -> bool:
    """Whether ``data`` is no table of text: a known binary format, NUL bytes, or a web
    page or XML (which some systems save as ".xls")."""
    head = data[:8192]
    return head.startswith(_BINARY_SIGNATURES) or b"\x00" in head or bool(_MARKUP.match(head))


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# The multi-byte sequences of GB18030: four bytes, two bytes of GB2312's area (both
# bytes from 0xA1: the common Chinese characters and punctuation), other two bytes.
_GB_SEQUENCE = re.compile(
    rb"(?P<four>[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39])"
    rb"|(?P<gb2312>[\xa1-\xfe][\xa1-\xfe])"
    rb"|(?P<other>[\x81-\xfe][\x40-\x7e\x80-\xfe])"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# What Chinese or Arabic text holds: CJK ideographs and punctuation, kana, full-width
# forms, general punctuation, circled numbers, Arabic letters and presentation forms.
_SENSIBLE = re.compile(
    "[\u00b7\u00d7\u00f7\u2010-\u206f\u2460-\u24ff\u2500-\u257f\u3000-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
    "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
# Thresholds of the choice between GB18030 and Windows-1252 (shares of a sample).
LATIN_EVIDENCE = 0.5
SENSIBLE_CHARACTERS = 0.9
GB2312_SEQUENCES = 0.7
# A Windows-1252 letter (accented Latin, Š Œ Ž š œ ž Ÿ; not × ÷) that sits next to an
# ASCII letter: "São", "Ángel", "AÇÃO". Chinese in Windows-1252 is a run of pairs
# between delimiters ("张伟" → "ÕÅÎ°").
_LATIN_LETTER = (
    "[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]"
)
_LATIN_RUN = re.compile(
    f"(?<=[A-Za-z]){_LATIN_LETTER}{{1,2}}(?=[A-Za-z])"
    f"|(?<=[A-Za-z]){_LATIN_LETTER}(?![^\\x00-\\x7f])"
    f"|(?<![^\\x00-\\x7f]){_LATIN_LETTER}(?=[A-Za-z])"
)
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def _guess_legacy_encoding(data: bytes) -> str:
    """GB18030 or Windows-1252 for bytes that are not UTF-8 ("" when neither decodes).

    Latin text often decodes as GB18030 too: an accented letter and the next letter
    make a rare ideograph ("São" → "S鉶"), two accented letters a common one ("AÇÃO"
    → "A敲O"). So GB18030 wins only when the text does not read as Latin (accented
    letters next to plain ones), its bytes are mostly in GB2312's area (both bytes
    from 0xA1) or four-byte sequences (Arabic), and they decode to characters Chinese
    or Arabic text holds (ideographs, CJK punctuation, Arabic letters).
    """
    gb_decodes = _decodes(data, "gb18030")
    cp_decodes = _decodes(data, "cp1252")
    if gb_decodes != cp_decodes:
        return "gb18030" if gb_decodes else "cp1252"
    if not gb_decodes:
        return ""
    sample = _non_ascii_lines(data)
    latin_text = sample.decode("cp1252")
    runs = len(_NON_ASCII_RUN.findall(latin_text))
    if not runs or len(_LATIN_RUN.findall(latin_text)) >= LATIN_EVIDENCE * runs:
        return "cp1252"
    four = gb2312 = other = 0
    for match in _GB_SEQUENCE.finditer(sample):
        kind = match.lastgroup
        if kind == "gb2312":
            gb2312 += 1
        elif kind == "four":
            four += 1
        else:
            other += 1
    sequences = four + gb2312 + other
    if not sequences or (four + gb2312) < GB2312_SEQUENCES * sequences:
        return "cp1252"
    text = sample.decode("gb18030")
    non_ascii = len(_NON_ASCII.findall(text))
    sensible = len(_SENSIBLE.findall(text))
    if non_ascii and sensible >= SENSIBLE_CHARACTERS * non_ascii:
        return "gb18030"
    return "cp1252"


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _non_ascii_lines(data: bytes) -> bytes:
    """The lines of ``data`` holding non-ASCII bytes, up to a sample's size. A line
    feed is never part of a GB18030 sequence, so lines cut nothing in half."""
    parts: list[bytes] = []
    size = 0
    position = 0
    while size < ENCODING_SAMPLE_BYTES:
        match = _HIGH_BYTE.search(data, position)
        if match is None:
            break
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end + 1
        parts.append(data[start:end])
        size += end - start
        position = end
    return b"".join(parts)
