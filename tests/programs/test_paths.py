"""One read path and one write path: what staff and members notice when rows change outside the
member flow (the Sessions admin, deletions, the admin's check-in), told by the audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import audit
from core.models import Capacity, NotificationLog
from programs import services
from programs.models import Registration
from tests.factories import UserFactory, logged_in_client, staff_user
from tests.programs.factories import (
    AttendanceFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

Status = Registration.Status


def _actions(instance):
    return [entry.action for entry in audit.entries_for(instance)]


def test_staff_give_a_session_more_places_in_the_admin_and_the_waiting_list_moves_up(
        program_staff_client, django_capture_on_commit_callbacks):
    session = SessionFactory(places=1)
    RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session)
    assert waiting.status == Status.WAITLISTED
    form = {"title": "", "start": timezone.localtime(session.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(session.end).strftime("%Y-%m-%d %H:%M"), "place": session.place}
    with django_capture_on_commit_callbacks(execute=True):
        response = program_staff_client.post(f"/admin/program_sessions/edit/{session.pk}/", {**form, "places": 2})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert Capacity.objects.get(pk=session.capacity_id).taken == 2
    assert NotificationLog.objects.filter(user=waiting.member, kind="programs.promoted").exists()
    entry = audit.entries_for(session).first()
    assert entry.action == "programs.session_seats" and entry.user == program_staff_client.user
    assert entry.data["before"] == 1 and entry.data["places"] == 2 and entry.data["via"] == "admin"

    fewer = program_staff_client.post(f"/admin/program_sessions/edit/{session.pk}/", {**form, "places": 1})
    assert fewer.status_code == 200 and "已有 2 个名额被占用" in fewer.content.decode()
    session.refresh_from_db()
    assert session.places == 2 and Capacity.objects.get(pk=session.capacity_id).total == 2


def test_an_admin_delete_is_recorded_with_who_did_it(admin_client, django_capture_on_commit_callbacks):
    session = SessionFactory(places=1)
    holder = RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/program_registrations/delete/{holder.pk}/")
    assert response.status_code == 302
    entry = audit.entries_for(holder).filter(action="programs.remove").get()  # Wagtail adds its wagtail.delete
    assert entry.user.is_superuser
    assert entry.data["via"] == "admin" and entry.data["had_seat"] is True
    assert entry.data["on_behalf_of"]["name"] == holder.member.display_name
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED


def test_a_deleted_account_gives_its_seat_back_once(django_capture_on_commit_callbacks):
    """Two seats, two holders and one waiting: deleting one holder's account lets the waiting
    member in and leaves both seats taken. (The seat used to be released twice, by the account's
    and by the registration's delete handlers, leaving one seat free too many.)"""
    session = SessionFactory(places=2)
    leaving, staying = RegistrationFactory(session=session), RegistrationFactory(session=session)
    waiting = RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        leaving.member.delete()
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert Capacity.objects.get(pk=session.capacity_id).taken == 2
    assert Registration.objects.filter(pk=staying.pk, status=Status.CONFIRMED).exists()
    assert "programs.remove" in _actions(leaving)


def test_deleting_a_program_frees_its_seats_without_good_news_for_anyone(django_capture_on_commit_callbacks):
    session = SessionFactory(places=1)
    holder = RegistrationFactory(session=session)
    RegistrationFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        session.program.delete()
    assert not NotificationLog.objects.filter(kind="programs.promoted").exists()
    assert not Registration.objects.exists()
    assert "programs.remove" in _actions(holder)


def test_the_admin_check_in_is_audited_like_the_check_in_page(program_staff_client):
    session = SessionFactory(start=timezone.now() - timedelta(minutes=5))
    registration = services.register_on_behalf(program_staff_client.user, UserFactory(), session.program, session,
                                               via="admin")
    response = program_staff_client.post(f"/admin/program_registrations/check_in/{registration.pk}/",
                                         {"session": session.pk})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.ATTENDED
    entry = audit.entries_for(registration).first()
    assert entry.action == "programs.check_in" and entry.user == program_staff_client.user
    assert entry.data["via"] == "admin" and entry.data["session"] == session.pk


def test_a_member_is_offered_cancelling_only_while_the_service_would_accept_it(member):
    """Once a session has started a member can no longer cancel (staff still can): the page no
    longer shows a button that could only fail."""
    staff = staff_user("Program staff")
    started = SessionFactory(start=timezone.now() - timedelta(minutes=10))
    later = SessionFactory(program=started.program)
    now_on = services.register_on_behalf(staff, member, started.program, started, via="admin")
    upcoming = services.register(member, later.program, later)
    client = logged_in_client(member)
    body = client.get("/programs/me/").content.decode()
    assert f"/programs/registrations/{upcoming.pk}/cancel/" in body
    assert f"/programs/registrations/{now_on.pk}/cancel/" not in body
    assert now_on.is_cancellable and not now_on.member_can_cancel and now_on.can_cancel(by_staff=True)


def test_factories_make_what_the_product_would():
    index = ProgramIndexPageFactory()
    assert ProgramIndexPageFactory().pk == index.pk  # there is only one
    program = ProgramPageFactory(sessions=2, places=3)
    assert [s.capacity.total for s in program.session_list] == [3, 3]
    registration = RegistrationFactory(session=program.session_list[0])
    assert registration.status == Status.CONFIRMED
    assert Capacity.objects.get(pk=program.session_list[0].capacity_id).taken == 1
    course = ProgramPageFactory(sessions=2, enrolment="series")
    enrolment = RegistrationFactory(session=course.session_list[0], program=course)
    assert enrolment.session_id is None
    assert all(Capacity.objects.get(pk=s.capacity_id).taken == 1 for s in course.session_list)
    attendance = AttendanceFactory()
    assert attendance.registration.status == Status.ATTENDED
    assert "programs.check_in" in _actions(attendance.registration)
