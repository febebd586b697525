import pytest

from core import credits
from stations.models import Visit
from tests.factories import UserFactory
from tests.stations.factories import make_station


@pytest.fixture
def ledger():
    """A stand-in hours ledger registered through the contract, as the volunteers plugin would."""
    received = []

    def handler(event):
        received.append(event)
        return event.source_key

    credits.register(handler)
    yield received
    credits.unregister(handler)


@pytest.fixture
def visit(db, community):
    station = make_station(community=community)
    return Visit.objects.create(station=station, member=UserFactory())


def test_station_staff_credit_a_visit_once(visit, ledger, staff_client_for):
    staff = staff_client_for("Station staff")
    url = f"/api/v3/stations/visits/{visit.pk}/credit/"
    response = staff.post(url, {"minutes": 90}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert [(e.member_id, e.minutes, e.source_key, e.community_id) for e in ledger] == [
        (visit.member_id, 90, f"stations.visit.{visit.pk}", visit.station.community_id)]
    assert visit.station.title in ledger[0].activity
    again = staff.post(url, {"minutes": 30}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_credited"
    assert len(ledger) == 1
    visit.refresh_from_db()
    assert visit.volunteer_minutes == 90 and visit.credited_by == staff.user


def test_nobody_else_credits_and_bad_minutes_change_nothing(visit, ledger, client, staff_client_for):
    client.force_login(visit.member)
    url = f"/api/v3/stations/visits/{visit.pk}/credit/"
    assert client.post(url, {"minutes": 60}, content_type="application/json").status_code == 403
    staff = staff_client_for("Station staff")
    assert staff.post(url, {"minutes": 0}, content_type="application/json").status_code == 422
    assert staff.post("/api/v3/stations/visits/999999/credit/", {"minutes": 5},
                      content_type="application/json").status_code == 404
    assert ledger == [] and not Visit.objects.get(pk=visit.pk).is_credited


def test_the_station_page_form_credits_todays_visit(visit, ledger, staff_client_for):
    staff = staff_client_for("Station staff")
    html = staff.get(visit.station.url).content.decode()
    assert str(visit.member) in html
    response = staff.post(f"/stations/visits/{visit.pk}/credit/", {"minutes": "45", "next": visit.station.url})
    assert response.status_code == 302 and len(ledger) == 1 and ledger[0].minutes == 45


def test_with_no_ledger_enabled_the_visit_is_still_marked(visit, staff_client_for):
    staff = staff_client_for("Station staff")
    response = staff.post(f"/api/v3/stations/visits/{visit.pk}/credit/", {"minutes": 30},
                          content_type="application/json")
    assert response.status_code == 200 and Visit.objects.get(pk=visit.pk).volunteer_minutes == 30
