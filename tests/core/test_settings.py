"""Settings come from the environment: the embedded default and the multi-machine switches."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
    "'db': settings.DATABASES['default']['ENGINE'], 'cache': settings.CACHES['default']['BACKEND'],"
    "'sessions': settings.SESSION_ENGINE, 'tasks': settings.TASKS['default']['BACKEND'],"
    "'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE, 'debug': settings.DEBUG,"
    "'hosts': settings.ALLOWED_HOSTS, 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE']}))"
)


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "DEBUG", "ALLOWED_HOSTS"}}
    result = subprocess.run([sys.executable, "-c", PRINT], cwd=ROOT, capture_output=True, text=True,
                            env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env}, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_server():
    s = settings_with()
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["cache"].endswith("LocMemCache")
    assert s["tasks"].endswith("ImmediateBackend")
    assert (s["tz"], s["lang"], s["debug"]) == ("Asia/Shanghai", "zh-hans", False)
    assert s["conn_max_age"] == 600


def test_environment_switches_to_postgres_redis_and_db_tasks():
    s = settings_with(DATABASE_URL="postgres://u:p@db.example:5432/fc", REDIS_URL="redis://cache:6379/0",
                      TASKS_BACKEND="database", DEBUG="true", ALLOWED_HOSTS="fc.example.cn,api.fc.example.cn")
    assert s["db"] == "django.db.backends.postgresql"
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["sessions"] == "django.contrib.sessions.backends.cache"
    assert s["tasks"] == "django_tasks_db.DatabaseBackend"
    assert s["debug"] is True
    assert s["hosts"] == ["fc.example.cn", "api.fc.example.cn"]
