"""State transitions raced over HTTP, in the manner of pretix's concurrency tests: two canteen
staff press "paid" (or "cancel") on the same booking at the same moment, through the live server.
Exactly one wins; the other is told why (409 with a code). Each race has a control that switches
the row lock off and shows both winning, so the test would catch a missing lock.

PostgreSQL only: SQLite serialises every writer at BEGIN IMMEDIATE, so there the control could
not show the race.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc_canteen9 .venv/bin/python -m pytest tests/canteen
"""

import time

import pytest
from django.conf import settings
from django.db import connection, connections

from canteen import services
from canteen.models import Booking
from core.models import Capacity
from tests.canteen.conftest import logged_in, make_canteen, make_slot
from tests.canteen.factories import BookingFactory, DinerFactory
from tests.factories import staff_user
from tests.live import together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
]

#: Long enough that the second request arrives while the first still holds the booking.
WINDOW = 0.3


@pytest.fixture
def counter(transactional_db):
    """Two canteen staff at the counter and a diner's unpaid lunch (with a second diner's, so a
    double release of portions shows)."""
    from canteen.roles import CANTEEN_STAFF

    canteen = make_canteen()
    slot = make_slot(canteen, portions=10)
    item = slot.items.order_by("sort_order").first()
    booking = BookingFactory(slot=slot, diner=DinerFactory(community=canteen.community), items=[(item, 2)])
    BookingFactory(slot=slot, diner=DinerFactory(community=canteen.community), items=[(item, 2)])
    staff = [staff_user(CANTEEN_STAFF), staff_user(CANTEEN_STAFF)]
    tokens = [logged_in(user).cookies[settings.SESSION_COOKIE_NAME].value for user in staff]
    return booking, tokens


def _slow_lock(monkeypatch):
    """The real lock, held a moment longer: both requests are in flight while it is held."""
    locked = services._lock_booking

    def lock_then_wait(booking_id):
        booking = locked(booking_id)
        time.sleep(WINDOW)
        return booking

    monkeypatch.setattr(services, "_lock_booking", lock_then_wait)


def _no_lock(monkeypatch):
    """The control: the same read without FOR UPDATE, and the same moment before writing."""

    def read_then_wait(booking_id):
        booking = Booking.objects.select_related("slot__canteen", "slot__menu", "diner").get(pk=booking_id)
        time.sleep(WINDOW)
        return booking

    monkeypatch.setattr(services, "_lock_booking", read_then_wait)


def _payments(booking):
    from core import audit

    return [e for e in audit.entries_for(booking) if e.action == "canteen.payment"]


def _close_connections():
    # The live server's request threads opened their own connections; the flush needs them closed.
    for alias in connections:
        connections[alias].close()


def test_two_staff_record_the_same_payment_one_wins(live_server, counter, monkeypatch):
    booking, tokens = counter
    _slow_lock(monkeypatch)
    results = together(f"{live_server.url}/api/v3/canteen/bookings/{booking.pk}/payment/", tokens, {"method": "cash"})
    assert [status for status, _body in results] == [200, 409], results
    assert [body["code"] for status, body in results if status == 409] == ["already_paid"]
    assert len(_payments(booking)) == 1
    booking.refresh_from_db()
    assert booking.paid_amount == booking.payable
    _close_connections()


def test_control_without_the_lock_both_record_the_payment(live_server, counter, monkeypatch):
    booking, tokens = counter
    _no_lock(monkeypatch)
    results = together(f"{live_server.url}/api/v3/canteen/bookings/{booking.pk}/payment/", tokens, {"method": "cash"})
    assert [status for status, _body in results] == [200, 200], results
    assert len(_payments(booking)) == 2  # the money counted twice in the audit trail
    _close_connections()


def test_two_staff_cancel_the_same_booking_one_wins(live_server, counter, monkeypatch):
    booking, tokens = counter
    _slow_lock(monkeypatch)
    results = together(f"{live_server.url}/api/v3/canteen/bookings/{booking.pk}/cancel/", tokens)
    assert [status for status, _body in results] == [200, 409], results
    assert [body["code"] for status, body in results if status == 409] == ["not_confirmed"]
    # Its two portions went back once: the other diner's two are still taken.
    assert Capacity.objects.get(pk=booking.slot.capacity_id).taken == 2
    _close_connections()


def test_control_without_the_lock_both_cancel_and_portions_go_back_twice(live_server, counter, monkeypatch):
    booking, tokens = counter
    _no_lock(monkeypatch)
    results = together(f"{live_server.url}/api/v3/canteen/bookings/{booking.pk}/cancel/", tokens)
    assert [status for status, _body in results] == [200, 200], results
    assert Capacity.objects.get(pk=booking.slot.capacity_id).taken == 0  # the other diner's portions lost
    _close_connections()
