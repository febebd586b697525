"""Queue the volunteers' scheduled work: ``close`` (shifts that ended: automatic check-out and
no-shows) or ``remind`` (shifts starting tomorrow). Both are idempotent, so cron may run them often."""

from django.core.management.base import BaseCommand

from volunteers.tasks import close_ended_shifts, send_shift_reminders


class Command(BaseCommand):
    help = "Queue closing of ended volunteer shifts, or tomorrow's shift reminders."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["close", "remind"])

    def handle(self, *args, what, **options):
        task = close_ended_shifts if what == "close" else send_shift_reminders
        task.enqueue()
        self.stdout.write(self.style.SUCCESS(f"queued {what}"))
