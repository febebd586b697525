"""SMS through Aliyun and Tencent Cloud, against local servers that answer as their APIs do
(tests/core/sms_servers.py): the request carries the mapped template and parameters, the
provider's answer lands on the log, rejections show their reason, throttling and timeouts are
retried and sent once, and delivery receipts update the row."""

import datetime
import json

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from core import sms
from core.models import NoticeTemplate, NotificationLog
from core.notify import notify, send_due
from tests.core import sms_servers
from tests.core.notices_fixtures import test_notices  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("test_notices")
CHANGED = {"title": "手机摄影课", "when": "周六上午"}
Status = NotificationLog.Status

PROVIDERS = {
    "aliyun": {
        "handler": sms_servers.AliyunHandler, "backend": "core.sms.AliyunSmsBackend",
        "setting": "FENGCHAO_ALIYUN_SMS", "code": "SMS_465910021", "sign": "蜂巢街道",
        "conf": lambda endpoint: {"access_key_id": sms_servers.ALIYUN_KEY_ID,
                                  "access_key_secret": sms_servers.ALIYUN_SECRET, "endpoint": endpoint,
                                  "sign_name": "默认签名"},
        "fields": "title\ntime = when",
        "template": lambda call: call.params["TemplateCode"],
        "sign_of": lambda call: call.params["SignName"],
        "phone": lambda call: call.params["PhoneNumbers"],
        "values": lambda call: json.loads(call.params["TemplateParam"]),
        "expected_values": {"title": "手机摄影课", "time": "周六上午"},
        "expected_phone": "13800001111",
        "rejected_code": "isv.SMS_TEMPLATE_ILLEGAL",
    },
    "tencent": {
        "handler": sms_servers.TencentHandler, "backend": "core.sms.TencentSmsBackend",
        "setting": "FENGCHAO_TENCENT_SMS", "code": "2081331", "sign": "蜂巢街道",
        "conf": lambda endpoint: {"secret_id": sms_servers.TENCENT_ID, "secret_key": sms_servers.TENCENT_KEY,
                                  "sdk_app_id": "1400812345", "sign_name": "默认签名", "region": "ap-guangzhou",
                                  "endpoint": endpoint, "callback_token": "receipt-token-0123"},
        "fields": "title\nwhen",
        "template": lambda call: call.params["TemplateId"],
        "sign_of": lambda call: call.params["SignName"],
        "phone": lambda call: call.params["PhoneNumberSet"][0],
        "values": lambda call: call.params["TemplateParamSet"],
        "expected_values": ["手机摄影课", "周六上午"],
        "expected_phone": "+8613800001111",
        "rejected_code": "FailedOperation.TemplateIncorrectOrUnapproved",
    },
}


@pytest.fixture(params=sorted(PROVIDERS))
def provider(request, db, settings):
    spec = PROVIDERS[request.param]
    fake, thread = sms_servers.start(spec["handler"])
    settings.FENGCHAO_SMS_BACKEND = spec["backend"]
    settings.FENGCHAO_SMS_TIMEOUT = 1
    setattr(settings, spec["setting"], spec["conf"](fake.endpoint))
    fake.name, fake.spec = request.param, spec
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(5)


@pytest.fixture
def mapped(provider):
    return NoticeTemplate.objects.create(kind="tests.class_changed", channel="sms", provider=provider.name,
                                         template_code=provider.spec["code"], sign_name=provider.spec["sign"],
                                         fields=provider.spec["fields"])


@pytest.fixture
def rider(db):
    return UserFactory(phone="+8613800001111", display_name="李师傅")


def send(callbacks, user, kind="tests.class_changed", params=CHANGED):
    with callbacks(execute=True):
        notify(user, kind=kind, params=params)
    return NotificationLog.objects.latest("pk")


def test_the_request_carries_the_mapped_template_and_parameters(provider, mapped, rider,
                                                                django_capture_on_commit_callbacks):
    log = send(django_capture_on_commit_callbacks, rider)
    (call,) = provider.sends()
    spec = provider.spec
    assert spec["template"](call) == spec["code"]
    assert spec["sign_of"](call) == "蜂巢街道"
    assert spec["phone"](call) == spec["expected_phone"]
    assert spec["values"](call) == spec["expected_values"]
    assert (log.status, log.provider, log.template_code, log.sign_name) == ("sent", provider.name, spec["code"], "蜂巢街道")
    assert log.request_id and log.message_id and log.delivery == "pending"
    assert log.backend == spec["backend"] and log.reason == ""
    assert log.body == "手机摄影课改到周六上午。"  # the log keeps the rendered text


def test_the_signature_defaults_to_the_settings(provider, mapped, rider, django_capture_on_commit_callbacks):
    NoticeTemplate.objects.filter(pk=mapped.pk).update(sign_name="")
    log = send(django_capture_on_commit_callbacks, rider)
    assert provider.spec["sign_of"](provider.sends()[0]) == "默认签名" == log.sign_name


