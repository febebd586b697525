"""Background work (Django 6 ``django.tasks``).

By default tasks run immediately, in process (``ImmediateBackend``). With
``TASKS_BACKEND=database`` they are stored by ``django_tasks_db`` and run by its worker:
``manage.py db_worker`` (see docs/operations.md). Arguments must be JSON-serialisable.

Each task is defined beside the code it runs (``core.notify.send_notification``) and named
here. Rows queued before the move say ``core.tasks.send_notification``; the worker imports that
path, which still finds the same task.
"""

from core.notify import send_notification

__all__ = ["send_notification"]
