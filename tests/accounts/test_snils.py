from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.snils import format_snils, mask_snils, normalize_snils, snils_check_number


@pytest.mark.parametrize(
    "spelling",
    ["112-233-445 95", "11223344595", "112 233 445 95", "112-233-445-95", " 112-233-44595 "],
)
def test_it_accepts_the_textbook_example_in_any_usual_spelling(spelling: str) -> None:
    assert normalize_snils(spelling) == "11223344595"


@pytest.mark.parametrize(
    ("snils", "why"),
    [("123-456-789 64", "S < 100"), ("050-234-316 00", "S = 100"), ("820-981-233 00", "S = 201, mod 101 = 100")],
)
def test_it_accepts_the_domain_examples(snils: str, why: str) -> None:
    assert len(normalize_snils(snils)) == 11, why


def test_it_rejects_a_wrong_check_number_in_russian() -> None:
    with pytest.raises(ValidationError) as error:
        normalize_snils("112-233-445 96")
    assert error.value.code == "invalid_check_number"
    assert "контрольное число" in str(error.value.messages[0])


@pytest.mark.parametrize("bad", ["", "abc", "1122334459", "112233445950", "１１２２３３４４５９５", "112.233.445.95"])
def test_it_rejects_what_is_not_eleven_digits(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalize_snils(bad)


def test_numbers_up_to_001_001_998_are_not_checked() -> None:
    assert normalize_snils("001-001-998 42") == "00100199842"
    with pytest.raises(ValidationError):
        normalize_snils("001-001-999 42")


def test_it_formats_and_masks() -> None:
    assert format_snils("11223344595") == "112-233-445 95"
    assert mask_snils("11223344595") == "112-***-*** 95"


_checked_numbers = st.integers(min_value=1_001_999, max_value=999_999_999).map(lambda n: f"{n:09d}")


@given(first_nine=_checked_numbers)
def test_every_number_with_computed_check_digits_is_accepted(first_nine: str) -> None:
    snils = first_nine + snils_check_number(first_nine)
    assert normalize_snils(snils) == snils
    assert normalize_snils(format_snils(snils)) == snils


@given(first_nine=_checked_numbers, check=st.integers(min_value=0, max_value=99))
def test_every_other_pair_of_check_digits_is_rejected(first_nine: str, check: int) -> None:
    pair = f"{check:02d}"
    if pair == snils_check_number(first_nine):
        return
    with pytest.raises(ValidationError):
        normalize_snils(first_nine + pair)


@given(st.text(max_size=40))
def test_the_parser_raises_only_validation_errors(raw: str) -> None:
    try:
        result = normalize_snils(raw)
    except ValidationError:
        return
    assert len(result) == 11 and result.isdigit()
