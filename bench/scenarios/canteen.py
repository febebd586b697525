"""Canteen scenarios: the public slot listing and weekly menu, the production sheet of a slot with
2,000 bookings (staff API), and a race of 500 members booking one lunch of 300 portions.

The race goes through the real API (``POST /api/v3/canteen/bookings/``), so it measures capacity,
price computation, audit and the booking rows together: exactly 300 must be confirmed (201), the
rest answered 409 ``sold_out``, and no 5xx.
"""

import datetime
from decimal import Decimal

from bench.lib import ensure_members, load, race_http, save, session_tokens

RACERS = 500
PORTIONS = 300
SHEET_BOOKINGS = 2000


def setup(stdout):
    from django.db import transaction
    from django.utils import timezone

    from canteen import services
    from canteen.models import Booking, BookingLine, Canteen, Diner, Dish, Menu, PriceTier, SetMeal
    from core.models import Capacity, Community
    from members.models import User

    community = Community.objects.filter(code="hehua").first() or Community.objects.create(
        name="荷花社区", code="hehua")
    canteen, _ = Canteen.objects.get_or_create(slug="bench", defaults={
        "name": "压测食堂", "community": community, "address": "荷花路 1 号", "hours": "11:00–12:30",
        "hotline": "0571-0000 0000"})
    canteen.delivery_communities.add(community)
    for name, low, high, kind, value in [("60–69 岁", 60, 69, "discount", "10"), ("70–79 岁", 70, 79, "fixed", "3"),
                                         ("80 岁及以上", 80, None, "fixed", "5")]:
        PriceTier.objects.get_or_create(canteen=canteen, name=name, defaults={"min_age": low, "max_age": high, "kind": kind,
                                                               "value": Decimal(value)})
    dishes = [Dish.objects.get_or_create(name=f"压测菜{n}", defaults={"dietary_tags": ["low_salt"],
                                                                     "allergens": ["soy"]})[0] for n in range(6)]
    set_meal, created = SetMeal.objects.get_or_create(name="压测套餐")
    if created:
        set_meal.dishes.set(dishes[:3])
    today = timezone.localdate()
    far = timezone.now() + datetime.timedelta(days=365)

    def slot_on(date, portions):
        menu, _ = Menu.objects.get_or_create(canteen=canteen, week_start=services.week_start(date))
        items = [(set_meal, Decimal("15.00"))] + [(d, Decimal("6.00")) for d in dishes[3:]]
        return services.create_slot(menu, date, "lunch", portions=portions, items=items, cutoff_at=far)

    # A listing of 20 slots (four weeks of weekday lunches) from today on.
    day, listed = today, 0
    while listed < 20:
        if day.weekday() < 5:
            slot_on(day, 120)
            listed += 1
        day += datetime.timedelta(days=1)
    race_slot = slot_on(today + datetime.timedelta(days=60), PORTIONS)
    sheet_slot = slot_on(today + datetime.timedelta(days=61), SHEET_BOOKINGS)

    # Racers: members with a diner profile each (no password: tokens are made directly).
    ensure_members("bench-diner-", RACERS, "压测食客", "resident")
    racers = list(User.objects.filter(username__startswith="bench-diner-").exclude(diner__isnull=False))
    Diner.objects.bulk_create([
        Diner(user=u, name=u.display_name, birth_year=today.year - 60 - (u.pk % 35), community=community,
              building=f"{u.pk % 12 + 1} 幢", initials=f"yccs{u.pk}") for u in racers
    ])

    # The production sheet: 2,000 confirmed bookings, written in bulk with the capacity to match.
    if not Booking.objects.filter(slot=sheet_slot).exists():
        diners = Diner.objects.bulk_create([
            Diner(name=f"订餐老人{n}", initials=f"dclr{n}", birth_year=today.year - 60 - n % 35,
                  community=community, building=f"{n % 20 + 1} 幢", dietary_needs=["soft"] if n % 9 == 0 else [],
                  allergies=["peanut"] if n % 25 == 0 else [], dietary_notes="少盐" if n % 13 == 0 else "")
            for n in range(SHEET_BOOKINGS)
        ])
        items = list(sheet_slot.items.all())
        with transaction.atomic():
            bookings = Booking.objects.bulk_create([
                Booking(slot=sheet_slot, diner=d, portions=1, list_price=items[n % len(items)].price,
                        payable=items[n % len(items)].price, mode=["dine_in", "pick_up", "delivery"][n % 3],
                        channel="phone")
                for n, d in enumerate(diners)
            ])
            BookingLine.objects.bulk_create([
                BookingLine(booking=b, item=items[n % len(items)], quantity=1, unit_price=items[n % len(items)].price)
                for n, b in enumerate(bookings)
            ])
            Capacity.objects.filter(pk=sheet_slot.capacity_id).update(taken=SHEET_BOOKINGS)
    staff = User.objects.filter(username="canteen").first()
    save("canteen", {"canteen": canteen.pk, "race_slot": race_slot.pk, "race_item": race_slot.items.first().pk,
                     "sheet_slot": sheet_slot.pk, "staff": staff.pk if staff else None})
    stdout.write(f"canteen: 20 listed slots, race slot {race_slot.pk} ({PORTIONS} portions, {RACERS} racers), "
                 f"production sheet slot {sheet_slot.pk} ({SHEET_BOOKINGS} bookings)\n")


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS, a list or a function returning one
    from members.models import User

    data = load("canteen") or {}
    scenarios = [
        ("canteen: slots with portions left", f"/api/v3/canteen/slots/?canteen={data.get('canteen')}&limit=20"),
        ("canteen: this week's menu", f"/api/v3/canteen/canteens/{data.get('canteen')}/menu/"),
    ]
    if data.get("staff"):
        token = session_tokens(User.objects.filter(pk=data["staff"]))[0]
        scenarios.append((f"canteen: production sheet, {SHEET_BOOKINGS} bookings",
                          f"/api/v3/canteen/slots/{data['sheet_slot']}/production/", {"X-Session-Token": token}))
    return scenarios


def booking_race(base_url):
    """500 members book the same lunch of 300 portions at once through the API."""
    from django.db import connection

    from canteen.models import Booking, MealSlot
    from core.models import Capacity
    from members.models import User

    data = load("canteen")
    slot = MealSlot.objects.get(pk=data["race_slot"])
    Booking.objects.filter(slot=slot).delete()
    Capacity.objects.filter(pk=slot.capacity_id).update(taken=0, total=PORTIONS)
    tokens = session_tokens(User.objects.filter(username__startswith="bench-diner-").order_by("pk")[:RACERS])
    connection.close()
    body = {"slot_id": slot.pk, "items": [{"item_id": data["race_item"], "quantity": 1}]}
    figures = race_http([("POST", f"{base_url}/api/v3/canteen/bookings/", body, {"X-Session-Token": token})
                         for token in tokens])
    booked = Booking.objects.filter(slot=slot, status="confirmed").count()
    taken = Capacity.objects.get(pk=slot.capacity_id).taken
    connection.close()
    confirmed = figures["statuses"].get(201, 0)
    figures.update(
        name=f"canteen: {len(tokens)} members book one lunch of {PORTIONS} portions",
        confirmed=confirmed, expected=PORTIONS, db_bookings=booked, db_taken=taken,
        ok=confirmed == booked == taken == PORTIONS and figures["errors_5xx"] == 0,
    )
    return figures


RACES = [booking_race]
