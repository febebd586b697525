"""WeChat subscription messages (订阅消息) to members who accepted them in the mini-program.

How it fits together:

1. Staff choose templates in the mini-program's console (mp.weixin.qq.com → 订阅消息) and map
   each kind of notice to one in the admin (``core.NoticeTemplate``: channel WeChat, provider
   "WeChat subscription message", the template id as *template code*, and which notice parameter
   fills each of the template's fields, e.g. ``thing1 = title`` / ``time2 = when``).
2. The mini-program asks for the template ids of :func:`subscribable_templates`
   (``GET /api/v3/members/wechat/subscriptions/``) with ``wx.requestSubscribeMessage`` and posts
   what the member chose (:func:`record_acceptance`). Each "accept" allows one message.
3. :class:`WeChatSubscriptionBackend` (the notifier's backend for the ``wechat`` channel) sends
   ``cgi-bin/message/subscribe/send`` to the member's mini-program openid when an acceptance is
   left, uses it up, and returns WeChat's answer for the log (msgid, errcode, errmsg). A member with
   none left is not sent anything and the log says why.
"""

import datetime
import re

from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core import wechat
from core.models import NoticeTemplate, NotificationLog, WeChatSubscription
from core.notify import Backend, Outcome

#: allauth's WeChat provider id (members' mini-program accounts use it too).
WEIXIN = "weixin"
#: What wx.requestSubscribeMessage reports per template id.
ACCEPT = "accept"
CHOICES = {"accept", "reject", "ban", "filter"}
#: WeChat refuses longer values: the limit of each kind of field, by its name's prefix.
FIELD_LIMITS = {"thing": 20, "short_thing": 5, "phrase": 5, "name": 10, "character_string": 32,
                "letter": 32, "symbol": 5, "car_number": 8, "phone_number": 17}
#: errcode WeChat gives when the member has no acceptance left for the template.
NOT_SUBSCRIBED = 43101
MAX_REMAINING = 100


def openid_for(user):
    """The member's openid in this mini-program, or "" (no mini-program sign-in)."""
    if user is None or not getattr(user, "pk", None) or not wechat.is_configured():
        return ""
    account = (SocialAccount.objects.filter(user_id=user.pk, provider=WEIXIN,
                                            extra_data__appid=wechat.credentials()[0])
               .order_by("pk").first())
    return account.uid if account else ""


def _mappings():
    return NoticeTemplate.objects.filter(channel=NotificationLog.Channel.WECHAT,
                                         provider=NoticeTemplate.Provider.WECHAT, enabled=True)


def subscribable_templates(user):
    """[{template_id, kinds, remaining}]: the templates notices are sent with, and how many
    messages of each the member has allowed."""
    by_template = {}
    for mapping in _mappings().order_by("template_code", "kind"):
        by_template.setdefault(mapping.template_code, []).append(mapping.kind)
    remaining = dict(WeChatSubscription.objects.filter(user=user, template_id__in=by_template)
                     .values_list("template_id", "remaining"))
    return [{"template_id": template_id, "kinds": kinds, "remaining": remaining.get(template_id, 0)}
            for template_id, kinds in by_template.items()]


def record_acceptance(user, results):
    """What ``wx.requestSubscribeMessage`` answered (``{template id: "accept" | "reject" | "ban" |
    "filter", "errMsg": ...}``): each accepted template that notices are sent with allows one
    more message. Template ids no notice uses are left out (nothing would be sent with them).
    Returns (:func:`subscribable_templates`, ignored template ids)."""
    known = set(_mappings().values_list("template_code", flat=True))
    accepted = sorted(t for t, choice in results.items() if choice == ACCEPT and t in known)
    ignored = sorted(t for t, choice in results.items() if choice in CHOICES and t not in known)
    now = timezone.now()
    with transaction.atomic():
        for template_id in accepted:
            row, _created = WeChatSubscription.objects.select_for_update().get_or_create(
                user=user, template_id=template_id)
            row.remaining = min(row.remaining + 1, MAX_REMAINING)
            row.accepted_at = now
            row.save(update_fields=["remaining", "accepted_at"])
    return subscribable_templates(user), ignored


def field_value(field, value):
    """``value`` as WeChat accepts it in ``field``: an ISO time as 2026年12月1日 15:30 (WeChat's own
    example form), texts cut to the field's limit (a longer one makes WeChat refuse the whole
    message, 47003)."""
    text = str(value)
    kind = re.sub(r"\d+$", "", field)
    if kind in ("time", "date"):
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            return text
        if moment.tzinfo is not None:
            moment = timezone.localtime(moment)
        day = f"{moment.year}年{moment.month}月{moment.day}日"
        return f"{day} {moment:%H:%M}" if kind == "time" else day
    limit = FIELD_LIMITS.get(kind)
    if limit and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


class WeChatSubscriptionBackend(Backend):
    """The ``wechat`` channel's backend: subscription messages through WeChat's API
    (``core.wechat``), with the kind's template mapping (``NoticeTemplate``, provider WeChat)."""

    provider = NoticeTemplate.Provider.WECHAT

    def send(self, message):
        template = message.template
        if template is None:  # the notifier only calls a provider backend with a mapping
            return Outcome(ok=False, code="no_template", message=gettext("No template is mapped for this kind."))
        account = (SocialAccount.objects.filter(provider=WEIXIN, uid=message.recipient)
                   .only("user_id").first())
        if account is None:
            return Outcome(ok=False, code="no_account",
                           message=gettext("This WeChat user no longer has an account here."))
        data = {field: field_value(field, value) for field, value in template.values(message.params)}
        with transaction.atomic():
            subscription = (WeChatSubscription.objects.select_for_update()
                            .filter(user_id=account.user_id, template_id=template.template_code).first())
            if subscription is None or subscription.remaining < 1:
                return Outcome(ok=False, code="not_subscribed", message=gettext(
                    "The member has not accepted this subscription message in the mini-program "
                    "(or every acceptance was used)."))
            try:
                answer = wechat.send_subscribe_message(
                    openid=message.recipient, template_id=template.template_code, data=data,
                    page=getattr(settings, "WECHAT_SUBSCRIBE_PAGE", ""),
                    state=getattr(settings, "WECHAT_MINIPROGRAM_STATE", ""))
            except wechat.WeChatError as exc:
                if exc.errcode == NOT_SUBSCRIBED:
                    # WeChat knows better: the acceptances are used up (or were withdrawn).
                    subscription.remaining = 0
                    subscription.save(update_fields=["remaining"])
                return Outcome(ok=False, temporary=exc.temporary,
                               code=str(exc.errcode) if exc.errcode is not None else "network",
                               message=exc.errmsg[:500], extra={"answer": exc.answer})
            subscription.remaining -= 1
            subscription.used_at = timezone.now()
            subscription.save(update_fields=["remaining", "used_at"])
        return Outcome(ok=True, message_id=str(answer.get("msgid", "")), code="0",
                       message=str(answer.get("errmsg", "ok")), extra={"answer": answer})
