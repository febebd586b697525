"""Background work, on the site's scheduler (django-crontask, see core/tasks.py; by hand:
``manage.py reports_tasks``): ``escalate`` moves overdue work orders up a level (idempotent: a
level is reached once); ``close`` closes resolved work orders nobody reopened within the set days;
``orphans`` deletes photos uploaded for a report that was never sent (``REPORTS_ORPHAN_PHOTO_HOURS``)."""

from crontask import cron
from django.tasks import task


@cron("5 * * * *")
@task()
def escalate_overdue():
    from reports import services

    return [report.pk for report in services.escalate_overdue()]


@cron("35 * * * *")
@task()
def close_resolved():
    from reports import services

    return services.close_resolved()


@cron("50 * * * *")
@task()
def delete_orphan_photos():
    from reports import services

    return services.delete_orphan_photos()
