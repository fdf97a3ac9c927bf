"""Money is a Decimal with a currency code, never a float.

Amounts are rounded to the currency's minor unit (ISO 4217, via babel): two
places for CNY and USD, none for JPY or CLP, three for KWD and BHD.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_currency, get_currency_precision, is_currency
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import to_locale

from seabridge.core.errors import ValidationFailed

AMOUNT_MAX_DIGITS = 18
AMOUNT_DECIMAL_PLACES = 4


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
