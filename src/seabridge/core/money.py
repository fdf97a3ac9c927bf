"""Money is a Decimal with a currency code, never a float.

One rule for every amount a person or a file gives (a price, a cost, a rate):
:func:`amount` (or :func:`amount_problem` where the caller collects problems) refuses
what is not a finite number, a negative amount (or zero where zero makes no sense),
an amount an :func:`AmountField` cannot hold (:data:`PRICE_LIMIT` or more) and more
decimal places than the column keeps, with one set of messages; :data:`AmountIn`
is the same rule for API input schemas. Each money column also has a database
``CheckConstraint`` (not negative, or more than 0).

:class:`Money` rounds to the currency's minor unit (ISO 4217, via babel): two
places for CNY and USD, none for JPY or CLP, three for KWD and BHD.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any

from babel.numbers import format_currency, get_currency_precision, is_currency
from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import to_locale
from pydantic import BeforeValidator, Field

from seabridge.core.errors import ValidationFailed

AMOUNT_MAX_DIGITS = 18
AMOUNT_DECIMAL_PLACES = 4
# Every amount is below this: the integer digits an ``AmountField`` holds (10^14).
PRICE_LIMIT = Decimal(10) ** (AMOUNT_MAX_DIGITS - AMOUNT_DECIMAL_PLACES)


def AmountField(**kwargs: Any) -> models.DecimalField:  # noqa: N802 - reads as a field class
    """A money amount column; its currency sits in a sibling ``CharField(max_length=3)``."""
    return models.DecimalField(
        max_digits=AMOUNT_MAX_DIGITS, decimal_places=AMOUNT_DECIMAL_PLACES, **kwargs
    )


def CurrencyField(**kwargs: Any) -> models.CharField:  # noqa: N802 - reads as a field class
    """An ISO 4217 currency code column."""
    return models.CharField(max_length=3, **kwargs)


def currency_code(value: str, *, field: str = "currency") -> str:
    """Return the upper-case ISO 4217 code, or refuse an unknown one naming ``field``."""
    code = (value or "").strip().upper()
    if not is_currency(code):
        raise ValidationFailed(
            fields={field: [_("%(code)s is not an ISO 4217 currency code.") % {"code": value}]}
        )
    return code


def amount_problem(
    value: object,
    *,
    allow_zero: bool = True,
    places: int = AMOUNT_DECIMAL_PLACES,
    digits: int = AMOUNT_MAX_DIGITS,
) -> str | None:
    """What is wrong with ``value`` as an amount, or None when it is one.

    An amount is a finite number, not negative (more than 0 unless ``allow_zero``),
    below ``10 ** (digits - places)`` with at most ``places`` decimal places: what a
    ``DecimalField(max_digits=digits, decimal_places=places)`` holds exactly.
    """
    if value is None or value == "":
        return _("This field is required.")
    number = _decimal(value)
    if number is None or not number.is_finite():
        return _("%(value)s is not a number.") % {"value": value}
    if number < 0 or (number == 0 and not allow_zero):
        return (
            _("An amount cannot be negative.")
            if allow_zero
            else _("An amount must be more than 0.")
        )
    if number >= Decimal(10) ** (digits - places):
        return _("An amount must be less than 10^%(digits)d.") % {"digits": digits - places}
    if number != number.quantize(Decimal(1).scaleb(-places)):
        return _("Use at most %(places)d decimal places.") % {"places": places}
    return None


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip()) if isinstance(value, int | float | str) else None
    except InvalidOperation:
        return None


def amount(
    value: object,
    *,
    field: str,
    allow_zero: bool = True,
    places: int = AMOUNT_DECIMAL_PLACES,
    digits: int = AMOUNT_MAX_DIGITS,
) -> Decimal:
    """``value`` as a Decimal with ``places`` decimal places, or :class:`ValidationFailed`
    naming ``field`` with the message of :func:`amount_problem`."""
    problem = amount_problem(value, allow_zero=allow_zero, places=places, digits=digits)
    if problem is not None:
        raise ValidationFailed(fields={field: [problem]})
    number = _decimal(value)
    assert number is not None  # amount_problem refused anything else
    return number.quantize(Decimal(1).scaleb(-places))


def amount_checker(
    *, allow_zero: bool = True, places: int = AMOUNT_DECIMAL_PLACES, digits: int = AMOUNT_MAX_DIGITS
) -> BeforeValidator:
    """The rule of :func:`amount` for an API input schema, run before pydantic's own
    checks so that the message is ours (see :data:`AmountIn`)."""

    def checked(value: Any) -> Any:
        problem = amount_problem(value, allow_zero=allow_zero, places=places, digits=digits)
        if problem is not None:
            raise ValueError(problem)
        return value

    return BeforeValidator(checked)


# An amount in an API input schema: the rule of :func:`amount`, and its limits written
# into the OpenAPI schema.
AmountIn = Annotated[
    Decimal, Field(ge=0, lt=PRICE_LIMIT, decimal_places=AMOUNT_DECIMAL_PLACES), amount_checker()
]


class AmountFormField(forms.DecimalField):
    """An amount on a page's form: the rule of :func:`amount`, with its messages."""

    def __init__(
        self,
        *,
        allow_zero: bool = True,
        places: int = AMOUNT_DECIMAL_PLACES,
        digits: int = AMOUNT_MAX_DIGITS,
        **kwargs: Any,
    ) -> None:
        self.allow_zero, self.places, self.digits = allow_zero, places, digits
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        problem = amount_problem(
            value, allow_zero=self.allow_zero, places=self.places, digits=self.digits
        )
        if problem is not None:
            raise forms.ValidationError(problem, code="amount")

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.NumberInput):
            # The browser's own hints; exponent notation as Django writes small steps.
            attrs.update(min="0", step=str(Decimal(1).scaleb(-self.places)).lower())
        return attrs


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one currency, rounded to that currency's minor unit."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        code = currency_code(self.currency)
        try:
            amount = Decimal(self.amount)
        except (InvalidOperation, TypeError) as error:
            raise ValidationFailed(
                fields={"amount": [_("%(value)s is not a number.") % {"value": self.amount}]}
            ) from error
        if not amount.is_finite():
            raise ValidationFailed(fields={"amount": [_("An amount must be a finite number.")]})
        quantum = Decimal(1).scaleb(-get_currency_precision(code))
        object.__setattr__(self, "currency", code)
        object.__setattr__(self, "amount", amount.quantize(quantum, rounding=ROUND_HALF_EVEN))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same_currency(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValidationFailed(
                _("Cannot combine %(left)s with %(right)s without an exchange rate.")
                % {"left": self.currency, "right": other.currency}
            )

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float):
            raise TypeError("Multiply money by an int or a Decimal, never a float.")
        return Money(self.amount * Decimal(factor), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def convert(self, *, to: str, rate: Decimal) -> Money:
        """Convert with ``rate`` units of ``to`` per one unit of this currency."""
        return Money(self.amount * rate, to)

    def format(self, language: str) -> str:
        """Format for a Django language code (``ar``, ``zh-hans``), e.g. ``CN¥1,234.50``."""
        return format_currency(self.amount, self.currency, locale=babel_locale(language))

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def babel_locale(language: str) -> str:
    """Map a Django language code to the babel locale that formats it."""
    locale = to_locale(language)
    return {"zh_Hans": "zh_Hans_CN", "pt_BR": "pt_BR"}.get(locale, locale)
