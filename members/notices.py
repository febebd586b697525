"""The notices members sends (core.notices): login codes and organisation reviews."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

NOTICES = (
    Notice("members.verification_code", params=("code",), urgent=True,
           description=_("a phone login or verification code"),
           text=_("Your Fengchao verification code is %(code)s. It expires in 15 minutes.")),
    Notice("members.unknown_account", urgent=True,
           description=_("someone asked for a login code for a number no account uses"),
           text=_("Someone asked for a login code for this number, but no Fengchao account uses it.")),
    Notice("members.organisation_verified", params=("name",), subject="%(name)s",
           description=_("an organisation was verified"),
           text=_("%(name)s has been verified. You can now post job needs.")),
    Notice("members.organisation_rejected", params=("name", "reason"), subject="%(name)s",
           description=_("an organisation was not verified"),
           text=_("%(name)s was not verified: %(reason)s")),
)
