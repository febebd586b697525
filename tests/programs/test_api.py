from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import NotificationLog
from programs import services
from programs.models import Registration

pytestmark = pytest.mark.django_db

API = "/api/v3/programs"


def test_list_upcoming_first_with_places_and_filters(client, make_program, make_member):
    later = make_program(days=10, places=[5], kind="care", audience="workers")
    sooner = make_program(days=2, places=[3, 4], kind="class", audience="residents")
    make_program(days=-3, places=[5])  # past: hidden by default
    services.register(make_member(), sooner, sooner.session_list[0])

    body = client.get(f"{API}/").json()
    assert body["count"] == 2
    assert [p["id"] for p in body["items"]] == [sooner.pk, later.pk]
    first = body["items"][0]
    assert first["url"] == sooner.url
    assert first["remaining_places"] == 6
    assert first["next_session"]["remaining"] == 2
    assert first["next_session"]["start"].endswith("+08:00")

    assert [p["id"] for p in client.get(f"{API}/?kind=care").json()["items"]] == [later.pk]
    assert [p["id"] for p in client.get(f"{API}/?audience=workers").json()["items"]] == [later.pk]
    day = timezone.localtime(sooner.session_list[0].start).date().isoformat()
    assert [p["id"] for p in client.get(f"{API}/?date={day}").json()["items"]] == [sooner.pk]
    assert client.get(f"{API}/?past=true").json()["count"] == 3
    assert client.get(f"{API}/?kind=nonsense").status_code == 422


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_listing_query_count_is_constant_in_page_size(client, make_program, make_member):
    from members.models import Organisation

    partner = Organisation.objects.create(name="交警大队", kind="partner")
    for i in range(12):
        program = make_program(days=i + 1, places=[5, 5])
        program.partners.add(partner)
        program.organiser = partner
        program.save()
    client.get(f"{API}/?limit=1")  # warm-up (site root paths); other pages are not cached yet
    small = _count_queries(client, f"{API}/?limit=2")
    large = _count_queries(client, f"{API}/?limit=12")
    assert small == large
    assert large <= 8


def test_detail_has_sessions_and_description(client, make_program):
    program = make_program(places=[5, 6])
    body = client.get(f"{API}/{program.pk}/").json()
    assert [s["places"] for s in body["sessions"]] == [5, 6]
    assert body["description"] == []
    assert client.get(f"{API}/999999/").status_code == 404


