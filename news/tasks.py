"""Background work for the newsroom.

Scheduled publishing is core's (``core.tasks.publish_scheduled_pages``, every minute): it serves
every page type, not only stories. The newsroom's own periodic job clears expired headless
previews.
"""

from crontask import cron
from django.core.management import call_command
from django.tasks import task


@task
def publish_scheduled():
    """Publish revisions whose go-live time has passed (kept for tasks queued under this name;
    the scheduler runs core.tasks.publish_scheduled_pages)."""
    call_command("publish_scheduled", verbosity=0)


@cron("30 3 * * *")
@task
def delete_expired_previews() -> int:
    """Headless previews live a day (NewsPreview.LIFETIME); delete older ones nightly."""
    from news.services import delete_expired_previews as delete

    return delete()
