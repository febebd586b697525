"""``manage.py db_worker``: django-tasks-db's worker, with a heartbeat (core/workers.py).

Core comes before django_tasks_db in INSTALLED_APPS, so this command takes the library's name;
it changes nothing in how tasks are claimed and run. Around the library's worker it keeps a
heartbeat row fresh from a thread, and recovers the tasks of workers that stopped beating.
"""

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryCommand

from core.workers import Heartbeat


class Command(LibraryCommand):
    help = (LibraryCommand.help + ". Beats a heartbeat while it runs; tasks left RUNNING by a worker "
            "that stopped beating go back in the queue.")

    def handle(self, *args, **options):
        if options.get("reload") and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            # With --reload this process only watches files; its child runs the tasks (and beats).
            return super().handle(*args, **options)
        with Heartbeat(options["worker_id"]):
            return super().handle(*args, **options)
