"""Scheduled work: every app's periodic jobs are on django-crontask's schedule (what `make run`
and `manage.py crontask` run), and a page scheduled for a time goes live when the job runs.
Runs with any plugin set, FENGCHAO_PLUGINS=none included."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Site

from core.plugins import plugin_labels
from core.schedule import jobs, task_path

#: What each built-in plugin must have on the schedule when it is enabled.
PLUGIN_JOBS = {
    "news": {"news.tasks.delete_expired_previews"},
    "programs": {"programs.tasks.remind_tomorrows_sessions"},
    "volunteers": {"volunteers.tasks.send_shift_reminders", "volunteers.tasks.close_ended_shifts"},
    "gigs": {"gigs.tasks.expire_needs", "gigs.tasks.auto_confirm_records"},
    "reports": {"reports.tasks.escalate_overdue", "reports.tasks.close_resolved"},
}


def _paths():
    return {task_path(job) for job in jobs()}


def test_the_schedule_lists_every_enabled_apps_jobs():
    paths = _paths()
    assert {"core.tasks.publish_scheduled_pages", "core.tasks.clear_expired_sessions"} <= paths
    for label, expected in PLUGIN_JOBS.items():
        if label in plugin_labels():
            assert expected <= paths, label
        else:
            assert not {p for p in paths if p.startswith(f"{label}.")}, f"{label} is disabled"


def test_publishing_runs_every_minute():
    (job,) = [job for job in jobs() if task_path(job) == "core.tasks.publish_scheduled_pages"]
    now = timezone.now().replace(second=10, microsecond=0)
    assert job.trigger.get_next_fire_time(None, now) - now <= timedelta(seconds=60)


def test_scheduled_jobs_command_lists_them(capsys):
    call_command("scheduled_jobs")
    out = capsys.readouterr().out
    assert "core.tasks.publish_scheduled_pages" in out
    assert f"{len(jobs())} job(s)" in out


@pytest.mark.django_db
def test_a_scheduled_page_goes_live_when_the_job_runs():
    root = Site.objects.get(is_default_site=True).root_page
    page = Page(title="十点上线：驿站冬季开放时间", live=False)
    root.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live  # scheduled, not live

    (job,) = [job for job in jobs() if task_path(job) == "core.tasks.publish_scheduled_pages"]
    job.func()  # what the scheduler calls on time: the task's enqueue
    page.refresh_from_db()
    assert not page.live  # not yet its time

    with time_machine.travel(page.go_live_at + timedelta(seconds=30)):
        job.func()
    page.refresh_from_db()
    assert page.live


@pytest.mark.tasks
@pytest.mark.django_db
def test_a_scheduled_job_is_enqueued_by_the_scheduler_and_run_by_the_worker(task_worker):
    """What production runs: crontask calls the job (it only enqueues), a db_worker runs it. In
    CI's worker step the job goes through the database queue and a real worker process."""
    root = Site.objects.get(is_default_site=True).root_page
    page = Page(title="驿站冬季开放时间调整", live=False)
    root.add_child(instance=page)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()
    # Its time has come (the worker's clock is real: no time travel across processes).
    revision = page.latest_revision
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    page.refresh_from_db()
    assert not page.live

    (job,) = [job for job in jobs() if task_path(job) == "core.tasks.publish_scheduled_pages"]
    result = job.func()  # what crontask's scheduler calls on time
    if task_worker.real:
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.get(id=result.id).status == "READY"  # queued, not run here
    ran = task_worker.wait()
    page.refresh_from_db()
    assert page.live
    if task_worker.real:
        assert "core.tasks.publish_scheduled_pages" in ran
