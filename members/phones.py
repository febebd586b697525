"""Members' phone numbers, kept in E.164 (+8613812345678) because allauth looks them up that way.

People type mainland mobiles as 13812345678, 138 1234 5678 or 0086-138…; all of them mean the same
account, so every way in (sign-up, login, the user admin, seed data) normalises first.
"""

import re

from allauth.account.fields import PhoneField
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
SEPARATORS = re.compile(r"[\s\-().]")

e164_validator = RegexValidator(
    r"^\+[1-9]\d{5,14}$",
    _("Enter a mobile number such as 13812345678, or another country's number starting with +."),
    code="invalid_phone",
)


def normalize_phone(value):
    """``value`` in E.164 when it is recognisably a phone number; otherwise unchanged for the
    validator to refuse."""
    if not value:
        return value
    digits = SEPARATORS.sub("", str(value))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if MAINLAND_MOBILE.match(digits):
        return "+86" + digits
    if digits.startswith("86") and MAINLAND_MOBILE.match(digits[2:]):
        return "+" + digits
    return digits


class MemberPhoneFormField(PhoneField):
    """allauth's phone field, accepting the ways people in China write their mobile number."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [e164_validator])
        kwargs.setdefault("help_text", _("A mainland mobile number, e.g. 13812345678."))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalize_phone(super().to_python(value))


class MemberPhoneField(models.CharField):
    """A member's phone, stored normalised so that it matches what people type at login."""

    def to_python(self, value):
        return normalize_phone(super().to_python(value))

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", MemberPhoneFormField)
        kwargs.setdefault("required", not self.blank)
        return super().formfield(**kwargs)