def test_a_kind_with_no_template_goes_to_the_console_and_says_so(provider, rider, capsys,
                                                                  django_capture_on_commit_callbacks):
    log = send(django_capture_on_commit_callbacks, rider)
    assert provider.calls == []
    assert (log.status, log.backend, log.provider) == ("sent", "core.notify.ConsoleAndLogBackend", "")
    assert log.reason == f"这类通知没有对应的 {provider.name} 模板：已改为输出到控制台。"
    assert "手机摄影课改到周六上午。" in capsys.readouterr().out


def test_a_rejected_template_fails_with_the_providers_reason_shown_in_the_admin(
        provider, mapped, rider, admin_client, django_capture_on_commit_callbacks):
    provider.behaviours = ["template"]
    log = send(django_capture_on_commit_callbacks, rider)
    assert (log.status, log.attempts, log.provider_code) == ("failed", 1, provider.spec["rejected_code"])
    assert log.reason.startswith(provider.spec["rejected_code"] + ": ") and log.provider_message in log.reason
    assert len(provider.sends()) == 1  # not retried: it would fail the same way
    response = admin_client.get("/admin/notifications/", {"status": "failed"})
    assert response.status_code == 200
    assert provider.spec["rejected_code"] in response.content.decode()
    detail = admin_client.get(f"/admin/notifications/inspect/{log.pk}/").content.decode()
    assert log.provider_message.split()[0] in detail


def test_the_providers_rate_limit_is_retried_later_and_sent_once(provider, mapped, rider,
                                                                 django_capture_on_commit_callbacks):
    provider.behaviours = ["limit"]
    log = send(django_capture_on_commit_callbacks, rider)
    assert (log.status, log.attempts) == ("retry", 1)
    assert log.next_attempt_at > timezone.now() and log.reason.startswith("第 1 次发送失败")
    assert send_due() == 0  # not yet
    assert send_due(now=log.next_attempt_at + datetime.timedelta(seconds=1)) == 1
    log.refresh_from_db()
    assert (log.status, log.attempts, log.reason) == ("sent", 2, "")
    assert len(provider.sends()) == 2 and NotificationLog.objects.count() == 1


def test_a_timeout_is_retried_and_the_text_sent_once(provider, mapped, rider, django_capture_on_commit_callbacks):
    provider.behaviours = ["hang"]
    log = send(django_capture_on_commit_callbacks, rider)
    assert (log.status, log.attempts) == ("retry", 1), log.reason
    later = log.next_attempt_at + datetime.timedelta(seconds=1)
    send_due(now=later)
    send_due(now=later)  # the sweeper again, and the task once more: nothing more is sent
    from core.notify import deliver

    deliver(log.pk, now=later)
    log.refresh_from_db()
    assert (log.status, log.attempts) == ("sent", 2)
    assert len(provider.sends(answered=True)) == 1  # one text answered by the provider
    assert NotificationLog.objects.count() == 1


@override_settings(FENGCHAO_NOTIFY_MAX_ATTEMPTS=2)
def test_after_the_last_attempt_the_failure_is_final(provider, mapped, rider, django_capture_on_commit_callbacks):
    provider.behaviours = ["limit", "limit"]
    log = send(django_capture_on_commit_callbacks, rider)
    send_due(now=log.next_attempt_at + datetime.timedelta(seconds=1))
    log.refresh_from_db()
    assert (log.status, log.attempts) == ("failed", 2)
    assert log.reason.startswith("尝试 2 次后放弃：")


def test_the_idempotency_key_goes_to_the_provider(provider, mapped, rider, django_capture_on_commit_callbacks):
    log = send(django_capture_on_commit_callbacks, rider)
    call = provider.sends()[0]
    sent_key = call.params.get("OutId") or call.params.get("SessionContext")
    assert sent_key and log.key.startswith(sent_key)


# --- delivery receipts ------------------------------------------------------------------------------

@pytest.fixture
def tencent(db, settings):
    fake, thread = sms_servers.start(sms_servers.TencentHandler)
    spec = PROVIDERS["tencent"]
    settings.FENGCHAO_SMS_BACKEND = spec["backend"]
    settings.FENGCHAO_TENCENT_SMS = spec["conf"](fake.endpoint)
    NoticeTemplate.objects.create(kind="tests.class_changed", provider="tencent", template_code="2081331",
                                  sign_name="蜂巢街道", fields="title\nwhen")
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(5)


def test_tencent_status_callback_updates_the_delivery(tencent, rider, client, django_capture_on_commit_callbacks):
    log = send(django_capture_on_commit_callbacks, rider)
    report = {"user_receive_time": "2026-12-02 10:00:05", "nationcode": "86", "mobile": "13800001111",
              "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功", "sid": log.message_id}
    url = "/notify/receipts/tencent/receipt-token-0123/"
    assert client.post("/notify/receipts/tencent/guess/", [report], content_type="application/json").status_code == 404
    stray = {**report, "mobile": "13900009999"}  # a serial number with another phone changes nothing
    response = client.post(url, [stray], content_type="application/json")
    assert response.json() == {"result": 0, "errmsg": "OK", "updated": 0}
    log.refresh_from_db()
    assert log.delivery == "pending"
    response = client.post(url, [report], content_type="application/json")
    assert response.status_code == 200 and response.json()["updated"] == 1
    log.refresh_from_db()
    assert (log.delivery, log.delivery_code) == ("delivered", "DELIVRD")
    assert timezone.localtime(log.delivered_at).strftime("%H:%M:%S") == "10:00:05"
    assert client.post(url, b"not json", content_type="application/json").status_code == 400


