"""/api/v3/volunteers/ as a phone front end uses it: the rider's whole day, and refusals."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.fonts import find_cjk_font
from tests.volunteers.conftest import first_shift
from volunteers import services
from volunteers.models import Certificate, HoursEntry, SignUp

pytestmark = pytest.mark.django_db

API = "/api/v3/volunteers"


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


def test_listing_shows_places_left_in_constant_queries(client, make_opportunity, django_capture_on_commit_callbacks):
    for _ in range(3):
        make_opportunity(places=[5, 8], outputs=["发放传单"])
    client.get(f"{API}/?limit=19")  # warm up (site root paths, content types); another URL, not cached for "/"
    with CaptureQueriesContext(connection) as three:
        response = client.get(f"{API}/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["items"][0]["remaining_places"] == 13
    assert body["items"][0]["next_shift"]["remaining"] == 5 and body["items"][0]["outputs"][0]["label"] == "发放传单"
    with django_capture_on_commit_callbacks(execute=True):  # committed: the cached listing is stale
        for _ in range(5):
            make_opportunity(places=[5])
    client.get(f"{API}/?limit=18")  # the new versions read, as for "three"
    with CaptureQueriesContext(connection) as eight:
        assert client.get(f"{API}/").json()["count"] == 8
    assert len(eight) == len(three)


def test_listing_reads_only_upcoming_shifts_without_grouping_the_pages(client, make_opportunity):
    """The listing once grouped every page column to find the next start (Min over a join) and
    read every shift an opportunity ever had; a long-running patrol has hundreds of past ones."""
    from volunteers.models import Shift

    regular = make_opportunity(places=[6], outputs=["发放传单"], title="每周巡逻")
    start = timezone.now() - timedelta(days=60)
    Shift.objects.bulk_create([Shift(opportunity=regular, start=start + timedelta(days=n),
                                     end=start + timedelta(days=n, hours=2), places=6) for n in range(50)])
    make_opportunity(places=[4, 4])
    client.get(f"{API}/?limit=19")  # warm-up on another URL: "/" itself is not cached yet
    with CaptureQueriesContext(connection) as queries:
        body = client.get(f"{API}/").json()
    assert body["count"] == 2
    listed = {item["title"]: item for item in body["items"]}
    assert listed["每周巡逻"]["remaining_places"] == 6 and listed["每周巡逻"]["next_shift"]["places"] == 6
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [q for q in sql if "GROUP BY" in q], "the listing groups rows"
    shift_reads = [q for q in sql if q.lstrip().startswith('SELECT "volunteers_shift"."id"')]
    assert len(shift_reads) == 1 and '"volunteers_shift"."start" >' in shift_reads[0]
    assert not [q for q in sql if "wagtailimages_rendition" in q]  # the API shows no cover
    assert len(queries) <= 6, sql


def test_a_full_shift_without_waiting_list_is_refused_before_any_lock(client, make_opportunity, make_member):
    from core.models import Capacity

    shift = first_shift(make_opportunity(places=[3], waitlist_enabled=False))
    Capacity.objects.filter(pk=shift.capacity_id).update(taken=3)
    client.force_login(make_member())
    client.get(f"{API}/")
    with CaptureQueriesContext(connection) as refused:
        response = _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/")
    assert response.status_code == 409 and response.json()["code"] == "full"
    assert not [q for q in refused.captured_queries if "SAVEPOINT" in q["sql"] or "UPDATE" in q["sql"]]
    assert not SignUp.objects.filter(shift=shift).exists()
    # One already on the shift is told so, not "full".
    Capacity.objects.filter(pk=shift.capacity_id).update(taken=0)
    member = make_member()
    client.force_login(member)
    assert _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/").status_code == 201
    Capacity.objects.filter(pk=shift.capacity_id).update(taken=3)
    again = _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_a_rider_signs_up_is_checked_in_and_out_and_gets_a_certificate(client, make_opportunity, make_member, coordinator):
    opportunity = make_opportunity(places=[20], hours_from_now=24, length=3, outputs=["发放传单"], title="反诈宣传进小区")
    shift = first_shift(opportunity)
    rider = make_member(display_name="刘骑手")
    client.force_login(rider)
    signed = _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/")
    assert signed.status_code == 201 and signed.json()["status"] == "confirmed"
    signup_id = signed.json()["id"]
    assert client.get(f"{API}/signups/{signup_id}/qr.svg").status_code == 200
    with time_machine.travel(shift.start + timedelta(minutes=2), tick=False):
        checked = _json(client, "post", f"{API}/check-in/", {"shift_code": shift.check_in_code})
        assert checked.status_code == 200 and not checked.json()["already_checked_in"]
    with time_machine.travel(shift.start + timedelta(hours=2, minutes=2), tick=False):
        out = _json(client, "post", f"{API}/signups/{signup_id}/check-out/", {"outputs": {"发放传单": 120}})
    assert out.status_code == 200, out.content
    entry = out.json()["entry"]
    assert entry["minutes"] == 120 and entry["status"] == "pending" and entry["outputs"][0]["quantity"] == 120
    assert client.get(f"{API}/hours/summary/").json()["pending_minutes"] == 120
    client.force_login(coordinator)
    queue = client.get(f"{API}/queue/").json()
    assert queue["count"] == 1 and queue["items"][0]["masked_phone"].count("*") == 4
    assert _json(client, "post", f"{API}/hours/approve/", {"ids": [entry["id"]]}).json()["decided"] == [entry["id"]]
    client.force_login(rider)
    assert client.get(f"{API}/hours/summary/").json()["approved_minutes"] == 120
    today = timezone.localdate()
    made = _json(client, "post", f"{API}/certificates/", {"period_start": str(today - timedelta(days=30)),
                                                           "period_end": str(today + timedelta(days=2))})
    assert made.status_code == 201, made.content
    certificate = Certificate.objects.get()
    assert made.json()["total_hours"] == 2.0 and certificate.verification_code in made.json()["verification_url"]
    if find_cjk_font() is not None:
        pdf = client.get(made.json()["pdf_url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.logout()
    proof = client.get(f"{API}/certificates/verify/{certificate.number}/", {"code": certificate.verification_code})
    assert proof.status_code == 200
    assert proof.json()["name"] == "刘*手" and proof.json()["valid"] is True and proof.json()["total_hours"] == 2.0
    assert "刘骑手" not in proof.content.decode() and rider.phone not in proof.content.decode()
    assert client.get(f"{API}/certificates/verify/{certificate.number}/", {"code": "WRONG"}).status_code == 404


def test_other_members_data_never_appears(client, make_opportunity, make_member):
    shift = first_shift(make_opportunity())
    owner, other = make_member(), make_member()
    signup = services.sign_up(owner, shift)
    end = timezone.now() - timedelta(hours=3)
    entry = services.self_report(owner, activity="楼道清扫", start=end - timedelta(hours=1), end=end)
    client.force_login(other)
    assert client.get(f"{API}/signups/").json()["count"] == 0
    assert client.get(f"{API}/hours/").json()["count"] == 0
    assert client.get(f"{API}/signups/{signup.pk}/qr.svg").status_code == 404
    assert _json(client, "post", f"{API}/signups/{signup.pk}/withdraw/").status_code == 404
    assert _json(client, "post", f"{API}/hours/{entry.pk}/correction/",
                 {"start": (end - timedelta(hours=1)).isoformat(), "end": end.isoformat(), "reason": "改时间"}).status_code == 404
    assert client.get(f"{API}/queue/").status_code == 403
    assert _json(client, "post", f"{API}/hours/approve/", {"ids": [entry.pk]}).status_code == 403
    assert HoursEntry.objects.get(pk=entry.pk).status == "pending"


def test_conflicts_are_409_with_a_code_and_change_nothing(client, make_opportunity, make_member):
    shift = first_shift(make_opportunity(places=[1], waitlist_enabled=False))
    services.sign_up(make_member(), shift)
    client.force_login(make_member())
    full = _json(client, "post", f"{API}/shifts/{shift.pk}/sign-up/")
    assert full.status_code == 409 and full.json()["code"] == "full"
    assert full["Content-Type"] == "application/problem+json"
    assert SignUp.objects.count() == 1


@pytest.mark.parametrize("body", [
    {"activity": "巡逻", "start": "2026-01-01T10:00:00+08:00", "end": "2026-01-01T09:00:00+08:00"},
    {"activity": "巡逻", "start": "2026-01-01T10:00:00+08:00", "end": "2026-01-01T11:00:00+08:00", "minutes": 90},
    {"activity": "x", "start": "2026-01-01T10:00:00+08:00", "end": "2026-01-01T11:00:00+08:00"},
    {"activity": "巡逻", "start": "not a time", "end": "2026-01-01T11:00:00+08:00"},
])
def test_bad_self_reports_are_422_and_write_nothing(client, make_member, body):
    client.force_login(make_member())
    response = _json(client, "post", f"{API}/hours/", body)
    assert response.status_code == 422, response.content
    assert not HoursEntry.objects.exists()


def test_listing_and_leaderboard_are_cached_and_follow_every_change(
        client, make_opportunity, make_member, coordinator, django_capture_on_commit_callbacks):
    """A hit costs no query; a sign-up is seen in the listing's places left, and an approval on
    the leaderboard, on the next request."""
    shift = first_shift(make_opportunity(places=[4]))
    member = make_member(display_name="孙志愿")
    services.update_profile(member, member, leaderboard_consent=True)
    assert client.get(f"{API}/").json()["items"][0]["remaining_places"] == 4
    assert client.get(f"{API}/leaderboard/", {"period": "all"}).json() == []
    with CaptureQueriesContext(connection) as hits:
        listing, board = client.get(f"{API}/"), client.get(f"{API}/leaderboard/", {"period": "all"})
    assert len(hits) == 0 and listing["X-Page-Cache"] == board["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.sign_up(member, shift)
    assert client.get(f"{API}/").json()["items"][0]["remaining_places"] == 3
    end = timezone.now() - timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.self_report(member, activity="清洁家园", start=end - timedelta(hours=2), end=end)
        services.approve(coordinator, [entry.pk])
    assert [r["name"] for r in client.get(f"{API}/leaderboard/", {"period": "all"}).json()] == ["孙志愿"]
    page = client.get("/volunteers/leaderboard/?period=all")
    assert "孙志愿" in page.content.decode() and client.get("/volunteers/leaderboard/?period=all")["X-Page-Cache"] == "hit"


def test_leaderboard_names_only_those_who_consented(client, make_member, coordinator):
    shown, hidden = make_member(display_name="陈志愿"), make_member(display_name="赵不愿")
    services.update_profile(shown, shown, leaderboard_consent=True)
    end = timezone.now() - timedelta(minutes=5)
    for member, hours in ((shown, 3), (hidden, 5)):
        entry = services.self_report(member, activity="清洁家园", start=end - timedelta(hours=hours), end=end)
        services.approve(coordinator, [entry.pk])
    rows = client.get(f"{API}/leaderboard/", {"period": "all"}).json()
    assert [(r["rank"], r["name"], r["named"]) for r in rows] == [(1, "赵*愿", False), (2, "陈志愿", True)]
    assert client.get(f"{API}/leaderboard/", {"period": "week"}).status_code == 422


def test_private_calendar_feed_by_token(client, make_opportunity, make_member):
    shift = first_shift(make_opportunity(title="消防安全巡查"))
    member = make_member()
    services.sign_up(member, shift)
    token = services.profile_for(member).calendar_token
    feed = client.get(f"{API}/calendar/{token}.ics")
    assert feed.status_code == 200 and "消防安全巡查" in feed.content.decode()
    assert client.get(f"{API}/calendar/not-a-token.ics").status_code == 404


def test_profile_masks_the_id_number(client, make_member):
    member = make_member()
    client.force_login(member)
    saved = _json(client, "put", f"{API}/profile/", {"id_number": "33010219900101123x", "skills": ["急救", "手语"],
                                                      "leaderboard_consent": True})
    assert saved.status_code == 200, saved.content
    assert saved.json()["masked_id_number"] == "330102********123X" and sorted(saved.json()["skills"]) == sorted(["急救", "手语"])
    assert "33010219900101123" not in saved.content.decode()
    assert _json(client, "put", f"{API}/profile/", {"id_number": "12345"}).status_code == 422


def test_deciding_an_unknown_correction_is_404_not_500(client, coordinator):
    """The schema walk found this: an unknown id raised DoesNotExist inside the service (500)."""
    client.force_login(coordinator)
    response = _json(client, "post", f"{API}/corrections/987654/decide/", {"accept": True})
    assert response.status_code == 404
