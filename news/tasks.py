"""Background work for the newsroom.

Scheduled publishing: editors set "go live at" in the admin; Wagtail publishes due revisions
when its ``publish_scheduled`` command runs. Run it every few minutes, from cron
(``*/5 * * * * .venv/bin/python manage.py publish_scheduled``) or by enqueuing this task from any
scheduler that the task worker (``manage.py db_worker``) serves.
"""

from django.core.management import call_command
from django.tasks import task


@task
def publish_scheduled():
    """Publish revisions whose go-live time has passed and unpublish expired pages."""
    call_command("publish_scheduled")
