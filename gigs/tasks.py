"""Background work: expiring needs past their deadline or last day, confirming work records
nobody answered within 48 hours, and telling subscribed workers about a new need (that task,
queued by ``services.review_need`` after commit, is defined beside what it runs). The first two
are periodic jobs on the site's scheduler (django-crontask, see core/tasks.py); both idempotent."""

from crontask import cron
from django.tasks import task

from gigs import services
from gigs.services import notify_subscribers_task


@cron("*/15 * * * *")
@task()
def expire_needs():
    return services.expire_needs()


@cron("20 * * * *")
@task()
def auto_confirm_records():
    return services.auto_confirm_records()


__all__ = ["auto_confirm_records", "expire_needs", "notify_subscribers_task"]
