"""Settings come from the environment: the embedded default and the multi-machine switches."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRINT = (
    "import json, django; from django.conf import settings; django.setup(); print(json.dumps({"
    "'db': settings.DATABASES['default']['ENGINE'], 'cache': settings.CACHES['default']['BACKEND'],"
    "'sessions': settings.SESSION_ENGINE, 'tasks': settings.TASKS['default']['BACKEND'],"
    "'tz': settings.TIME_ZONE, 'lang': settings.LANGUAGE_CODE, 'debug': settings.DEBUG,"
    "'hosts': settings.ALLOWED_HOSTS, 'conn_max_age': settings.DATABASES['default']['CONN_MAX_AGE']}))"
)


PRODUCTION_KEY = "a-real-production-key-from-the-environment-4c1f9e7a2b6d8035e1f7a9c3"
IGNORED = {"DATABASE_URL", "REDIS_URL", "TASKS_BACKEND", "DEBUG", "ALLOWED_HOSTS", "SECRET_KEY",
           "STATIC_MANIFEST"}


def run_with(args, env):
    clean = {k: v for k, v in os.environ.items() if k not in IGNORED}
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env}, timeout=60)


def settings_with(**env):
    result = run_with(["-c", PRINT], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_no_server():
    s = settings_with(DEBUG="true")
    assert s["db"] == "django.db.backends.sqlite3"
    assert s["cache"].endswith("LocMemCache")
    assert s["tasks"].endswith("ImmediateBackend")
    assert (s["tz"], s["lang"], s["debug"]) == ("Asia/Shanghai", "zh-hans", True)
    assert s["conn_max_age"] == 600


def test_production_settings_start_with_a_real_key():
    s = settings_with(SECRET_KEY=PRODUCTION_KEY, STATIC_MANIFEST="false")
    assert s["debug"] is False


@pytest.mark.parametrize("key", [
    None,  # unset
    "",
    "   ",
    "short-but-secret",
    "insecure-dev-key-do-not-use-in-production-0123456789abcdefghijklmnop",
    "django-insecure-" + "k" * 40 + "abcdefgh",
])
def test_start_up_without_debug_stops_on_a_missing_short_or_published_key(key):
    env = {"DEBUG": "false"} if key is None else {"DEBUG": "false", "SECRET_KEY": key}
    result = run_with(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY" in result.stderr
    assert "Set SECRET_KEY to a long random value" in result.stderr


def test_offline_commands_need_no_key():
    """makemigrations --check on a clean checkout with nothing set used to stop on the key."""
    result = run_with(["manage.py", "makemigrations", "--check", "--dry-run"], {"DEBUG": "false"})
    assert result.returncode == 0, result.stderr


def test_check_deploy_fails_on_the_development_key():
    # DEBUG lets the development key start, but `check --deploy` must still refuse it.
    result = run_with(["manage.py", "check", "--deploy"], {"DEBUG": "true"})
    assert result.returncode != 0
    assert "fengchao.E001" in result.stderr
    assert "published development key" in result.stderr


def test_check_deploy_passes_with_a_real_key():
    result = run_with(["manage.py", "check", "--deploy"],
                      {"DEBUG": "false", "SECRET_KEY": PRODUCTION_KEY, "SECURE_SSL": "true",
                       "ALLOWED_HOSTS": "fengchao.example.cn", "STATIC_MANIFEST": "false"})
    assert result.returncode == 0, result.stderr
    assert "fengchao.E001" not in result.stderr


def test_environment_switches_to_postgres_redis_and_db_tasks():
    s = settings_with(SECRET_KEY=PRODUCTION_KEY, DATABASE_URL="postgres://u:p@db.example:5432/fc", REDIS_URL="redis://cache:6379/0",
                      TASKS_BACKEND="database", DEBUG="true", ALLOWED_HOSTS="fc.example.cn,api.fc.example.cn")
    assert s["db"] == "django.db.backends.postgresql"
    assert s["cache"] == "django_redis.cache.RedisCache"
    assert s["sessions"] == "django.contrib.sessions.backends.cache"
    assert s["tasks"] == "django_tasks_db.DatabaseBackend"
    assert s["debug"] is True
    assert s["hosts"] == ["fc.example.cn", "api.fc.example.cn"]


def test_frontend_cache_url_installs_wagtails_purging_for_each_proxy():
    code = ("import json, django; from django.conf import settings; django.setup(); print(json.dumps("
            "['wagtail.contrib.frontend_cache' in settings.INSTALLED_APPS, getattr(settings, 'WAGTAILFRONTENDCACHE', None)]))")
    result = run_with(["-c", code], {"DEBUG": "true", "FRONTEND_CACHE_URL": "http://10.0.0.7:80,http://10.0.0.8:6081"})
    assert result.returncode == 0, result.stderr
    installed, backends = json.loads(result.stdout.strip().splitlines()[-1])
    assert installed
    assert {name: b["LOCATION"] for name, b in backends.items()} == {
        "proxy1": "http://10.0.0.7:80", "proxy2": "http://10.0.0.8:6081"}
    result = run_with(["-c", code], {"DEBUG": "true"})
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [False, None]
