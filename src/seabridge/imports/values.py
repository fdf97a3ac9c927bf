"""Turn one raw cell into a typed value, and a file's header into columns.

Cells come from :mod:`seabridge.imports.readers`: stripped strings from a CSV,
native values from an XLSX. :func:`parse_cell` answers ``None`` for an empty cell,
the value of the column's type, or raises :class:`CellError` with a message a user
understands. Numbers are read in any locale's way of writing them ("1.234,56",
"1 234,56", "1,234.56", "١٢٣٬٤٥٦٫٧٨"); dates in ISO, year-first, Chinese and
day-first (or month-first) forms and as Excel serial numbers.

:func:`parse_cell` runs about a million times for a large file, so the common cases
(plain text, ISO dates, plain digits) take the first and shortest path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from seabridge.imports.choices import ColumnType
from seabridge.imports.kinds import Column
from seabridge.imports.readers import Formula

MIN_YEAR = 1900
MAX_YEAR = 2100
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
MAX_INTEGER = 2**63 - 1  # what the database's bigint holds
EXCEL_EPOCH = date(1899, 12, 30)  # serial 0 of the 1900 date system (from 1900-03-01 on)


class CellError(Exception):
    """A cell that cannot be read as its column's type; ``message`` is for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_cell(value: Any, column: Column, *, date_order: str = "dmy") -> Any:
    """None for an empty cell; the typed value; CellError with a user message otherwise."""
    return _PARSERS[column.type](value, column, date_order)


# --- text ------------------------------------------------------------------------------------


def _text(value: Any, column: Column, date_order: str) -> str | None:
    if type(value) is str:
        text = value.strip()
        if not text:
            return None
    else:
        if value is None:
            return None
        text = _as_text(value)
    return _checked_text(text, column)


def _code(value: Any, column: Column, date_order: str) -> str | None:
    if type(value) is str:
        text = value
    elif value is None:
        return None
    else:
        text = _as_text(value)
    text = "".join(text.split()).upper()
    if not text:
        return None
    return _checked_text(text, column)


def _checked_text(text: str, column: Column) -> str:
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(_("Use at most %(limit)s characters.") % {"limit": column.max_length})
    if "\x00" in text:
        raise CellError(_("The text holds a NUL character (code 0); remove it."))
    return text


def _as_text(value: Any) -> str:
    """A non-string cell as the text a spreadsheet shows for it."""
    if type(value) is Formula:
        raise _formula_error(value)
    if type(value) is bool:
        return "TRUE" if value else "FALSE"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        if value.is_integer():
            return str(int(value))
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        return format(Decimal(repr(value)), "f")
    if type(value) is Decimal:
        return format(value, "f")
    if type(value) is datetime:
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value).strip()


# --- numbers ---------------------------------------------------------------------------------


def _integer(value: Any, column: Column, date_order: str) -> int | None:
    kind = type(value)
    if kind is str:
        if value.isdigit() and value.isascii():
            number = int(value)
            if number > MAX_INTEGER:
                raise _too_large(value)
            return number
        if not value or value.isspace():
            return None
        decimal = _number(value, whole_number=True)
        if decimal != decimal.to_integral_value():
            raise CellError(_("%(value)s is not a whole number.") % {"value": value.strip()})
        number = int(decimal)
    elif kind is int:
        number = value
    elif value is None:
        return None
    elif kind is float or kind is Decimal:
        if not _is_finite(value) or value != int(value):
            raise CellError(_("%(value)s is not a whole number.") % {"value": _shown(value)})
        number = int(value)
    elif kind is Formula:
        raise _formula_error(value)
    else:
        raise CellError(_("%(value)s is not a whole number.") % {"value": _shown(value)})
    if abs(number) > MAX_INTEGER:
        raise _too_large(value)
    return number


