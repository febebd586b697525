"""Bad or missing input on the member and staff pages: an error the user sees, nothing changed,
never a 500 and never a redirect off the site."""

import pytest

from canteen import services
from canteen.models import Diner, DinerLink, Feedback
from core.models import NotificationLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_a_delivery_post_without_a_status_records_nothing_and_alerts_nobody(
        client, canteen_staff, grid_worker, resident, diner, slot, items, django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    client.force_login(canteen_staff)
    for data in ({}, {"status": "deliverd"}):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/canteen/deliveries/{booking.delivery.pk}/record/", data)
        assert response.status_code == 302
        assert messages_of(response) and "已记录" not in messages_of(response)
    booking.delivery.refresh_from_db()
    assert booking.delivery.status == "pending"
    assert not NotificationLog.objects.exists()


@pytest.mark.parametrize("posted", [{"method": "bitcoin"}, {}])
def test_an_unknown_or_missing_payment_method_is_refused(client, canteen_staff, resident, diner, slot, items, posted):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["一荤两素套餐"].pk, 1)])
    client.force_login(canteen_staff)
    response = client.post(f"/canteen/bookings/{booking.pk}/payment/", posted)
    assert response.status_code == 302 and messages_of(response)
    booking.refresh_from_db()
    assert booking.paid_at is None and booking.payment_method == ""


@pytest.mark.parametrize("action", ["cancel", "payment", "delivery"])
def test_next_never_sends_anyone_off_the_site(client, canteen_staff, resident, diner, slot, items, action):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    client.force_login(canteen_staff)
    url = {"cancel": f"/canteen/bookings/{booking.pk}/cancel/",
           "payment": f"/canteen/bookings/{booking.pk}/payment/",
           "delivery": f"/canteen/deliveries/{booking.delivery.pk}/record/"}[action]
    for target in ("https://evil.example/", "//evil.example/x"):
        response = client.post(url, {"next": target, "method": "cash", "status": "delivered", "confirm": "yes"})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"]
    response = client.post(url, {"next": f"/canteen/staff/slots/{slot.pk}/counter/?q=zgy", "confirm": "yes"})
    assert response["Location"] == f"/canteen/staff/slots/{slot.pk}/counter/?q=zgy"


@pytest.mark.parametrize("path", [
    "/canteen/hehua/?week=2030-02-30", "/canteen/hehua/board/?week=2030-02-31", "/canteen/hehua/?week=0001-01-01",
    "/canteen/hehua/?week=9999-12-31", "/canteen/staff/feedback/?week=2030-13-01",
    "/canteen/staff/feedback/?week=9999-12-31", "/canteen/staff/slots/?date=2030-13-01",
    "/canteen/staff/slots/?date=9999-12-31", "/canteen/staff/slots/?date=0001-01-01",
    "/canteen/staff/reports/?month=2030-13", "/canteen/staff/reports/?month=9999-12",
    "/canteen/staff/reports/?month=0001-01&report=deliveries",
])
def test_impossible_dates_in_the_address_show_the_current_period(client, canteen_staff, canteen, path):
    client.force_login(canteen_staff)
    assert client.get(path).status_code == 200


def test_assigning_with_no_drop_chosen_says_so(client, canteen_staff, resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    volunteer = UserFactory(phone="13700001234")
    client.force_login(canteen_staff)
    response = client.post(f"/canteen/staff/slots/{slot.pk}/assign/", {"volunteer": "13700001234"})
    assert response.status_code == 302
    assert messages_of(response) == ["请选择至少一份送餐。"]
    booking.delivery.refresh_from_db()
    assert booking.delivery.volunteer is None and volunteer.canteen_deliveries.count() == 0


def test_feedback_is_signed_with_my_own_diner_profile(client, daughter, diner, items):
    """The daughter has her own profile and is linked to her mother: her rating is hers."""
    own = Diner.objects.create(name="阿李", user=daughter)
    client.force_login(daughter)
    response = client.post(f"/canteen/dishes/{items['番茄炒蛋'].dish.pk}/feedback/", {"rating": 2, "text": "太咸"})
    assert response.status_code == 302
    assert Feedback.objects.get().diner == own


def test_family_chooses_whose_feedback_it_is(client, daughter, diner, items):
    """Linked to two diners and none of her own: she says for whom she writes."""
    father = Diner.objects.create(name="李建国")
    DinerLink.objects.create(diner=father, user=daughter, relation="女儿")
    client.force_login(daughter)
    url = f"/canteen/dishes/{items['番茄炒蛋'].dish.pk}/feedback/"
    assert "李建国" in client.get(url).content.decode()
    response = client.post(url, {"rating": 5, "diner": father.pk})
    assert response.status_code == 302
    assert Feedback.objects.get().diner == father
    stranger = Diner.objects.create(name="外人", user=UserFactory())
    response = client.post(url, {"rating": 5, "diner": stranger.pk})
    assert response.status_code == 200 and response.context["form"].errors
    assert Feedback.objects.count() == 1


def test_walk_in_box_only_for_canteen_staff(client, canteen_staff, grid_worker, resident, diner, slot):
    """Grid workers are Django staff too, but a walk-in is the canteen counter's business."""
    client.force_login(grid_worker)
    Diner.objects.create(name="网格员自己", user=grid_worker)
    assert 'name="walk_in"' not in client.get(f"/canteen/book/{slot.pk}/").content.decode()
    canteen_staff.is_staff = False  # in the group, without the admin's is_staff flag
    canteen_staff.save()
    client.force_login(canteen_staff)
    assert 'name="walk_in"' in client.get(f"/canteen/book/{slot.pk}/for/{diner.pk}/").content.decode()


def test_a_drop_is_recorded_on_the_day_of_the_meal_not_before(
        client, canteen_staff, grid_worker, resident, diner, slot, items, django_capture_on_commit_callbacks):
    """Tomorrow's list is on screen for planning; a mis-tap must not tell the family nobody answered."""
    from tests.canteen.conftest import on_meal_day

    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    client.force_login(canteen_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/canteen/deliveries/{booking.delivery.pk}/record/", {"status": "no_answer"})
    assert response.status_code == 302 and messages_of(response) == ["这一餐还没到送餐的日子，请当天再记录。"]
    booking.delivery.refresh_from_db()
    assert booking.delivery.status == "pending" and not NotificationLog.objects.exists()
    with on_meal_day(slot):
        client.force_login(canteen_staff)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/canteen/deliveries/{booking.delivery.pk}/record/", {"status": "no_answer"})
    booking.delivery.refresh_from_db()
    assert booking.delivery.status == "no_answer" and NotificationLog.objects.exists()


def test_tomorrows_list_has_no_delivered_buttons_yet(client, canteen_staff, resident, diner, slot, items):
    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    from tests.canteen.conftest import on_meal_day

    client.force_login(canteen_staff)
    page = client.get(f"/canteen/staff/slots/{slot.pk}/deliveries/").content.decode()
    assert "张桂英" in page and 'value="no_answer"' not in page
    with on_meal_day(slot):
        client.force_login(canteen_staff)
        assert 'value="no_answer"' in client.get(f"/canteen/staff/slots/{slot.pk}/deliveries/").content.decode()


def test_no_booking_form_for_an_unpublished_menu(client, resident, diner, slot):
    slot.menu.is_published = False
    slot.menu.save()
    client.force_login(resident)
    response = client.get(f"/canteen/book/{slot.pk}/")
    assert response.status_code == 404 and "¥15.00" not in response.content.decode()
