"""Task workers that die mid-task: their tasks go back in the queue instead of being lost.

django-tasks-db (``manage.py db_worker``) marks a task RUNNING when a worker claims it and
SUCCESSFUL or FAILED when it ends. A worker killed in between (SIGKILL, out of memory, its
machine gone) leaves the row RUNNING for ever: no worker picks it up again (the library has no
recovery yet: RealOrangeOne/django-tasks#46). So core's ``db_worker`` (the library's command,
with a heartbeat around it: core/management/commands/db_worker.py) keeps a
:class:`core.models.WorkerHeartbeat` row fresh from a thread while it runs, and every worker, at
start and at each beat, calls :func:`requeue_stale_tasks`: a RUNNING task whose worker has not
beaten for ``FENGCHAO_WORKER_STALE_SECONDS`` is READY again, and the next free worker runs it.

Tasks therefore run *at least once*: one that was killed half-way runs again from the start, so
tasks must be safe to repeat (ours are: notifications log once per run, jobs re-check what is
left to do). A task that keeps killing its worker stops after ``FENGCHAO_TASK_MAX_ATTEMPTS``
runs: it is FAILED with :class:`WorkerLost`, visible in the admin's task results.
"""

import logging
import os
import socket
import threading
from datetime import timedelta
from traceback import format_exception

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

#: Heartbeat rows of workers gone this long are deleted (a worker that was SIGKILLed never
#: deletes its own).
FORGET_AFTER = timedelta(days=1)


class WorkerLost(Exception):
    """The worker running the task stopped (killed, or its machine lost) before it finished."""


def heartbeat_seconds():
    return float(getattr(settings, "FENGCHAO_WORKER_HEARTBEAT_SECONDS", 10))


def stale_seconds():
    return float(getattr(settings, "FENGCHAO_WORKER_STALE_SECONDS", 60))


def max_attempts():
    return int(getattr(settings, "FENGCHAO_TASK_MAX_ATTEMPTS", 3))


def beat(worker_id):
    """Record that ``worker_id`` is alive now."""
    from core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()},
    )


def stop(worker_id):
    from core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def requeue_stale_tasks(now=None):
    """Put back RUNNING tasks whose worker went silent; fail those that used up their runs.

    A task is stale when it started more than ``stale_seconds()`` ago and its worker (the last
    in its ``worker_ids``) has no heartbeat since then. Rows are locked with SKIP LOCKED, so two
    workers recovering at once never handle the same task twice, and a worker busy claiming or
    finishing a row is left alone. Returns (requeued ids, failed ids).
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from core.models import WorkerHeartbeat

    now = now or timezone.now()
    cutoff = now - timedelta(seconds=stale_seconds())
    requeued, failed = [], []
    with transaction.atomic():
        candidates = list(
            DBTaskResult.objects.running().filter(started_at__lt=cutoff)
            .select_for_update(skip_locked=True).order_by()
        )
        if candidates:
            workers = {task.worker_ids[-1] for task in candidates if task.worker_ids}
            alive = set(WorkerHeartbeat.objects.filter(worker_id__in=workers, last_seen__gte=cutoff)
                        .values_list("worker_id", flat=True))
            for task in candidates:
                worker = task.worker_ids[-1] if task.worker_ids else None
                if worker in alive:
                    continue
                if len(task.worker_ids) >= max_attempts():
                    error = WorkerLost(
                        f"worker {worker} stopped during run {len(task.worker_ids)} of at most {max_attempts()}")
                    task.status = TaskResultStatus.FAILED
                    task.finished_at = now
                    task.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
                    task.traceback = "".join(format_exception(error))
                    task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                    failed.append(task.id)
                    logger.error("task %s (%s) failed: %s", task.id, task.task_path, error)
                else:
                    task.status = TaskResultStatus.READY
                    task.save(update_fields=["status"])
                    requeued.append(task.id)
                    logger.warning("task %s (%s) requeued: worker %s stopped beating", task.id,
                                   task.task_path, worker)
        WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_AFTER).delete()
    return requeued, failed


class Heartbeat:
    """``with Heartbeat(worker_id):`` around a worker's run: beats (and recovers other workers'
    stale tasks) at once, then every ``heartbeat_seconds()`` from a thread of its own, so a long
    task does not make its worker look dead; the row is deleted when the worker stops."""

    def __init__(self, worker_id):
        self.worker_id = worker_id
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def _tick(self):
        beat(self.worker_id)
        requeue_stale_tasks()

    def _run(self):
        try:
            while not self._stopped.wait(heartbeat_seconds()):
                close_old_connections()
                try:
                    self._tick()
                except Exception:
                    # The database may be away for a moment; the next beat tries again. Beats
                    # missed for the whole stale window let others requeue this worker's task.
                    logger.exception("worker %s: heartbeat failed", self.worker_id)
        finally:
            connections.close_all()

    def __enter__(self):
        self._tick()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join(timeout=heartbeat_seconds() + 5)
        try:
            stop(self.worker_id)
        except Exception:
            logger.exception("worker %s: heartbeat row not deleted (it goes stale)", self.worker_id)
        return False
