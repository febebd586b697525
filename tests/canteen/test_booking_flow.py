"""Issue 10 item 8: meals in the order they are served, the phone console that books what the
diner needs, a confirmation for every booking, and the delivery area said before submitting."""

import datetime
import re

import pytest

from canteen import services
from canteen.models import Booking, Diner
from core.models import NotificationLog
from tests.canteen.conftest import TODAY, make_slot

pytestmark = pytest.mark.django_db

API = "/api/v3/canteen"


def test_lunch_comes_before_dinner_on_the_menu_the_api_and_the_console(client, canteen, staff_client):
    day = TODAY + datetime.timedelta(days=1)
    dinner = make_slot(canteen, date=day, meal="dinner")
    lunch = make_slot(canteen, date=day, meal="lunch")
    page = client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).content.decode()
    assert page.index(f'id="slot-{lunch.pk}"') < page.index(f'id="slot-{dinner.pk}"')
    menu = client.get(f"{API}/canteens/{canteen.pk}/menu/", {"week": TODAY.isoformat()}).json()
    assert [s["meal"] for s in menu["slots"]] == ["lunch", "dinner"]
    listing = client.get(f"{API}/slots/", {"date_from": day.isoformat(), "date_to": day.isoformat()}).json()
    assert [s["meal"] for s in listing["items"]] == ["lunch", "dinner"]
    Diner.objects.create(name="张桂英", phone="13900001111", community=canteen.community)
    console = staff_client.get("/canteen/staff/console/", {"q": "zgy"}).content.decode()
    assert console.index(f"/canteen/book/{lunch.pk}/") < console.index(f"/canteen/book/{dinner.pk}/")


def test_console_preselects_delivery_and_does_not_offer_a_meal_already_booked(staff_client, canteen_staff, canteen,
                                                                             diner, slot, items):
    other = make_slot(canteen, date=slot.date, meal="dinner")
    assert diner.needs_delivery
    services.book(canteen_staff, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    console = staff_client.get("/canteen/staff/console/", {"q": "zgy"}).content.decode()
    assert f"/canteen/book/{slot.pk}/for/{diner.pk}/" not in console  # booked already: not offered
    assert f"/canteen/book/{other.pk}/for/{diner.pk}/" in console
    form = staff_client.get(f"/canteen/book/{other.pk}/for/{diner.pk}/").content.decode()
    checked = re.search(r'<input[^>]*name="mode"[^>]*checked[^>]*>', form).group(0)
    assert 'value="delivery"' in checked  # she needs delivery: it is what the form starts with
    # Following an old link to the booked meal opens her booking to change it, not a refusal.
    response = staff_client.get(f"/canteen/book/{slot.pk}/for/{diner.pk}/")
    booking = Booking.objects.get(slot=slot, diner=diner)
    assert response.status_code == 302 and response["Location"] == f"/canteen/bookings/{booking.pk}/change/"


def test_a_diner_who_eats_in_is_not_preselected_for_delivery(client, canteen, slot):
    from tests.canteen.factories import DinerFactory

    diner = DinerFactory(community=canteen.community, needs_delivery=False)
    client.force_login(diner.user)
    form = client.get(f"/canteen/book/{slot.pk}/").content.decode()
    checked = re.search(r'<input[^>]*name="mode"[^>]*checked[^>]*>', form).group(0)
    assert 'value="dine_in"' in checked


def _logs():
    return sorted(NotificationLog.objects.filter(kind="canteen.booked").values_list("recipient", flat=True))


def test_every_booking_sends_a_confirmation_after_commit(diner_client, family_client, staff_client, diner, daughter,
                                                         canteen, slot, items, django_capture_on_commit_callbacks):
    dish = items["清炒时蔬"].pk
    with django_capture_on_commit_callbacks(execute=True):
        response = diner_client.post(f"/canteen/book/{slot.pk}/", {"diner": diner.pk, "mode": "dine_in",
                                                                    f"item_{dish}": 1})
    assert response.status_code == 302
    assert _logs() == [diner.user.phone]  # the member who booked for herself
    log = NotificationLog.objects.get(kind="canteen.booked")
    date = f"{slot.date.month}月{slot.date.day}日"
    assert date in log.body and "张桂英" in log.body and "¥" in log.body, log.body
    NotificationLog.objects.all().delete()

    # Her daughter books the next meal: both are told.
    dinner = make_slot(canteen, date=slot.date, meal="dinner")
    with django_capture_on_commit_callbacks(execute=True):
        family_client.post(f"/canteen/book/{dinner.pk}/", {"diner": diner.pk, "mode": "dine_in",
                                                            f"item_{dinner.items.first().pk}": 1})
    assert _logs() == sorted([diner.user.phone, daughter.phone])
    NotificationLog.objects.all().delete()

    # By phone, for a neighbour with no account: a text to the phone the canteen keeps for him.
    neighbour = Diner.objects.create(name="王根宝", phone="13900002222", community=canteen.community)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/canteen/book/{slot.pk}/for/{neighbour.pk}/", {"diner": neighbour.pk, "mode": "dine_in",
                                                                            f"item_{dish}": 1})
    assert _logs() == ["13900002222"]  # and nothing to the staff member who took the call


def test_a_refused_or_walk_in_booking_sends_nothing(staff_client, diner, slot, items,
                                                    django_capture_on_commit_callbacks):
    dish = items["清炒时蔬"].pk
    services.book(diner.user, diner=diner, slot=slot, items=[(dish, 1)])  # its confirmation never runs here
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(services.CanteenError):
            services.book(diner.user, diner=diner, slot=slot, items=[(dish, 1)])  # booked already
    assert _logs() == []
    walk_in = Diner.objects.create(name="赵大爷", phone="13900003333", community=slot.canteen.community)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/canteen/book/{slot.pk}/for/{walk_in.pk}/", {"diner": walk_in.pk, "mode": "dine_in",
                                                                          f"item_{dish}": 1, "walk_in": "1"})
    assert Booking.objects.get(diner=walk_in).channel == "walk_in"
    assert _logs() == []  # served at the counter there and then


def test_the_delivery_area_is_said_before_submitting_and_checked_on_submit(client, canteen, slot, items):
    from tests.canteen.factories import DinerFactory
    from tests.factories import CommunityFactory

    far = DinerFactory(name="周晓岚", community=CommunityFactory(name="桂园社区", code="guiyuan"),
                       needs_delivery=True, address="桂园小区1栋101")
    client.force_login(far.user)
    form = client.get(f"/canteen/book/{slot.pk}/").content.decode()
    assert "送餐上门范围：荷花社区。" in form  # the area, on the form
    assert "不在范围内，不能送餐上门：周晓岚。" in form  # and that she is outside it, before she tries
    checked = re.search(r'<input[^>]*name="mode"[^>]*checked[^>]*>', form).group(0)
    assert 'value="dine_in"' in checked  # needs delivery, but the canteen cannot bring it
    assert "canteen/book.js" in form and "data-delivery-check" in form
    response = client.post(f"/canteen/book/{slot.pk}/", {"mode": "delivery", f"item_{items['清炒时蔬'].pk}": 1})
    assert response.status_code == 200
    text = response.content.decode()
    assert "周晓岚的地址（桂园小区1栋101）不在送餐范围（荷花社区）内" in text
    assert 'id="id_mode_error"' in text or "has-error" in text
    assert not Booking.objects.filter(diner=far).exists()
