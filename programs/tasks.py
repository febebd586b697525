"""Background work for programs (django.tasks; run by `manage.py db_worker` when TASKS_BACKEND=database)."""

from django.tasks import task


@task
def send_session_reminders(session_id: int) -> int:
    """Remind everyone with a place in the session (once; see services.send_reminders)."""
    from programs import services

    return services.send_reminders(session_id)
