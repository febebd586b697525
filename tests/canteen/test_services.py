import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from canteen import queries, services
from canteen.models import Booking, Delivery, Diner
from canteen.services import CanteenError
from core.errors import NotAllowed
from core.models import Capacity, NotificationLog
from tests.canteen.conftest import TODAY, make_slot, on_meal_day
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def remaining(slot):
    return Capacity.objects.get(pk=slot.capacity_id).remaining


def test_resident_books_and_sees_subsidised_price(resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["一荤两素套餐"].pk, 1)])
    # 82 years old: 5 yuan off the 15-yuan set meal.
    assert (booking.list_price, booking.subsidy, booking.payable) == (Decimal("15.00"), Decimal("5.00"),
                                                                      Decimal("10.00"))
    assert booking.tier == "80-89岁"
    assert booking.channel == Booking.Channel.SELF
    assert remaining(slot) == 49


def test_subsidy_applies_to_one_portion_most_expensive_first(resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot,
                            items=[(items["番茄炒蛋"].pk, 2), (items["一荤两素套餐"].pk, 1)])
    assert booking.portions == 3
    assert booking.list_price == Decimal("27.00")
    assert booking.subsidy == Decimal("5.00")


def test_tiers(canteen, slot, items, resident):
    def price(**diner_fields):
        diner = Diner.objects.create(name="测试", community=canteen.community, **diner_fields)
        return services.quote(slot, [(items["一荤两素套餐"], 1)], diner=diner)

    assert price(birth_year=TODAY.year - 50).subsidy == Decimal("0.00")
    assert price(birth_year=TODAY.year - 65).subsidy == Decimal("1.50")  # 10 %
    assert price(birth_year=TODAY.year - 75).subsidy == Decimal("3.00")
    assert price(birth_year=TODAY.year - 95).payable == Decimal("0.00")  # free at 90+
    # Special group and age band: the larger subsidy wins.
    assert price(birth_year=TODAY.year - 75, special_group="low_income").subsidy == Decimal("8.00")


def test_daughter_books_for_mother_and_stranger_cannot(daughter, diner, slot, items):
    booking = services.book(daughter, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    assert booking.channel == Booking.Channel.FAMILY and booking.booked_by == daughter
    with pytest.raises(NotAllowed):
        services.book(UserFactory(), diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])


def test_staff_books_by_phone(canteen_staff, diner, slot, items):
    booking = services.book(canteen_staff, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    assert booking.channel == Booking.Channel.PHONE


def test_double_booking_is_refused(resident, diner, slot, items):
    services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    assert exc.value.code == "already_booked"
    assert remaining(slot) == 49


def test_past_cutoff_closed_and_sold_out(resident, diner, canteen, items):
    late = make_slot(canteen, date=TODAY + datetime.timedelta(days=2),
                     cutoff=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=late, items=[(late.items.first().pk, 1)])
    assert exc.value.code == "past_cutoff" and exc.value.status == 409

    small = make_slot(canteen, date=TODAY + datetime.timedelta(days=3), portions=1)
    item = small.items.first()
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=small, items=[(item.pk, 2)])
    assert exc.value.code == "not_enough"
    services.book(resident, diner=diner, slot=small, items=[(item.pk, 1)])
    other = Diner.objects.create(name="王建国", user=UserFactory())
    with pytest.raises(CanteenError) as exc:
        services.book(other.user, diner=other, slot=small, items=[(item.pk, 1)])
    assert exc.value.code == "sold_out"

    small.status = "closed"
    small.save()
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=small, items=[(item.pk, 1)])
    assert exc.value.code == "closed"


def test_sold_out_at_the_claim_leaves_no_booking_lines_delivery_or_audit_entry(resident, diner, canteen,
                                                                              monkeypatch):
    """The portions are claimed last (the lock is held only for that UPDATE and the commit): when
    the last one went to someone else after the early check, the booking, its lines, its
    delivery and its audit entry written before the claim all roll back."""
    from wagtail.models import ModelLogEntry

    from canteen.models import BookingLine

    slot = make_slot(canteen, date=TODAY + datetime.timedelta(days=4), portions=1)
    resolve = services._resolve_lines

    def someone_else_takes_the_last_portion(*args, **kwargs):
        lines = resolve(*args, **kwargs)
        Capacity.objects.filter(pk=slot.capacity_id).update(taken=1)
        return lines

    monkeypatch.setattr(services, "_resolve_lines", someone_else_takes_the_last_portion)
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)], mode="delivery")
    assert exc.value.code == "sold_out" and exc.value.status == 409
    assert not Booking.objects.filter(slot=slot).exists() and not BookingLine.objects.exists()
    assert not Delivery.objects.exists()
    assert not ModelLogEntry.objects.filter(action="fengchao.claim").exists()
    assert remaining(slot) == 0


