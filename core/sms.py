"""SMS through Aliyun (阿里云短信) or Tencent Cloud (腾讯云短信), with their official SDKs.

Both send a template registered with the provider, under a registered signature, filled with
the notice's parameters as staff mapped them (``core.NoticeTemplate``); core.notify picks the
mapping and falls back to the console for a kind with none. ``SMS_BACKEND=aliyun`` or
``tencent`` chooses one (config/settings.py); credentials and the endpoint come from the
environment (README, docs/operations.md), so tests point the SDKs at a server on loopback.

What the provider answers is an :class:`core.notify.Outcome`: accepted (with its request id and
message id: Aliyun's BizId, Tencent's SerialNo, kept on the log row to match receipts), refused
for good (a template not approved, a wrong number: the provider's code and message become the
row's reason) or refused for now (timeout, throttling, a phone's per-minute limit: retried).

Delivery receipts: Tencent posts them to ``/notify/receipts/tencent/<token>/``
(:func:`record_tencent_receipts`); Aliyun is asked with QuerySendDetails by a scheduled job
(:func:`poll_aliyun_receipts`, core.tasks).
"""

import datetime
import json
import logging
import re

from django.conf import settings
from django.utils import timezone

from core.models import NotificationLog
from core.notify import Backend, Outcome

logger = logging.getLogger(__name__)

#: Provider codes worth trying again later: throttling, per-phone frequency limits, outages.
ALIYUN_TEMPORARY = ("isv.BUSINESS_LIMIT_CONTROL", "Throttling", "isp.SYSTEM_ERROR", "ServiceUnavailable",
                    "InternalError", "SignatureNonceUsed")
TENCENT_TEMPORARY = ("ClientNetworkError", "ServerNetworkError", "RequestLimitExceeded", "InternalError",
                     "LimitExceeded.PhoneNumberThirtySecondLimit", "LimitExceeded.PhoneNumberOneHourLimit",
                     "FailedOperation.ContainSensitiveWordRetry", "ResourceUnavailable")


def _temporary(code, prefixes):
    return any(code == p or code.startswith(p + ".") or code.startswith(p) for p in prefixes)


def _split_endpoint(endpoint, default):
    """("http", "127.0.0.1:8123") from "http://127.0.0.1:8123"; ("https", default) from ""."""
    endpoint = (endpoint or "").strip().rstrip("/")
    if "://" in endpoint:
        scheme, _sep, host = endpoint.partition("://")
        return scheme.lower(), host
    return "https", endpoint or default


def _timeout():
    return float(getattr(settings, "FENGCHAO_SMS_TIMEOUT", 10))


def domestic_number(phone):
    """A mainland number as its 11 digits (Aliyun's form for domestic texts): +8613800001111,
    8613800001111 and 138 0000 1111 all give 13800001111; other numbers keep their digits."""
    digits = re.sub(r"\D", "", str(phone))
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def e164_number(phone):
    """E.164 (Tencent's form): 13800001111 gives +8613800001111."""
    text = str(phone).strip()
    if text.startswith("+"):
        return "+" + re.sub(r"\D", "", text)
    digits = domestic_number(text)
    return f"+86{digits}" if len(digits) == 11 else f"+{digits}"


