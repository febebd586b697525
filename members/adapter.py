from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from django.utils.translation import gettext as _

from core.notify import notify
from members.phones import MemberPhoneFormField, normalize_phone


class SignupEmailVerificationStage(EmailVerificationStage):
    """E-mail confirmation at sign-up only (settings: ACCOUNT_EMAIL_VERIFICATION says why).

    A sign-up, new address or taken, waits for the confirmation, so the two answers are the same;
    a later login goes on as it did under "optional", whatever the account's e-mail."""

    def handle(self):
        if not self.login.signup:
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on ``members.User``; codes go out through the project's notifier."""

    def get_login_stages(self):
        return [SignupEmailVerificationStage.__module__ + "." + SignupEmailVerificationStage.__qualname__
                if path == "allauth.account.stages.EmailVerificationStage" else path
                for path in super().get_login_stages()]

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        notify(
            user, recipient=phone, channels=("sms",), kind="verification_code",
            body=_("Your Fengchao verification code is %(code)s. It expires in 15 minutes.") % {"code": code},
        )

    def send_unknown_account_sms(self, phone, **kwargs):
        notify(None, recipient=phone, channels=("sms",), kind="unknown_account",
               body=_("Someone asked for a login code for this number, but no Fengchao account uses it."))

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if user.phone:
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone):
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])

    def phone_form_field(self, **kwargs):
        return MemberPhoneFormField(**kwargs)

    def clean_phone(self, phone):
        return normalize_phone(phone)

    def get_user_by_phone(self, phone):
        from members.models import User

        return User.objects.filter(phone=normalize_phone(phone)).order_by("-phone_verified", "pk").first()
