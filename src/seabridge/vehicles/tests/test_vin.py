"""ISO 3779 VINs: syntax, the check digit where it is mandatory, warnings where it is not."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from seabridge.core.errors import ValidationFailed
from seabridge.vehicles.vin import (
    ALLOWED_CHARACTERS,
    TRANSLITERATION,
    check_digit,
    vin_validate,
)


def refusal(vin: str) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        vin_validate(vin)
    return caught.value.fields["vin"]


@pytest.mark.parametrize("vin", ["1HGCM82633A004352", "JH4KA7561PC008269"])
def test_real_vins_with_their_check_digit_are_valid(vin):
    info = vin_validate(vin)
    assert (info.vin, info.check_digit, info.warnings) == (vin, vin[8], [])


def test_the_honda_vin_is_decoded_by_its_manufacturer_code():
    info = vin_validate("1hgcm82633a004352 ")
    assert (info.vin, info.wmi, info.check_digit_required) == ("1HGCM82633A004352", "1HG", True)
    assert (info.manufacturer, info.country, info.region) == (
        "Honda",
        "United States",
        "North America",
    )


def test_a_chinese_vin_with_a_wrong_ninth_character_is_refused():
    assert check_digit("LJ166A2X0A1000001") == "0"
    assert refusal("LJ166A2X3A1000001") == ["Check digit expected 0, got 3."]


def test_a_north_american_vin_with_a_wrong_check_digit_is_refused():
    assert refusal("1HGCM82673A004352") == ["Check digit expected 3, got 7."]


def test_a_european_vin_without_a_check_digit_is_accepted_with_a_warning():
    info = vin_validate("WVWZZZ1JZXW000001")
    assert (info.vin, info.check_digit, info.check_digit_required) == (
        "WVWZZZ1JZXW000001",
        "0",
        False,
    )
    assert info.warnings == ["Check digit expected 0, got Z."]


def test_the_length_is_named():
    assert refusal("1HGCM82633A00435") == ["VIN must be 17 characters, got 16."]
    assert refusal("") == ["VIN must be 17 characters, got 0."]


def test_a_forbidden_letter_is_named_with_its_position():
    assert refusal("1HGCO82633A004352") == [
        "VIN contains the letter O at position 5; I, O and Q are not used."
    ]


def test_other_characters_are_named_with_their_position():
    assert refusal("1HGCM-2633A004352") == [
        "VIN contains '-' at position 6; only digits and the letters A–Z without I, O and Q "
        "are used."
    ]


def test_an_unknown_manufacturer_code_is_no_error():
    vin = "9ZZ" + "A" * 5 + "0" + "A" * 8
    vin = vin[:8] + check_digit(vin) + vin[9:]
    info = vin_validate(vin)
    assert info.warnings == []


# --- properties of the check digit ----------------------------------------------------

CHARACTERS = sorted(ALLOWED_CHARACTERS)
vins = st.lists(st.sampled_from(CHARACTERS), min_size=17, max_size=17).map("".join)


def with_check_digit(vin: str) -> str:
    return vin[:8] + check_digit(vin) + vin[9:]


@given(vins)
def test_the_computed_digit_always_verifies_even_where_it_is_mandatory(vin):
    chinese = with_check_digit("L" + vin[1:])
    info = vin_validate(chinese)
    assert info.warnings == []
    assert info.check_digit in "0123456789X"


@given(vins, st.integers(0, 16).filter(lambda index: index != 8), st.sampled_from(CHARACTERS))
def test_changing_one_character_changes_the_digit_exactly_when_its_value_changes(
    vin, index, replacement
):
    """Weights 1–10 are units modulo 11, so the digit moves unless the values are equal.

    Equal values (A and J both 1, for instance) are the known, unavoidable collisions.
    """
    original = with_check_digit(vin)
    changed = original[:index] + replacement + original[index + 1 :]
    values_differ = TRANSLITERATION[original[index]] != TRANSLITERATION[replacement]
    assert (check_digit(changed) != check_digit(original)) == values_differ


@given(vins)
def test_the_check_digit_ignores_its_own_position(vin):
    assert check_digit(vin) == check_digit(vin[:8] + "X" + vin[9:])
