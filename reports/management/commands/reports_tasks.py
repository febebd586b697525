"""Queue the reports' scheduled work: ``escalate`` (overdue work orders go up a level) or
``close`` (resolved work orders past the reopening window). Both are idempotent, so cron may run
them often (hourly is plenty)."""

from django.core.management.base import BaseCommand

from reports.tasks import close_resolved, escalate_overdue


class Command(BaseCommand):
    help = "Queue escalation of overdue work orders, or closing of resolved ones."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["escalate", "close"])

    def handle(self, *args, what, **options):
        (escalate_overdue if what == "escalate" else close_resolved).enqueue()
        self.stdout.write(self.style.SUCCESS(f"queued {what}"))
