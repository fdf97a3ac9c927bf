from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Schema
from pydantic import ValidationError as PydanticError

from seabridge.core.errors import ValidationFailed, validation_fields
from seabridge.core.money import (
    PRICE_LIMIT,
    AmountFormField,
    AmountIn,
    Money,
    amount,
    amount_problem,
)
from seabridge.core.periods import Period, shift_months


def test_money_rounds_to_the_currency_minor_unit():
    assert Money(Decimal("10.005"), "cny").amount == Decimal("10.00")
    assert Money(Decimal("10.015"), "USD").amount == Decimal("10.02")
    assert Money(Decimal("1234.5"), "CLP").amount == Decimal("1234")
    assert Money(Decimal("1.2345"), "KWD").amount == Decimal("1.234")
    assert Money(Decimal("5"), "sar").currency == "SAR"


def test_money_adds_only_the_same_currency():
    total = Money(Decimal("100.10"), "USD") + Money(Decimal("0.95"), "USD")
    assert total == Money(Decimal("101.05"), "USD")
    assert Money(Decimal("19.99"), "USD") * 3 == Money(Decimal("59.97"), "USD")
    with pytest.raises(ValidationFailed, match="Cannot combine USD with CNY"):
        Money(Decimal(1), "USD") + Money(Decimal(1), "CNY")
    with pytest.raises(TypeError):
        Money(Decimal(1), "USD") * 1.5  # type: ignore[operator]


def test_money_refuses_an_unknown_currency_naming_the_field():
    with pytest.raises(ValidationFailed) as caught:
        Money(Decimal(1), "XYZ1")
    assert caught.value.fields == {"currency": ["XYZ1 is not an ISO 4217 currency code."]}


def test_money_converts_at_a_given_rate_and_formats_per_locale():
    cny = Money(Decimal("25000"), "USD").convert(to="CNY", rate=Decimal("7.1234"))
    assert cny == Money(Decimal("178085.00"), "CNY")
    assert Money(Decimal("1234.5"), "USD").format("en") == "$1,234.50"
    assert Money(Decimal("1234.5"), "EUR").format("fr") == "1\u202f234,50\xa0€"
    assert Money(Decimal("1234.5"), "CNY").format("zh-hans") == "¥1,234.50"


def test_months_shift_and_clamp_to_the_month_end():
    assert shift_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert shift_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert shift_months(date(2024, 3, 15), -14) == date(2023, 1, 15)


def test_periods_of_each_kind():
    assert Period.month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert Period.quarter(2023, 4) == Period(date(2023, 10, 1), date(2023, 12, 31))
    assert Period.year(2023).days == 365
    assert Period.year(2024).days == 366
    assert Period.year_to_date(date(2024, 4, 30)) == Period(date(2024, 1, 1), date(2024, 4, 30))
    assert Period.rolling_twelve_months(date(2024, 4, 30)) == Period(
        date(2023, 5, 1), date(2024, 4, 30)
    )
    assert list(Period(date(2023, 11, 20), date(2024, 2, 3)).months()) == [
        date(2023, 11, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
    ]
    assert date(2024, 2, 29) in Period.month(2024, 2)
    assert date(2024, 3, 1) not in Period.month(2024, 2)


def test_year_on_year_and_month_on_month_bases_including_leap_days():
    assert Period.year_to_date(date(2024, 2, 29)).previous_year() == Period(
        date(2023, 1, 1), date(2023, 2, 28)
    )
    assert Period.month(2023, 2).previous_year() == Period.month(2022, 2)
    assert Period.month(2025, 2).previous_year() == Period.month(2024, 2)
    assert Period.year_to_date(date(2024, 4, 30)).previous_year() == Period(
        date(2023, 1, 1), date(2023, 4, 30)
    )
    assert Period.month(2024, 3).previous_month() == Period.month(2024, 2)
    assert Period.month(2024, 1).previous_month() == Period.month(2023, 12)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValidationFailed) as caught:
        Period(date(2024, 5, 1), date(2024, 4, 30))
    assert caught.value.fields == {"end": ["The period ends before it starts."]}
    with pytest.raises(ValidationFailed):
        Period.quarter(2024, 5)


@pytest.mark.parametrize(
    ("value", "rule", "message"),
    [
        (None, {}, "This field is required."),
        ("", {}, "This field is required."),
        ("abc", {}, "abc is not a number."),
        (Decimal("NaN"), {}, "NaN is not a number."),
        (Decimal("Infinity"), {}, "Infinity is not a number."),
        (True, {}, "True is not a number."),
        (Decimal("-0.01"), {}, "An amount cannot be negative."),
        (Decimal(0), {"allow_zero": False}, "An amount must be more than 0."),
        (Decimal("-1"), {"allow_zero": False}, "An amount must be more than 0."),
        (Decimal(10) ** 14, {}, "An amount must be less than 10^14."),
        (Decimal(10) ** 10, {"places": 8}, "An amount must be less than 10^10."),
        (Decimal("1.00001"), {}, "Use at most 4 decimal places."),
        (Decimal("1.000000001"), {"places": 8}, "Use at most 8 decimal places."),
    ],
)
def test_one_rule_refuses_a_wrong_amount_naming_the_field(value, rule, message):
    assert amount_problem(value, **rule) == message
    with pytest.raises(ValidationFailed) as refused:
        amount(value, field="unit_price", **rule)
    assert refused.value.fields == {"unit_price": [message]}


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        ("18500", {}, Decimal("18500.0000")),
        (Decimal("0"), {}, Decimal("0.0000")),
        (12.5, {}, Decimal("12.5000")),
        (7, {"allow_zero": False, "places": 8}, Decimal("7.00000000")),
        (PRICE_LIMIT - Decimal("0.0001"), {}, Decimal("99999999999999.9999")),
    ],
)
def test_one_rule_returns_the_amount_with_the_columns_places(value, rule, expected):
    assert amount_problem(value, **rule) is None
    found = amount(value, field="price", **rule)
    assert (found, found.as_tuple().exponent) == (expected, expected.as_tuple().exponent)


def test_the_api_and_the_forms_say_what_the_rule_says():
    class PriceIn(Schema):
        price: AmountIn

    with pytest.raises(PydanticError) as refused:
        PriceIn(price=Decimal("-5"))
    assert validation_fields(refused.value.errors()) == {"price": ["An amount cannot be negative."]}
    assert PriceIn.model_validate({"price": "18500.25"}).price == Decimal("18500.25")

    form_field = AmountFormField(allow_zero=False, places=8)
    with pytest.raises(DjangoValidationError) as refused_form:
        form_field.clean("0")
    assert refused_form.value.messages == ["An amount must be more than 0."]
    assert form_field.clean("7.12345678") == Decimal("7.12345678")
    assert form_field.widget.attrs == {"min": "0", "step": "1e-8"}
    assert AmountFormField().widget.attrs == {"min": "0", "step": "0.0001"}