def test_aliyun_receipts_are_polled(db, settings, rider, django_capture_on_commit_callbacks):
    fake, thread = sms_servers.start(sms_servers.AliyunHandler)
    try:
        settings.FENGCHAO_SMS_BACKEND = "core.sms.AliyunSmsBackend"
        settings.FENGCHAO_ALIYUN_SMS = PROVIDERS["aliyun"]["conf"](fake.endpoint)
        NoticeTemplate.objects.create(kind="tests.class_changed", provider="aliyun", template_code="SMS_465910021",
                                      sign_name="蜂巢街道", fields="title\ntime = when")
        log = send(django_capture_on_commit_callbacks, rider)
        assert sms.poll_aliyun_receipts() == 1
        query = [c for c in fake.calls if c.action == "QuerySendDetails"][0]
        assert (query.params["BizId"], query.params["PhoneNumber"]) == (log.message_id, "13800001111")
        assert query.params["SendDate"] == f"{timezone.localtime(log.sent_at):%Y%m%d}"
        log.refresh_from_db()
        assert (log.delivery, log.delivery_code) == ("delivered", "DELIVERED")
        assert sms.poll_aliyun_receipts() == 0  # known now: not asked again
    finally:
        fake.server.shutdown()
        fake.server.server_close()
        thread.join(5)


# --- the notifier's own limits ----------------------------------------------------------------------

@override_settings(FENGCHAO_SMS_PER_HOUR=2)
def test_rate_limit_per_phone_records_the_reason_and_spares_urgent_notices(rider, django_capture_on_commit_callbacks):
    first, second, third = (send(django_capture_on_commit_callbacks, rider) for _ in range(3))
    assert [first.status, second.status] == ["sent", "sent"]
    third.refresh_from_db()
    assert third.status == "rate_limited" and "2" in third.reason
    code = send(django_capture_on_commit_callbacks, rider, kind="tests.login_code", params={"code": "4321"})
    assert code.status == "sent"  # a login code is urgent
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        assert send(django_capture_on_commit_callbacks, rider).status == "sent"


@override_settings(FENGCHAO_NOTIFY_QUIET_HOURS="21:30-07:30")
def test_quiet_hours_defer_notices_to_the_morning_but_not_urgent_ones(rider, django_capture_on_commit_callbacks):
    night = timezone.make_aware(datetime.datetime(2026, 12, 2, 23, 10))
    with time_machine.travel(night, tick=False):
        reminder = send(django_capture_on_commit_callbacks, rider)
        code = send(django_capture_on_commit_callbacks, rider, kind="tests.login_code", params={"code": "4321"})
    assert code.status == "sent"
    assert reminder.status == "deferred" and reminder.attempts == 0
    assert timezone.localtime(reminder.next_attempt_at).replace(tzinfo=None) == datetime.datetime(2026, 12, 3, 7, 30)
    assert send_due(now=night + datetime.timedelta(hours=2)) == 0
    morning = timezone.make_aware(datetime.datetime(2026, 12, 3, 7, 31))
    with time_machine.travel(morning, tick=False):
        assert send_due() == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("sent", 1)


# --- the template mapping in the admin --------------------------------------------------------------

def test_staff_map_a_kind_to_a_template_in_the_admin(admin_client, db):
    listing = admin_client.get("/admin/notice_templates/")
    assert listing.status_code == 200
    form = admin_client.get("/admin/notice_templates/new/").content.decode()
    assert "members.verification_code" in form  # the kinds the apps declare are offered
    data = {"kind": "members.verification_code", "channel": "sms", "provider": "aliyun",
            "template_code": "SMS_100001", "sign_name": "蜂巢街道", "fields": "code", "enabled": "on", "note": ""}
    bad = admin_client.post("/admin/notice_templates/new/", {**data, "fields": "code\nname"})
    assert bad.status_code == 200 and not NoticeTemplate.objects.exists()
    assert admin_client.post("/admin/notice_templates/new/", data).status_code == 302
    template = NoticeTemplate.objects.get()
    assert (template.kind, template.template_code, template.field_map()) == (
        "members.verification_code", "SMS_100001", [("code", "code")])
    assert "SMS_100001" in admin_client.get("/admin/notice_templates/", {"q": "SMS_1000"}).content.decode()


def test_phone_numbers_in_each_providers_form():
    assert sms.domestic_number("+8613800001111") == sms.domestic_number("138 0000 1111") == "13800001111"
    assert sms.e164_number("13800001111") == sms.e164_number("+86 138 0000 1111") == "+8613800001111"
