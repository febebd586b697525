from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from core import wechat
from core.notify import notify
from members.phones import MemberPhoneFormField, normalize_phone

#: allauth's id of the WeChat provider, which mini-program accounts use too.
WEIXIN = "weixin"


def miniprogram_provider(request):
    """The mini-program as an app of allauth's weixin provider. It is not a SocialApp row: that
    would put a second WeChat button on the web's login page, and its secret is a setting."""
    from allauth.socialaccount.models import SocialApp
    from allauth.socialaccount.providers.weixin.provider import WeixinProvider

    app_id, secret = wechat.credentials()
    return WeixinProvider(request, app=SocialApp(provider=WEIXIN, client_id=app_id, secret=secret,
                                                 name="mini-program"))


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
        notify(user, recipient=phone, channels=("sms",), kind="members.verification_code", params={"code": code})

    def send_unknown_account_sms(self, phone, **kwargs):
        notify(None, recipient=phone, channels=("sms",), kind="members.unknown_account")

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """WeChat accounts (allauth's ``weixin`` provider: the web's website app, and the
    mini-program through :mod:`members.wechat`).

    WeChat gives an openid per app and, when the apps are bound to one Open Platform account, a
    unionid that is the same person in all of them. A first sign-in whose unionid is already on
    another of the member's WeChat accounts joins that member instead of creating a second one:
    a rider who used the mini-program and then scans the web's QR code is one member."""

    def get_provider(self, request, provider, client_id=None):
        """allauth's, and the mini-program's when the web has no WeChat app: a mini-program
        member's account still shows (e.g. on /accounts/3rdparty/) instead of failing for want
        of a SocialApp."""
        from allauth.socialaccount.models import SocialApp

        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            if provider == WEIXIN and wechat.is_configured():
                return miniprogram_provider(request)
            raise

    def is_auto_signup_allowed(self, request, sociallogin):
        # WeChat gives no e-mail address, and asking for one would stop every mini-program
        # sign-in at a form it cannot show; a phone is bound afterwards (members.wechat).
        if sociallogin.account.provider == WEIXIN:
            return True
        return super().is_auto_signup_allowed(request, sociallogin)

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing or sociallogin.account.provider != WEIXIN:
            return
        unionid = (sociallogin.account.extra_data or {}).get("unionid")
        if not unionid:
            return
        from allauth.socialaccount.models import SocialAccount

        same_person = (SocialAccount.objects.filter(provider=WEIXIN, extra_data__unionid=unionid)
                       .select_related("user").order_by("pk").first())
        if same_person is not None:
            sociallogin.connect(request, same_person.user)
