"""The Wagtail admin's login form, throttled like allauth's member logins.

allauth's rate limits cover /accounts/ and /_allauth/ only; /admin/login/ took 30 wrong passwords
in 24 seconds and then the right one. Failed attempts are counted per account (the user name as
typed, case-folded) and per client address; once either is used up, even the right password is
refused until the window ends, with a message saying so.
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms.auth import LoginForm

from core import throttle


def _rates():
    return settings.FENGCHAO_ADMIN_LOGIN_RATES


class ThrottledLoginForm(LoginForm):
    error_messages = {
        **LoginForm.error_messages,
        "too_many_attempts": _("Too many failed login attempts. Please wait %(wait)s and try again."),
    }

    def _keys(self):
        username = (self.data.get("username") or "").strip().casefold()
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        return {"account": username, "address": address}

    def clean(self):
        keys = self._keys()
        rates = _rates()
        for scope, key in keys.items():
            if throttle.exhausted(f"admin-login-{scope}", key, rates[scope]):
                minutes = max(1, round(throttle.wait_seconds(rates[scope]) / 60))
                wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
                raise forms.ValidationError(self.error_messages["too_many_attempts"],
                                            code="too_many_attempts", params={"wait": wait})
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login":
                for scope, key in keys.items():
                    throttle.hit(f"admin-login-{scope}", key, rates[scope])
            raise
