"""Background work (Django 6 ``django.tasks``).

By default tasks run immediately, in process (``ImmediateBackend``). With
``TASKS_BACKEND=database`` they are stored by ``django_tasks_db`` and run by its worker:
``manage.py db_worker`` (see docs/operations.md). Arguments must be JSON-serialisable.
"""

from django.tasks import task


@task
def send_notification(*, channel, recipient, subject, body, user_id=None, kind=""):
    """Deliver one message (queued by :func:`core.notify.notify` after commit)."""
    from core.notify import deliver

    log = deliver(channel=channel, recipient=recipient, subject=subject, body=body, user_id=user_id, kind=kind)
    return log.pk if log else None
