"""Queue the gig station's scheduled work: ``expire`` (open needs past their deadline or last
day) or ``confirm`` (work records nobody answered within 48 hours). Both are idempotent, so cron
may run them often."""

from django.core.management.base import BaseCommand

from gigs.tasks import auto_confirm_records, expire_needs


class Command(BaseCommand):
    help = "Queue expiry of gig needs, or the 48-hour automatic confirmation of work records."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["expire", "confirm"])

    def handle(self, *args, what, **options):
        task = expire_needs if what == "expire" else auto_confirm_records
        task.enqueue()
        self.stdout.write(self.style.SUCCESS(f"queued {what}"))