def test_outside_delivery_area(resident, diner, slot, items):
    from tests.factories import CommunityFactory

    diner.community = CommunityFactory(name="柳树村", code="liushu")
    diner.save()
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    assert exc.value.code == "outside_delivery_area"
    slot.canteen.delivery_buildings = "5栋"
    slot.canteen.save()


def test_building_list_limits_delivery_area(resident, diner, slot, items, canteen):
    canteen.delivery_buildings = "1栋\n2栋"
    canteen.save()
    with pytest.raises(CanteenError) as exc:
        services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    assert exc.value.code == "outside_delivery_area"


def test_change_and_cancel_move_portions(resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    booking = services.change(resident, booking, items=[(items["清炒时蔬"].pk, 2), (items["番茄炒蛋"].pk, 1)],
                              mode="delivery")
    assert booking.portions == 3 and remaining(slot) == 47
    assert booking.list_price == Decimal("14.00") and booking.subsidy == Decimal("5.00")
    assert Delivery.objects.get(booking=booking).status == "pending"
    booking = services.change(resident, booking, items=[(items["番茄炒蛋"].pk, 1)], mode="pick_up")
    assert remaining(slot) == 49
    assert Delivery.objects.get(booking=booking).status == "cancelled"
    services.cancel(resident, booking)
    assert remaining(slot) == 50
    with pytest.raises(CanteenError):
        services.cancel(resident, booking)


def test_cancel_after_cutoff_refused(resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    slot.cutoff_at = timezone.now() - datetime.timedelta(minutes=1)
    slot.save()
    with pytest.raises(CanteenError) as exc:
        services.cancel(resident, booking)
    assert exc.value.code == "past_cutoff"


def test_group_booking_for_daycare(canteen_staff, slot, items, resident):
    booking = services.group_booking(canteen_staff, slot=slot, group_name="暑期托管班",
                                     items=[(items["一荤两素套餐"].pk, 20)], special_group="daycare")
    assert booking.portions == 20 and remaining(slot) == 30
    assert booking.list_price == Decimal("300.00") and booking.subsidy == Decimal("60.00")
    with pytest.raises(NotAllowed):
        services.group_booking(resident, slot=slot, group_name="x", items=[(items["清炒时蔬"].pk, 1)])


def test_no_answer_alerts_emergency_contact_and_grid_worker(canteen_staff, grid_worker, resident, diner, slot,
                                                            items, django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    volunteer = UserFactory()
    services.assign_delivery(canteen_staff, [booking.delivery.pk], volunteer)
    with pytest.raises(NotAllowed):
        services.record_delivery(UserFactory(), booking.delivery, delivered=False)
    with on_meal_day(slot), django_capture_on_commit_callbacks(execute=True):
        services.record_delivery(volunteer, booking.delivery, delivered=False, note="敲门无人应")
    recipients = set(NotificationLog.objects.filter(kind__startswith="canteen.no_answer").values_list("recipient", flat=True))
    assert recipients == {"13800002222", grid_worker.phone}
    with on_meal_day(slot), pytest.raises(CanteenError):
        services.record_delivery(volunteer, booking.delivery, delivered=True)


def test_delivered_sends_nothing(canteen_staff, resident, diner, slot, items, django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    with on_meal_day(slot), django_capture_on_commit_callbacks(execute=True):
        services.record_delivery(canteen_staff, booking.delivery, delivered=True)
    assert not NotificationLog.objects.exists()


def test_record_payment(canteen_staff, resident, diner, slot, items):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["一荤两素套餐"].pk, 1)])
    with pytest.raises(NotAllowed):
        services.record_payment(resident, booking, method="cash")
    booking = services.record_payment(canteen_staff, booking, method="cash")
    assert booking.paid_amount == Decimal("10.00") and booking.payment_recorded_by == canteen_staff
    with pytest.raises(CanteenError):
        services.record_payment(canteen_staff, booking, method="cash")


def test_pinyin_initials(db):
    assert Diner.objects.create(name="张桂英").initials == "zgy"
    assert Diner.objects.create(name="欧阳Li").initials.startswith("oy")


def test_member_export_holds_diner_profile_and_bookings(resident, diner, daughter, slot, items):
    services.book(daughter, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    mine = queries.export_member_data(resident)
    assert mine["diner"]["emergency_contact_phone"] == "13800002222"
    assert len(mine["bookings"]) == 1
    theirs = queries.export_member_data(daughter)
    assert theirs["diner"] is None and theirs["linked_diners"] == [{"name": "张桂英", "relation": "女儿"}]
    assert len(theirs["bookings"]) == 1  # booked by her


def test_no_answer_at_dinner_says_dinner(canteen_staff, canteen, resident, diner, django_capture_on_commit_callbacks):
    from tests.canteen.conftest import make_slot

    dinner = make_slot(canteen, meal="dinner")
    item = dinner.items.first()
    booking = services.book(resident, diner=diner, slot=dinner, items=[(item.pk, 1)], mode="delivery")
    with on_meal_day(dinner), django_capture_on_commit_callbacks(execute=True):
        services.record_delivery(canteen_staff, booking.delivery, delivered=False)
    body = NotificationLog.objects.get(recipient="13800002222").body
    assert "晚餐" in body and "午餐" not in body


def test_staff_export_holds_no_diner_they_booked_for_by_phone(canteen_staff, resident, diner, slot, items):
    diner.dietary_notes = "不吃香菜"
    diner.save()
    services.book(canteen_staff, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    assert queries.export_member_data(canteen_staff)["bookings"] == []
    mine = queries.export_member_data(resident)
    assert len(mine["bookings"]) == 1 and mine["diner"]["dietary_notes"] == "不吃香菜"


@pytest.mark.parametrize(("clock", "booked"), [("09:29", True), ("09:31", False)])
def test_lunch_cut_off_is_half_past_nine_in_shanghai(canteen, resident, diner, clock, booked):
    """01:29 and 01:31 UTC: the cut-off is the canteen's local time, whatever the server's clock says."""
    import time_machine

    date = TODAY + datetime.timedelta(days=1)
    slot = make_slot(canteen, date=date, cutoff=canteen.cutoff_for(date, "lunch"))
    hour, minute = map(int, clock.split(":"))
    moment = datetime.datetime.combine(date, datetime.time(hour, minute), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        if booked:
            assert services.book(resident, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)]).pk
        else:
            with pytest.raises(CanteenError) as error:
                services.book(resident, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)])
            assert error.value.code == "past_cutoff"


