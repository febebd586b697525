"""Background work (Django 6 ``django.tasks``), and core's periodic jobs.

By default tasks run immediately, in process (``ImmediateBackend``). With
``TASKS_BACKEND=database`` they are stored by ``django_tasks_db`` and run by its worker:
``manage.py db_worker`` (see docs/operations.md). Arguments must be JSON-serialisable.

Periodic jobs are tasks with django-crontask's ``@cron`` schedule (times in TIME_ZONE,
Asia/Shanghai). Every app declares its own in its ``tasks.py``; ``manage.py crontask`` (the
scheduler: ``make run`` starts it beside the server) imports every installed app's ``tasks``
module and enqueues each job on time, so a disabled plugin's jobs are simply not there.
``manage.py scheduled_jobs`` lists them.

Each task is defined beside the code it runs (``core.notify.send_notification``) and named
here. Rows queued before the move say ``core.tasks.send_notification``; the worker imports that
path, which still finds the same task.
"""

from crontask import cron
from django.core.management import call_command
from django.tasks import task

from core import notify
from core.notify import send_notification

__all__ = ["clear_expired_sessions", "poll_sms_receipts", "publish_scheduled_pages", "send_due_notifications",
           "send_notification"]


@cron("* * * * *")
@task
def send_due_notifications():
    """Notices whose retry or quiet-hours deferral is due, and any whose queued task was lost
    (core.notify.send_due). Every minute, so a retry is late by a minute at most even on the
    immediate task backend, which cannot defer a task."""
    return notify.send_due()


@cron("*/5 * * * *")
@task
def poll_sms_receipts():
    """Ask Aliyun whether the texts sent through it arrived (QuerySendDetails; Tencent posts
    its receipts instead). Every five minutes; a no-op with another provider."""
    from core import sms

    return sms.poll_aliyun_receipts()


@cron("* * * * *")
@task
def publish_scheduled_pages():
    """Wagtail's scheduled publishing: revisions whose go-live time has passed go live, pages
    whose expiry time has passed are unpublished. Every minute, so a story set for 10:00 is live
    at 10:00 (Wagtail does nothing until its ``publish_scheduled`` command runs)."""
    call_command("publish_scheduled", verbosity=0)


@cron("15 4 * * *")
@task
def clear_expired_sessions():
    """Delete expired sessions (database sessions; a no-op with Redis sessions), nightly."""
    call_command("clearsessions", verbosity=0)
