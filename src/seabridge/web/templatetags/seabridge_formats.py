"""Numbers, money, and country and language names as the reader's language writes them.

The one place templates format these: ``{% load seabridge_formats %}``, then
``{{ units|number }}``, ``{{ share|number:1 }}``, ``{{ price|money:currency }}`` and
``{{ codes|language_names }}``. They follow CLDR through
babel, as the bulletin does and as the charts' ``Intl.NumberFormat`` does, so a table
and its chart print a figure alike. Django's own number formats are not used: they
group Chinese and Arabic figures not at all and Spanish ones with spaces, where CLDR
writes 1,234,567.5 and 1.234.567,5. Digits stay Latin in every language, as the
trade's documents print them. Dates keep Django's ``SHORT_DATE_FORMAT`` (``|date``);
countries are named by the registry (``Country.localized_name``), whose names users may
correct.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.lists import format_list
from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

from seabridge.core.errors import ValidationFailed
from seabridge.core.money import Money, babel_locale

register = template.Library()

# CLDR's currency spacing, which babel does not apply: a code or a symbol ending in a
# letter is kept from the digits by a no-break space ("SAR 95,000.00", not "SAR95,000.00").
_LETTER_THEN_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(babel_locale(language))


def _language() -> str:
    return get_language() or "en"


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def number(value: Any, places: int | str | None = None) -> str:
    """``value`` grouped and with the language's decimal sign; ``places`` fixes the
    decimals (rounded half to even), else up to three are shown. Empty for no value,
    so that ``|default:"—"`` applies; a value that is not a number is shown as it is."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    pattern = None
    if places is not None and places != "":
        digits = int(places)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(amount, format=pattern, locale=_locale(_language()))


@register.filter
def money(amount: Any, currency: str | None) -> str:
    """``amount`` in ``currency`` with its symbol where the language puts it, to the
    currency's minor unit (``$18,500.25``, ``18 500,25 $US``); without a currency,
    the amount to two decimals."""
    value = _decimal(amount)
    if value is None:
        return ""
    if not currency:
        return number(value, 2)
    try:
        return _LETTER_THEN_DIGIT.sub("\xa0", Money(value, currency).format(_language()))
    except ValidationFailed:  # a code that is no currency: print it as it stands
        return f"{number(value, 2)} {currency}"


@register.filter
def language_names(codes: Iterable[str] | str | None) -> str:
    """Languages by ISO 639 code, named and listed in the reader's language."""
    if not codes:
        return ""
    if isinstance(codes, str):
        codes = [codes]
    locale = _locale(_language())
    names = [locale.languages.get(code.replace("-", "_"), code) for code in codes]
    return format_list(names, locale=locale)
