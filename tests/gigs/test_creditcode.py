"""The unified social credit code's check character (GB 32100-2015)."""

import pytest

from gigs import creditcode
from tests.gigs.factories import VALID_CREDIT_CODES


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_known_valid_codes_pass(code):
    assert creditcode.is_valid(code)
    assert creditcode.problem(code.lower()) is None  # typed in lower case


def test_the_standards_worked_example_has_check_character_3():
    assert creditcode.check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_any_single_mistyped_character_fails(code):
    for position in range(18):
        for char in "0A7X":
            if char != code[position]:
                mistyped = code[:position] + char + code[position + 1:]
                if mistyped[2:8].isdigit():
                    assert not creditcode.is_valid(mistyped), mistyped


def test_two_swapped_neighbours_fail():
    code = VALID_CREDIT_CODES[1]
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert not creditcode.is_valid(swapped)


@pytest.mark.parametrize(("code", "words"), [
    ("9135010", "18"),
    ("91350100M000100YO3", "O"),
    ("913501A0M000100Y43", "six digits"),
    ("91350100M000100Y44", "does not add up"),
])
def test_what_is_wrong_is_said(code, words):
    from django.utils import translation

    with translation.override("en"):
        assert words in creditcode.problem(code)
