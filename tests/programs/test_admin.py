import pytest

from programs import services
from programs.models import Registration

pytestmark = pytest.mark.django_db

ADMIN = "/admin/program_registrations"


def test_registration_listing_search_filter_export(make_program, make_member, staff_client_for):
    program = make_program(places=[1])
    session = program.session_list[0]
    services.register(make_member(display_name="王小明"), program, session)
    services.register(make_member(display_name="李大红"), program, session)
    staff = staff_client_for("Program staff")
    listing = staff.get(f"{ADMIN}/?session={session.pk}")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert "王小明" in body and "李大红" in body
    assert "李大红" not in staff.get(f"{ADMIN}/?q=王小明").content.decode()
    assert "王小明" not in staff.get(f"{ADMIN}/?status=waitlisted").content.decode()
    export = staff.get(f"{ADMIN}/?export=csv")
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert export.status_code == 200 and "王小明" in text and "R" in text
    assert staff.get("/admin/program_sessions/").status_code == 200


def test_admin_actions_promote_check_in_cancel(make_program, make_member, staff_client_for):
    program = make_program(places=[1], days=0)
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    first = services.register_on_behalf(staff.user, make_member(), program, session)
    second = services.register_on_behalf(staff.user, make_member(), program, session)
    assert second.status == "waitlisted"

    assert staff.get(f"{ADMIN}/promote/{second.pk}/").status_code == 200
    staff.post(f"{ADMIN}/promote/{second.pk}/")  # full: refused with a message, nothing changes
    second.refresh_from_db()
    assert second.status == "waitlisted"

    staff.post(f"{ADMIN}/cancel/{first.pk}/", {"reason": "来不了"})
    second.refresh_from_db()
    assert second.status == "confirmed"  # promoted automatically

    staff.post(f"{ADMIN}/check_in/{second.pk}/", {"session": session.pk})
    second.refresh_from_db()
    assert second.status == "attended"


def test_admin_add_registers_a_phone_caller(make_program, staff_client_for):
    program = make_program(places=[3])
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    assert staff.get(f"{ADMIN}/new/").status_code == 200
    response = staff.post(f"{ADMIN}/new/", {"session": session.pk, "channel": "phone", "note": "",
                                             "phone": "13611112222", "display_name": "陈奶奶"})
    assert response.status_code == 302, response.content.decode()[:2000]
    registration = Registration.objects.get()
    assert registration.member.display_name == "陈奶奶" and registration.registered_by == staff.user


def test_members_cannot_use_admin_actions(make_program, make_member, client):
    program = make_program(places=[1])
    registration = services.register(make_member(), program, program.session_list[0])
    client.force_login(make_member())
    response = client.post(f"{ADMIN}/cancel/{registration.pk}/")
    assert response.status_code in (302, 403)
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_editor_creates_a_program_with_sessions_in_the_page_editor(program_index, admin_client):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    from programs.models import ProgramPage

    start = timezone.localtime() + timedelta(days=3)
    fmt = "%Y-%m-%d %H:%M"
    data = nested_form_data({
        "title": "社区防诈骗课堂", "slug": "anti-fraud", "kind": "class", "audience": "elderly",
        "summary": "银行工作人员讲解常见骗局", "description": streamfield([("heading", "活动介绍")]),
        "enrolment": "session", "per_member_limit": 0,
        "waitlist_enabled": "on",
        "sessions": inline_formset([
            {"title": "", "start": start.strftime(fmt), "end": (start + timedelta(hours=1)).strftime(fmt),
             "place": "东方社区老年活动室", "places": 25},
        ]),
        "action-publish": "publish",
    })
    data["eligible_kinds"] = ["resident"]
    url = f"/admin/pages/add/programs/programpage/{program_index.pk}/"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ProgramPage.objects.get(slug="anti-fraud")
    assert page.live and page.eligible_kinds == ["resident"]
    session = page.session_list[0]
    assert session.capacity.total == 25 and session.remaining == 25


