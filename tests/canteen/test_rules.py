"""One rule, one place: what the page and the API decide about bookings is the same answer.

Who may change a booking (``queries.may_manage_booking``), whether it may still change
(``Booking.can_change``: not once paid) and which bookings are "mine" (``queries.my_bookings``)
are each written once and used by pages, API, services and templates.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from canteen import queries, services
from canteen.models import Booking
from tests.canteen.factories import BookingFactory, DinerFactory, DinerLinkFactory

pytestmark = pytest.mark.django_db

API = "/api/v3/canteen"


@pytest.fixture
def paid_booking(diner, slot, items, canteen_staff):
    """张桂英's lunch (the ¥6 tomato and egg), paid in cash at the counter."""
    booking = BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    return services.record_payment(canteen_staff, booking, method="cash")


def _unchanged(booking):
    fresh = Booking.objects.get(pk=booking.pk)
    return (fresh.payable, fresh.portions, [(line.item_id, line.quantity) for line in fresh.lines.all()]) == (
        booking.payable, booking.portions, [(line.item_id, line.quantity) for line in booking.lines.all()])


# --- a paid booking is not changed and re-priced (it was: services.change had no payment check) ---

def test_api_refuses_to_change_a_paid_booking_with_409(family_client, paid_booking, items, slot):
    response = family_client.patch(f"{API}/bookings/{paid_booking.pk}/", {
        "items": [{"item_id": items["一荤两素套餐"].pk, "quantity": 2}]}, content_type="application/json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "already_paid"
    assert response["Content-Type"].startswith("application/problem+json")
    assert _unchanged(paid_booking)
    slot.capacity.refresh_from_db()
    assert slot.capacity.taken == 1
    assert not ModelLogEntry.objects.filter(action="canteen.change").exists()


def test_api_says_a_paid_booking_cannot_change(diner_client, paid_booking):
    body = diner_client.get(f"{API}/bookings/{paid_booking.pk}/").json()
    assert body["paid"] is True and body["can_change"] is False


def test_a_paid_booking_keeps_its_notes_and_mode_too(diner_client, paid_booking):
    response = diner_client.patch(f"{API}/bookings/{paid_booking.pk}/", {"mode": "delivery", "notes": "少放盐"},
                                  content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "already_paid"
    fresh = Booking.objects.get(pk=paid_booking.pk)
    assert (fresh.mode, fresh.notes) == ("dine_in", "")


def test_page_refuses_to_change_a_paid_booking_with_409(family_client, paid_booking, items):
    url = f"/canteen/bookings/{paid_booking.pk}/change/"
    shown = family_client.get(url)
    assert shown.status_code == 200
    reason = str(services.CanteenError("already_paid").message)
    assert reason in shown.content.decode()
    response = family_client.post(url, {"diner": paid_booking.diner_id, "mode": "dine_in", "notes": "",
                                        f"item_{items['一荤两素套餐'].pk}": 2})
    assert response.status_code == 409
    assert reason in response.content.decode()
    assert _unchanged(paid_booking)


def test_my_bookings_offers_no_change_or_cancel_for_a_paid_booking(diner_client, paid_booking):
    page = diner_client.get("/canteen/my/").content.decode()
    assert f"/canteen/bookings/{paid_booking.pk}/change/" not in page
    assert f"/canteen/bookings/{paid_booking.pk}/cancel/" not in page


def test_an_unpaid_booking_still_changes_on_both(family_client, diner, slot, items):
    booking = BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    assert family_client.get("/canteen/my/").content.decode().count(f"/canteen/bookings/{booking.pk}/change/") == 1
    response = family_client.patch(f"{API}/bookings/{booking.pk}/", {
        "items": [{"item_id": items["一荤两素套餐"].pk, "quantity": 1}]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["payable"] == "10.00"  # ¥15 less the 80s' ¥5


def test_a_payment_recorded_while_a_change_waits_wins(diner, slot, items, canteen_staff, monkeypatch):
    """The change re-checks on the locked row: a payment that lands between the page being read
    and the change being saved is not overwritten by a re-priced booking."""
    booking = BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    stale = Booking.objects.get(pk=booking.pk)  # what the change form was built from: unpaid
    services.record_payment(canteen_staff, booking, method="cash")
    with pytest.raises(services.CanteenError) as refused:
        services.change(diner.user, stale, items=[(items["一荤两素套餐"].pk, 1)])
    assert refused.value.code == "already_paid" and refused.value.status == 409


# --- who may change a booking: one rule (the page used to refuse staff on group bookings) -------

def test_staff_change_a_group_booking_on_the_page_as_in_the_api(staff_client, slot, items):
    group = services.group_booking(staff_client.user, slot=slot, group_name="暑期托管班", special_group="daycare",
                                   items=[(items["番茄炒蛋"].pk, 20)])
    url = f"/canteen/bookings/{group.pk}/change/"
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(url, {"mode": "dine_in", "notes": "12:00 到", f"item_{items['番茄炒蛋'].pk}": 25})
    assert response.status_code == 302, response.content.decode()[:400]
    group.refresh_from_db()
    assert (group.portions, group.notes) == (25, "12:00 到")
    assert staff_client.patch(f"{API}/bookings/{group.pk}/", {"notes": "11:50 到"},
                              content_type="application/json").status_code == 200


@pytest.mark.parametrize("who", ["stranger", "other_family"])
def test_others_see_no_booking_on_page_or_api(client, diner, slot, items, who):
    booking = BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    if who == "stranger":
        user = DinerFactory(community=diner.community).user
    else:
        user = DinerLinkFactory(diner=DinerFactory(community=diner.community)).user
    client.force_login(user)
    assert not queries.may_manage_booking(user, booking)
    assert client.get(f"/canteen/bookings/{booking.pk}/change/").status_code == 404
    assert client.get(f"{API}/bookings/{booking.pk}/").status_code == 404
    assert client.patch(f"{API}/bookings/{booking.pk}/", {"notes": "x"},
                        content_type="application/json").status_code == 404


# --- "my bookings": the page and the API list the same bookings, in the same order -------------

def _page_ids(client):
    context = client.get("/canteen/my/").context
    return [b.pk for b in context["coming"]] + [b.pk for b in context["earlier"]]


def _api_ids(client):
    return [b["id"] for b in client.get(f"{API}/bookings/?limit=20&upcoming=true").json()["items"]]


def test_my_bookings_are_one_list_on_page_and_api(family_client, staff_client, canteen, diner, slot, items):
    from tests.canteen.conftest import make_slot

    dinner = make_slot(canteen, date=slot.date, meal="dinner")
    lunch = BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    supper = BookingFactory(slot=dinner, diner=diner, items=[(dinner.items.first(), 1)], by=family_client.user)
    group = services.group_booking(staff_client.user, slot=slot, group_name="暑期托管班",
                                   items=[(items["番茄炒蛋"].pk, 10)])
    # The daughter sees her mother's two meals, the next one first (lunch, then dinner), on the
    # page and in the API's coming meals.
    assert _page_ids(family_client) == _api_ids(family_client) == [lunch.pk, supper.pk]
    # Canteen staff see the group booking they made (the page used to leave it out), not every diner's.
    assert _page_ids(staff_client) == _api_ids(staff_client) == [group.pk]


def test_my_bookings_page_does_not_query_per_booking(family_client, canteen, diner, slot, items):
    from tests.canteen.conftest import make_slot

    BookingFactory(slot=slot, diner=diner, items=[(items["番茄炒蛋"], 1)])
    family_client.get("/canteen/my/")
    with CaptureQueriesContext(connection) as one:
        family_client.get("/canteen/my/")
    for day in range(2, 6):
        later = make_slot(canteen, date=slot.date.replace(day=slot.date.day + day))
        BookingFactory(slot=later, diner=diner, items=[(later.items.first(), 1)])
    with CaptureQueriesContext(connection) as five:
        family_client.get("/canteen/my/")
    assert len(five) == len(one), [q["sql"][:100] for q in five.captured_queries]
