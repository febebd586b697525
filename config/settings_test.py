"""Test settings: the real settings with a fast password hasher and immediate tasks (queued for a
real worker with TASKS_BACKEND=database, CI's worker step)."""

import os

# Tests run with DEBUG off, like production, so they need a key the settings accept. Hashed static
# files stay off (they need collectstatic), as on a development machine.
os.environ.setdefault("SECRET_KEY", "tests-only-key-never-deployed-7f3a9c1e5b2d8046afce913b7d52e0c8")
os.environ.setdefault("STATIC_MANIFEST", "false")

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if os.environ.get("TASKS_BACKEND") == "database":
    # CI's worker step (.ci/worker.sh): the task tests (marker `tasks`) go through a real
    # `db_worker` process (tests/worker.py); "worker-tests" is the queue of its crash tests.
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "worker-tests"]}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FENGCHAO_ANON_WRITE_RATE = "1000/m"
ACCOUNT_RATE_LIMITS = False
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
if not S3:  # noqa: F405
    PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private-media"  # noqa: F405
    STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
WHITENOISE_USE_FINDERS = True
# Notices go out whatever the hour and however many a test sends; tests of the quiet hours and
# the rate limit set them.
FENGCHAO_SMS_PER_HOUR = 0
FENGCHAO_NOTIFY_QUIET_HOURS = ""