def _editor_data(page, sessions):
    """The page editor's POST for ``page`` with ``sessions`` (dicts of session fields) inline."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data({
        "title": page.title, "slug": page.slug, "kind": page.kind, "audience": page.audience,
        "summary": page.summary, "description": streamfield([]), "enrolment": page.enrolment,
        "per_member_limit": page.per_member_limit, "waitlist_enabled": "on",
        "sessions": inline_formset(sessions, initial=sum(1 for row in sessions if row.get("id"))),
        "action-publish": "publish",
    })


def _session_row(session, **changes):
    from django.utils import timezone

    fmt = "%Y-%m-%d %H:%M"
    row = {"id": session.pk, "title": session.title, "start": timezone.localtime(session.start).strftime(fmt),
           "end": timezone.localtime(session.end).strftime(fmt), "place": session.place,
           "places": session.places, "ORDER": session.pk}
    row.update(changes)
    return row


def test_editor_raises_places_of_an_existing_session_and_the_waiting_list_moves_up(
        make_program, make_member, admin_client, django_capture_on_commit_callbacks):
    program = make_program(places=[1])
    session = program.session_list[0]
    services.register(make_member(), program, session)
    waiting = services.register(make_member(), program, session)
    assert waiting.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/pages/{program.pk}/edit/",
                                     _editor_data(program, [_session_row(session, places=2)]))
    assert response.status_code == 302
    session.refresh_from_db()
    waiting.refresh_from_db()
    assert session.places == 2 and session.capacity.total == 2
    assert waiting.status == "confirmed"


@pytest.mark.parametrize("cancelled", [False, True])
def test_editor_cannot_remove_a_session_people_registered_for(make_program, make_member, admin_client, cancelled):
    from programs.models import Session

    program = make_program(places=[3, 3])
    first, second = program.session_list
    registration = services.register(make_member(), program, second)
    if cancelled:
        services.cancel(registration.member, registration.pk)
    response = admin_client.post(f"/admin/pages/{program.pk}/edit/",
                                 _editor_data(program, [_session_row(first), _session_row(second, DELETE="on")]))
    assert response.status_code == 200
    assert Session.objects.filter(pk=second.pk).exists()
    body = response.content.decode()
    assert "已有人报名此场次" in body


@pytest.mark.parametrize("session", ["", "abc", "99999999999999999999999"])
def test_admin_check_in_without_a_usable_session_is_refused_with_a_message(make_program, make_member,
                                                                          staff_client_for, session):
    program = make_program(places=[2], days=0)
    staff = staff_client_for("Program staff")
    registration = services.register_on_behalf(staff.user, make_member(), program, program.session_list[0])
    response = staff.post(f"{ADMIN}/check_in/{registration.pk}/", {"session": session}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "请从该报名包含的场次中选择" in body
    registration.refresh_from_db()
    assert registration.status == "confirmed" and not registration.attendances.exists()


def test_admin_actions_only_return_to_this_site(make_program, make_member, staff_client_for):
    program = make_program(places=[2])
    staff = staff_client_for("Program staff")
    registration = services.register_on_behalf(staff.user, make_member(), program, program.session_list[0])
    response = staff.post(f"{ADMIN}/cancel/{registration.pk}/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == f"{ADMIN}/"
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_deleting_a_registration_in_the_admin_moves_the_waiting_list_up(make_program, make_member, admin_client,
                                                                        django_capture_on_commit_callbacks):
    from core.models import NotificationLog

    program = make_program(places=[1])
    session = program.session_list[0]
    holder = services.register(make_member(), program, session)
    waiting = services.register(make_member(), program, session)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{ADMIN}/delete/{holder.pk}/")
    assert response.status_code == 302 and not Registration.objects.filter(pk=holder.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.position is None
    assert NotificationLog.objects.filter(user=waiting.member, kind="programs.promoted").exists()


def test_admin_registration_list_headings_are_translated(make_program, make_member, staff_client_for):
    program = make_program()
    services.register(make_member(), program, program.session_list[0])
    course = make_program(places=[3, 3], enrolment="series")
    services.register(make_member(), course)
    staff = staff_client_for("Program staff")
    body = staff.get(f"{ADMIN}/").content.decode()
    assert "Target label" not in body and "场次或课程" in body
    assert "whole series" not in body and f"{course.title} (整期课程)" in body


def _new_session_row(days, places):
    from datetime import timedelta

    from django.utils import timezone

    start = timezone.localtime() + timedelta(days=days)
    fmt = "%Y-%m-%d %H:%M"
    return {"title": "加课", "start": start.strftime(fmt), "end": (start + timedelta(hours=1)).strftime(fmt),
            "place": "", "places": places, "ORDER": 99}


def test_a_session_added_to_a_course_holds_a_seat_for_everyone_enrolled(make_program, make_member, admin_client):
    from programs.models import Session

    course = make_program(places=[5, 5], enrolment="series")
    for _ in range(2):
        services.register(make_member(), course)
    rows = [_session_row(s) for s in course.session_list]
    too_small = admin_client.post(f"/admin/pages/{course.pk}/edit/", _editor_data(course, rows + [_new_session_row(20, 1)]))
    assert too_small.status_code == 200 and Session.objects.filter(program=course).count() == 2
    assert "已有 2 人报名整期课程" in too_small.content.decode()
    response = admin_client.post(f"/admin/pages/{course.pk}/edit/", _editor_data(course, rows + [_new_session_row(20, 3)]))
    assert response.status_code == 302
    added = Session.objects.get(program=course, title="加课")
    assert added.capacity.taken == 2 and added.remaining == 1
