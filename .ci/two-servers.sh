#!/usr/bin/env bash
# CI: several app servers, one truth. tests/multiserver starts real gunicorn servers on the test
# database (PostgreSQL): two sharing Redis, and three without it (two on one "machine", one
# VAR_DIR; one on another). It changes things through one server and reads another at once:
# the page cache, places left and a member's session agree; without Redis the other machine's
# staleness stays within CACHE_RECHECK_SECONDS. The trap stops any server a crashed run left.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${OPS_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fengchao_ci_multi}"
export REDIS_URL="${OPS_REDIS_URL:-redis://127.0.0.1:6379/7}"
export MULTISERVER=1
unset TASKS_BACKEND

stop_servers() {
  for pidfile in var/multiserver/*.pid; do
    [ -e "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap stop_servers EXIT INT TERM

.venv/bin/python -m pytest -q -p no:cacheprovider -s tests/multiserver
