import datetime

import pytest
from django.utils import timezone

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


def _book_many(slot, items, canteen, staff, start, count):
    from canteen.models import Diner
    from tests.factories import UserFactory

    for n in range(start, start + count):
        diner = Diner.objects.create(name=f"食客{n}", user=UserFactory(), community=canteen.community,
                                     building=f"{n}栋", address=f"荷花小区{n}栋", phone="13900001234")
        booking = services.book(diner.user, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
        services.assign_delivery(staff, [booking.delivery.pk], staff)
        services.leave_feedback(diner.user, diner=diner, dish=items["番茄炒蛋"].dish, rating=4, text="好吃")


@pytest.mark.parametrize("name", ["bookings", "deliveries", "diners", "feedback"])
def test_admin_listings_do_not_query_per_row(client, canteen_staff, canteen, slot, items, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(canteen_staff)
    url = f"/admin/canteen_{name}/"
    _book_many(slot, items, canteen, canteen_staff, 0, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _book_many(slot, items, canteen, canteen_staff, 2, 6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


@pytest.mark.parametrize("name", ["bookings", "deliveries"])
def test_nobody_adds_bookings_or_deliveries_in_the_admin(client, admin_user, slot, name):
    """Not even a superuser: the form has no slot or booking, and a booking must claim portions."""
    from canteen.models import Booking, Delivery

    client.force_login(admin_user)
    listing = client.get(f"/admin/canteen_{name}/").content.decode()
    assert f"/admin/canteen_{name}/new/" not in listing
    assert client.get(f"/admin/canteen_{name}/new/").status_code in (302, 403)
    assert client.post(f"/admin/canteen_{name}/new/", {"notes": "x", "volunteer": ""}).status_code in (302, 403)
    assert not Booking.objects.exists() and not Delivery.objects.exists()


@pytest.mark.parametrize("name", ["meal_slots", "menus"])
def test_admin_slot_and_menu_listings_do_not_query_per_row(client, canteen_staff, canteen, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.canteen.conftest import make_slot

    client.force_login(canteen_staff)
    url = f"/admin/canteen_{name}/"
    counts = []
    for weeks in (range(0, 2), range(2, 8)):
        for week in weeks:
            make_slot(canteen, date=TODAY + datetime.timedelta(days=7 * week + 1))
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def _slot_edit_data(slot, delete=()):
    items = list(slot.items.all())
    data = {"menu": slot.menu_id, "date": slot.date.isoformat(), "meal": slot.meal, "portions": 50,
            "cutoff_at": timezone.localtime(slot.cutoff_at).strftime("%Y-%m-%d %H:%M"), "status": "open", "note": "",
            "items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": len(items), "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000}
    for n, item in enumerate(items):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-dish": item.dish_id or "",
                     f"items-{n}-set_meal": item.set_meal_id or "", f"items-{n}-price": str(item.price),
                     f"items-{n}-sort_order": n, f"items-{n}-ORDER": n + 1,
                     f"items-{n}-DELETE": "1" if item in delete else ""})
    return data


def test_a_booked_menu_item_stays_on_the_slot_with_an_explanation(client, canteen_staff, resident, diner, slot, items):
    from canteen.models import MenuItem

    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    client.force_login(canteen_staff)
    url = f"/admin/canteen_meal_slots/edit/{slot.pk}/"
    response = client.post(url, _slot_edit_data(slot, delete=[items["清炒时蔬"]]))
    assert response.status_code == 200
    assert "清炒时蔬" in response.content.decode() and "已有人预订" in response.content.decode()
    assert MenuItem.objects.filter(pk=items["清炒时蔬"].pk).exists()
    # An item nobody booked can go.
    response = client.post(url, _slot_edit_data(slot, delete=[items["番茄炒蛋"]]))
    assert response.status_code == 302
    assert not MenuItem.objects.filter(pk=items["番茄炒蛋"].pk).exists()


@pytest.mark.parametrize("what", ["menus", "diners"])
def test_deleting_something_booked_explains_instead_of_failing(client, admin_user, resident, diner, slot, items, what):
    """Bookings are not in Wagtail's reference index, so its usage check does not see them."""
    from canteen.models import Diner, Menu

    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    obj = slot.menu if what == "menus" else diner
    client.force_login(admin_user)
    response = client.post(f"/admin/canteen_{what}/delete/{obj.pk}/")
    assert response.status_code == 302
    assert [str(m) for m in response.wsgi_request._messages] == [f"无法删除“{obj}”：已有订餐记录引用它。"]
    assert (Menu if what == "menus" else Diner).objects.filter(pk=obj.pk).exists()


def test_moving_a_slot_to_another_day_moves_its_cut_off(client, canteen_staff, canteen):
    from tests.canteen.conftest import make_slot

    slot = make_slot(canteen, date=TODAY + datetime.timedelta(days=1), cutoff=canteen.cutoff_for(
        TODAY + datetime.timedelta(days=1), "lunch"))
    client.force_login(canteen_staff)
    url = f"/admin/canteen_meal_slots/edit/{slot.pk}/"
    new_date = TODAY + datetime.timedelta(days=2)
    response = client.post(url, {**_slot_edit_data(slot), "date": new_date.isoformat()})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.date == new_date and slot.cutoff_at == canteen.cutoff_for(new_date, "lunch")
    # A cut-off after the day of the meal would take bookings for a meal already eaten.
    data = {**_slot_edit_data(slot), "cutoff_at": f"{new_date + datetime.timedelta(days=1)} 09:30"}
    response = client.post(url, data)
    assert response.status_code == 200 and "截止时间不能晚于" in response.content.decode()
    slot.refresh_from_db()
    assert slot.cutoff_at == canteen.cutoff_for(new_date, "lunch")


def test_admin_diner_export_shows_a_formula_name_as_text(client, canteen_staff, canteen):
    import csv
    import io

    from openpyxl import load_workbook

    from canteen.models import Diner

    Diner.objects.create(name='=HYPERLINK("http://evil.example/","点我")', birth_year=1950, address="@3栋")
    client.force_login(canteen_staff)
    export = client.get("/admin/canteen_diners/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert ["'=HYPERLINK(\"http://evil.example/\",\"点我\")"] == [r[0] for r in rows[1:] if "HYPERLINK" in r[0]]
    assert any(cell == "'@3栋" for row in rows for cell in row)
    export = client.get("/admin/canteen_diners/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if str(cell.value).startswith(("=", "@"))]
    assert cells and {cell.data_type for cell in cells} == {"s"}


# --- admin edits go through the services and leave an audit entry like every other channel ------

def _entries(obj, action):
    from core import audit

    return [e for e in audit.entries_for(obj) if e.action == action]


def test_admin_slot_save_goes_through_the_service_and_is_audited(client, canteen_staff, canteen, slot):
    from core.models import Capacity

    client.force_login(canteen_staff)
    data = _slot_edit_data(slot)
    data["portions"] = 70
    assert client.post(f"/admin/canteen_meal_slots/edit/{slot.pk}/", data).status_code == 302
    assert Capacity.objects.get(pk=slot.capacity_id).total == 70
    [entry] = _entries(slot, "wagtail.edit")
    assert entry.user == canteen_staff and entry.data["via"] == "admin" and entry.data["portions"] == 70


def test_admin_booking_notes_are_a_service_change_with_an_audit_entry(client, canteen_staff, resident, diner, slot,
                                                                      items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    services.record_payment(canteen_staff, booking, method="cash")
    client.force_login(canteen_staff)
    # Notes stay editable by staff on a paid booking: nothing is re-priced or re-counted.
    response = client.post(f"/admin/canteen_bookings/edit/{booking.pk}/", {"notes": "女儿代付，下周起改为送餐"})
    assert response.status_code == 302, response.content.decode()[:400]
    booking.refresh_from_db()
    assert booking.notes == "女儿代付，下周起改为送餐" and booking.payable == items["清炒时蔬"].price - 4
    [entry] = _entries(booking, "canteen.change")
    assert entry.user == canteen_staff
    assert entry.data["via"] == "admin" and entry.data["fields"] == ["notes"] and entry.data["old"] == ""
    assert entry.data["on_behalf_of"]["name"] == resident.display_name
    assert not _entries(booking, "wagtail.edit")  # one entry, not Wagtail's poorer copy beside it


def test_admin_delivery_volunteer_goes_through_assign_delivery(client, canteen_staff, resident, diner, slot, items,
                                                               volunteer):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    client.force_login(canteen_staff)
    response = client.post(f"/admin/canteen_deliveries/edit/{booking.delivery.pk}/", {"volunteer": volunteer.pk})
    assert response.status_code == 302, response.content.decode()[:400]
    booking.delivery.refresh_from_db()
    assert booking.delivery.volunteer == volunteer
    [entry] = _entries(booking.delivery, "canteen.assign")
    assert entry.data == {"via": "admin", "volunteer": volunteer.pk}
    # and the volunteer now sees the drop, as after an assignment from the console
    from canteen import queries

    assert list(queries.visible_deliveries(volunteer)) == [booking.delivery]


def _diner_data(diner, **changes):
    data = {
        "name": diner.name, "user": diner.user_id or "", "phone": diner.phone, "birth_year": diner.birth_year or "",
        "special_group": diner.special_group, "community": diner.community_id or "", "building": diner.building,
        "address": diner.address, "delivery_notes": diner.delivery_notes, "dietary_needs": diner.dietary_needs,
        "allergies": diner.allergies, "dietary_notes": diner.dietary_notes,
        "emergency_contact_name": diner.emergency_contact_name,
        "emergency_contact_phone": diner.emergency_contact_phone,
        "links-TOTAL_FORMS": 0, "links-INITIAL_FORMS": 0, "links-MIN_NUM_FORMS": 0, "links-MAX_NUM_FORMS": 1000,
    }
    if diner.lives_alone:
        data["lives_alone"] = "on"
    if diner.needs_delivery:
        data["needs_delivery"] = "on"
    data.update(changes)
    return data


def test_admin_diner_edit_is_audited_like_a_profile_change(client, canteen_staff, diner):
    from django.utils import translation

    from core.audit import VIA_LABELS
    from tests.factories import UserFactory

    son = UserFactory(kind="resident", display_name="张伟")
    client.force_login(canteen_staff)
    data = _diner_data(diner, special_group="low_income", **{
        "links-TOTAL_FORMS": 1, "links-0-id": "", "links-0-user": son.pk, "links-0-relation": "儿子",
        "links-0-ORDER": 1, "links-0-DELETE": ""})
    response = client.post(f"/admin/canteen_diners/edit/{diner.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:600]
    diner.refresh_from_db()
    assert diner.special_group == "low_income" and diner.links.get().user == son
    [entry] = _entries(diner, "fengchao.profile_change")
    assert entry.user == canteen_staff and entry.data["fields"] == ["special_group", "links"]
    assert entry.data["via"] == "admin" and entry.data["on_behalf_of"]["name"] == diner.user.display_name
    # The history reads like core's entries: on whose behalf, and through which channel.
    history = client.get(f"/admin/canteen_diners/history/{diner.pk}/").content.decode()
    with translation.override("zh-hans"):
        assert str(VIA_LABELS["admin"]) in history


def test_admin_creates_a_diner_through_the_service(client, canteen_staff, canteen):
    from canteen.models import Diner

    client.force_login(canteen_staff)
    template = Diner(name="陈阿婆", phone="13900005555", community=canteen.community, building="5栋",
                     address="荷花小区5栋101", birth_year=1941)
    response = client.post("/admin/canteen_diners/new/", _diner_data(template, user=""))
    assert response.status_code == 302, response.content.decode()[:600]
    created = Diner.objects.get(name="陈阿婆")
    assert created.initials == "cap"
    [entry] = _entries(created, "wagtail.create")
    assert entry.user == canteen_staff and entry.data["via"] == "admin"
