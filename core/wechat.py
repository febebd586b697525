"""The WeChat API (api.weixin.qq.com) as the mini-program's server side calls it.

One client for everything that talks to WeChat: members' sign-in (``sns/jscode2session``) and
phone binding (``wxa/business/getuserphonenumber``), and subscription messages
(``cgi-bin/message/subscribe/send``). Members and the notifier both use it, so it lives in core.

- ``WECHAT_API_BASE`` (default https://api.weixin.qq.com) is where every call goes: the tests'
  loopback server, or a forward proxy on a closed network.
- ``WECHAT_MINIPROGRAM_APP_ID`` / ``WECHAT_MINIPROGRAM_SECRET``: the mini-program's credentials
  (mp.weixin.qq.com → 开发管理 → 开发设置). Without them nothing is sent and callers are told
  WeChat is not configured.
- The interface access_token comes from ``cgi-bin/stable_token`` (several app servers may ask at
  once without invalidating each other's token, which plain ``cgi-bin/token`` does) and is kept in
  Django's cache (Redis in production, shared by every server) until five minutes before it
  expires; a call answered "token invalid or expired" drops it and retries once with a new one.

WeChat answers HTTP 200 with ``errcode``/``errmsg`` in the body for most failures. Those and
network failures become :class:`WeChatError` with the answer kept, so callers decide what a
member is told (an invalid code is the member's problem, a timeout is ours).
"""

import logging

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
#: errcodes that mean the access_token we sent is no longer good: fetch a new one and retry once.
TOKEN_ERRORS = {40001, 40014, 42001}
#: errcodes WeChat uses for "busy, try again": temporary, as a timeout is.
TEMPORARY_ERRORS = {-1, 45009, 45011}
#: errcodes for a login or phone code that is wrong, used or expired.
INVALID_CODE_ERRORS = {40029, 40163, 40226, 41008}
#: errcode for "too many requests from this user/app" (rate limit).
RATE_LIMITED = 45011
#: Keep the token this many seconds less than WeChat says it lives.
TOKEN_MARGIN = 300


class WeChatError(Exception):
    """A call to WeChat that did not succeed.

    ``errcode`` is WeChat's (None for a network failure or a response that is not WeChat's JSON);
    ``temporary`` says whether the same call may succeed later (timeouts, busy, rate limits)."""

    def __init__(self, errcode=None, errmsg="", *, temporary=False, answer=None):
        self.errcode = errcode
        self.errmsg = errmsg
        self.temporary = temporary or errcode in TEMPORARY_ERRORS
        self.answer = answer or {}
        super().__init__(f"WeChat {errcode}: {errmsg}" if errcode is not None else f"WeChat: {errmsg}")

    @property
    def invalid_code(self):
        return self.errcode in INVALID_CODE_ERRORS

    @property
    def rate_limited(self):
        return self.errcode == RATE_LIMITED


class NotConfigured(WeChatError):
    """The mini-program's app id or secret is not set."""

    def __init__(self):
        super().__init__(None, "WECHAT_MINIPROGRAM_APP_ID and WECHAT_MINIPROGRAM_SECRET are not set")


def api_base():
    return (getattr(settings, "WECHAT_API_BASE", "") or DEFAULT_API_BASE).rstrip("/")


def credentials():
    """(app id, secret) of the mini-program, or raise :class:`NotConfigured`."""
    app_id = getattr(settings, "WECHAT_MINIPROGRAM_APP_ID", "")
    secret = getattr(settings, "WECHAT_MINIPROGRAM_SECRET", "")
    if not (app_id and secret):
        raise NotConfigured()
    return app_id, secret


def is_configured():
    try:
        credentials()
    except NotConfigured:
        return False
    return True


