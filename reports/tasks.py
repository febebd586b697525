"""Background work, on a schedule (cron or a timer every hour, via ``manage.py reports_tasks``):
``escalate`` moves overdue work orders up a level (idempotent: a level is reached once);
``close`` closes resolved work orders nobody reopened within the set days."""

from django.tasks import task


@task()
def escalate_overdue():
    from reports import services

    return [report.pk for report in services.escalate_overdue()]


@task()
def close_resolved():
    from reports import services

    return services.close_resolved()
