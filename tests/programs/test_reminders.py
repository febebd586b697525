import io

import pytest
from django.core.management import call_command

from core.models import NotificationLog
from programs import services

pytestmark = pytest.mark.django_db


@pytest.mark.tasks
def test_reminder_command_sends_once_to_seat_holders(make_program, make_member, django_capture_on_commit_callbacks,
                                                      task_worker):
    tomorrow = make_program(days=1, places=[1])
    later = make_program(days=5)
    session = tomorrow.session_list[0]
    holder, waiting = make_member(), make_member()
    services.register(holder, tomorrow, session)
    services.register(waiting, tomorrow, session)
    services.register(make_member(), later, later.session_list[0])
    task_worker.wait()
    NotificationLog.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders", stdout=io.StringIO())
    ran = task_worker.wait()
    if task_worker.real:  # the reminder task, then the SMS it queued, both in the worker
        assert ran.index("programs.tasks.send_session_reminders") < ran.index("core.notify.send_notification")
    reminders = NotificationLog.objects.filter(kind="programs.reminder")
    assert [log.user_id for log in reminders] == [holder.pk]
    registration = holder.program_registrations.get()
    assert registration.check_in_code in reminders[0].body

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders", stdout=io.StringIO())
    task_worker.wait()
    assert NotificationLog.objects.filter(kind="programs.reminder").count() == 1


def test_course_members_who_came_to_the_first_session_are_reminded_of_the_next(
        make_program, make_member, program_staff, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Session

    course = make_program(days=0, places=[3, 3], enrolment="series")
    first, second = course.session_list
    start = timezone.now() + timedelta(days=1)
    Session.objects.filter(pk=second.pk).update(start=start, end=start + timedelta(hours=2))
    member = make_member()
    registration = services.register_on_behalf(program_staff, member, course)
    services.check_in(program_staff, first, registration.check_in_code)
    NotificationLog.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders", stdout=io.StringIO())
    assert list(NotificationLog.objects.filter(kind="programs.reminder").values_list("user_id", flat=True)) == [
        member.pk]


def test_publishing_the_program_after_the_reminder_does_not_send_it_again(
        make_program, make_member, admin_client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from programs.models import Session
    from tests.programs.test_admin import _editor_data, _session_row

    program = make_program(days=1, places=[3])
    session = program.session_list[0]
    start = session.start.replace(second=0, microsecond=0)  # as typed in the editor
    Session.objects.filter(pk=session.pk).update(start=start, end=start + timedelta(hours=2))
    program = type(program).objects.get(pk=program.pk)
    program.save_revision()  # an editor's draft from before the reminder went out
    services.register(make_member(), program, program.session_list[0])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders", stdout=io.StringIO())
    assert NotificationLog.objects.filter(kind="programs.reminder").count() == 1
    response = admin_client.post(f"/admin/pages/{program.pk}/edit/",
                                 _editor_data(program, [_session_row(program.session_list[0])]))
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_program_reminders", stdout=io.StringIO())
    assert NotificationLog.objects.filter(kind="programs.reminder").count() == 1
