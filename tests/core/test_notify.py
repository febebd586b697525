"""core.notify: channels, backends and the database log."""

import logging

import pytest
from django.core import mail
from django.test import override_settings

from core.models import NotificationLog
from core.notify import ConsoleAndLogBackend, EmailBackend, deliver, get_backend, notify
from tests.factories import UserFactory

CONSOLE = "core.notify.ConsoleAndLogBackend"


class BrokenGateway:
    """An SMS gateway that is down."""

    def send(self, **kwargs):
        raise ConnectionError("gateway unreachable")


@pytest.fixture
def rider(db):
    return UserFactory(phone="+8613800001111", email="rider@example.com", display_name="李师傅")


def send_now(django_capture_on_commit_callbacks, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(*args, **kwargs)


def test_console_backend_prints_and_logs(rider, capsys, django_capture_on_commit_callbacks):
    queued = send_now(
        django_capture_on_commit_callbacks, rider, subject="公益课堂", body="您报名的手机摄影课周六开课。",
        kind="programs.confirmed",
    )
    assert queued == 1
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.body) == ("sms", "+8613800001111", "您报名的手机摄影课周六开课。")
    assert (log.subject, log.kind, log.user, log.status) == ("公益课堂", "programs.confirmed", rider, "sent")
    assert log.backend == CONSOLE
    assert "[sms → +8613800001111] 公益课堂 您报名的手机摄影课周六开课。" in capsys.readouterr().out


@override_settings(FENGCHAO_NOTIFY_BACKENDS={"email": CONSOLE})
def test_every_channel_the_user_has_an_address_for(rider, django_capture_on_commit_callbacks):
    # The user has a phone and an e-mail address but no WeChat openid: WeChat is skipped.
    queued = send_now(
        django_capture_on_commit_callbacks, rider, body="明天午餐照常供应。", channels=("sms", "email", "wechat")
    )
    assert queued == 2
    assert sorted(NotificationLog.objects.values_list("channel", "recipient")) == [
        ("email", "rider@example.com"), ("sms", "+8613800001111"),
    ]


def test_wechat_template_message_to_a_bare_recipient(db, django_capture_on_commit_callbacks):
    send_now(
        django_capture_on_commit_callbacks, None, recipient="oFengchao123", channels=("wechat",),
        subject="志愿时长", body="您的 2 小时志愿时长已审核通过。", kind="volunteers.approved",
    )
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.user, log.backend) == ("wechat", "oFengchao123", None, CONSOLE)


def test_nothing_is_queued_without_an_address(db, django_capture_on_commit_callbacks):
    nobody = UserFactory(phone=None)
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify(nobody, body="……") == 0
    assert callbacks == []
    assert not NotificationLog.objects.exists()


def test_unknown_channel_is_a_programming_error(rider):
    with pytest.raises(ValueError, match="fax"):
        notify(rider, body="x", channels=("fax",))


@override_settings(FENGCHAO_SMS_BACKEND="tests.core.test_notify.BrokenGateway")
def test_failing_backend_records_failed_and_does_not_raise(rider, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.ERROR, logger="core.notify"):
        send_now(django_capture_on_commit_callbacks, rider, body="验证码 123456", kind="login_code")
    log = NotificationLog.objects.get()
    assert (log.status, log.channel, log.recipient, log.body) == ("failed", "sms", "+8613800001111", "验证码 123456")
    assert log.backend == "tests.core.test_notify.BrokenGateway"
    assert "gateway unreachable" in caplog.text


@override_settings(FENGCHAO_SMS_BACKEND="no.such.Backend")
def test_misconfigured_backend_is_recorded_as_failed(rider):
    log = deliver(channel="sms", recipient="+8613800001111", body="x")
    assert (log.status, log.backend) == ("failed", "")


def test_email_goes_through_django_mail_and_is_logged(rider, django_capture_on_commit_callbacks):
    assert isinstance(get_backend("email"), EmailBackend)
    send_now(
        django_capture_on_commit_callbacks, rider, channels=("email",), subject="企业认证\n已通过",
        body="贵企业已通过零工驿站认证。", kind="organisation_review",
    )
    (message,) = mail.outbox
    assert message.to == ["rider@example.com"]
    assert message.subject == "企业认证 已通过"
    assert message.body == "贵企业已通过零工驿站认证。"
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.backend) == ("email", "rider@example.com", "core.notify.EmailBackend")


def test_email_backend_refuses_other_channels(rider):
    with pytest.raises(ValueError):
        EmailBackend().send(channel="sms", recipient="1380000", subject="", body="x")
    assert isinstance(get_backend("sms"), ConsoleAndLogBackend)


def test_notification_log_is_read_only_in_the_admin(admin_client, db):
    from core.models import NotificationLog

    entry = NotificationLog.objects.create(channel="sms", recipient="13900000000", body="您好")
    assert admin_client.get("/admin/notifications/").status_code == 200
    assert admin_client.get(f"/admin/notifications/inspect/{entry.pk}/").status_code == 200
    assert admin_client.get("/admin/notifications/new/").status_code in (302, 403)
    response = admin_client.post(f"/admin/notifications/edit/{entry.pk}/", {"channel": "sms", "recipient": "x",
                                                                          "body": "改过", "status": "sent"})
    assert response.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.body == "您好"