def _decimal(value: Any, column: Column, date_order: str) -> Decimal | None:
    kind = type(value)
    if kind is str:
        if value.isdigit() and value.isascii():
            return Decimal(value)
        plain = _PLAIN_DECIMAL.fullmatch(value)
        if plain is not None and not _is_grouped(plain[1], plain[2]):
            return Decimal(value)
        if not value or value.isspace():
            return None
        return _number(value, whole_number=False)
    if kind is int:
        return Decimal(value)
    if value is None:
        return None
    if kind is float or kind is Decimal:
        if not _is_finite(value):
            raise CellError(_("%(value)s is not a number.") % {"value": _shown(value)})
        return value if kind is Decimal else Decimal(str(value))
    if kind is Formula:
        raise _formula_error(value)
    raise CellError(_("%(value)s is not a number.") % {"value": _shown(value)})


# Digits of other scripts, the Arabic separators and the minus sign, as ASCII; spaces
# and apostrophes, which only ever separate thousands, all as one space.
_NUMBER_CHARACTERS = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},  # Arabic-Indic
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},  # Eastern Arabic-Indic
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},  # full-width
        "\u066c": " ",  # Arabic thousands separator
        "\u066b": "\u066b",  # Arabic decimal separator (kept, read below)
        "\u2212": "-",  # minus sign
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2009": " ",  # thin space
        "'": " ",
        "\u2019": " ",  # right single quotation mark (Swiss)
    }
)
_PLAIN_DECIMAL = re.compile(r"-?(\d+)\.(\d+)", re.ASCII)
_SIMPLE_NUMBER = re.compile(r"([+-]?)(\d*)(?:([.,])(\d*))?", re.ASCII)
_NUMBER = re.compile(r"([+-]?)([\d., \u066b]*)", re.ASCII)
_GROUPED = re.compile(r"\d{1,3}(?:x\d{3})*", re.ASCII)


def _number(value: str, *, whole_number: bool) -> Decimal:
    """The number ``value`` writes, in any locale's way, or a CellError.

    A space, an apostrophe or "٬" separates thousands and "٫" is the decimal mark.
    Of "." and ",": when both appear, the last one is the decimal mark; one that
    appears several times separates thousands; one that appears once is the decimal
    mark, unless three digits follow it after one to three digits ("25.000", "1,234")
    and no other thousands separator was written. The refusal says "whole number"
    when ``whole_number``.
    """
    text = value.strip().translate(_NUMBER_CHARACTERS)
    simple = _SIMPLE_NUMBER.fullmatch(text)
    if simple is not None:
        sign, whole, mark, fraction = simple.groups()
        if not whole and not fraction:
            raise _not_a_number(value, whole_number)
        if mark and _is_grouped(whole, fraction):
            return Decimal(sign + whole + fraction)  # "25.000": twenty-five thousand
        return _compose(sign, whole, fraction)
    match = _NUMBER.fullmatch(text)
    if match is None:
        raise _not_a_number(value, whole_number)
    sign, body = match.groups()
    thousands, decimal_mark = _separators(body)
    if thousands is None:
        raise _not_a_number(value, whole_number)
    if decimal_mark:
        whole, _mark, fraction = body.rpartition(decimal_mark)
        if not fraction.isdigit() and fraction:
            raise _not_a_number(value, whole_number)
    else:
        whole, fraction = body, ""
    if thousands:
        if not _GROUPED.fullmatch(whole.replace(thousands, "x")):
            raise _not_a_number(value, whole_number)
        whole = whole.replace(thousands, "")
    if not (whole.isdigit() and whole.isascii()) and (whole or not fraction):
        raise _not_a_number(value, whole_number)
    return _compose(sign, whole, fraction)


def _is_grouped(whole: str, fraction: str) -> bool:
    """Whether a lone "." or "," between ``whole`` and ``fraction`` separates thousands:
    three digits after one to three digits that do not start with 0 ("25.000")."""
    return len(fraction) == 3 and 1 <= len(whole) <= 3 and whole[0] != "0"


def _compose(sign: str, whole: str, fraction: str | None) -> Decimal:
    return Decimal(sign + (whole or "0") + ("." + fraction if fraction else ""))