def test_register_cancel_and_conflicts(client, make_program, make_member, django_capture_on_commit_callbacks):
    program = make_program(places=[1], waitlist_enabled=False)
    session = program.session_list[0]
    member = make_member()
    assert client.post(f"{API}/{program.pk}/register/", {"session_id": session.pk},
                       content_type="application/json").status_code == 401
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{API}/{program.pk}/register/", {"session_id": session.pk},
                               content_type="application/json")
    assert response.status_code == 201, response.content
    registration = response.json()
    assert registration["status"] == "confirmed"
    assert NotificationLog.objects.filter(user=member, kind="programs.confirmed").exists()

    again = client.post(f"{API}/{program.pk}/register/", {"session_id": session.pk}, content_type="application/json")
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert again.json()["code"] == "duplicate"

    other = make_member()
    client.force_login(other)
    full = client.post(f"{API}/{program.pk}/register/", {"session_id": session.pk}, content_type="application/json")
    assert full.status_code == 409 and full.json()["code"] == "full"
    missing = client.post(f"{API}/{program.pk}/register/", {}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["code"] == "session_required"
    # someone else's registration is invisible
    assert client.post(f"{API}/registrations/{registration['id']}/cancel/", {},
                       content_type="application/json").status_code == 404

    client.force_login(member)
    mine = client.get(f"{API}/registrations/").json()
    assert mine["count"] == 1 and mine["items"][0]["check_in_code"].startswith("R")
    cancelled = client.post(f"{API}/registrations/{registration['id']}/cancel/", {}, content_type="application/json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    twice = client.post(f"{API}/registrations/{registration['id']}/cancel/", {}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "not_cancellable"


def test_closed_past_ineligible_codes(client, make_program, make_member):
    member = make_member(kind="resident")
    client.force_login(member)
    closed = make_program(registration_closes=timezone.now() - timedelta(minutes=1))
    past = make_program(days=-1)
    workers_only = make_program(eligible_kinds=["worker"])
    for program, code in ((closed, "closed"), (past, "past"), (workers_only, "ineligible")):
        response = client.post(f"{API}/{program.pk}/register/", {"session_id": program.session_list[0].pk},
                               content_type="application/json")
        assert response.status_code == 409 and response.json()["code"] == code


def test_qr_and_ical(client, make_program, make_member):
    program = make_program(places=[3, 3], enrolment="series")
    member = make_member()
    registration = services.register(member, program)
    client.force_login(member)
    svg = client.get(f"{API}/registrations/{registration.pk}/qr.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.lstrip().startswith(b"<svg")
    png = client.get(f"{API}/registrations/{registration.pk}/qr.svg?format=png")
    assert png.content.startswith(b"\x89PNG")
    ics = client.get(f"{API}/registrations/{registration.pk}/calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    from icalendar import Calendar

    cal = Calendar.from_ical(ics.content)
    events = cal.walk("VEVENT")
    assert len(events) == 2
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Shanghai"
    assert b"DTSTART;TZID=Asia/Shanghai" in ics.content
    feed = client.get(f"{API}/feed.ics")
    assert feed.status_code == 200 and len(Calendar.from_ical(feed.content).walk("VEVENT")) == 2


def test_staff_on_behalf_and_check_in(client, make_program, make_member, staff_client_for):
    program = make_program(places=[2], days=0)
    session = program.session_list[0]
    member = make_member()
    client.force_login(member)
    body = {"phone": "+8613800001111", "display_name": "王阿姨"}
    assert client.post(f"{API}/sessions/{session.pk}/on-behalf/", body,
                       content_type="application/json").status_code == 403
    client.logout()
    assert client.post(f"{API}/sessions/{session.pk}/on-behalf/", body,
                       content_type="application/json").status_code == 401

    staff = staff_client_for("Program staff")
    response = staff.post(f"{API}/sessions/{session.pk}/on-behalf/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    registration = Registration.objects.get(pk=response.json()["id"])
    assert registration.member.phone == "+8613800001111" and registration.channel == "phone"
    assert registration.registered_by == staff.user

    checked = staff.post(f"{API}/sessions/{session.pk}/check-in/", {"code": registration.check_in_code},
                         content_type="application/json").json()
    assert checked["already_checked_in"] is False and checked["member"]["masked_phone"] == "138****1111"
    again = staff.post(f"{API}/sessions/{session.pk}/check-in/", {"code": registration.check_in_code},
                       content_type="application/json").json()
    assert again["already_checked_in"] is True
    bad = staff.post(f"{API}/sessions/{session.pk}/check-in/", {"code": "R1-XXXXXXXX"},
                     content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_code"

    walk_in = staff.post(f"{API}/sessions/{session.pk}/on-behalf/", {"member_id": member.pk, "check_in": True},
                         content_type="application/json")
    assert walk_in.status_code == 201 and walk_in.json()["status"] == "attended"
    rows = staff.get(f"{API}/sessions/{session.pk}/attendance/").json()
    assert len(rows) == 2 and all(r["checked_in_at"] for r in rows)
    full = staff.post(f"{API}/sessions/{session.pk}/on-behalf/", {"phone": "13800002222", "display_name": "李师傅",
                      "check_in": True}, content_type="application/json")
    assert full.status_code == 409 and full.json()["code"] == "full"


def test_wrong_session_code_is_refused(make_program, make_member, staff_client_for):
    program = make_program(places=[2], days=0)
    other = make_program(places=[2], days=0)
    staff = staff_client_for("Program staff")
    registration = services.register_on_behalf(staff.user, make_member(), other, other.session_list[0])
    response = staff.post(f"{API}/sessions/{program.session_list[0].pk}/check-in/",
                          {"code": registration.check_in_code}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "wrong_session"
    assert other.title in response.json()["other"]


def test_certificate_pdf(client, make_program, make_member, program_staff):
    from programs.documents import find_cjk_font

    if find_cjk_font() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-microhei or fonts-noto-cjk)")
    program = make_program(places=[3], days=0, enrolment="series")
    member = make_member()
    client.force_login(member)
    assert client.get(f"{API}/{program.pk}/certificate.pdf").json()["code"] == "not_completed"
    registration = services.register_on_behalf(program_staff, member, program)
    services.check_in(program_staff, program.session_list[0], registration.check_in_code)
    assert client.get(f"{API}/{program.pk}/certificate.pdf").json()["code"] == "not_completed"  # not over yet
    with time_machine.travel(program.session_list[0].end + timedelta(minutes=5)):
        response = client.get(f"{API}/{program.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


def test_my_registrations_query_count_is_constant(client, make_program, make_member):
    member = make_member()
    client.force_login(member)
    for i in range(2):
        program = make_program(days=i + 1)
        services.register(member, program, program.session_list[0])
    client.get(f"{API}/registrations/")
    small = _count_queries(client, f"{API}/registrations/")
    for i in range(6):
        program = make_program(days=i + 5, enrolment="series", places=[4, 4])
        services.register(member, program)
    large = _count_queries(client, f"{API}/registrations/")
    assert small == large


def test_member_data_export_includes_registrations(make_program, make_member):
    from members.services import export_data

    member = make_member()
    program = make_program()
    services.register(member, program, program.session_list[0])
    data = export_data(member)
    assert data["programs"]["registrations"][0]["program"] == program.title


def test_listing_is_cached_until_a_change(client, make_program, make_member, settings,
                                          django_capture_on_commit_callbacks):
    from django.core.cache import cache

    cache.clear()
    program = make_program(places=[3])
    first = client.get(f"{API}/").json()
    assert first["items"][0]["remaining_places"] == 3
    assert _count_queries(client, f"{API}/") == 0  # served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.register(make_member(), program, program.session_list[0])
    assert client.get(f"{API}/").json()["items"][0]["remaining_places"] == 2
    cache.clear()


def test_api_refusals_are_in_the_members_language(client, make_program, make_member, staff_client_for):
    program = make_program()
    member = make_member()
    registration = services.register(member, program, program.session_list[0])
    client.force_login(member)
    bad_format = client.get(f"{API}/registrations/{registration.pk}/qr.svg?format=gif")
    assert bad_format.status_code == 422 and bad_format.json()["detail"] == "格式只能是 svg 或 png。"
    staff = staff_client_for("Program staff")
    nobody = staff.post(f"{API}/sessions/{program.session_list[0].pk}/on-behalf/", {}, content_type="application/json")
    assert nobody.status_code == 422 and nobody.json()["detail"] == "请提供 member_id 或 phone（手机号）。"



def test_on_behalf_refused_creates_no_account(make_program, make_member, staff_client_for):
    from members.models import User

    program = make_program(places=[1], days=0)
    session = program.session_list[0]
    staff = staff_client_for("Program staff")
    services.register_on_behalf(staff.user, make_member(), program, session)
    response = staff.post(f"{API}/sessions/{session.pk}/on-behalf/",
                          {"phone": "13800003333", "display_name": "孙师傅", "check_in": True},
                          content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "full"
    assert not User.objects.filter(display_name="孙师傅").exists()


def test_calendar_file_says_whether_the_place_is_held(client, make_program, make_member):
    from icalendar import Calendar

    program = make_program(places=[1])
    session = program.session_list[0]
    holder, waiting = make_member(), make_member()
    held = services.register(holder, program, session)
    queued = services.register(waiting, program, session)

    def event(member, registration):
        client.force_login(member)
        ics = client.get(f"{API}/registrations/{registration.pk}/calendar.ics")
        assert ics.status_code == 200
        return Calendar.from_ical(ics.content).walk("VEVENT")[0]

    confirmed = event(holder, held)
    assert confirmed["STATUS"] == "CONFIRMED"
    assert confirmed["DTSTART"].to_ical().decode() == timezone.localtime(session.start).strftime("%Y%m%dT%H%M%S")
    assert event(waiting, queued)["STATUS"] == "TENTATIVE"
    services.cancel(waiting, queued.pk)
    assert event(waiting, queued)["STATUS"] == "CANCELLED"


def test_certificate_of_a_draft_or_private_program_is_404_like_an_unknown_id(client, make_program, make_member):
    from wagtail.models import PageViewRestriction

    draft = make_program(places=[3], days=0)
    draft.unpublish()
    private = make_program(places=[3], days=0)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(make_member())
    for program_id in (draft.pk, private.pk, 999999):
        response = client.get(f"{API}/{program_id}/certificate.pdf")
        assert response.status_code == 404, (program_id, response.content)


def test_nul_characters_in_a_body_are_refused_and_nothing_is_stored(client, make_member):
    from members.models import User

    member = make_member()
    client.force_login(member)
    response = client.patch("/api/v3/members/me/", {"display_name": "王\x00小明"}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "nul_character"
    assert "\x00" not in User.objects.get(pk=member.pk).display_name
