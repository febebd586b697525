"""The periodic jobs, as django-crontask schedules them.

An app declares a job in its ``tasks.py`` (``@cron("*/10 * * * *")`` over ``@task``); the
decorator adds it to crontask's scheduler when the module is imported. ``manage.py crontask``
imports every installed app's ``tasks`` module before starting; :func:`jobs` does the same
without starting anything, so the list (``manage.py scheduled_jobs``, the tests) is what the
scheduler runs.
"""

import importlib

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def load_task_modules():
    """Import every installed app's ``tasks`` module (what ``crontask`` does at start)."""
    for config in apps.get_app_configs():
        if config.name == "crontask" or not module_has_submodule(config.module, "tasks"):
            continue
        importlib.import_module(f"{config.name}.tasks")


def task_path(job) -> str:
    """The dotted path of the task a job enqueues ("programs.tasks.remind_tomorrows_sessions")."""
    task = getattr(job.func, "__self__", None)
    return getattr(task, "module_path", job.name)


def jobs():
    """The scheduled jobs of the installed apps (crontask's own heartbeat left out), by name."""
    from crontask import scheduler

    load_task_modules()
    return sorted((job for job in scheduler.get_jobs() if job.name != "heartbeat"), key=task_path)
