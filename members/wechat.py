"""Signing in from the WeChat mini-program, and binding the phone WeChat has verified.

The mini-program calls ``wx.login()`` and sends the code here; WeChat's ``jscode2session``
turns it into the member's openid (and unionid). The member is the one whose allauth
``SocialAccount`` of the ``weixin`` provider has that openid as uid, created on the first
sign-in by allauth's own social login flow (so its signals, adapter and login stages run as for
any social sign-in). The answer is allauth headless's own app login answer, made by allauth's
own machinery: the ``session_token`` in ``meta`` is an allauth session token, sent as
``X-Session-Token`` to every API (``core.api.member_auth``) and to ``/_allauth/app/v1/``.

A mini-program account's ``extra_data`` holds ``openid``, ``unionid`` (when WeChat gave one) and
the mini-program's ``appid`` (an openid means something only for its app: the web's website app
gives the same person another one). WeChat's ``session_key`` is not kept: nothing here decrypts
``wx`` data with it. None of it is shown to anyone but the member's own requests.
"""

import json
import logging

from allauth.core.exceptions import ImmediateHttpResponse, SignupClosedException
from allauth.headless.base.response import AuthenticationResponse
from allauth.headless.constants import Client
from allauth.headless.internal import authkit
from allauth.headless.internal.decorators import mark_request_as_headless
from allauth.socialaccount.internal.flows.login import complete_login
from allauth.socialaccount.models import SocialAccount
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from core import audit, wechat
from core.errors import DomainError
from members.adapter import WEIXIN, miniprogram_provider
from members.phones import normalize_phone

logger = logging.getLogger(__name__)


class WeChatSignInError(DomainError):
    """What a member is told when WeChat, or the number it gave, is in the way."""

    status = 503
    messages = {
        "wechat_code_invalid": _("WeChat did not accept this code: it is wrong, used or more than five "
                                 "minutes old. Ask WeChat for a new one and send it at once."),
        "wechat_rate_limited": _("WeChat is refusing requests for a moment because there were too many. "
                                 "Please try again in a minute."),
        "wechat_unavailable": _("WeChat could not be reached just now. Please try again in a moment."),
        "wechat_not_configured": _("Signing in with WeChat is not set up on this server."),
        "wechat_not_linked": _("This account does not sign in with the mini-program, so WeChat cannot "
                               "give it a phone number. Sign in with WeChat first."),
        "phone_taken": _("This phone number already belongs to another account. Sign in to that account "
                         "(with a code sent to the phone) instead, or bind another number."),
    }
    # Not configured is 404: this server has no WeChat sign-in, as if the address did not exist.
    statuses = {"wechat_code_invalid": 400, "wechat_rate_limited": 429, "wechat_not_linked": 409,
                "phone_taken": 409, "wechat_not_configured": 404}

    def __init__(self, code):
        super().__init__(code, status=self.statuses.get(code, 503))


def _refusal(exc: wechat.WeChatError) -> WeChatSignInError:
    """WeChat's error as the member's: their code, WeChat's rate limit, or our problem."""
    if isinstance(exc, wechat.NotConfigured):
        return WeChatSignInError("wechat_not_configured")
    if exc.invalid_code:
        return WeChatSignInError("wechat_code_invalid")
    if exc.rate_limited:
        return WeChatSignInError("wechat_rate_limited")
    # A timeout, WeChat busy, or a configuration WeChat refuses (wrong secret): nothing the
    # member can fix. Staff find the reason in the log.
    logger.warning("WeChat sign-in failed: %s", exc)
    return WeChatSignInError("wechat_unavailable")


def miniprogram_account(user):
    """The member's mini-program SocialAccount (this mini-program's openid), or None."""
    if not wechat.is_configured():
        return None
    app_id = wechat.credentials()[0]
    return SocialAccount.objects.filter(user=user, provider=WEIXIN, extra_data__appid=app_id).first()


def phone_required(user):
    return not (user.phone and user.phone_verified)


def sign_in(request, code):
    """The allauth app answer for ``wx.login``'s ``code``: the member, found or created, logged in
    in a new session whose key is the session token. WeChat is asked first, so a refused code or
    a timeout creates nothing."""
    try:
        session = wechat.code_to_session(code)
        app_id = wechat.credentials()[0]
    except wechat.WeChatError as exc:
        raise _refusal(exc) from exc
    data = {"openid": session["openid"], "appid": app_id}
    if session.get("unionid"):
        data["unionid"] = session["unionid"]
    provider = miniprogram_provider(request)
    mark_request_as_headless(request, Client.APP)
    try:
        with authkit.authentication_context(request):
            for attempt in (1, 2):
                sociallogin = provider.sociallogin_from_response(request, data)
                sociallogin.account._provider = provider  # allauth would look for the web's app
                try:
                    with transaction.atomic():
                        complete_login(request, sociallogin, raises=True)
                        _keep_ids(sociallogin.account, data)
                    break
                except IntegrityError:
                    # The same WeChat user's first sign-in twice at once (the mini-program called
                    # wx.login twice): the other one created the account after our lookup. Once
                    # more finds it; WeChat need not be asked again.
                    if attempt == 2:
                        raise
            response = AuthenticationResponse(request)
            user = request.user
    except SignupClosedException as exc:
        raise DomainError("signup_closed", _("New accounts cannot be created right now."), status=403) from exc
    except ImmediateHttpResponse as exc:
        # allauth's own answer (an unknown X-Session-Token is a 410), as its views give it.
        return exc.response
    body = json.loads(response.content)
    meta = body.setdefault("meta", {})
    meta["phone_required"] = phone_required(user) if user.is_authenticated else None
    answer = JsonResponse(body, status=response.status_code)
    add_never_cache_headers(answer)
    return answer


def _keep_ids(account, data):
    if account.pk and account.extra_data != {**account.extra_data, **data}:
        # A unionid WeChat gives only once the app is bound to an Open Platform account.
        account.extra_data = {**account.extra_data, **data}
        account.save(update_fields=["extra_data"])


def bind_phone(user, code):
    """Set the member's phone to the one WeChat verified for ``getPhoneNumber``'s ``code``.

    The number must be the member's own WeChat's (WeChat checks the code against the openid we
    send) and no other account's: a number already bound elsewhere is refused (409) and nothing
    changes, because allauth signs in by phone and one number must be one member."""
    account = miniprogram_account(user)
    if account is None:
        raise WeChatSignInError("wechat_not_configured" if not wechat.is_configured() else "wechat_not_linked")
    try:
        info = wechat.phone_number(code, openid=account.uid)
    except wechat.WeChatError as exc:
        raise _refusal(exc) from exc
    phone = normalize_phone(f"+{info.get('countryCode') or '86'}{info['purePhoneNumber']}")
    model = type(user)
    try:
        with transaction.atomic():
            member = model.objects.select_for_update().get(pk=user.pk)
            if model.objects.filter(phone=phone).exclude(pk=member.pk).exists():
                raise WeChatSignInError("phone_taken")
            member.phone, member.phone_verified = phone, True
            member.save(update_fields=["phone", "phone_verified"])
            audit.record(member, "fengchao.profile_change", actor=member, via="api",
                         data={"fields": ["phone", "phone_verified"], "through": "wechat"})
    except IntegrityError as exc:
        # Another account took the number between the check and the write.
        raise WeChatSignInError("phone_taken") from exc
    return member
