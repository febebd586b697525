"""core.notify: notices by kind, channels, backends and the database log."""

import logging

import pytest
from django.core import mail
from django.test import override_settings

from core import notices
from core.models import NotificationLog
from core.notify import ConsoleAndLogBackend, EmailBackend, Message, deliver, get_backend, notify
from tests.core.notices_fixtures import test_notices  # noqa: F401
from tests.factories import UserFactory

CONSOLE = "core.notify.ConsoleAndLogBackend"
pytestmark = pytest.mark.usefixtures("test_notices")
CHANGED = {"title": "手机摄影课", "when": "周六上午"}


class BrokenGateway:
    """An SMS gateway whose library blows up (not a provider's answer: a bug or an outage)."""

    provider = ""

    def send(self, message):
        raise ConnectionError("gateway unreachable")


@pytest.fixture
def rider(db):
    return UserFactory(phone="+8613800001111", email="rider@example.com", display_name="李师傅")


def send_now(django_capture_on_commit_callbacks, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(*args, **kwargs)


def test_console_backend_prints_and_logs_the_rendered_notice(rider, capsys, django_capture_on_commit_callbacks):
    queued = send_now(django_capture_on_commit_callbacks, rider, kind="tests.class_changed", params=CHANGED)
    assert queued == 1
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.body) == ("sms", "+8613800001111", "手机摄影课改到周六上午。")
    assert (log.subject, log.kind, log.user, log.status) == ("手机摄影课", "tests.class_changed", rider, "sent")
    assert (log.params, log.language, log.attempts, log.urgent) == (CHANGED, "zh-hans", 1, False)
    assert log.backend == CONSOLE and log.sent_at is not None and log.key
    assert "[sms → +8613800001111] 手机摄影课 手机摄影课改到周六上午。" in capsys.readouterr().out


def test_plugins_send_kinds_not_bodies(rider):
    with pytest.raises(TypeError):
        notify(rider, body="自由文本", kind="tests.class_changed")
    with pytest.raises(LookupError, match="no.such"):
        notify(rider, kind="no.such")
    with pytest.raises(ValueError, match="missing"):
        notify(rider, kind="tests.class_changed", params={"title": "课"})
    with pytest.raises(ValueError, match="unknown"):
        notify(rider, kind="tests.class_changed", params={**CHANGED, "extra": "x"})


def test_every_installed_kind_is_declared_once_with_its_parameters():
    """The registry refuses a text using a parameter it does not declare; each plugin's kinds
    start with its label. Rendering every kind with its own parameters names each of them."""
    registry = notices.registry()
    assert {"members.verification_code", "members.unknown_account"} <= set(registry)
    assert registry["members.verification_code"].urgent
    for kind, notice in registry.items():
        subject, body = notice.render({name: f"<{name}>" for name in notice.params})
        for name in notice.params:
            assert f"<{name}>" in subject + body, (kind, name)


def test_the_text_is_in_the_recipients_language(rider, django_capture_on_commit_callbacks):
    send_now(django_capture_on_commit_callbacks, rider, kind="members.verification_code", params={"code": "123456"})
    send_now(django_capture_on_commit_callbacks, rider, kind="members.verification_code", params={"code": "654321"},
             language="en")
    zh, en = NotificationLog.objects.order_by("pk")
    assert zh.body == "您的蜂巢验证码为 123456，15 分钟内有效。", zh.body
    assert en.body == "Your Fengchao verification code is 654321. It expires in 15 minutes."


@override_settings(FENGCHAO_NOTIFY_BACKENDS={"email": CONSOLE})
def test_every_channel_the_user_has_an_address_for(rider, django_capture_on_commit_callbacks):
    # The user has a phone and an e-mail address but no WeChat openid: WeChat is skipped.
    queued = send_now(django_capture_on_commit_callbacks, rider, kind="tests.class_changed", params=CHANGED,
                      channels=("sms", "email", "wechat"))
    assert queued == 2
    assert sorted(NotificationLog.objects.values_list("channel", "recipient")) == [
        ("email", "rider@example.com"), ("sms", "+8613800001111"),
    ]


def test_wechat_message_to_a_bare_recipient(db, django_capture_on_commit_callbacks):
    send_now(django_capture_on_commit_callbacks, None, recipient="oFengchao123", channels=("wechat",),
             kind="tests.class_changed", params=CHANGED)
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.user, log.backend) == ("wechat", "oFengchao123", None, CONSOLE)


