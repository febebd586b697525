"""Task workers that die: a task left RUNNING by a killed worker runs again on the next one
(core/workers.py), a live worker's long task is never taken from it, and a task queued in a
rolled-back transaction never runs.

The recovery rules run everywhere (in-process, rows made by hand); the real processes (a
worker SIGKILLed mid-task) only in CI's worker step (TASKS_BACKEND=database, .ci/worker.sh)."""

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from core.models import WorkerHeartbeat
from core.workers import Heartbeat, requeue_stale_tasks
from tests.worker import CRASH_QUEUE, WORKER_MODE, log_tail, start_worker, stop_worker

needs_worker = pytest.mark.skipif(not WORKER_MODE, reason="real worker processes: TASKS_BACKEND=database (.ci/worker.sh)")


def running_task(worker_ids, started_ago):
    return DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="core.tasks.clear_expired_sessions",
        backend_name="default", run_after=get_date_max(), status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago, worker_ids=worker_ids,
    )


def heartbeat(worker_id, ago):
    return WorkerHeartbeat.objects.create(worker_id=worker_id, last_seen=timezone.now() - ago)


# --- the rules (any database, in-process) --------------------------------------------------------


@pytest.mark.django_db
@override_settings(FENGCHAO_WORKER_STALE_SECONDS=60, FENGCHAO_TASK_MAX_ATTEMPTS=3)
def test_a_silent_workers_task_is_ready_again_and_a_beating_workers_is_not():
    heartbeat("dead", timedelta(minutes=5))
    heartbeat("alive", timedelta(seconds=5))
    orphan = running_task(["dead"], timedelta(minutes=6))
    long_running = running_task(["alive"], timedelta(hours=2))  # long, but its worker beats
    vanished = running_task(["gone-without-a-row"], timedelta(minutes=2))
    just_claimed = running_task(["starting"], timedelta(seconds=10))  # within the window

    requeued, failed = requeue_stale_tasks()

    assert set(requeued) == {orphan.id, vanished.id}
    assert failed == []
    statuses = dict(DBTaskResult.objects.values_list("id", "status"))
    assert statuses[orphan.id] == statuses[vanished.id] == TaskResultStatus.READY
    assert statuses[long_running.id] == statuses[just_claimed.id] == TaskResultStatus.RUNNING
    orphan.refresh_from_db()
    assert orphan.worker_ids == ["dead"]  # the history stays; the next claim appends its worker
    assert DBTaskResult.objects.ready().filter(id=orphan.id).exists()  # a worker will pick it up


@pytest.mark.django_db
@override_settings(FENGCHAO_WORKER_STALE_SECONDS=60, FENGCHAO_TASK_MAX_ATTEMPTS=3)
def test_a_task_that_killed_its_worker_three_times_fails_instead_of_looping():
    poison = running_task(["w1", "w2", "w3"], timedelta(minutes=5))
    requeued, failed = requeue_stale_tasks()
    assert (requeued, failed) == ([], [poison.id])
    poison.refresh_from_db()
    assert poison.status == TaskResultStatus.FAILED
    assert poison.exception_class_path == "core.workers.WorkerLost"
    assert "worker w3 stopped during run 3 of at most 3" in poison.traceback
    assert poison.finished_at is not None


@pytest.mark.django_db
def test_old_heartbeats_are_forgotten_and_a_worker_deletes_its_own():
    heartbeat("killed-yesterday", timedelta(days=2))
    with Heartbeat("w-now"):
        assert set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == {"w-now"}
    assert not WorkerHeartbeat.objects.exists()


# --- real workers (CI's worker step) -------------------------------------------------------------


def wait_for(condition, timeout, what, worker=None):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not after {timeout} s\n{log_tail(worker) if worker else ''}")
        time.sleep(0.05)


def wait_until_beating(worker_id, process):
    """A worker is up once its heartbeat row exists (Django's start-up can take a while)."""
    wait_for(lambda: WorkerHeartbeat.objects.filter(worker_id=worker_id).exists(), 180,
             f"worker {worker_id} starts", process)


def runs(path):
    return Path(path).read_text().split() if Path(path).exists() else []


@pytest.fixture
def crash_queue(tmp_path):
    """Workers on the crash tests' queue, stopped (SIGKILL at the latest) after the test."""
    started = []

    def start(worker_id):
        process = start_worker("--queue-name", CRASH_QUEUE, "--worker-id", worker_id, name=worker_id)
        started.append(process)
        return process

    yield start
    for process in started:
        stop_worker(process, signal.SIGKILL)


@needs_worker
@pytest.mark.tasks
@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_worker_killed_mid_task_is_run_by_the_next_worker(tmp_path, crash_queue):
    from tests.worker_tasks import hold

    marker = tmp_path / "runs"
    result = hold.using(queue_name=CRASH_QUEUE).enqueue(str(marker), 600)
    doomed = crash_queue("doomed")
    wait_until_beating("doomed", doomed)
    wait_for(lambda: len(runs(marker)) == 1, 30, "the first worker starts the task", doomed)
    row = DBTaskResult.objects.get(id=result.id)
    assert (row.status, row.worker_ids) == (TaskResultStatus.RUNNING, ["doomed"])

    heir = crash_queue("heir")  # up while the task runs: it finds nothing READY
    wait_until_beating("heir", heir)
    assert len(runs(marker)) == 1
    doomed.send_signal(signal.SIGKILL)  # no goodbye: no chance to mark the task failed
    doomed.wait(10)
    row.refresh_from_db()
    assert row.status == TaskResultStatus.RUNNING  # what django-tasks-db alone leaves for ever

    wait_for(lambda: DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.SUCCESSFUL).exists(),
             30, "the next worker runs the task again", heir)
    row.refresh_from_db()
    assert row.worker_ids == ["doomed", "heir"]
    assert row.return_value == 2  # the second run, complete
    assert len(runs(marker)) == 2


@needs_worker
@pytest.mark.tasks
@pytest.mark.django_db(transaction=True)
def test_a_long_task_of_a_live_worker_is_not_taken_from_it(tmp_path, crash_queue):
    from tests.worker_tasks import hold

    marker = tmp_path / "runs"
    busy, idle = crash_queue("busy"), crash_queue("idle")  # idle: free to take it if it were requeued
    wait_until_beating("busy", busy)
    wait_until_beating("idle", idle)
    result = hold.using(queue_name=CRASH_QUEUE).enqueue(str(marker), 5)  # longer than the stale window (3 s)
    wait_for(lambda: DBTaskResult.objects.filter(id=result.id, status=TaskResultStatus.SUCCESSFUL).exists(),
             30, "the task finishes", busy)
    row = DBTaskResult.objects.get(id=result.id)
    assert len(row.worker_ids) == 1
    assert len(runs(marker)) == 1


@needs_worker
@pytest.mark.tasks
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_in_a_rolled_back_transaction_never_runs(tmp_path, task_worker):
    from tests.worker_tasks import touch

    class Refused(Exception):
        pass

    rolled_back, committed = tmp_path / "rolled-back", tmp_path / "committed"
    with pytest.raises(Refused), transaction.atomic():
        touch.enqueue(str(rolled_back))  # the row is written in the transaction ...
        raise Refused
    with transaction.atomic():
        touch.enqueue(str(committed))
    assert "tests.worker_tasks.touch" in task_worker.wait()
    assert len(runs(committed)) == 1
    assert not rolled_back.exists()  # ... and went with it
    assert DBTaskResult.objects.filter(task_path="tests.worker_tasks.touch").count() == 1
