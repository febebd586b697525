"""List the periodic jobs the scheduler (``manage.py crontask``) runs: every installed app's
``tasks.py`` jobs, with when each runs next. The list follows FENGCHAO_PLUGINS."""

from django.core.management.base import BaseCommand

from core.schedule import jobs, task_path


class Command(BaseCommand):
    help = "List the periodic jobs of every installed app, as `manage.py crontask` schedules them."

    def handle(self, *args, **options):
        from django.utils import timezone

        now = timezone.localtime()
        listed = jobs()
        for job in listed:
            self.stdout.write(f"{task_path(job):<50} {job.trigger}  next: {job.trigger.get_next_fire_time(None, now):%Y-%m-%d %H:%M %Z}")
        self.stdout.write(self.style.SUCCESS(f"{len(listed)} job(s)"))
