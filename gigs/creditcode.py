"""The unified social credit code (统一社会信用代码, GB 32100-2015) and its check character.

Eighteen characters from an alphabet of 31 (digits and capitals without I, O, S, V, Z): the
registering authority, the kind of body, the six-digit division code, the nine-character
organisation code and, last, a check character. The check character is chosen so that the
weighted sum of all eighteen values is a multiple of 31, the weight of position i (from 0) being
3**i mod 31. A code with one character mistyped, or two neighbours swapped, fails the check.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {char: value for value, char in enumerate(ALPHABET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, ...


def normalise(code: str) -> str:
    """What people type (spaces, lower case) as the code is stored."""
    return "".join((code or "").split()).upper()


def check_character(body: str) -> str:
    """The check character of the first seventeen characters ``body``."""
    if len(body) != 17 or any(char not in VALUES for char in body):
        raise ValueError("the body of a credit code is 17 characters of the GB 32100 alphabet")
    total = sum(VALUES[char] * weight for char, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why ``code`` is not a valid credit code (a translated sentence), or None when it is."""
    code = normalise(code)
    if len(code) != 18:
        return str(_("A unified social credit code has 18 characters; this one has %(n)s.") % {"n": len(code)})
    wrong = [char for char in code if char not in VALUES]
    if wrong:
        return str(_("A unified social credit code has no letter %(char)s (I, O, S, V and Z are never used).")
                   % {"char": wrong[0]})
    if not code[2:8].isdigit():
        return str(_("Characters 3 to 8 of a unified social credit code are the six digits of a division code."))
    if check_character(code[:17]) != code[17]:
        return str(_("This unified social credit code does not add up: check every character against the licence."))
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


def validate_credit_code(value):
    """A model and form validator."""
    message = problem(value)
    if message:
        raise ValidationError(message, code="invalid_credit_code")