class AliyunSmsBackend(Backend):
    """Aliyun SMS (Dysmsapi 2017-05-25: SendSms, QuerySendDetails), settings in
    ``FENGCHAO_ALIYUN_SMS`` (access_key_id, access_key_secret, endpoint, sign_name)."""

    provider = "aliyun"

    def __init__(self):
        self.conf = getattr(settings, "FENGCHAO_ALIYUN_SMS", {}) or {}
        self.default_sign_name = self.conf.get("sign_name", "")

    def client(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi.models import Config

        scheme, host = _split_endpoint(self.conf.get("endpoint"), "dysmsapi.aliyuncs.com")
        return Client(Config(
            access_key_id=self.conf.get("access_key_id"), access_key_secret=self.conf.get("access_key_secret"),
            endpoint=host, protocol=scheme.upper(), region_id=self.conf.get("region", "cn-hangzhou"),
        ))

    def runtime(self):
        from darabonba.runtime import RuntimeOptions

        milliseconds = int(_timeout() * 1000)
        return RuntimeOptions(read_timeout=milliseconds, connect_timeout=milliseconds, autoretry=False)

    def send(self, message):
        from alibabacloud_dysmsapi20170525 import models

        request = models.SendSmsRequest(
            phone_numbers=domestic_number(message.recipient), sign_name=message.sign_name,
            template_code=message.template.template_code,
            template_param=json.dumps(dict(message.template.values(message.params)), ensure_ascii=False),
            out_id=(message.key or "")[:64] or None,
        )
        try:
            body = self.client().send_sms_with_options(request, self.runtime()).body
        except Exception as exc:
            return self._failure(exc)
        code, text = body.code or "", body.message or ""
        if code == "OK":
            return Outcome(ok=True, request_id=body.request_id or "", message_id=body.biz_id or "", code=code,
                           message=text, delivery=NotificationLog.Delivery.PENDING)
        return Outcome(ok=False, temporary=_temporary(code, ALIYUN_TEMPORARY), request_id=body.request_id or "",
                       code=code, message=text)

    def _failure(self, exc):
        """An exception from the SDK: the provider's error answer (with its code) or no answer."""
        code = str(getattr(exc, "code", "") or "")
        data = getattr(exc, "data", None) or {}
        request_id = str(getattr(exc, "request_id", "") or data.get("RequestId", "") or "")
        status = getattr(exc, "status_code", None)
        if code and status:
            message = str(data.get("Message") or getattr(exc, "message", "") or exc)
            temporary = status >= 500 or status == 429 or _temporary(code, ALIYUN_TEMPORARY)
            return Outcome(ok=False, temporary=temporary, request_id=request_id, code=code, message=message)
        inner = getattr(exc, "inner_exception", None) or exc
        logger.warning("Aliyun SMS: no answer (%s: %s)", type(inner).__name__, inner)
        return Outcome(ok=False, temporary=True, code="NoAnswer", message=f"{type(inner).__name__}: {inner}"[:500])

    def query(self, log):
        """Ask Aliyun what became of ``log`` (QuerySendDetails): "delivered", "undelivered", or
        "" while it does not know yet; with the provider's code and time of receipt."""
        from alibabacloud_dysmsapi20170525 import models

        sent = timezone.localtime(log.sent_at or log.created_at)
        request = models.QuerySendDetailsRequest(
            phone_number=domestic_number(log.recipient), biz_id=log.message_id, send_date=f"{sent:%Y%m%d}",
            page_size=10, current_page=1)
        body = self.client().query_send_details_with_options(request, self.runtime()).body
        if body.code != "OK":
            raise RuntimeError(f"QuerySendDetails: {body.code}: {body.message}")
        details = (body.sms_send_detail_dtos.sms_send_detail_dto or []) if body.sms_send_detail_dtos else []
        for detail in details:
            if detail.send_status == 3:
                return NotificationLog.Delivery.DELIVERED, detail.err_code or "DELIVERED", detail.receive_date
            if detail.send_status == 2:
                return NotificationLog.Delivery.UNDELIVERED, detail.err_code or "", detail.receive_date
        return "", "", None


class TencentSmsBackend(Backend):
    """Tencent Cloud SMS (API 2021-01-11: SendSms, TC3-signed JSON), settings in
    ``FENGCHAO_TENCENT_SMS`` (secret_id, secret_key, sdk_app_id, sign_name, region, endpoint)."""

    provider = "tencent"

    def __init__(self):
        self.conf = getattr(settings, "FENGCHAO_TENCENT_SMS", {}) or {}
        self.default_sign_name = self.conf.get("sign_name", "")

    def client(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        scheme, host = _split_endpoint(self.conf.get("endpoint"), "sms.tencentcloudapi.com")
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=max(int(_timeout()), 1))
        return sms_client.SmsClient(credential.Credential(self.conf.get("secret_id"), self.conf.get("secret_key")),
                                    self.conf.get("region", "ap-guangzhou"), ClientProfile(httpProfile=http))

    def send(self, message):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
            TencentCloudSDKException,
        )
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.PhoneNumberSet = [e164_number(message.recipient)]
        request.SmsSdkAppId = str(self.conf.get("sdk_app_id", ""))
        request.SignName = message.sign_name
        request.TemplateId = message.template.template_code
        request.TemplateParamSet = [value for _field, value in message.template.values(message.params)]
        request.SessionContext = message.key or ""
        try:
            response = self.client().SendSms(request)
        except TencentCloudSDKException as exc:
            code = exc.get_code() or ""
            return Outcome(ok=False, temporary=_temporary(code, TENCENT_TEMPORARY), code=code,
                           message=str(exc.get_message() or "")[:500], request_id=exc.get_request_id() or "")
        status = (response.SendStatusSet or [None])[0]
        if status is None:
            return Outcome(ok=False, temporary=True, request_id=response.RequestId or "", code="NoStatus",
                           message="SendSms answered without a status for the number")
        code = status.Code or ""
        if code == "Ok":
            return Outcome(ok=True, request_id=response.RequestId or "", message_id=status.SerialNo or "",
                           code=code, message=status.Message or "", delivery=NotificationLog.Delivery.PENDING)
        return Outcome(ok=False, temporary=_temporary(code, TENCENT_TEMPORARY), request_id=response.RequestId or "",
                       code=code, message=status.Message or "")