def _separators(body: str) -> tuple[str | None, str]:
    """(thousands separator or "" for none, decimal mark or "") of ``body``;
    (None, "") when they contradict each other."""
    spaced = " " in body
    arabic = "\u066b" in body
    dots = body.count(".")
    commas = body.count(",")
    if arabic:
        if dots or commas or body.count("\u066b") > 1:
            return None, ""
        return (" " if spaced else ""), "\u066b"
    if dots and commas:
        if spaced:
            return None, ""
        last = "." if body.rfind(".") > body.rfind(",") else ","
        other = "," if last == "." else "."
        if body.count(last) > 1 or body.rfind(other) > body.rfind(last):
            return None, ""
        return other, last
    mark = "." if dots else ("," if commas else "")
    count = dots or commas
    if spaced:
        if count > 1:
            return None, ""
        return " ", mark
    if count > 1:
        return mark, ""
    if count == 1:
        whole, _mark, fraction = body.partition(mark)
        if _is_grouped(whole, fraction):
            return mark, ""
    return "", mark


def _is_finite(value: float | Decimal) -> bool:
    if type(value) is Decimal:
        return value.is_finite()
    return value == value and value not in (float("inf"), float("-inf"))


def _shown(value: Any) -> str:
    if type(value) is float or type(value) is Decimal:
        try:
            return _as_text(value)
        except (ValueError, InvalidOperation):
            return str(value)
    return str(value)


def _not_a_number(value: str, whole_number: bool) -> CellError:
    if whole_number:
        return CellError(_("%(value)s is not a whole number.") % {"value": value.strip()})
    return CellError(_("%(value)s is not a number.") % {"value": value.strip()})


def _too_large(value: Any) -> CellError:
    return CellError(_("%(value)s is too large.") % {"value": _shown(value).strip()})


# --- dates -----------------------------------------------------------------------------------


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME, re.ASCII)
_CHINESE = re.compile(r"(\d{4}) ?年 ?(\d{1,2}) ?月 ?(\d{1,2}) ?日?" + _TIME, re.ASCII)
_YEAR_LAST = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})" + _TIME, re.ASCII)
_SERIAL = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + digit): str(digit) for digit in range(10)},
        **{chr(0x06F0 + digit): str(digit) for digit in range(10)},
        **{chr(0xFF10 + digit): str(digit) for digit in range(10)},
    }
)


def _date(value: Any, column: Column, date_order: str) -> date | None:
    kind = type(value)
    day: date | None
    if kind is str:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                day = _date_from_text(value, date_order)
        else:
            if not value or value.isspace():
                return None
            day = _date_from_text(value, date_order)
    elif kind is datetime:
        day = value.date()
    elif kind is date:
        day = value
    elif value is None:
        return None
    elif (kind is int or kind is float) and _is_finite(value):
        day = _excel_serial(value)
    elif kind is Formula:
        raise _formula_error(value)
    else:
        day = None
    if day is None or not MIN_YEAR <= day.year <= MAX_YEAR:
        raise _not_a_date(value)
    return day


def _date_from_text(value: str, date_order: str) -> date | None:
    text = value.strip()
    if not text.isascii():
        text = text.translate(_DIGITS)
    match = _YEAR_FIRST.fullmatch(text) or _CHINESE.fullmatch(text)
    if match is not None:
        groups = match.groups()
        year, month, day = groups[0], groups[-2], groups[-1]
    else:
        match = _YEAR_LAST.fullmatch(text)
        if match is None:
            if _SERIAL.fullmatch(text):
                return _excel_serial(float(text))
            return None
        first, _separator, second, year = match.groups()
        day, month = (second, first) if date_order == "mdy" else (first, second)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _excel_serial(number: float) -> date | None:
    """The day of an Excel serial number (1900 date system). Excel counts a
    29 February 1900 that never was: serial 60; days before it are one day earlier."""
    if not 1 <= number <= MAX_EXCEL_SERIAL:
        return None
    days = int(number)
    if days == 60:
        return None
    if days < 60:
        days += 1
    return EXCEL_EPOCH + timedelta(days=days)


