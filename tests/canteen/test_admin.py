import datetime

import pytest

from canteen import services
from canteen.models import MealSlot
from tests.canteen.conftest import TODAY

pytestmark = pytest.mark.django_db

VIEWSETS = ["canteens", "dishes", "set_meals", "menus", "meal_slots", "diners", "bookings", "deliveries", "feedback"]


def test_canteen_staff_sees_every_admin_listing(client, canteen_staff, resident, diner, slot, items):
    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    client.force_login(canteen_staff)
    for name in VIEWSETS:
        response = client.get(f"/admin/canteen_{name}/")
        assert response.status_code == 200, name
    assert "张桂英" in client.get("/admin/canteen_bookings/").content.decode()
    export = client.get("/admin/canteen_bookings/", {"export": "csv"})
    assert export.status_code == 200 and "张桂英" in b"".join(export.streaming_content).decode("utf-8-sig")
    # Bookings are not created in the admin: capacity and prices go through the services.
    assert client.get("/admin/canteen_bookings/new/").status_code in (302, 403)


def test_admin_creates_a_slot_with_portions(client, canteen_staff, canteen, slot):
    client.force_login(canteen_staff)
    date = TODAY + datetime.timedelta(days=3)
    dish = slot.items.exclude(dish=None).first().dish
    data = {
        "menu": slot.menu_id, "date": date.isoformat(), "meal": "lunch", "portions": 80, "cutoff_at": "",
        "status": "open", "note": "",
        "items-TOTAL_FORMS": 1, "items-INITIAL_FORMS": 0, "items-MIN_NUM_FORMS": 0, "items-MAX_NUM_FORMS": 1000,
        "items-0-dish": dish.pk, "items-0-set_meal": "", "items-0-price": "7.50", "items-0-sort_order": 0,
        "items-0-id": "", "items-0-ORDER": 1, "items-0-DELETE": "",
    }
    response = client.post("/admin/canteen_meal_slots/new/", data)
    assert response.status_code == 302, response.content.decode()[:500]
    new = MealSlot.objects.get(date=date)
    assert new.capacity.total == 80 and new.items.get().price == 7.5
    assert new.cutoff_at == canteen.cutoff_for(date, "lunch")
