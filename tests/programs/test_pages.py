import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs import services
from programs.models import Attendance, Registration

pytestmark = pytest.mark.django_db


def test_index_lists_programs_with_constant_queries(client, make_program):
    for i in range(3):
        make_program(days=i + 1)
    client.get("/programs/")
    with CaptureQueriesContext(connection) as few:
        response = client.get("/programs/")
    assert response.status_code == 200
    assert "测试课程1" in response.content.decode()
    for i in range(9):
        make_program(days=i + 5)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/programs/").status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
    assert client.get("/programs/?kind=class&date=2020-01-01").status_code == 200


def test_program_page_register_and_cancel(client, make_program, make_member):
    program = make_program(places=[1, 1])
    session = program.session_list[0]
    page = client.get(program.url)
    assert page.status_code == 200 and f"/programs/{program.pk}/register/" not in page.content.decode()
    member = make_member()
    client.force_login(member)
    body = client.get(program.url).content.decode()
    assert f'name="session" value="{session.pk}"' in body
    response = client.post(f"/programs/{program.pk}/register/", {"session": session.pk})
    assert response.status_code == 302 and response.url == "/programs/me/"
    registration = Registration.objects.get(member=member)
    assert registration.channel == "web" and registration.status == "confirmed"
    mine = client.get("/programs/me/").content.decode()
    assert registration.check_in_code in mine and f"/programs/registrations/{registration.pk}/qr.svg" in mine
    assert client.get(f"/programs/registrations/{registration.pk}/qr.svg")["Content-Type"] == "image/svg+xml"
    assert client.get(f"/programs/registrations/{registration.pk}/calendar.ics").status_code == 200
    # a second registration for the same session shows the refusal, nothing is written
    response = client.post(f"/programs/{program.pk}/register/", {"session": session.pk}, follow=True)
    assert "您已报名" in response.content.decode() or "already registered" in response.content.decode()
    response = client.post(f"/programs/registrations/{registration.pk}/cancel/", {"confirm": "yes"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_other_members_files_are_hidden(client, make_program, make_member):
    program = make_program()
    registration = services.register(make_member(), program, program.session_list[0])
    client.force_login(make_member())
    assert client.get(f"/programs/registrations/{registration.pk}/qr.svg").status_code == 404
    assert client.post(f"/programs/registrations/{registration.pk}/cancel/", {"confirm": "yes"}).status_code == 404


def test_staff_pages_need_program_staff(client, make_program, make_member, staff_client_for):
    program = make_program(days=0)
    session = program.session_list[0]
    client.force_login(make_member())
    assert client.get(f"/programs/staff/sessions/{session.pk}/check-in/").status_code == 403
    client.logout()
    assert client.get(f"/programs/staff/sessions/{session.pk}/check-in/").status_code == 302
    staff = staff_client_for("Program staff")
    assert staff.get("/programs/staff/").status_code == 200
    assert staff.get(f"/programs/staff/sessions/{session.pk}/check-in/").status_code == 200


def test_check_in_page_code_walk_in_and_exports(make_program, make_member, staff_client_for):
    program = make_program(days=0, places=[5])
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    member = make_member(display_name="张小骑")
    registration = services.register_on_behalf(staff.user, member, program, session)
    response = staff.post(f"/programs/staff/sessions/{session.pk}/check-in/", {"c-code": registration.check_in_code})
    assert response.status_code == 200 and "张小骑" in response.content.decode()
    again = staff.post(f"/programs/staff/sessions/{session.pk}/check-in/", {"c-code": registration.check_in_code})
    assert again.status_code == 200
    assert Attendance.objects.count() == 1
    bad = staff.post(f"/programs/staff/sessions/{session.pk}/check-in/", {"c-code": "R9-ZZZZZZZZ"})
    assert bad.status_code == 409
    walk_in = staff.post(f"/programs/staff/sessions/{session.pk}/check-in/",
                         {"w-phone": "13700001234", "w-display_name": "赵大爷"})
    assert walk_in.status_code == 200 and "赵大爷" in walk_in.content.decode()
    assert Attendance.objects.count() == 2

    csv = staff.get(f"/programs/staff/sessions/{session.pk}/attendance.csv")
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "张小骑" in text and "赵大爷" in text
    xlsx = staff.get(f"/programs/staff/sessions/{session.pk}/attendance.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=3)]
    assert set(names) == {"张小骑", "赵大爷"}
    page = staff.get(f"/programs/staff/sessions/{session.pk}/attendance/")
    assert page.status_code == 200


def test_attendance_exports_show_a_formula_name_as_text(make_program, make_member, staff_client_for):
    from openpyxl import load_workbook

    program = make_program(days=0, places=[5])
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    evil = '=HYPERLINK("http://evil.example/","点我")'
    services.register_on_behalf(staff.user, make_member(display_name=evil), program, session)
    text = staff.get(f"/programs/staff/sessions/{session.pk}/attendance.csv").content.decode("utf-8-sig")
    assert "'" + evil.replace('"', '""') in text
    assert "\n=HYPERLINK" not in text and ',=HYPERLINK' not in text
    xlsx = staff.get(f"/programs/staff/sessions/{session.pk}/attendance.xlsx")
    cell = load_workbook(io.BytesIO(xlsx.content)).active["A3"]
    assert cell.value == evil and cell.data_type == "s"


def test_feed(client, make_program):
    make_program()
    response = client.get("/programs/feed.ics")
    assert response.status_code == 200 and b"BEGIN:VEVENT" in response.content


def test_program_page_renders_description_blocks_and_series_button(client, make_program, make_member):
    program = make_program(places=[3, 3], enrolment="series")
    program.description = [("heading", "活动介绍"), ("paragraph", "<p>三次课</p>"), ("steps", ["心肺复苏", "AED"])]
    program.save_revision().publish()
    client.force_login(make_member())
    body = client.get(program.url).content.decode()
    assert "<h2>活动介绍</h2>" in body and "<li>AED</li>" in body
    assert 'name="session"' not in body  # one registration for the whole course
    assert f'action="/programs/{program.pk}/register/"' in body


def test_listing_page_is_cached_until_a_change(client, make_program, make_member,
                                               django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    program = make_program(places=[3], title="缓存测试课")
    assert "缓存测试课" in client.get("/programs/").content.decode()
    with CaptureQueriesContext(connection) as cached:
        client.get("/programs/")
    with django_capture_on_commit_callbacks(execute=True):
        services.register(make_member(), program, program.session_list[0])
    with CaptureQueriesContext(connection) as fresh:
        body = client.get("/programs/").content.decode()
    assert len(cached.captured_queries) == 0 < len(fresh.captured_queries)
    assert "缓存测试课" in body
    cache.clear()


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999999"])
def test_register_form_without_a_usable_session_explains_instead_of_failing(client, make_program, make_member, value):
    program = make_program()
    client.force_login(make_member())
    response = client.post(f"/programs/{program.pk}/register/", {"session": value} if value else {}, follow=True)
    assert response.status_code == 200
    assert "请选择场次" in response.content.decode() or "Choose a session" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancel_only_goes_back_to_pages_on_this_site(client, make_program, make_member):
    program = make_program()
    member = make_member()
    first = services.register(member, program, program.session_list[0])
    client.force_login(member)
    response = client.post(f"/programs/registrations/{first.pk}/cancel/", {"next": "//evil.example/phish", "confirm": "yes"})
    assert response.status_code == 302 and response.url == "/programs/me/"
    second = services.register(member, program, program.session_list[0])
    response = client.post(f"/programs/registrations/{second.pk}/cancel/", {"next": program.url, "confirm": "yes"})
    assert response.url == program.url


def test_my_registrations_page_query_count_is_constant(client, make_program, make_member):
    """Programs whose place is a page (no address) used to cost a page query per registration."""
    from wagtail.models import Page

    from programs.models import Session

    member = make_member()
    place = Page.objects.filter(depth=2).first()

    def register(count):
        for _ in range(count):
            program = make_program(location_page=place)
            Session.objects.filter(program=program).update(place="")
            services.register(member, program, Session.objects.get(program=program))

    client.force_login(member)
    register(1)
    client.get("/programs/me/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/programs/me/").status_code == 200
    register(4)
    with CaptureQueriesContext(connection) as five:
        body = client.get("/programs/me/").content.decode()
    assert body.count(place.title) >= 5
    assert len(one.captured_queries) == len(five.captured_queries)


def test_walk_in_refused_for_a_full_session_creates_no_account(make_program, make_member, staff_client_for):
    from members.models import User

    program = make_program(days=0, places=[1], waitlist_enabled=False)
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    services.register_on_behalf(staff.user, make_member(), program, session)
    response = staff.post(f"/programs/staff/sessions/{session.pk}/check-in/",
                          {"w-phone": "13700009999", "w-display_name": "钱阿姨"})
    assert response.status_code == 409 and "名额已满" in response.content.decode()
    assert not User.objects.filter(display_name="钱阿姨").exists()


def test_certificate_links_only_for_members_who_attended_every_session(client, make_program, make_member,
                                                                       program_staff):
    from datetime import timedelta

    from django.utils import timezone

    from programs.models import Session

    def attended(sessions, came_to):
        """A finished program booked session by session; ``member`` came to the first ``came_to``."""
        program = make_program(places=[3] * sessions)
        registrations = [services.register_on_behalf(program_staff, member, program, s) for s in program.session_list]
        start = timezone.now() - timedelta(days=3)
        for i, session in enumerate(program.session_list):
            Session.objects.filter(pk=session.pk).update(start=start + timedelta(days=i),
                                                         end=start + timedelta(days=i, hours=2))
        program = type(program).objects.get(pk=program.pk)
        for session, registration in list(zip(program.session_list, registrations, strict=True))[:came_to]:
            services.check_in(program_staff, session, registration.check_in_code)
        return program

    member = make_member()
    partly = attended(2, came_to=1)
    whole = attended(1, came_to=1)

    client.force_login(member)
    body = client.get("/programs/me/").content.decode()
    assert f"/programs/{whole.pk}/certificate.pdf" in body
    assert f"/programs/{partly.pk}/certificate.pdf" not in body
    links = {r["program"]["id"]: r["certificate_url"] for r in client.get("/api/v3/programs/registrations/").json()["items"]}
    assert links == {whole.pk: f"/api/v3/programs/{whole.pk}/certificate.pdf", partly.pk: None}
    assert client.get(f"/programs/{partly.pk}/certificate.pdf").status_code == 302  # refused, with a message


def test_attendance_export_file_name_survives_a_chinese_slug(make_program, staff_client_for):
    from urllib.parse import quote

    program = make_program(days=0, title="急救课")
    program.slug = "急救课"
    program.save()
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    for fmt in ("csv", "xlsx"):
        response = staff.get(f"/programs/staff/sessions/{session.pk}/attendance.{fmt}")
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert "=?utf-8?" not in disposition
        assert f"filename*=utf-8''attendance-{quote('急救课')}-" in disposition and disposition.endswith(f".{fmt}")


@pytest.mark.parametrize("enrolment", ["session", "series"])
def test_full_program_without_waiting_list_offers_no_waiting_list(client, make_program, make_member, enrolment):
    program = make_program(places=[1], waitlist_enabled=False, enrolment=enrolment)
    services.register(make_member(), program, None if enrolment == "series" else program.session_list[0])
    client.force_login(make_member())
    body = client.get(program.url).content.decode()
    assert "加入候补" not in body and f"/programs/{program.pk}/register/" not in body


def test_anonymous_readers_get_cached_pages_that_follow_every_seat_change(client, make_program, make_member, settings,
                                                                          django_capture_on_commit_callbacks):
    from django.test import Client

    program = make_program(places=[2], title="急救培训")
    for url in ("/programs/", program.url):
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url
    assert "2 places left" in client.get(program.url, headers={"Accept-Language": "en"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(make_member(), program, program.session_list[0])
    page = client.get(program.url, headers={"Accept-Language": "en"})
    assert "X-Page-Cache" not in page and "1 place left" in page.content.decode()
    member = Client()
    member.force_login(make_member())
    assert "X-Page-Cache" not in member.get(program.url) and "X-Page-Cache" not in member.get(program.url)
