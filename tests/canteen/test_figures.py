"""The canteen's figures on the office dashboard follow what is recorded: a delivery recorded now
is counted on the next load."""

import pytest

from canteen import services
from tests.canteen.conftest import on_meal_day
from tests.factories import staff_user
from tests.impact import dashboard_value

pytestmark = pytest.mark.django_db


def test_a_delivery_recorded_now_changes_the_dashboard(client, canteen_staff, resident, diner, slot, items,
                                                       django_capture_on_commit_callbacks):
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 2)], mode="delivery")
    office = staff_user("Office staff")
    with on_meal_day(slot):
        client.force_login(office)
        assert dashboard_value(client, "canteen.meals_delivered") == "0"
        served = int(dashboard_value(client, "canteen.meals_served"))
        assert served == 2  # the booking's day has come
        # The figures are kept in core.cache; the commit of the delivery makes them stale.
        with django_capture_on_commit_callbacks(execute=True):
            services.record_delivery(canteen_staff, booking.delivery, delivered=True)
        assert dashboard_value(client, "canteen.meals_delivered") == "2"
        assert dashboard_value(client, "canteen.subsidy_paid") == f"{booking.subsidy:.2f}"
        assert dashboard_value(client, "canteen.elders_served") == "1"
