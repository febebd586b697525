"""Other plugins credit hours through core.credits without importing volunteers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import credits
from volunteers.models import HoursEntry

pytestmark = pytest.mark.django_db


def _credit(member, start, minutes=20, key="tests.delivery.1"):
    return credits.credit(member=member, activity="送餐上门 · 青石社区长者食堂", start=start,
                          end=start + timedelta(minutes=minutes), minutes=minutes, source_key=key,
                          outputs={"送达餐数": 1})


def test_a_credit_becomes_a_pending_entry_once(make_member):
    member = make_member()
    start = timezone.now() - timedelta(hours=2)
    [entry] = _credit(member, start)
    [again] = _credit(member, start)
    assert entry.pk == again.pk and HoursEntry.objects.count() == 1
    assert entry.source == HoursEntry.Source.CREDIT and entry.status == HoursEntry.Status.PENDING
    assert [(o.label, o.quantity) for o in entry.outputs.all()] == [("送达餐数", 1)]


def test_minutes_already_counted_are_not_credited_again(make_member):
    member = make_member()
    start = timezone.now() - timedelta(hours=2)
    _credit(member, start, key="tests.delivery.1")
    [second] = _credit(member, start + timedelta(minutes=5), key="tests.delivery.2")  # next drop, 5 min later
    assert second.minutes == 5 and second.start == start + timedelta(minutes=20)
    assert _credit(member, start + timedelta(minutes=2), minutes=10, key="tests.delivery.3") == [None]


def test_recording_a_canteen_delivery_credits_the_volunteer_without_canteen_importing_volunteers():
    from django.apps import apps

    if not apps.is_installed("canteen"):
        pytest.skip("the canteen plugin is not enabled")
    from pathlib import Path

    import canteen.services
    from canteen import services as canteen_services
    from canteen.models import Diner
    from canteen.roles import CANTEEN_STAFF
    from tests.canteen.conftest import TODAY, make_canteen, make_slot, on_meal_day
    from tests.factories import UserFactory, staff_user

    source = Path(canteen.services.__file__).read_text(encoding="utf-8")
    assert "import volunteers" not in source and "from volunteers" not in source
    kitchen = make_canteen()
    slot = make_slot(kitchen)
    resident = UserFactory(kind="resident", community=kitchen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", birth_year=TODAY.year - 82, needs_delivery=True,
                                 community=kitchen.community, building="3栋", address="荷花小区3栋2单元401")
    item = slot.items.first()
    booking = canteen_services.book(resident, diner=diner, slot=slot, items=[(item.pk, 1)], mode="delivery")
    volunteer = UserFactory()
    canteen_services.assign_delivery(staff_user(CANTEEN_STAFF), [booking.delivery.pk], volunteer)
    with on_meal_day(slot):
        canteen_services.record_delivery(volunteer, booking.delivery, delivered=True)
    entry = HoursEntry.objects.get(member=volunteer)
    assert entry.source_key == f"canteen.delivery.{booking.delivery.pk}" and entry.minutes == 20
    assert entry.community_id == kitchen.community_id and "荷花社区长者食堂" in entry.activity