def test_nothing_is_queued_without_an_address(db, django_capture_on_commit_callbacks):
    nobody = UserFactory(phone=None)
    with django_capture_on_commit_callbacks() as callbacks:
        assert notify(nobody, kind="tests.class_changed", params=CHANGED) == 0
    assert callbacks == []
    assert not NotificationLog.objects.exists()


def test_unknown_channel_is_a_programming_error(rider):
    with pytest.raises(ValueError, match="fax"):
        notify(rider, kind="tests.class_changed", params=CHANGED, channels=("fax",))


@override_settings(FENGCHAO_SMS_BACKEND="tests.core.test_notify.BrokenGateway")
def test_failing_backend_records_failed_with_the_reason_and_does_not_raise(rider, caplog,
                                                                          django_capture_on_commit_callbacks):
    with caplog.at_level(logging.ERROR, logger="core.notify"):
        send_now(django_capture_on_commit_callbacks, rider, kind="tests.login_code", params={"code": "123456"})
    log = NotificationLog.objects.get()
    assert (log.status, log.channel, log.recipient, log.body) == ("failed", "sms", "+8613800001111", "验证码 123456")
    assert log.reason == "ConnectionError: gateway unreachable"
    assert "gateway unreachable" in caplog.text


@override_settings(FENGCHAO_SMS_BACKEND="no.such.Backend")
def test_misconfigured_backend_is_recorded_as_failed(rider, django_capture_on_commit_callbacks):
    send_now(django_capture_on_commit_callbacks, rider, kind="tests.login_code", params={"code": "1"})
    log = NotificationLog.objects.get()
    assert (log.status, log.backend) == ("failed", "")
    assert log.reason.startswith("ModuleNotFoundError")


def test_a_notice_is_sent_once_however_often_its_task_runs(rider, django_capture_on_commit_callbacks):
    send_now(django_capture_on_commit_callbacks, rider, kind="tests.class_changed", params=CHANGED)
    log = NotificationLog.objects.get()
    again = deliver(log.pk)  # the queue delivered the task twice
    assert (again.status, again.attempts) == ("sent", 1)


def test_the_same_keyed_notice_is_queued_once(rider, django_capture_on_commit_callbacks):
    for _ in range(2):
        send_now(django_capture_on_commit_callbacks, rider, kind="tests.class_changed", params=CHANGED,
                 key="registration 7")
    assert NotificationLog.objects.count() == 1
    send_now(django_capture_on_commit_callbacks, rider, kind="tests.class_changed", params=CHANGED,
             key="registration 8")
    assert NotificationLog.objects.count() == 2


def test_email_goes_through_django_mail_and_is_logged(rider, django_capture_on_commit_callbacks):
    assert isinstance(get_backend("email"), EmailBackend)
    send_now(django_capture_on_commit_callbacks, rider, channels=("email",), kind="members.organisation_rejected",
             params={"name": "顺达物流\n有限公司", "reason": "营业执照不清晰"})
    (message,) = mail.outbox
    assert message.to == ["rider@example.com"]
    assert message.subject == "顺达物流 有限公司"  # one line: no header folding
    assert "顺达物流" in message.body and "营业执照不清晰" in message.body
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.backend) == ("email", "rider@example.com", "core.notify.EmailBackend")
    assert log.body == message.body


def test_email_backend_refuses_other_channels(rider):
    with pytest.raises(ValueError):
        EmailBackend().send(Message(channel="sms", recipient="1380000", subject="", body="x", kind="k", params={},
                                    key="k"))
    assert isinstance(get_backend("sms"), ConsoleAndLogBackend)


def test_notification_log_is_read_only_in_the_admin(admin_client, db):
    entry = NotificationLog.objects.create(channel="sms", recipient="13900000000", body="您好")
    assert admin_client.get("/admin/notifications/").status_code == 200
    assert admin_client.get(f"/admin/notifications/inspect/{entry.pk}/").status_code == 200
    assert admin_client.get("/admin/notifications/new/").status_code in (302, 403)
    response = admin_client.post(f"/admin/notifications/edit/{entry.pk}/", {"channel": "sms", "recipient": "x",
                                                                          "body": "改过", "status": "sent"})
    assert response.status_code in (302, 403)
    entry.refresh_from_db()
    assert entry.body == "您好"
