"""Concurrent bookings on PostgreSQL with real connections: never more portions than cooked.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_canteen .venv/bin/python -m pytest tests/canteen
"""

import time

import pytest
from django.db import connection

from canteen import services
from canteen.models import Booking, Diner
from core import capacity
from core.models import Capacity
from tests.canteen.conftest import make_canteen, make_slot
from tests.factories import UserFactory
from tests.live import threaded

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]

RACERS = 50
PORTIONS = 10


def race(slot, diners):
    item = slot.items.first()

    def book(diner):
        services.book(diner.user, diner=diner, slot=slot, items=[(item.pk, 1)])
        return "booked"

    return threaded(book, diners)


def setup_race():
    canteen = make_canteen()
    slot = make_slot(canteen, portions=PORTIONS)
    diners = [Diner.objects.create(name=f"食客{n}", user=UserFactory(), community=canteen.community)
              for n in range(RACERS)]
    return slot, diners


def test_fifty_racers_for_the_last_ten_portions(transactional_db):
    slot, diners = setup_race()
    results = race(slot, diners)
    assert results.count("booked") == PORTIONS, results
    assert set(results) == {"booked", "sold_out"}
    assert Booking.objects.filter(slot=slot, status="confirmed").count() == PORTIONS
    assert Capacity.objects.get(pk=slot.capacity_id).taken == PORTIONS


def test_control_without_the_lock_the_race_oversells(transactional_db, monkeypatch):
    """The control: with locking off and a widened read-modify-write window, the same race books
    more than there are portions, so the test above would catch a missing lock."""
    monkeypatch.setattr(capacity, "LOCKING", False)
    monkeypatch.setattr(capacity, "_race_window", lambda: time.sleep(0.05))
    slot, diners = setup_race()
    results = race(slot, diners)
    booked = Booking.objects.filter(slot=slot, status="confirmed").count()
    assert booked > PORTIONS, results
    assert Capacity.objects.get(pk=slot.capacity_id).taken < booked  # lost updates
