"""Issue 17's "done means": with a provider configured against a local server that answers as
Aliyun's SMS API does, a member who registers for a class gets an SMS request carrying the
template code staff registered and the right parameters."""

import json

import pytest
from django.utils import timezone

from core.models import NoticeTemplate, NotificationLog
from tests.core import sms_servers


@pytest.fixture
def aliyun(db, settings):
    fake, thread = sms_servers.start(sms_servers.AliyunHandler)
    settings.FENGCHAO_SMS_BACKEND = "core.sms.AliyunSmsBackend"
    settings.FENGCHAO_ALIYUN_SMS = {"access_key_id": sms_servers.ALIYUN_KEY_ID,
                                    "access_key_secret": sms_servers.ALIYUN_SECRET, "endpoint": fake.endpoint,
                                    "sign_name": "蜂巢街道"}
    yield fake
    fake.server.shutdown()
    fake.server.server_close()
    thread.join(5)


def test_registering_for_a_class_sends_the_registered_template(aliyun, client, make_program, make_member,
                                                               django_capture_on_commit_callbacks):
    NoticeTemplate.objects.create(kind="programs.confirmed", provider="aliyun", template_code="SMS_480150001",
                                  fields="course = title\ntime = when\ncode")
    program = make_program(places=[5], title="手机摄影课")
    session = program.session_list[0]
    member = make_member(phone="+8613800007777")
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v3/programs/{program.pk}/register/", {"session_id": session.pk},
                               content_type="application/json")
    assert response.status_code == 201, response.content
    code = response.json()["check_in_code"]

    (call,) = aliyun.sends()
    assert (call.params["TemplateCode"], call.params["SignName"], call.params["PhoneNumbers"]) == (
        "SMS_480150001", "蜂巢街道", "13800007777")
    log = NotificationLog.objects.get(user=member)
    when = log.params["when"]  # the session's time as programs words it, in the notice's text too
    assert f"{timezone.localtime(session.start):%H:%M}" in when and when in log.body
    assert json.loads(call.params["TemplateParam"]) == {"course": "手机摄影课", "time": when, "code": code}
    assert (log.kind, log.status, log.provider, log.template_code) == ("programs.confirmed", "sent", "aliyun",
                                                                       "SMS_480150001")
    assert log.message_id.endswith("^0") and code in log.body
