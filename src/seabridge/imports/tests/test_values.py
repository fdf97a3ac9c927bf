"""Typing one cell, matching a header, and the template's header."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy, override

from seabridge.imports.choices import ColumnType
from seabridge.imports.kinds import Column
from seabridge.imports.readers import Formula
from seabridge.imports.values import CellError, match_header, parse_cell, template_header

TEXT = Column("customer", "Customer", ColumnType.TEXT, max_length=20)
CODE = Column("vin", "VIN", ColumnType.CODE, max_length=17)
INTEGER = Column("units", "Units", ColumnType.INTEGER)
DECIMAL = Column("price", "Price", ColumnType.DECIMAL)
DATE = Column("sold_on", "Sale date", ColumnType.DATE)
BOOLEAN = Column("fleet", "Fleet", ColumnType.BOOLEAN)
ALL = (TEXT, CODE, INTEGER, DECIMAL, DATE, BOOLEAN)


def error(value, column, **options) -> str:
    with pytest.raises(CellError) as refused:
        parse_cell(value, column, **options)
    return refused.value.message


# --- every type ----------------------------------------------------------------------------


@pytest.mark.parametrize("column", ALL, ids=lambda column: column.name)
@pytest.mark.parametrize("value", [None, "", "   ", "\u00a0"])
def test_an_empty_cell_is_none(column, value):
    assert parse_cell(value, column) is None


@pytest.mark.parametrize("column", ALL, ids=lambda column: column.name)
def test_a_formula_is_refused(column):
    assert error(Formula("=SUM(B2:B3)"), column) == (
        "This cell holds a formula (=SUM(B2:B3)); paste the values instead."
    )


# --- text and codes ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Ana Maria ", "Ana Maria"),
        ("张伟", "张伟"),
        (123, "123"),
        (123.0, "123"),
        (12.5, "12.5"),
        (1e-7, "0.0000001"),
        (Decimal("1.50"), "1.50"),
        (True, "TRUE"),
        (date(2024, 5, 23), "2024-05-23"),
        (datetime(2024, 5, 23), "2024-05-23"),
        (datetime(2024, 5, 23, 10, 30), "2024-05-23 10:30:00"),
        ("0123456789", "0123456789"),
    ],
)
def test_text(value, expected):
    assert parse_cell(value, TEXT) == expected


def test_text_longer_than_the_limit_is_refused():
    assert parse_cell("Ana Maria da Silva 1", TEXT) == "Ana Maria da Silva 1"
    assert error("Ana Maria da Silva 12", TEXT) == "Use at most 20 characters."


def test_text_with_a_nul_character_is_refused():
    assert error("Ana\x00", TEXT) == "The text holds a NUL character (code 0); remove it."


def test_text_without_a_limit_takes_any_length():
    assert parse_cell("x" * 5000, Column("note", "Note")) == "x" * 5000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("lj1efauu 0123\u00a045678", "LJ1EFAUU012345678"),
        (" br ", "BR"),
        ("t8-d", "T8-D"),
        (12345, "12345"),
        (12345.0, "12345"),
    ],
)
def test_codes_are_upper_case_without_spaces(value, expected):
    assert parse_cell(value, CODE) == expected


def test_a_code_longer_than_the_limit_is_refused():
    assert error("LJ1EFAUU0123456789", CODE) == "Use at most 17 characters."


# --- whole numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("0042", 42),
        (42, 42),
        (42.0, 42),
        (Decimal("42.00"), 42),
        ("+42", 42),
        ("-42", -42),
        ("\u221242", -42),
        ("12.0", 12),
        ("1,234", 1234),
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("1\u202f234\u202f567", 1234567),
        ("1'234", 1234),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),
        ("٤٢", 42),
        ("۴۲", 42),
        ("١٢٣٬٤٥٦", 123456),
        ("１２", 12),
        (" 7 ", 7),
    ],
)
def test_whole_numbers(value, expected):
    parsed = parse_cell(value, INTEGER)
    assert parsed == expected
    assert type(parsed) is int


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("12.5", "12.5"),
        ("1,5", "1,5"),
        (12.5, "12.5"),
        ("abc", "abc"),
        ("12 units", "12 units"),
        ("1,23,456", "1,23,456"),
        ("1e3", "1e3"),
        ("²", "²"),
        ("-", "-"),
        (float("nan"), "nan"),
        (True, "True"),
        (date(2024, 5, 23), "2024-05-23"),
    ],
)
def test_what_is_not_a_whole_number(value, shown):
    assert error(value, INTEGER) == f"{shown} is not a whole number."


def test_a_whole_number_too_large_for_the_database_is_refused():
    assert error("9" * 20, INTEGER) == f"{'9' * 20} is too large."
    assert parse_cell(str(2**63 - 1), INTEGER) == 2**63 - 1


# --- decimal numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", "12"),
        ("12.50", "12.50"),
        ("12,50", "12.50"),
        ("1,5", "1.5"),
        ("-0.5", "-0.5"),
        (".5", "0.5"),
        ("0.125", "0.125"),
        ("0,125", "0.125"),
        ("1234.567", "1234.567"),
        ("25.000", "25000"),
        ("1,234", "1234"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1\u00a0234,56", "1234.56"),
        ("1\u202f234.5", "1234.5"),
        ("1'234.50", "1234.50"),
        ("1’234.50", "1234.50"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1,234,567", "1234567"),
        ("١٢٣٬٤٥٦٫٧٨", "123456.78"),
        ("۱۲٫۵", "12.5"),
        ("+3", "3"),
        ("\u22123,5", "-3.5"),
        (12, "12"),
        (0.1, "0.1"),
        (1234.56, "1234.56"),
        (Decimal("7.25"), "7.25"),
    ],
)
def test_decimal_numbers(value, expected):
    parsed = parse_cell(value, DECIMAL)
    assert type(parsed) is Decimal
    assert str(parsed) == expected


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "12.5.6",
        "1.234,5.6",
        "1,2.5",
        "1,23,456",
        "12,34,567.5",
        "1 234 56",
        "1 234.567,5",
        "1e5",
        "$12",
        "12 EUR",
        "--1",
        "1.2٫5",
        "+",
        ".",
    ],
)
def test_what_is_not_a_number(value):
    assert error(value, DECIMAL) == f"{value} is not a number."


@pytest.mark.parametrize(("value", "shown"), [(float("inf"), "inf"), (Decimal("NaN"), "NaN")])
def test_numbers_that_are_not_finite_are_refused(value, shown):
    assert error(value, DECIMAL) == f"{shown} is not a number."


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-23", date(2024, 5, 23)),
        ("2024-5-3", date(2024, 5, 3)),
        ("2024-05-23 10:00", date(2024, 5, 23)),
        ("2024-05-23T10:00:00", date(2024, 5, 23)),
        ("2024-05-23T10:00:00.123+08:00", date(2024, 5, 23)),
        ("2024/5/23", date(2024, 5, 23)),
        ("2024.05.23", date(2024, 5, 23)),
        ("2024年5月23日", date(2024, 5, 23)),
        ("2024年05月23日 10:00", date(2024, 5, 23)),
        ("23/05/2024", date(2024, 5, 23)),
        ("23.05.2024", date(2024, 5, 23)),
        ("23-05-2024", date(2024, 5, 23)),
        ("3/4/2025", date(2025, 4, 3)),
        ("23/05/2024 10:30", date(2024, 5, 23)),
        ("٢٠٢٤-٠٥-٢٣", date(2024, 5, 23)),
        (" 2024-05-23 ", date(2024, 5, 23)),
        ("45000", date(2023, 3, 15)),
        ("45000.75", date(2023, 3, 15)),
        (45000, date(2023, 3, 15)),
        (45000.5, date(2023, 3, 15)),
        (61, date(1900, 3, 1)),
        (1, date(1900, 1, 1)),
        (59, date(1900, 2, 28)),
        (datetime(2024, 5, 23, 10, 30), date(2024, 5, 23)),
        (date(2024, 5, 23), date(2024, 5, 23)),
    ],
)
def test_dates(value, expected):
    parsed = parse_cell(value, DATE)
    assert parsed == expected
    assert type(parsed) is date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3/4/2025", date(2025, 3, 4)),
        ("05/23/2024", date(2024, 5, 23)),
        ("05.23.2024", date(2024, 5, 23)),
        ("2024/05/06", date(2024, 5, 6)),  # year first is always year, month, day
    ],
)
def test_month_first_dates(value, expected):
    assert parse_cell(value, DATE, date_order="mdy") == expected


@pytest.mark.parametrize(
    ("value", "options", "shown"),
    [
        ("2024-02-30", {}, "2024-02-30"),
        ("2024-13-01", {}, "2024-13-01"),
        ("31/04/2024", {}, "31/04/2024"),
        ("23/05/2024", {"date_order": "mdy"}, "23/05/2024"),
        ("23/05/24", {}, "23/05/24"),
        ("24-05-23", {}, "24-05-23"),
        ("23/05-2024", {}, "23/05-2024"),
        ("20240523", {}, "20240523"),
        ("2024-W21-4", {}, "2024-W21-4"),
        ("May 23, 2024", {}, "May 23, 2024"),
        ("yesterday", {}, "yesterday"),
        ("1899-12-31", {}, "1899-12-31"),
        ("2101-01-01", {}, "2101-01-01"),
        (0, {}, "0"),
        (60, {}, "60"),
        (2958466, {}, "2958466"),
        (2958465, {}, "2958465"),
        (-5.5, {}, "-5.5"),
        (True, {}, "True"),
        (datetime(1850, 1, 1), {}, "1850-01-01 00:00:00"),
    ],
)
def test_what_is_not_a_date(value, options, shown):
    assert error(value, DATE, **options) == f"{shown} is not a date; write it as 2025-04-22."


# --- yes or no -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["yes", "Y", "TRUE", "1", "x", "X", "是", "نعم", "Sí", "si", "Sim", "OUI", "Да", True, 1, 1.0],
)
def test_yes(value):
    assert parse_cell(value, BOOLEAN) is True


@pytest.mark.parametrize(
    "value",
    ["no", "N", "False", "0", "否", "لا", "Não", "nao", "NON", "Нет", False, 0, 0.0],
)
def test_no(value):
    assert parse_cell(value, BOOLEAN) is False


@pytest.mark.parametrize(("value", "shown"), [("maybe", "maybe"), (" ok ", "ok"), (2, "2")])
def test_what_is_not_yes_or_no(value, shown):
    assert error(value, BOOLEAN) == f"{shown} is not yes or no."


# --- header ----------------------------------------------------------------------------------


COLUMNS = (
    Column(
        "vin", gettext_lazy("VIN"), ColumnType.CODE, required=True, aliases=("车架号", "Chassis")
    ),
    Column("price", gettext_lazy("Price"), ColumnType.DECIMAL),
    Column("sold_on", gettext_lazy("Sale date"), ColumnType.DATE, required=True),
    # A label Django itself translates, so that translated headers can be tested.
    Column("email", gettext_lazy("Email address"), ColumnType.TEXT),
)


def test_header_cells_match_names_labels_and_aliases_loosely():
    header = ["  chassis ", "PRICE (CNY)", "Sale   Date *", "EMAIL", "Remarks", ""]
    mapping, unmatched = match_header(header, COLUMNS, ["en"])
    assert mapping == {"vin": 0, "price": 1, "sold_on": 2, "email": 3}
    assert unmatched == ["Remarks"]


def test_header_cells_match_names_and_marks_in_any_order():
    header = ["VIN *", "price（元）", "Sold_On", "Price (USD)"]
    mapping, unmatched = match_header(header, COLUMNS, ["en"])
    assert mapping == {"vin": 0, "price": 1, "sold_on": 2}
    assert unmatched == ["Price (USD)"]


def test_header_cells_match_labels_in_any_of_the_languages():
    header = ["车架号", "Adresse électronique", "Correo electrónico"]
    mapping, unmatched = match_header(header, COLUMNS, ["en", "fr", "es"])
    assert mapping == {"vin": 0, "email": 1}
    assert unmatched == ["Correo electrónico"]
    mapping, unmatched = match_header(["Adresse électronique"], COLUMNS, ["en"])
    assert (mapping, unmatched) == ({}, ["Adresse électronique"])


def test_header_matching_keeps_the_active_language():
    with override("fr"):
        match_header(["VIN"], COLUMNS, ["en", "zh-hans", "ar"])
        assert str(COLUMNS[3].label) == "Adresse électronique"


def test_template_header_marks_required_columns_in_the_active_language():
    assert template_header(COLUMNS[0]) == "VIN *"
    assert template_header(COLUMNS[1]) == "Price"
    with override("ru"):
        assert template_header(COLUMNS[3]) == "Адрес электронной почты"
    with override("en"):
        assert template_header(COLUMNS[3]) == "Email address"
