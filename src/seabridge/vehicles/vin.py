"""ISO 3779 vehicle identification numbers: syntax, the check digit, the manufacturer code.

The check digit (position 9) is computed here, not by a library, so that the rule
is visible and tested. It is mandatory where the maker's region requires it:
North America (WMI starting 1–5, 49 CFR 565) and China (WMI starting L, GB 16735).
Elsewhere (most of Europe) position 9 is the maker's own, so a mismatch is only
reported as a warning. The WMI is decoded with vininfo as optional information.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from seabridge.core.errors import ValidationFailed

VIN_LENGTH = 17
CHECK_DIGIT_POSITION = 9  # 1-based, as ISO 3779 and the error messages count
FORBIDDEN_LETTERS = frozenset("IOQ")
ALLOWED_CHARACTERS = frozenset("0123456789ABCDEFGHJKLMNPRSTUVWXYZ")

# ISO 3779 / 49 CFR 565.15 transliteration of letters to values; digits are themselves.
TRANSLITERATION: dict[str, int] = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

# First character of the WMI for regions whose rules make the check digit mandatory.
CHECK_DIGIT_REQUIRED_PREFIXES = frozenset("12345L")


@dataclass(frozen=True)
class VinInfo:
    """A VIN that passed validation, with what could be learnt from it."""

    vin: str
    check_digit: str
    check_digit_required: bool
    warnings: list[str] = field(default_factory=list)
    manufacturer: str = ""
    country: str = ""
    region: str = ""

    @property
    def wmi(self) -> str:
        return self.vin[:3]


def normalize(vin: str) -> str:
    """Upper case without surrounding blanks: how VINs are stored and looked up."""
    return (vin or "").strip().upper()


def syntax_problem(vin: str) -> str | None:
    """What is wrong with ``vin``'s length or characters, or None when the syntax is right."""
    if len(vin) != VIN_LENGTH:
        return _("VIN must be 17 characters, got %(length)d.") % {"length": len(vin)}
    for position, character in enumerate(vin, start=1):
        if character in FORBIDDEN_LETTERS:
            return _(
                "VIN contains the letter %(letter)s at position %(position)d; "
                "I, O and Q are not used."
            ) % {"letter": character, "position": position}
        if character not in ALLOWED_CHARACTERS:
            return _(
                "VIN contains %(character)s at position %(position)d; "
                "only digits and the letters A–Z without I, O and Q are used."
            ) % {"character": repr(character), "position": position}
    return None


def check_digit(vin: str) -> str:
    """The ISO 3779 check digit of a syntactically valid 17-character VIN: 0–9 or X."""
    if len(vin) != VIN_LENGTH:
        raise ValueError(f"A VIN has {VIN_LENGTH} characters: {vin!r}")
    # map() rather than a generator: this runs for every VIN of a history import.
    remainder = sum(map(operator.mul, map(TRANSLITERATION.__getitem__, vin), WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def check_digit_required(vin: str) -> bool:
    """Whether the maker's region makes the check digit mandatory (North America, China)."""
    return vin[:1] in CHECK_DIGIT_REQUIRED_PREFIXES


def _decode_wmi(vin: str) -> tuple[str, str, str]:
    """Manufacturer, country and region from vininfo; empty when it does not know them."""
    # vininfo ships no type information; it is optional, decoded information only.
    from vininfo import Vin  # type: ignore[import-untyped]
    from vininfo.exceptions import VininfoException  # type: ignore[import-untyped]

    try:
        decoded = Vin(vin)
        return (
            str(decoded.manufacturer or ""),
            str(decoded.country or ""),
            str(decoded.region or ""),
        )
    except (VininfoException, KeyError, ValueError, AttributeError, TypeError):
        return "", "", ""


def vin_validate(vin: str, *, field_name: str = "vin") -> VinInfo:
    """Validate ``vin``; refuse what is wrong naming ``field_name``, report what is only odd.

    Refused: a wrong length, a forbidden or unknown character, and a check-digit
    mismatch where the region requires the digit. A mismatch elsewhere is a warning.
    """
    cleaned = normalize(vin)
    problem = syntax_problem(cleaned)
    if problem:
        raise ValidationFailed(fields={field_name: [problem]})
    expected = check_digit(cleaned)
    actual = cleaned[CHECK_DIGIT_POSITION - 1]
    required = check_digit_required(cleaned)
    warnings: list[str] = []
    if expected != actual:
        message = _("Check digit expected %(expected)s, got %(actual)s.") % {
            "expected": expected,
            "actual": actual,
        }
        if required:
            raise ValidationFailed(fields={field_name: [message]})
        warnings.append(message)
    manufacturer, country, region = _decode_wmi(cleaned)
    return VinInfo(
        vin=cleaned,
        check_digit=expected,
        check_digit_required=required,
        warnings=warnings,
        manufacturer=manufacturer,
        country=country,
        region=region,
    )
