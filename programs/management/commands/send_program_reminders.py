"""Queue tomorrow's session reminders.

The scheduler runs the same every evening (``programs.tasks.remind_tomorrows_sessions``,
``manage.py crontask``); this command is for running it by hand.

Each session starting tomorrow (local date) gets one task, ``programs.tasks.send_session_reminders``;
the task marks the session as reminded under a row lock, so running the command twice, or two
workers picking up the same session, never texts anyone twice.
"""

from django.core.management.base import BaseCommand

from programs.queries import sessions_needing_reminder
from programs.tasks import queue_tomorrows_reminders


class Command(BaseCommand):
    help = "Queue reminders (through the notifier) for every program session that starts tomorrow."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the sessions without queueing anything.")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            sessions = list(sessions_needing_reminder().select_related("program"))
            for session in sessions:
                self.stdout.write(f"would remind: {session}")
            self.stdout.write(self.style.SUCCESS(f"{len(sessions)} session(s) found"))
            return
        queued = queue_tomorrows_reminders()
        self.stdout.write(self.style.SUCCESS(f"{len(queued)} session(s) queued"))
