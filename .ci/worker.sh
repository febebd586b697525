#!/usr/bin/env bash
# CI: background tasks through a real worker. The tests marked `tasks` (notifications,
# reminders, search indexing, scheduled publishing, and the worker crash tests) run with
# TASKS_BACKEND=database on PostgreSQL: tests/worker.py starts `manage.py db_worker` on the
# test database and every test waits for its tasks there; tests/core/test_worker.py SIGKILLs a
# worker mid-task and watches the next worker run the task.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${OPS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fengchao_ci_ops}"
export REDIS_URL="${OPS_REDIS_URL:-redis://127.0.0.1:6379/7}"
export TASKS_BACKEND=database WORKER_HEARTBEAT_SECONDS=0.5 WORKER_STALE_SECONDS=3

mapfile -t files < <(grep -rl --include='test_*.py' 'pytest.mark.tasks' tests | sort)
echo "task tests in: ${files[*]}"
.venv/bin/python -m pytest -q -p no:cacheprovider -m tasks "${files[@]}"
