"""Background work: reminders the day before, and closing shifts that have ended. Both are
periodic jobs (django-crontask, see core/tasks.py) and idempotent, so running them again (the
``volunteer_tasks`` command, a second scheduler) changes nothing."""

from crontask import cron
from django.tasks import task


# The evening before, hourly 17:00-21:00 (each shift is reminded once, marked under its lock).
@cron("0 17-21 * * *")
@task()
def send_shift_reminders():
    from volunteers import services

    return sum(services.send_reminders(shift.pk) for shift in services.shifts_needing_reminder())


# Automatic check-out and no-shows soon after a shift ends.
@cron("*/10 * * * *")
@task()
def close_ended_shifts():
    from volunteers import services

    return [services.close_shift(shift.pk) for shift in services.shifts_to_close()]