# --- delivery receipts ------------------------------------------------------------------------------

def _record_delivery(log, delivery, code, when):
    log.delivery, log.delivery_code = delivery, (code or "")[:100]
    log.delivered_at = when or timezone.now()
    log.save(update_fields=["delivery", "delivery_code", "delivered_at"])


def _parse_time(text):
    try:
        return timezone.make_aware(datetime.datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S"))
    except (TypeError, ValueError):
        return None


def record_tencent_receipts(reports) -> int:
    """Tencent's status callback (a JSON list of reports). A report counts only when its serial
    number and phone match a text we sent through Tencent: a forged or stray report changes
    nothing. Returns how many rows were updated."""
    if not isinstance(reports, list):
        raise ValueError("a list of status reports was expected")
    updated = 0
    for report in reports:
        if not isinstance(report, dict) or not report.get("sid"):
            continue
        log = NotificationLog.objects.filter(provider="tencent", message_id=str(report["sid"])[:100]).first()
        if log is None or domestic_number(log.recipient) != domestic_number(report.get("mobile", "")):
            continue
        delivered = str(report.get("report_status", "")).upper() == "SUCCESS"
        _record_delivery(log, NotificationLog.Delivery.DELIVERED if delivered else NotificationLog.Delivery.UNDELIVERED,
                         str(report.get("errmsg") or report.get("report_status") or ""),
                         _parse_time(report.get("user_receive_time")))
        updated += 1
    return updated


def poll_aliyun_receipts(now=None, *, within=datetime.timedelta(days=2)) -> int:
    """Ask Aliyun (QuerySendDetails) about every text sent through it in the past two days whose
    delivery is not known yet. Returns how many rows learnt their delivery."""
    now = now or timezone.now()
    pending = NotificationLog.objects.filter(
        provider="aliyun", status=NotificationLog.Status.SENT, delivery=NotificationLog.Delivery.PENDING,
        sent_at__gte=now - within).exclude(message_id="").order_by("sent_at")[:200]
    if not pending:
        return 0
    backend = AliyunSmsBackend()
    learnt = 0
    for log in pending:
        try:
            delivery, code, when = backend.query(log)
        except Exception:
            logger.exception("Aliyun QuerySendDetails failed for notification %s", log.pk)
            continue
        if delivery:
            _record_delivery(log, delivery, code, _parse_time(when))
            learnt += 1
    return learnt
