"""Queue the reports' scheduled work: ``escalate`` (overdue work orders go up a level) or
``close`` (resolved work orders past the reopening window) or ``orphans`` (photos uploaded for a
report that was never sent). All are idempotent, so cron may run them often (hourly is plenty)."""

from django.core.management.base import BaseCommand

from reports.tasks import close_resolved, delete_orphan_photos, escalate_overdue


class Command(BaseCommand):
    help = "Queue escalation of overdue work orders, closing of resolved ones, or deleting orphan photos."
    jobs = {"escalate": escalate_overdue, "close": close_resolved, "orphans": delete_orphan_photos}

    def add_arguments(self, parser):
        parser.add_argument("what", choices=list(self.jobs))

    def handle(self, *args, what, **options):
        self.jobs[what].enqueue()
        self.stdout.write(self.style.SUCCESS(f"queued {what}"))