def _not_a_date(value: Any) -> CellError:
    shown = value.strip() if type(value) is str else _shown(value)
    return CellError(_("%(value)s is not a date; write it as 2025-04-22.") % {"value": shown})


# --- yes or no -------------------------------------------------------------------------------


_BOOLEANS: dict[str, bool] = {
    **dict.fromkeys(
        ("yes", "y", "true", "1", "x", "是", "نعم", "sí", "si", "sim", "oui", "да"), True
    ),
    **dict.fromkeys(("no", "n", "false", "0", "否", "لا", "não", "nao", "non", "нет"), False),
}


def _boolean(value: Any, column: Column, date_order: str) -> bool | None:
    kind = type(value)
    if kind is str:
        answer = _BOOLEANS.get(value.strip().casefold())
        if answer is not None:
            return answer
        if not value or value.isspace():
            return None
    elif kind is bool:
        return bool(value)
    elif value is None:
        return None
    elif (kind is int or kind is float) and value in (0, 1):
        return bool(value)
    elif kind is Formula:
        raise _formula_error(value)
    shown = value.strip() if kind is str else _shown(value)
    raise CellError(_("%(value)s is not yes or no.") % {"value": shown})


def _formula_error(value: Formula) -> CellError:
    return CellError(
        _("This cell holds a formula (%(formula)s); paste the values instead.")
        % {"formula": value.text}
    )


_PARSERS: dict[str, Callable[[Any, Column, str], Any]] = {
    ColumnType.TEXT: _text,
    ColumnType.CODE: _code,
    ColumnType.INTEGER: _integer,
    ColumnType.DECIMAL: _decimal,
    ColumnType.DATE: _date,
    ColumnType.BOOLEAN: _boolean,
}


# --- header ----------------------------------------------------------------------------------


_REQUIRED_MARK = re.compile(r"\s*\*\s*$")
_TRAILING_PARENTHESES = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


def header_key(text: str) -> str:
    """What a header cell is matched by: case-folded, white space collapsed, without
    a trailing required mark ('*') or a trailing note in parentheses ('Price (CNY)')."""
    key = " ".join(str(text).split())
    while True:
        shorter = _TRAILING_PARENTHESES.sub("", _REQUIRED_MARK.sub("", key))
        if shorter == key or not shorter:
            break
        key = shorter
    return key.casefold()


def match_header(
    header: Sequence[str], columns: Sequence[Column], languages: Sequence[str]
) -> tuple[dict[str, int], list[str]]:
    """Map column names to positions in ``header``: a header cell matches a column's label
    translated into any of ``languages`` (use django.utils.translation.override(lang) and
    str(column.label)), its ``name``, or one of its ``aliases``; case-insensitive (casefold),
    ignoring surrounding whitespace, repeated inner whitespace, a trailing '*' (required mark)
    and text in parentheses at the end e.g. 'Price (CNY)'. Answers (mapping, unmatched header
    cells).

    Names win over aliases, aliases over labels in the active language, and those over
    labels in other languages; a column matches its first header cell only, later ones
    are unmatched.
    """
    known: dict[str, str] = {}
    for column in columns:
        known.setdefault(header_key(column.name), column.name)
    for column in columns:
        for alias in column.aliases:
            known.setdefault(header_key(alias), column.name)
    for column in columns:
        known.setdefault(header_key(str(column.label)), column.name)
    for language in languages:
        with override(language):
            for column in columns:
                known.setdefault(header_key(str(column.label)), column.name)
    known.pop("", None)
    mapping: dict[str, int] = {}
    unmatched: list[str] = []
    for position, cell in enumerate(header):
        if not str(cell).strip():
            continue
        name = known.get(header_key(cell))
        if name is None or name in mapping:
            unmatched.append(cell)
        else:
            mapping[name] = position
    return mapping, unmatched


def template_header(column: Column) -> str:
    """The column's header in a template: its label in the active language, with ' *'
    appended when it is required."""
    label = str(column.label)
    return f"{label} *" if column.required else label
