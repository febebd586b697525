"""Queue tomorrow's session reminders.

Run once a day, e.g. from cron at 18:00 Asia/Shanghai::

    0 18 * * *  cd /srv/fengchao && .venv/bin/python manage.py send_program_reminders

Each session starting tomorrow (local date) gets one task, ``programs.tasks.send_session_reminders``;
the task marks the session as reminded under a row lock, so running the command twice, or two
workers picking up the same session, never texts anyone twice.
"""

from django.core.management.base import BaseCommand

from programs.queries import sessions_needing_reminder
from programs.tasks import send_session_reminders


class Command(BaseCommand):
    help = "Queue reminders (through the notifier) for every program session that starts tomorrow."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the sessions without queueing anything.")

    def handle(self, *args, dry_run=False, **options):
        sessions = list(sessions_needing_reminder().select_related("program"))
        for session in sessions:
            if dry_run:
                self.stdout.write(f"would remind: {session}")
            else:
                send_session_reminders.enqueue(session_id=session.pk)
        self.stdout.write(self.style.SUCCESS(f"{len(sessions)} session(s) {'found' if dry_run else 'queued'}"))
