"""Task tests through a real worker process (CI's worker step, .ci/worker.sh).

Normal runs use the immediate backend: a task runs inside ``enqueue``. With
``TASKS_BACKEND=database`` (the step runs ``pytest -m tasks`` that way, on PostgreSQL) tasks are
rows, and a real ``manage.py db_worker`` process, started once for the session on the test
database, runs them. Tests marked ``tasks`` are then transactional (the worker sees only what
was committed) and call ``task_worker.wait()`` where the immediate backend would already have
run everything: it waits, with a timeout, until the worker has finished every queued task
(including tasks those tasks queued) and fails on a task that failed.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKER_MODE = os.environ.get("TASKS_BACKEND") == "database"
ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "var" / "worker-tests"
#: Short enough for the crash tests to wait on, long against a beat (half a second).
HEARTBEAT_SECONDS, STALE_SECONDS = "0.5", "3"
#: The queue the crash tests (tests/core/test_worker.py) use, apart from the session worker's.
CRASH_QUEUE = "worker-tests"


def database_url():
    """The test database, as a DATABASE_URL for another process."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = str(db.get("TEST", {}).get("NAME") or db["NAME"])
        if name == ":memory:" or "mode=memory" in name:
            pytest.fail("a worker process cannot share an in-memory SQLite database: "
                        "use PostgreSQL (DATABASE_URL) or SQLITE_TEST_NAME")
        return f"sqlite:///{name}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*args, name="worker"):
    """``manage.py db_worker`` on the test database; its output goes to var/worker-tests/."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": database_url(),
        "TASKS_BACKEND": "database",
        "WORKER_HEARTBEAT_SECONDS": HEARTBEAT_SECONDS,
        "WORKER_STALE_SECONDS": STALE_SECONDS,
        "TASKS_LOG_LEVEL": "INFO",
    }
    log = open(LOG_DIR / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.05",
         "-v", "1", *args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    process.log_file = log
    return process


def stop_worker(process, sig=None):
    if process.poll() is None:
        if sig is None:
            process.terminate()
        else:
            process.send_signal(sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    process.log_file.close()


def log_tail(process, lines=40):
    process.log_file.flush()
    try:
        return "\n".join(Path(process.log_file.name).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class TaskWorker:
    """What a test holds to wait for its tasks (``task_worker`` fixture)."""

    def __init__(self, process):
        self.process = process
        self._reported = set()
        self._returned = set()

    @property
    def real(self):
        return self.process is not None

    def wait(self, timeout=120, queue="default"):
        """Return once every task queued so far has finished (at once with the immediate
        backend); fail on a timeout, a dead worker or a failed task. Returns the paths of the
        tasks the worker finished since the last ``wait()`` (empty with the immediate backend)."""
        if not self.real:
            return []
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        deadline = time.monotonic() + timeout
        while True:
            pending = list(DBTaskResult.objects.filter(
                queue_name=queue, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
            ).values_list("task_path", "status"))
            if not pending:
                break
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{log_tail(self.process)}")
            if time.monotonic() > deadline:
                pytest.fail(f"tasks not finished after {timeout} s: {pending}\n{log_tail(self.process)}")
            time.sleep(0.05)
        failed = DBTaskResult.objects.failed().exclude(id__in=self._reported)
        for result in failed:
            self._reported.add(result.id)
            pytest.fail(f"task {result.task_path} failed in the worker:\n{result.traceback}")
        done = list(DBTaskResult.objects.successful().filter(queue_name=queue).exclude(id__in=self._returned)
                    .order_by("finished_at").values_list("id", "task_path"))
        self._returned.update(id for id, _ in done)
        return [path for _, path in done]


@pytest.fixture(scope="session")
def _session_worker(django_db_setup, django_db_blocker):
    if not WORKER_MODE:
        yield None
        return
    process = start_worker("--worker-id", "pytest-session", name="session")
    yield process
    stop_worker(process)


@pytest.fixture
def task_worker(_session_worker):
    """Wait for queued tasks: ``task_worker.wait()`` (see the module's docstring)."""
    worker = TaskWorker(_session_worker)
    yield worker
    if worker.real:
        # Nothing may still run when the test's data is flushed, or leak into the next test.
        worker.wait()