def test_group_booking_subsidises_only_what_its_tier_says(canteen, canteen_staff, slot, items):
    """A low-income group tier without "applies to every portion" covers the canteen's subsidised
    portions (one), not all twenty: the monthly claim must not pay out for nineteen more."""
    from canteen import reports

    assert canteen.subsidised_portions == 1
    booking = services.group_booking(canteen_staff, slot=slot, group_name="低保户集体用餐",
                                     items=[(items["一荤两素套餐"].pk, 20)], special_group="low_income")
    assert booking.list_price == Decimal("300.00") and booking.subsidy == Decimal("8.00")
    with on_meal_day(slot, days_after=1):
        claim = reports.subsidy_claim(canteen, slot.date)
    assert sum(row["subsidy"] for row in claim) == Decimal("8.00")
    assert sum(row["meals"] for row in claim) == 20


def test_a_bad_imported_field_does_not_stop_a_diner_updating_another(resident, diner, client):
    Diner.objects.filter(pk=diner.pk).update(birth_year=1800)  # as a bad import left it
    diner.refresh_from_db()
    updated = services.update_diner(resident, diner, {"address": "荷花小区5栋1单元101"}, via="page")
    assert Diner.objects.get(pk=diner.pk).address == "荷花小区5栋1单元101" == updated.address
    client.force_login(resident)
    page = client.get(f"/canteen/diners/{diner.pk}/")
    assert page.status_code == 200
    with pytest.raises(CanteenError) as exc:
        services.update_diner(resident, diner, {"phone": "1" * 40})
    assert exc.value.status == 422 and exc.value.message