def _request(method, path, *, params=None, json=None):
    """One HTTP call; WeChat's JSON answer, or :class:`WeChatError`."""
    url = f"{api_base()}/{path.lstrip('/')}"
    timeout = getattr(settings, "WECHAT_TIMEOUT", 5)
    try:
        response = requests.request(method, url, params=params, json=json, timeout=timeout)
    except requests.Timeout as exc:
        raise WeChatError(None, f"timed out after {timeout} s", temporary=True) from exc
    except requests.RequestException as exc:
        raise WeChatError(None, f"could not reach WeChat: {exc.__class__.__name__}", temporary=True) from exc
    if response.status_code >= 500:
        raise WeChatError(None, f"HTTP {response.status_code}", temporary=True)
    try:
        answer = response.json()
    except ValueError as exc:
        raise WeChatError(None, f"HTTP {response.status_code}, not JSON", temporary=response.status_code >= 500) from exc
    if not isinstance(answer, dict):
        raise WeChatError(None, "an answer that is not a JSON object")
    errcode = answer.get("errcode") or 0
    if errcode:
        raise WeChatError(errcode, str(answer.get("errmsg", "")), answer=answer)
    return answer


def code_to_session(code):
    """``wx.login``'s code → ``{"openid", "unionid" (when the app is bound to an open platform
    account), "session_key"}``. A code is good for one call within five minutes."""
    app_id, secret = credentials()
    answer = _request("GET", "sns/jscode2session", params={
        "appid": app_id, "secret": secret, "js_code": code, "grant_type": "authorization_code",
    })
    if not answer.get("openid"):
        raise WeChatError(None, "jscode2session answered without an openid", answer=answer)
    return answer


def _token_key(app_id):
    return f"wechat:access_token:{app_id}"


def access_token(*, refresh=False):
    """The mini-program's interface access_token, from the cache while it is good."""
    app_id, secret = credentials()
    key = _token_key(app_id)
    if not refresh:
        token = cache.get(key)
        if token:
            return token
    answer = _request("POST", "cgi-bin/stable_token", json={
        "grant_type": "client_credential", "appid": app_id, "secret": secret, "force_refresh": False,
    })
    token = answer.get("access_token")
    if not token:
        raise WeChatError(None, "stable_token answered without an access_token", answer=answer)
    lifetime = int(answer.get("expires_in") or 7200)
    cache.set(key, token, max(lifetime - TOKEN_MARGIN, 60))
    return token


def forget_access_token():
    try:
        cache.delete(_token_key(credentials()[0]))
    except NotConfigured:
        pass


def call_with_token(method, path, *, params=None, json=None):
    """A call that needs ``access_token`` in its query string; retried once with a fresh token
    when WeChat says the cached one is no longer valid (revoked, or refreshed elsewhere)."""
    for attempt in (1, 2):
        token = access_token(refresh=attempt == 2)
        try:
            return _request(method, path, params={**(params or {}), "access_token": token}, json=json)
        except WeChatError as exc:
            if exc.errcode in TOKEN_ERRORS and attempt == 1:
                logger.info("WeChat refused the cached access_token (%s); fetching a new one", exc.errcode)
                cache.delete(_token_key(credentials()[0]))
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def phone_number(code, *, openid=None):
    """``getPhoneNumber``'s code → ``{"phoneNumber", "purePhoneNumber", "countryCode", ...}``.
    With ``openid``, WeChat refuses a code that another WeChat user's phone produced."""
    body = {"code": code}
    if openid:
        body["openid"] = openid
    answer = call_with_token("POST", "wxa/business/getuserphonenumber", json=body)
    info = answer.get("phone_info") or {}
    if not info.get("purePhoneNumber"):
        raise WeChatError(None, "getuserphonenumber answered without a phone number", answer=answer)
    return info


def send_subscribe_message(*, openid, template_id, data, page="", state=""):
    """``cgi-bin/message/subscribe/send``. ``data`` is ``{"thing1": "…", "time2": "…"}``; the
    value of each is wrapped as WeChat wants (``{"value": …}``). Returns WeChat's answer."""
    body = {
        "touser": openid,
        "template_id": template_id,
        "data": {key: {"value": str(value)} for key, value in data.items()},
    }
    if page:
        body["page"] = page
    if state:
        body["miniprogram_state"] = state
    return call_with_token("POST", "cgi-bin/message/subscribe/send", json=body)
