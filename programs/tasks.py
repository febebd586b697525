"""Background work for programs (django.tasks; run by `manage.py db_worker` when
TASKS_BACKEND=database), and its periodic job (django-crontask, see core/tasks.py)."""

from crontask import cron
from django.tasks import task


@task
def send_session_reminders(session_id: int) -> int:
    """Remind everyone with a place in the session (once; see services.send_reminders)."""
    from programs import services

    return services.send_reminders(session_id)


def queue_tomorrows_reminders() -> list[int]:
    """One reminder task for each session starting tomorrow that has not been reminded."""
    from programs.queries import sessions_needing_reminder

    ids = list(sessions_needing_reminder().values_list("pk", flat=True))
    for session_id in ids:
        send_session_reminders.enqueue(session_id=session_id)
    return ids


# Every hour from 17:00 to 21:00, the evening before: a scheduler started late still sends
# them, and each session is reminded once (marked under its row lock), never at night.
@cron("0 17-21 * * *")
@task
def remind_tomorrows_sessions() -> int:
    return len(queue_tomorrows_reminders())
