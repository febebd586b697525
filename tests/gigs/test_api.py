"""/api/v3/gigs/ as a phone app uses it: listings in constant queries, who sees what, refusals."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gigs import services
from tests.factories import UserFactory, logged_in_client
from tests.gigs import factories

pytestmark = pytest.mark.django_db

API = "/api/v3/gigs"


def test_the_needs_listing_is_public_and_constant_in_queries(client, django_capture_on_commit_callbacks):
    # The listing is cached under "gigs", bumped after each commit: run those callbacks, as a
    # real request's commit would.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            factories.need()
    client.get(f"{API}/needs/")
    with CaptureQueriesContext(connection) as hit:
        response = client.get(f"{API}/needs/")
    assert response["X-Page-Cache"] == "hit"
    body = response.json()
    assert body["count"] == 2 and body["items"][0]["skills"] == ["分拣"] and body["items"][0]["remaining"] == 6
    assert body["items"][0]["pay_amount"] == "180.00"
    with django_capture_on_commit_callbacks(execute=True):
        employer = factories.employer()
        for _ in range(5):
            factories.need(employer)
    fresh = client.get(f"{API}/needs/")
    assert fresh.json()["count"] == 7 and "X-Page-Cache" not in fresh
    with CaptureQueriesContext(connection) as seven:
        client.get(f"{API}/needs/?limit=7")
    with CaptureQueriesContext(connection) as two_again:
        client.get(f"{API}/needs/?q=分拣&limit=2")
    assert len(two_again) == len(seven)  # a miss costs the same whatever the page size
    assert len(hit) <= 2


def test_a_hire_makes_the_cached_listing_show_places_left(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        need = factories.need(headcount=2)
    assert client.get(f"{API}/needs/").json()["items"][0]["remaining"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        factories.hire(need)
    assert client.get(f"{API}/needs/").json()["items"][0]["remaining"] == 1


def test_drafts_and_pending_needs_are_only_for_their_employer_and_officers(client, officer_client):
    draft = factories.need(open_=False)
    assert client.get(f"{API}/needs/{draft.pk}/").status_code == 404
    assert logged_in_client(UserFactory()).get(f"{API}/needs/{draft.pk}/").status_code == 404
    boss = services.employer_staff(draft.employer)[0]
    assert logged_in_client(boss).get(f"{API}/needs/{draft.pk}/").json()["status"] == "draft"
    assert officer_client.get(f"{API}/needs/{draft.pk}/").status_code == 200


def test_applicants_are_only_for_the_employer_and_candidates_are_masked():
    need = factories.need()
    rider = factories.worker(member=UserFactory(phone="+8613805719999"))
    services.apply(rider, need.pk)
    searchable = factories.worker(member=UserFactory(phone="+8613805718888"))
    stranger = logged_in_client(factories.worker(searchable=False))
    assert stranger.get(f"{API}/needs/{need.pk}/applications/").status_code == 403
    boss = logged_in_client(services.employer_staff(need.employer)[0])
    items = boss.get(f"{API}/needs/{need.pk}/applications/").json()["items"]
    assert [i["phone"] for i in items] == ["138****9999"]
    candidates = boss.get(f"{API}/needs/{need.pk}/candidates/").json()
    assert [c["phone"] for c in candidates] == ["138****8888"] and candidates[0]["worker_id"] == searchable.pk
    assert "13805718888" not in str(candidates)


def test_a_worker_who_hides_their_profile_is_never_suggested():
    need = factories.need()
    factories.worker(searchable=False)
    boss = logged_in_client(services.employer_staff(need.employer)[0])
    assert boss.get(f"{API}/needs/{need.pk}/candidates/").json() == []


def test_profile_round_trip_and_bad_availability_is_422():
    member = UserFactory()
    client = logged_in_client(member)
    missing = client.get(f"{API}/profile/")
    assert missing.status_code == 404 and missing.json()["code"] == "no_profile"
    saved = client.put(f"{API}/profile/", {"skills": ["送餐"], "availability": [{"weekday": 0, "start": "18:00",
                                                                              "end": "22:00"}],
                                           "min_pay_amount": "150", "max_distance_km": "5"},
                       content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["skills"] == ["送餐"] and saved.json()["min_pay_amount"] == "150.00"
    bad = client.put(f"{API}/profile/", {"availability": [{"weekday": 0, "start": "25:00", "end": "22:00"}]},
                     content_type="application/json")
    assert bad.status_code == 422


def test_recommendations_are_ranked_with_reasons_and_a_far_need_is_explained():
    factories.need(title="近处夜班")
    far = factories.need(title="远处夜班", at=(Decimal("30.600000"), Decimal("120.500000")))
    rider = logged_in_client(factories.worker())
    matches = rider.get(f"{API}/recommended/").json()
    assert [m["need"]["title"] for m in matches] == ["近处夜班"]
    assert matches[0]["distance_km"] == pytest.approx(1.2, abs=0.2) and matches[0]["score"] >= 80
    why = rider.get(f"{API}/needs/{far.pk}/why-not/").json()
    assert why["suitable"] is False and why["why_not"]


def test_figures_are_for_officers_only(officer_client):
    assert logged_in_client(UserFactory()).get(f"{API}/figures/").status_code == 403
    assert officer_client.get(f"{API}/figures/?month=2026-13").status_code == 422
    assert officer_client.get(f"{API}/figures/?by=community").json()["by"] == "community"


def test_applying_twice_is_a_409(django_capture_on_commit_callbacks):
    need = factories.need()
    rider = logged_in_client(factories.worker())
    assert rider.post(f"{API}/needs/{need.pk}/apply/", {}, content_type="application/json").status_code == 201
    again = rider.post(f"{API}/needs/{need.pk}/apply/", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate"


def test_an_officer_pushes_a_match_to_both_sides(officer_client, django_capture_on_commit_callbacks):
    from core.models import NotificationLog

    need = factories.need()
    rider = factories.worker()
    assert logged_in_client(rider).post(f"{API}/needs/{need.pk}/push/", {"worker_id": rider.pk},
                                        content_type="application/json").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        pushed = officer_client.post(f"{API}/needs/{need.pk}/push/", {"worker_id": rider.pk},
                                     content_type="application/json")
    assert pushed.status_code == 200 and pushed.json()["suitable"] is True
    boss = services.employer_staff(need.employer)[0]
    assert NotificationLog.objects.filter(user=rider, kind="gigs.match_pushed").exists()
    assert NotificationLog.objects.filter(user=boss, kind="gigs.match_pushed_employer").exists()


def test_an_enterprise_adds_a_colleague_by_phone():
    need = factories.need()
    boss = logged_in_client(services.employer_staff(need.employer)[0])
    colleague = UserFactory(phone="+8613905712345")
    added = boss.post(f"{API}/employers/{need.employer_id}/staff/", {"phone": "139 0571 2345"},
                      content_type="application/json")
    assert added.status_code == 200, added.content
    assert logged_in_client(colleague).get(f"{API}/needs/{need.pk}/applications/").status_code == 200
    outsider = logged_in_client(UserFactory())
    refused = outsider.post(f"{API}/employers/{need.employer_id}/staff/", {"phone": "13905712345"},
                            content_type="application/json")
    assert refused.status_code == 403
