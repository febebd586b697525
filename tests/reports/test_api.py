"""/api/v3/reports/: a phone app uploads a photo, asks what is nearby, submits or says "me too";
grid workers work their queue; who sees what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import Report, Status
from tests.reports.factories import (
    HEHUA,
    ground_lock_category,
    make_category,
    north,
    phone_photo,
    rider,
)

pytestmark = pytest.mark.django_db
API = "/api/v3/reports"


def _as(client, user):
    client.force_login(user)
    return client


def _submit(client, **extra):
    body = {"category": "ground-lock", "description": "车位上装了地锁", "answers": {"count": 1},
            "lat": north(HEHUA, 40)[0], "lng": HEHUA[1], **extra}
    return client.post(f"{API}/", body, content_type="application/json")


def test_the_app_uploads_a_photo_then_submits(client, hehua, worker):
    ground_lock_category()
    _as(client, rider(hehua))
    assert _submit(client).json()["code"] == "photo_required"
    upload = client.post(f"{API}/photos/", {"photo": phone_photo()})
    assert upload.status_code == 201, upload.content
    photo = upload.json()
    response = _submit(client, photo_ids=[photo["id"]])
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["community"]["code"] == "hehua" and body["mine"]
    assert [p["id"] for p in body["photos"]] == [photo["id"]]
    # A photo is used once.
    assert _submit(client, photo_ids=[photo["id"]]).json()["code"] == "bad_photo"


@pytest.mark.parametrize(("extra", "status", "code"), [
    ({"category": "nope"}, 422, "category_closed"),
    ({"description": "   "}, 422, "description_required"),
    ({"answers": {}}, 422, "answer_required"),
    ({"answers": {"count": "很多"}}, 422, "bad_number"),
    ({"lat": None, "lng": None}, 422, "location_required"),
    ({"community": "nowhere"}, 422, "unknown_community"),
    ({"photo_ids": [999999]}, 422, "bad_photo"),
])
def test_bad_input_is_refused_and_nothing_is_filed(client, hehua, extra, status, code):
    category = ground_lock_category()
    category.photo_required = False
    category.save()
    _as(client, rider(hehua))
    response = _submit(client, **extra)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert not Report.objects.exists()


def test_nearby_then_me_too(client, hehua):
    category = make_category("ground-lock")
    first = rider(hehua)
    report = services.submit(first, category=category, description="地锁", lat=HEHUA[0], lng=HEHUA[1])
    far = services.submit(first, category=category, description="远处的地锁", lat=north(HEHUA, 900)[0], lng=HEHUA[1])
    _as(client, rider(hehua))
    body = client.get(f"{API}/nearby/", {"category": "ground-lock", "lat": north(HEHUA, 100)[0], "lng": HEHUA[1]}).json()
    assert [i["id"] for i in body["items"]] == [report.pk] and far.pk not in [i["id"] for i in body["items"]]
    assert 95 <= body["items"][0]["distance_m"] <= 105
    assert body["items"][0]["lat"] == round(HEHUA[0], 3)  # rounded for a stranger
    joined = client.post(f"{API}/{report.pk}/me-too/")
    assert joined.status_code == 200 and joined.json()["supporters"] == 1 and joined.json()["me_too"]
    again = client.post(f"{API}/{report.pk}/me-too/")
    assert again.status_code == 409 and again.json()["code"] == "already_supported"
    _as(client, first)
    assert client.post(f"{API}/{report.pk}/me-too/").json()["code"] == "own_report"


def test_private_categories_stay_private(client, hehua, worker):
    need = make_category("need", is_public=False)
    owner = rider(hehua)
    report = services.submit(owner, category=need, description="家里老人需要帮助", community="hehua")
    assert client.get(f"{API}/{report.pk}/").status_code == 404
    assert client.get(f"{API}/").json()["count"] == 0
    _as(client, rider(hehua))
    assert client.get(f"{API}/{report.pk}/").status_code == 404
    _as(client, owner)
    assert client.get(f"{API}/{report.pk}/").json()["reporter"]
    _as(client, worker)
    assert client.get(f"{API}/{report.pk}/").status_code == 200


def test_personal_data_only_to_those_entitled(client, hehua, worker):
    category = make_category("ground-lock")
    owner = rider(hehua, display_name="张伟")
    report = services.submit(owner, category=category, description="地锁", lat=north(HEHUA, 44)[0], lng=HEHUA[1])
    public = client.get(f"{API}/{report.pk}/").json()
    assert public["reporter"] is None and public["lat"] == round(report.latitude, 3)
    assert "张伟" not in str(client.get(f"{API}/").json())
    _as(client, worker)
    assert client.get(f"{API}/{report.pk}/").json()["reporter"] == "张伟"
    anonymous = services.submit(owner, category=category, description="地锁", lat=HEHUA[0], lng=HEHUA[1], anonymous=True)
    assert "张伟" not in str(client.get(f"{API}/{anonymous.pk}/").json())


def test_the_grid_workers_queue_and_steps(client, hehua, worker):
    category = make_category("rubbish")
    stranger = rider(hehua)
    reports = [services.submit(rider(hehua), category=category, description=f"垃圾{n}", lat=HEHUA[0], lng=HEHUA[1])
               for n in range(3)]
    _as(client, stranger)
    assert client.get(f"{API}/queue/").status_code == 403
    assert client.post(f"{API}/{reports[0].pk}/accept/").status_code == 403
    _as(client, worker)
    client.get(f"{API}/queue/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"{API}/queue/", {"limit": 1})
    with CaptureQueriesContext(connection) as many:
        queue = client.get(f"{API}/queue/", {"limit": 3}).json()
    assert queue["count"] == 3
    assert len(many) == len(few), "the queue's queries must not grow with its length"
    rid = reports[0].pk
    assert client.post(f"{API}/{rid}/accept/").json()["status"] == "accepted"
    assert client.post(f"{API}/{rid}/accept/").json()["code"] == "not_submitted"
    assert client.post(f"{API}/{rid}/start/").json()["status"] == "in_progress"
    assert client.post(f"{API}/{rid}/resolve/", {"note": ""}, content_type="application/json").status_code == 422
    done = client.post(f"{API}/{rid}/resolve/", {"note": "已清运"}, content_type="application/json")
    assert done.json()["status"] == "resolved" and done.json()["public_note"] == "已清运"
    rejected = client.post(f"{API}/{reports[1].pk}/reject/", {"reason": "现场未发现"}, content_type="application/json")
    assert rejected.json()["status"] == "rejected"
    # Dispatch and merge are the command centre's.
    assert client.post(f"{API}/{reports[2].pk}/merge/", {"into": rid}, content_type="application/json").status_code == 403


def test_reporter_reopens_within_the_window_then_not(client, hehua, worker, time_machine):
    from django.utils import timezone

    time_machine.move_to(timezone.now(), tick=False)
    category = make_category("rubbish")
    owner = rider(hehua)
    report = services.submit(owner, category=category, description="垃圾", lat=HEHUA[0], lng=HEHUA[1])
    services.accept(report.pk, worker)
    services.resolve(report.pk, worker, note="已清运")
    _as(client, owner)
    again = client.post(f"{API}/{report.pk}/reopen/", {"reason": "又倒了一堆"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["status"] == "in_progress"
    services.resolve(report.pk, worker, note="再次清运")
    time_machine.shift(60 * 60 * 24 * 8)
    late = client.post(f"{API}/{report.pk}/reopen/", {"reason": "还有"}, content_type="application/json")
    assert late.status_code == 409 and late.json()["code"] == "reopen_expired"
    report.refresh_from_db()
    assert report.status == Status.RESOLVED


def test_command_centre_dispatches_and_merges(client, hehua, worker):
    from tests.reports.factories import command_centre, grid_worker

    category = make_category("rubbish")
    other = grid_worker(hehua)
    first = services.submit(rider(hehua), category=category, description="垃圾", lat=HEHUA[0], lng=HEHUA[1])
    dup_owner = rider(hehua)
    dup = services.submit(dup_owner, category=category, description="同一堆垃圾", lat=HEHUA[0], lng=HEHUA[1])
    _as(client, command_centre())
    sent = client.post(f"{API}/{first.pk}/dispatch/", {"assignee": other.pk}, content_type="application/json")
    assert sent.status_code == 200 and sent.json()["status"] == "dispatched"
    assert client.post(f"{API}/{first.pk}/dispatch/", {"assignee": rider(hehua).pk},
                       content_type="application/json").json()["code"] == "not_grid_worker"
    merged = client.post(f"{API}/{dup.pk}/merge/", {"into": first.pk}, content_type="application/json")
    assert merged.status_code == 200 and merged.json()["status"] == "merged"
    first.refresh_from_db()
    assert first.supporter_count == 1 and first.supporters.filter(member=dup_owner).exists()
    assert client.post(f"{API}/{dup.pk}/merge/", {"into": dup.pk}, content_type="application/json").status_code == 422


def _queries(client, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{API}/", params)
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_list_is_one_cached_page_for_everyone_and_the_readers_marks_are_one_query(client, hehua):
    category = make_category("rubbish")
    owner, supporter = rider(hehua), rider(hehua)
    reports = [services.submit(owner, category=category, description=f"垃圾{n}", lat=north(HEHUA, 44)[0],
                               lng=HEHUA[1]) for n in range(12)]
    services.me_too(reports[0].pk, supporter)
    client.get(f"{API}/", {"limit": 1})  # the cache's versions are read once after a change
    cold_few, _body = _queries(client, {"limit": 2})
    cold_many, body = _queries(client, {"limit": 12})
    assert cold_many == cold_few, "the list's queries must not grow with the page size"
    assert body["count"] == 12 and [i["me_too"] or i["mine"] for i in body["items"]] == [False] * 12
    # Anonymous hits: nothing from the database at all.
    assert _queries(client, {"limit": 12})[0] == 0
    # A member gets the same cached page, with their marks from one query over its ids.
    client.force_login(supporter)
    client.get(f"{API}/mine/")  # the session and the user are loaded once, as on any request
    warm_few, _body = _queries(client, {"limit": 2})
    warm_many, body = _queries(client, {"limit": 12})
    assert warm_many == warm_few
    assert [i["id"] for i in body["items"] if i["me_too"]] == [reports[0].pk]
    assert not any(i["mine"] for i in body["items"])
    client.force_login(owner)
    body = client.get(f"{API}/", {"limit": 12}).json()
    assert all(i["mine"] for i in body["items"]) and not any(i["me_too"] for i in body["items"])
    # Even the reporter sees the rounded point here: the page is the same for every reader.
    assert body["items"][0]["lat"] == round(reports[-1].latitude, 3)
    # A change is seen at once: the "reports" namespace is bumped after commit.
    services.me_too(reports[1].pk, supporter)
    client.force_login(supporter)
    body = client.get(f"{API}/", {"limit": 12}).json()
    assert {i["id"] for i in body["items"] if i["me_too"]} == {reports[0].pk, reports[1].pk}
    assert {i["id"]: i["supporters"] for i in body["items"]}[reports[1].pk] == 1
