import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canteen import services
from canteen.models import Booking, Diner
from core.models import NotificationLog
from tests.canteen.conftest import TODAY, make_slot, on_meal_day
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v3/canteen"


def login(client, user):
    client.force_login(user)
    return client


def test_canteens_and_menu_are_public(client, slot, canteen):
    body = client.get(f"{API}/canteens/").json()
    assert body["count"] == 1 and body["items"][0]["hotline"] == "028-85551234"
    menu = client.get(f"{API}/canteens/{canteen.pk}/menu/", {"week": slot.date.isoformat()}).json()
    assert len(menu["slots"]) == 1
    items = {i["name"]: i for i in menu["slots"][0]["items"]}
    assert items["一荤两素套餐"]["price"] == "15.00"
    assert items["一荤两素套餐"]["dishes"] == ["清炒时蔬", "清蒸鲈鱼"] or set(items["一荤两素套餐"]["dishes"]) == {
        "清炒时蔬", "清蒸鲈鱼"}
    # A set meal is low-salt only when all its dishes are; allergens add up.
    assert items["一荤两素套餐"]["dietary_tags"] == ["low_salt"]
    assert items["一荤两素套餐"]["allergens"] == ["fish"]


def test_slot_listing_query_count_is_constant(client, canteen, django_assert_num_queries):
    def measure():
        cache.clear()  # cold: the items are built from the database
        with CaptureQueriesContext(connection) as cold:
            body = client.get(f"{API}/slots/", params).json()
        with CaptureQueriesContext(connection) as warm:
            assert client.get(f"{API}/slots/", params).json() == body
        return len(cold), len(warm), body

    params = {"date_from": TODAY.isoformat()}
    for day in range(2):
        make_slot(canteen, date=TODAY + datetime.timedelta(days=day + 1))
    client.get(f"{API}/slots/", params)  # warm-up (content types)
    cold_small, warm_small, body = measure()
    assert body["count"] == 2
    for day in range(2, 12):
        make_slot(canteen, date=TODAY + datetime.timedelta(days=day + 1))
    cold_large, warm_large, body = measure()
    assert body["count"] == 12 and body["items"][0]["remaining"] == 50
    # Cold: the slots with their portions, the items (2), the next cut-off (when the answer
    # ends), plus reading the cache versions once when the cleared cache was also where their
    # stamp lived (Redis); warm: the whole answer from the cache, no query.
    assert (cold_small, warm_small) == (cold_large, warm_large)
    assert cold_small == (5 if settings.REDIS_URL else 4) and warm_small == 0
    beyond = client.get(f"{API}/slots/", {**params, "offset": 50}).json()
    assert beyond == {"count": 12, "items": []}
    assert client.get(f"{API}/slots/", {**params, "limit": 500}).status_code == 400


def test_cached_menu_follows_edits(client, canteen, slot, items, resident, diner, django_capture_on_commit_callbacks):
    url = f"{API}/slots/{slot.pk}/"
    assert client.get(url).json()["remaining"] == 50
    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    assert client.get(url).json()["remaining"] == 49  # portions are live
    with django_capture_on_commit_callbacks(execute=True):
        item = items["清炒时蔬"]
        item.price = "4.50"
        item.save()
        dish = item.dish
        dish.name = "蒜蓉时蔬"
        dish.save()
    names = {i["name"]: i["price"] for i in client.get(url).json()["items"]}
    assert names["蒜蓉时蔬"] == "4.50"

    def set_dishes():
        return next(i for i in client.get(url).json()["items"] if i["kind"] == "set_meal")["dishes"]

    set_meal = items["一荤两素套餐"].set_meal
    with django_capture_on_commit_callbacks(execute=True):
        set_meal.dishes.add(items["番茄炒蛋"].dish)
    assert "番茄炒蛋" in set_dishes()
    with django_capture_on_commit_callbacks(execute=True):
        set_meal.dishes.remove(items["番茄炒蛋"].dish)
    assert "番茄炒蛋" not in set_dishes()
    # Until its transaction commits, an edit makes nothing stale (a reader in another
    # transaction would still see the old dish and cache it under the new version otherwise).
    with django_capture_on_commit_callbacks(execute=False):
        dish.name = "还没提交的菜名"
        dish.save()
    assert "还没提交的菜名" not in str(client.get(url).json()["items"])


