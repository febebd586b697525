"""Background tasks: notifications run after commit, never after a rollback, and through the
database queue (django_tasks_db) when it is configured."""

import signal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from core.models import NotificationLog
from core.notify import notify
from core.tasks import send_notification
from tests.core.notices_fixtures import test_notices  # noqa: F401
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("test_notices")

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class BookingFailed(Exception):
    pass


@pytest.fixture
def resident(db):
    return UserFactory(phone="+8613900002222", display_name="王阿姨")


def test_rolled_back_notification_never_runs(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(BookingFailed), transaction.atomic():
            notify(resident, kind="tests.login_code", params={"code": "您的午餐已预订。"})
            raise BookingFailed
    assert callbacks == []
    assert not NotificationLog.objects.exists()


def test_committed_notification_runs_after_commit(resident, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notify(resident, kind="tests.login_code", params={"code": "您的午餐已预订。"})
        # Committed from the caller's point of view, but the test transaction is still open.
        assert not NotificationLog.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert NotificationLog.objects.get().body == "验证码 您的午餐已预订。"


@pytest.mark.tasks
@pytest.mark.django_db(transaction=True)
def test_real_transactions_rollback_and_commit(task_worker):
    """The same with real commits and rollbacks (no test transaction around them), and in CI's
    worker step through a real worker process."""
    resident = UserFactory(phone="+8613900003333")
    with pytest.raises(BookingFailed), transaction.atomic():
        notify(resident, kind="tests.login_code", params={"code": "不会发出"})
        raise BookingFailed
    task_worker.wait()
    assert not NotificationLog.objects.exists()
    with transaction.atomic():
        notify(resident, kind="tests.login_code", params={"code": "会发出"})
        assert not NotificationLog.objects.exists()
    ran = task_worker.wait()
    assert list(NotificationLog.objects.values_list("body", flat=True)) == ["验证码 会发出"]
    if task_worker.real:
        assert ran.count("core.notify.send_notification") == 1


def test_immediate_backend_is_the_default(resident):
    """A task queued before notices had kinds carries its message; it is still delivered."""
    result = send_notification.enqueue(channel="sms", recipient="+8613900002222", subject="", body="你好")
    assert result.status == "SUCCESSFUL"
    assert NotificationLog.objects.get(pk=result.return_value).body == "你好"


@pytest.fixture
def keep_signal_handlers():
    """db_worker installs its own SIGINT/SIGTERM handlers; give pytest its own back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections
@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_stores_the_task_and_the_worker_delivers_it(keep_signal_handlers):
    resident = UserFactory(phone="+8613900002222", display_name="王阿姨")
    with transaction.atomic():
        notify(resident, kind="tests.class_changed", params={"title": "书法课", "when": "周日上午"})
        assert not DBTaskResult.objects.exists()  # not before commit
    tasks = list(DBTaskResult.objects.all())
    assert len(tasks) == 1, [(t.task_path, t.args_kwargs) for t in tasks]
    task = tasks[0]
    assert task.status == "READY"
    assert task.task_path == "core.notify.send_notification"
    assert import_string("core.tasks.send_notification") is send_notification  # rows queued before
    queued = NotificationLog.objects.get()
    assert task.args_kwargs["kwargs"] == {"log_id": queued.pk}
    assert (queued.status, queued.attempts, queued.recipient) == ("queued", 0, "+8613900002222")

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    log = NotificationLog.objects.get()
    assert (log.channel, log.recipient, log.body, log.user) == ("sms", "+8613900002222", "书法课改到周日上午。", resident)
    assert (log.status, log.attempts) == ("sent", 1)
    assert task.return_value == log.pk


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_keeps_nothing_from_a_rollback():
    resident = UserFactory(phone="+8613900004444")
    with pytest.raises(BookingFailed), transaction.atomic():
        notify(resident, kind="tests.login_code", params={"code": "不会发出"})
        raise BookingFailed
    assert not DBTaskResult.objects.exists()
