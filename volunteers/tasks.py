"""Background work: reminders the day before, and closing shifts that have ended."""

from django.tasks import task


@task()
def send_shift_reminders():
    from volunteers import services

    return sum(services.send_reminders(shift.pk) for shift in services.shifts_needing_reminder())


@task()
def close_ended_shifts():
    from volunteers import services

    return [services.close_shift(shift.pk) for shift in services.shifts_to_close()]
