import io

import pytest
from django.core.management import call_command

from canteen.models import Booking, Canteen, Delivery, Diner, MealSlot, Menu
from core.models import Capacity

pytestmark = pytest.mark.django_db


def counts():
    return [Canteen.objects.count(), Menu.objects.count(), MealSlot.objects.count(), Diner.objects.count(),
            Booking.objects.count(), Delivery.objects.count()]


def test_demo_seed_is_idempotent_and_consistent():
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    assert first[0] == 2 and first[1] == 8 and first[4] > 50
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    # Portions taken always equal the portions booked.
    for slot in MealSlot.objects.select_related("capacity"):
        booked = sum(b.portions for b in slot.bookings.filter(status="confirmed"))
        assert slot.capacity.taken == booked
    assert Capacity.objects.filter(key__startswith="canteen:").count() == first[2]
    tiers = set(Booking.objects.values_list("tier", flat=True))
    assert {"60–69 岁", "70–79 岁", "80–89 岁", "90 岁及以上", "低保老人", "特困供养", "残疾人", ""} <= tiers
    assert Delivery.objects.filter(status="delivered").exists()
