"""Nobody answers the door: the emergency contact, the family member who booked and the
community's grid worker are alerted, every attempt is logged (also those that could not be sent,
and why), and the alert stays on canteen staff's and grid workers' list until an outcome is recorded."""

import pytest

from canteen import queries, services
from canteen.models import WelfareAlert, WelfareAlertAttempt
from core.models import NotificationLog
from tests.factories import CommunityFactory, UserFactory

from .conftest import on_meal_day

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def _no_answer(client, actor, booking, slot, capture):
    with on_meal_day(slot), capture(execute=True):
        login(client, actor)
        response = client.post(f"/api/v3/canteen/deliveries/{booking.delivery.pk}/", {"status": "no_answer"},
                               content_type="application/json")
    assert response.status_code == 200, response.content
    return WelfareAlert.objects.get(delivery=booking.delivery)


def test_all_three_are_alerted_and_every_attempt_is_logged(client, canteen_staff, grid_worker, daughter, diner,
                                                          slot, items, django_capture_on_commit_callbacks):
    daughter.phone = "+8613700003333"
    daughter.save()
    booking = services.book(daughter, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    alert = _no_answer(client, canteen_staff, booking, slot, django_capture_on_commit_callbacks)

    sent = set(NotificationLog.objects.filter(kind__startswith="canteen.no_answer", channel="sms").values_list("recipient", flat=True))
    assert sent == {"13800002222", "+8613700003333", grid_worker.phone}
    attempts = {a.recipient: a for a in alert.attempts.all()}
    assert set(attempts) == {"emergency", "family", "grid"}
    assert all(a.status == WelfareAlertAttempt.Status.QUEUED for a in attempts.values())


def test_attempts_that_could_not_be_sent_say_why(client, canteen_staff, daughter, diner, slot, items, canteen,
                                                 django_capture_on_commit_callbacks):
    silent = UserFactory(phone="", display_name="陈网格")  # assigned, but no phone or WeChat
    canteen.community.grid_workers.add(silent)
    diner.emergency_contact_phone = ""
    diner.save()
    daughter.phone = ""
    daughter.save()
    booking = services.book(daughter, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    alert = _no_answer(client, canteen_staff, booking, slot, django_capture_on_commit_callbacks)

    assert not NotificationLog.objects.filter(kind__startswith="canteen.no_answer").exists()
    attempts = list(alert.attempts.all())
    assert [(a.recipient, a.status) for a in attempts] == [
        ("emergency", "not_sent"), ("family", "not_sent"), ("grid", "not_sent")]
    assert all(a.reason for a in attempts)
    assert attempts[2].name == "陈网格"


def test_a_community_without_a_grid_worker_is_logged_not_skipped(client, canteen_staff, resident, diner, slot,
                                                                items, django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    alert = _no_answer(client, canteen_staff, booking, slot, django_capture_on_commit_callbacks)
    grid = alert.attempts.get(recipient="grid")
    assert grid.status == "not_sent" and "grid worker" in grid.reason.lower() or "网格员" in grid.reason


def test_open_alerts_are_listed_to_staff_and_grid_workers_until_an_outcome(
        client, canteen_staff, grid_worker, resident, diner, slot, items, django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    alert = _no_answer(client, canteen_staff, booking, slot, django_capture_on_commit_callbacks)
    elsewhere = UserFactory()
    CommunityFactory(name="南苑社区", code="nanyuan").grid_workers.add(elsewhere)

    for user, expected in ((canteen_staff, [alert.pk]), (grid_worker, [alert.pk]), (elsewhere, []),
                           (resident, [])):
        assert [a.pk for a in queries.open_alerts(user)] == expected
    login(client, grid_worker)
    page = client.get("/canteen/alerts/")
    assert page.status_code == 200 and "张桂英" in page.content.decode()
    login(client, elsewhere)
    assert "张桂英" not in client.get("/canteen/alerts/").content.decode()

    login(client, grid_worker)
    response = client.post(f"/canteen/alerts/{alert.pk}/", {"outcome": "visited", "note": "老人在卫生室打针"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.outcome == "visited" and alert.closed_by == grid_worker
    assert list(queries.open_alerts(canteen_staff)) == []
    again = client.post(f"/canteen/alerts/{alert.pk}/", {"outcome": "reached"})
    assert again.status_code == 409
    login(client, resident)
    assert client.post(f"/canteen/alerts/{alert.pk}/", {"outcome": "reached"}).status_code in (403, 404)