def test_book_through_api_and_see_price(client, resident, diner, slot, items):
    login(client, resident)
    response = client.post(f"{API}/bookings/", {"slot_id": slot.pk, "items": [
        {"item_id": items["一荤两素套餐"].pk, "quantity": 1}]}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["list_price"], body["subsidy"], body["payable"]) == ("15.00", "5.00", "10.00")
    assert body["diner"] == {"id": diner.pk, "name": "张桂英"}
    assert client.get(f"{API}/slots/{slot.pk}/").json()["remaining"] == 49

    again = client.post(f"{API}/bookings/", {"slot_id": slot.pk, "items": [
        {"item_id": items["清炒时蔬"].pk, "quantity": 1}]}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "already_booked"
    assert again["Content-Type"].startswith("application/problem+json")

    changed = client.patch(f"{API}/bookings/{body['id']}/", {"mode": "delivery"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["delivery_status"] == "pending"
    cancelled = client.post(f"{API}/bookings/{body['id']}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert client.get(f"{API}/slots/{slot.pk}/").json()["remaining"] == 50


@pytest.mark.parametrize("mode", ["dine_in", "delivery"])
def test_a_new_booking_is_answered_as_it_is_stored_without_reading_it_back(client, resident, diner, slot, items,
                                                                           mode):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, resident)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{API}/bookings/", {"slot_id": slot.pk, "mode": mode, "items": [
            {"item_id": items["一荤两素套餐"].pk, "quantity": 1}, {"item_id": items["番茄炒蛋"].pk, "quantity": 2}]},
            content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body == client.get(f"{API}/bookings/{body['id']}/").json()
    assert [line["name"] for line in body["lines"]] == ["一荤两素套餐", "番茄炒蛋"]
    assert body["delivery_status"] == ("pending" if mode == "delivery" else None)
    reads = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert not any('FROM "canteen_booking"' in sql or 'FROM "canteen_bookingline"' in sql for sql in reads)


def test_errors_are_409_with_codes(client, resident, diner, canteen):
    login(client, resident)
    late = make_slot(canteen, cutoff=timezone.now() - datetime.timedelta(minutes=5))
    item = late.items.first()
    response = client.post(f"{API}/bookings/", {"slot_id": late.pk, "items": [{"item_id": item.pk, "quantity": 1}]},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "past_cutoff"
    bad = client.post(f"{API}/bookings/", {"slot_id": late.pk, "items": []}, content_type="application/json")
    assert bad.status_code == 422


def test_daughter_books_for_mother_and_sees_her_bookings(client, daughter, diner, slot, items):
    login(client, daughter)
    diners = client.get(f"{API}/diners/").json()
    assert [d["name"] for d in diners["items"]] == ["张桂英"]
    response = client.post(f"{API}/bookings/", {"slot_id": slot.pk, "diner_id": diner.pk, "items": [
        {"item_id": items["清炒时蔬"].pk, "quantity": 1}]}, content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "family"
    assert client.get(f"{API}/bookings/").json()["count"] == 1


def test_personal_data_never_visible_to_other_members(client, resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    stranger = UserFactory()
    login(client, stranger)
    assert client.get(f"{API}/diners/").json()["count"] == 0
    assert client.get(f"{API}/diners/", {"q": "zgy"}).json()["count"] == 0  # search is staff-only
    assert client.get(f"{API}/bookings/").json()["count"] == 0
    assert client.get(f"{API}/bookings/{booking.pk}/").status_code == 404
    assert client.get(f"{API}/deliveries/").json()["count"] == 0
    assert client.post(f"{API}/bookings/", {"slot_id": slot.pk, "diner_id": diner.pk, "items": [
        {"item_id": items["清炒时蔬"].pk, "quantity": 1}]}, content_type="application/json").status_code == 404
    assert client.post(f"{API}/bookings/{booking.pk}/cancel/").status_code == 404
    assert client.get(f"{API}/slots/{slot.pk}/production/").status_code == 403
    assert client.get(f"{API}/slots/{slot.pk}/bookings/").status_code == 403
    assert client.post(f"{API}/deliveries/{booking.delivery.pk}/", {"status": "no_answer"},
                       content_type="application/json").status_code == 404
    # Nothing the public endpoints return mentions the diner.
    for path in (f"{API}/slots/", f"{API}/canteens/", f"{API}/slots/{slot.pk}/"):
        text = client.get(path, {"date_from": TODAY.isoformat()}).content.decode()
        for secret in ("张桂英", "13900001111", "荷花小区3栋", "13800002222"):
            assert secret not in text


def test_staff_console_search_and_phone_booking(client, canteen_staff, diner, slot, items):
    login(client, canteen_staff)
    for q in ("zgy", "zg", "张桂", "0001111"):
        found = client.get(f"{API}/diners/", {"q": q}).json()
        assert [d["name"] for d in found["items"]] == ["张桂英"], q
    response = client.post(f"{API}/bookings/", {"slot_id": slot.pk, "diner_id": diner.pk, "mode": "delivery",
                                                "items": [{"item_id": items["清炒时蔬"].pk, "quantity": 1}]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "phone"
    paid = client.post(f"{API}/bookings/{response.json()['id']}/payment/", {"method": "cash"},
                       content_type="application/json")
    assert paid.json()["paid"] is True


def test_group_booking_staff_only(client, canteen_staff, resident, slot, items):
    body = {"slot_id": slot.pk, "group_name": "暑期托管班", "special_group": "daycare",
            "items": [{"item_id": items["一荤两素套餐"].pk, "quantity": 20}]}
    login(client, resident)
    assert client.post(f"{API}/group-bookings/", body, content_type="application/json").status_code == 403
    login(client, canteen_staff)
    response = client.post(f"{API}/group-bookings/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["portions"] == 20
    assert response.json()["payable"] == "240.00"
    group_id = response.json()["id"]
    assert client.get(f"{API}/bookings/{group_id}/").json()["group_name"] == "暑期托管班"
    body["items"][0]["quantity"] = 31
    full = client.post(f"{API}/group-bookings/", body, content_type="application/json")
    assert full.status_code == 409 and full.json()["code"] == "not_enough"
    # A group booking has no diner: only canteen staff see, change or cancel it.
    login(client, resident)
    assert client.get(f"{API}/bookings/{group_id}/").status_code == 404
    assert client.post(f"{API}/bookings/{group_id}/cancel/").status_code == 404


def test_walk_in_only_for_staff(client, canteen_staff, resident, diner, canteen):
    late = make_slot(canteen, date=TODAY, cutoff=timezone.now() - datetime.timedelta(minutes=5))
    item = late.items.first()
    body = {"slot_id": late.pk, "diner_id": diner.pk, "walk_in": True,
            "items": [{"item_id": item.pk, "quantity": 1}]}
    login(client, resident)
    refused = client.post(f"{API}/bookings/", body, content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "past_cutoff"
    login(client, canteen_staff)
    response = client.post(f"{API}/bookings/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["channel"] == "walk_in"


def test_volunteer_sees_only_own_drops_and_no_answer_reaches_grid_worker(
        client, canteen_staff, grid_worker, resident, diner, slot, items, canteen,
        django_capture_on_commit_callbacks):
    mine = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    other_diner = Diner.objects.create(name="王秀兰", community=canteen.community, building="5栋",
                                       address="荷花小区5栋101", user=UserFactory())
    other = services.book(other_diner.user, diner=other_diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)],
                          mode="delivery")
    volunteer, colleague = UserFactory(), UserFactory()
    login(client, canteen_staff)
    assert client.post(f"{API}/delivery-assignments/", {"delivery_ids": [mine.delivery.pk], "volunteer_id": volunteer.pk},
                       content_type="application/json").json() == {"assigned": 1}
    services.assign_delivery(canteen_staff, [other.delivery.pk], colleague)
    assert client.get(f"{API}/deliveries/").json()["count"] == 2

    login(client, volunteer)
    listing = client.get(f"{API}/deliveries/").json()
    assert [d["diner"] for d in listing["items"]] == ["张桂英"]
    row = listing["items"][0]
    # Every field of the drop comes from the booking, its slot and its diner.
    assert row == {
        "id": mine.delivery.pk, "booking": mine.pk, "date": slot.date.isoformat(), "meal": slot.meal,
        "diner": "张桂英", "phone": diner.phone, "building": diner.building, "address": "荷花小区3栋2单元401",
        "delivery_notes": diner.delivery_notes, "payable": f"{mine.payable:.2f}", "paid": False,
        "items": ["清炒时蔬 × 1"], "volunteer": str(volunteer), "status": "pending", "note": "",
    }
    assert client.post(f"{API}/deliveries/{other.delivery.pk}/", {"status": "delivered"},
                       content_type="application/json").status_code == 404
    with on_meal_day(slot), django_capture_on_commit_callbacks(execute=True):
        login(client, volunteer)
        response = client.post(f"{API}/deliveries/{mine.delivery.pk}/", {"status": "no_answer", "note": "敲门无人"},
                               content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "no_answer"
    logs = NotificationLog.objects.filter(kind__startswith="canteen.no_answer")
    assert set(logs.values_list("recipient", flat=True)) == {"13800002222", grid_worker.phone}
    assert "张桂英" in logs.get(recipient=grid_worker.phone).body


def test_my_bookings_query_count_constant(client, resident, diner, canteen, django_assert_max_num_queries,
                                          django_assert_num_queries):
    login(client, resident)
    for day in range(2):
        s = make_slot(canteen, date=TODAY + datetime.timedelta(days=day + 1))
        services.book(resident, diner=diner, slot=s, items=[(s.items.first().pk, 1)])
    client.get(f"{API}/bookings/")
    # At most 5 (one fewer when another test already warmed a process-wide cache); then the same
    # number for four times as many bookings.
    with django_assert_max_num_queries(5) as ctx:
        client.get(f"{API}/bookings/")
    for day in range(2, 8):
        s = make_slot(canteen, date=TODAY + datetime.timedelta(days=day + 1))
        services.book(resident, diner=diner, slot=s, items=[(s.items.first().pk, 1)])
    with django_assert_num_queries(len(ctx.captured_queries)):
        assert client.get(f"{API}/bookings/").json()["count"] == 8


def test_feedback_and_quote(client, resident, diner, slot, items, canteen_staff):
    login(client, resident)
    quote = client.post(f"{API}/quote/", {"slot_id": slot.pk, "items": [
        {"item_id": items["一荤两素套餐"].pk, "quantity": 1}]}, content_type="application/json").json()
    assert quote["payable"] == "10.00" and quote["tier"] == "80-89岁"
    dish = items["番茄炒蛋"].dish
    response = client.post(f"{API}/feedback/", {"dish_id": dish.pk, "rating": 4, "text": "希望再软一点"},
                           content_type="application/json")
    assert response.status_code == 201
    login(client, canteen_staff)
    assert client.get(f"{API}/dishes/{dish.pk}/feedback/").json()["items"][0]["text"] == "希望再软一点"
    assert Booking.objects.count() == 0


def test_no_quote_for_an_unpublished_menu(client, resident, diner, slot, items):
    slot.menu.is_published = False
    slot.menu.save()
    login(client, resident)
    response = client.post(f"{API}/quote/", {"slot_id": slot.pk, "items": [
        {"item_id": items["一荤两素套餐"].pk, "quantity": 1}]}, content_type="application/json")
    assert response.status_code == 404 and "15.00" not in response.content.decode()


def test_group_booking_refuses_an_unknown_price_group(client, canteen_staff, slot, items):
    login(client, canteen_staff)
    body = {"slot_id": slot.pk, "group_name": "暑期托管班", "special_group": "vip",
            "items": [{"item_id": items["一荤两素套餐"].pk, "quantity": 20}]}
    response = client.post(f"{API}/group-bookings/", body, content_type="application/json")
    assert response.status_code == 422
    assert not Booking.objects.exists()
    slot.capacity.refresh_from_db()
    assert slot.capacity.taken == 0


def test_changing_only_the_notes_keeps_the_prices_booked(client, resident, diner, slot, items):
    """The menu price went up after booking: a note for the kitchen must not re-price the meal."""
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["番茄炒蛋"].pk, 2)])
    assert (booking.list_price, booking.payable) == (Decimal("12.00"), Decimal("7.00"))
    item = items["番茄炒蛋"]
    item.price = Decimal("8.00")
    item.save()
    login(client, resident)
    response = client.patch(f"{API}/bookings/{booking.pk}/", {"notes": "少放盐"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["notes"] == "少放盐" and body["list_price"] == "12.00" and body["payable"] == "7.00"
    assert body["lines"] == [{"item_id": item.pk, "name": "番茄炒蛋", "quantity": 2, "unit_price": "6.00"}]
    # The page always posts the quantities: the same ones keep the booked prices too.
    response = client.post(f"/canteen/bookings/{booking.pk}/change/", {
        "diner": diner.pk, "mode": "pick_up", "notes": "自取", f"item_{item.pk}": 2})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.mode, booking.list_price, booking.payable) == ("pick_up", Decimal("12.00"), Decimal("7.00"))
    # Another quantity is a new order, priced now.
    client.post(f"/canteen/bookings/{booking.pk}/change/", {"diner": diner.pk, "mode": "pick_up", f"item_{item.pk}": 1})
    booking.refresh_from_db()
    assert (booking.list_price, booking.payable) == (Decimal("8.00"), Decimal("3.00"))


def test_production_sheet_query_count_does_not_grow_with_the_menu(client, canteen_staff, canteen, slot):
    from canteen.models import Dish, MenuItem

    login(client, canteen_staff)
    url = f"{API}/slots/{slot.pk}/production/"
    client.get(url)
    counts = []
    for extra in (range(0, 1), range(1, 6)):
        for n in extra:
            MenuItem.objects.create(slot=slot, dish=Dish.objects.create(name=f"加菜{n}"), price=Decimal("5.00"))
        cache.clear()
        login(client, canteen_staff)  # with REDIS_URL the sessions live in the cache just cleared
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_staff_read_the_monthly_reports_with_totals_through_the_api(client, canteen_staff, resident, diner, slot,
                                                                      items, canteen):
    services.book(resident, diner=diner, slot=slot, items=[(items["一荤两素套餐"].pk, 2)])
    services.group_booking(canteen_staff, slot=slot, group_name="暑期托管班", items=[(items["一荤两素套餐"].pk, 20)],
                           special_group="daycare")
    month = f"{slot.date:%Y-%m}"
    with on_meal_day(slot, days_after=1):
        login(client, canteen_staff)
        subsidy = client.get(f"{API}/reports/subsidy/", {"canteen": canteen.pk, "month": month})
        assert subsidy.status_code == 200
        body = subsidy.json()
        assert [c["key"] for c in body["columns"]][:3] == ["diner", "tier", "days"]
        assert body["totals"]["meals"] == 22 == sum(row["meals"] for row in body["rows"])
        bookings = Booking.objects.filter(slot=slot, status="confirmed")
        assert Decimal(body["totals"]["subsidy"]) == sum(b.subsidy for b in bookings)
        meals = client.get(f"{API}/reports/meals/", {"canteen": canteen.pk, "month": month}).json()
    assert meals["totals"]["meals"] == 22 and meals["columns"][1]["label"] == "价格档位"


@pytest.mark.parametrize("params, status", [
    ({"month": "2026-13"}, 422), ({"month": "0000-05"}, 422), ({"month": "May"}, 422),
    ({"canteen": 999999}, 404),
])
def test_report_api_refuses_bad_periods_and_unknown_canteens(client, canteen_staff, canteen, params, status):
    login(client, canteen_staff)
    response = client.get(f"{API}/reports/meals/", {"canteen": canteen.pk, "month": "2026-05", **params})
    assert response.status_code == status


def test_report_api_is_for_canteen_staff_only(client, resident, canteen):
    login(client, resident)
    assert client.get(f"{API}/reports/subsidy/", {"canteen": canteen.pk, "month": "2026-05"}).status_code == 403
    assert client.get(f"{API}/reports/nonsense/", {"canteen": canteen.pk, "month": "2026-05"}).status_code == 422


def test_ids_beyond_a_bigint_are_refused_with_422(client, resident, diner, slot, items, canteen_staff):
    """item_id / delivery_ids of 2**63 and more answered 500 (no column holds them)."""
    huge = 2**63
    login(client, resident)
    for url in (f"{API}/quote/", f"{API}/bookings/"):
        response = client.post(url, {"slot_id": slot.pk, "items": [{"item_id": huge, "quantity": 1}]},
                               content_type="application/json")
        assert response.status_code == 422, (url, response.content)
        assert response.json()["code"] == "out_of_range"
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    response = client.patch(f"{API}/bookings/{booking.pk}/", {"items": [{"item_id": huge, "quantity": 1}]},
                            content_type="application/json")
    assert response.status_code == 422
    login(client, canteen_staff)
    response = client.post(f"{API}/delivery-assignments/", {"delivery_ids": [huge], "volunteer_id": resident.pk},
                           content_type="application/json")
    assert response.status_code == 422
    assert Booking.objects.get().lines.count() == 1  # nothing changed


def test_slot_listing_and_menu_are_cached_whole_and_a_booking_is_seen_on_the_next_request(
        client, resident, diner, slot, items, canteen, django_assert_num_queries, django_capture_on_commit_callbacks):
    listing = f"{API}/slots/"
    menu = f"{API}/canteens/{canteen.pk}/menu/"
    week = {"week": slot.date.isoformat()}

    def remaining():
        return (client.get(listing).json()["items"][0]["remaining"],
                client.get(menu, week).json()["slots"][0]["remaining"])

    assert remaining() == (50, 50)
    with django_assert_num_queries(0):
        assert client.get(listing)["X-Page-Cache"] == "hit"
        assert client.get(menu, week)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 2)])
    assert remaining() == (48, 48)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(resident, booking)
    assert remaining() == (50, 50)
    # A slot closed by staff, or its menu withdrawn, is seen at once too.
    with django_capture_on_commit_callbacks(execute=True):
        slot.menu.is_published = False
        slot.menu.save()
    assert client.get(listing).json()["count"] == 0
    assert client.get(menu, week).json()["slots"] == []


def test_a_cached_slot_stops_being_bookable_the_moment_its_cutoff_passes(client, slot):
    import time_machine

    url = f"{API}/slots/"
    assert client.get(url).json()["items"][0]["bookable"] is True
    assert client.get(url)["X-Page-Cache"] == "hit"
    with time_machine.travel(slot.cutoff_at + datetime.timedelta(seconds=1)):
        after = client.get(url)
        assert "X-Page-Cache" not in after and after.json()["items"][0]["bookable"] is False


def test_production_sheet_is_kept_for_staff_only_and_counts_the_next_booking(
        client, canteen_staff, resident, diner, slot, items, django_capture_on_commit_callbacks):
    url = f"{API}/slots/{slot.pk}/production/"
    login(client, canteen_staff)
    first = client.get(url).json()
    assert first["bookings"] == 0 and first["slot"]["remaining"] == 50
    assert client.get(url).json() == first  # from the cache, the slot read live
    with django_capture_on_commit_callbacks(execute=True):
        services.book(resident, diner=diner, slot=slot, items=[(items["一荤两素套餐"].pk, 1)])
    sheet = client.get(url).json()
    assert (sheet["bookings"], sheet["portions"], sheet["slot"]["remaining"]) == (1, 1, 49)
    assert {row["dish"]: row["portions"] for row in sheet["dishes"]}["清蒸鲈鱼"] == 1
    assert [note["diner"] for note in sheet["dietary_notes"]] == ["张桂英"]  # low salt
    # A diner's needs changed: on the sheet at once.
    with django_capture_on_commit_callbacks(execute=True):
        diner.dietary_needs = []
        diner.save()
    assert client.get(url).json()["dietary_notes"] == []
    # The entry is the staff's: a member asking for it is refused, cached or not.
    login(client, resident)
    assert client.get(url).status_code == 403
