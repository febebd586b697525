"""The gig station's figures on the office dashboard (/admin/impact/): days to fill, the median
days from a need's opening to the hire that took its last place, changes on the next load."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.factories import staff_user
from tests.gigs import factories
from tests.impact import dashboard_value

pytestmark = pytest.mark.django_db


def _filled_after(days, **kwargs):
    """A need of one place opened now and filled ``days`` later by one hire."""
    need = factories.need(headcount=1, length=30, **kwargs)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=days)):
        factories.hire(need)
    return need


def test_days_to_fill_is_the_median_and_follows_each_fill(client, django_capture_on_commit_callbacks):
    client.force_login(staff_user("Office staff"))
    # The middle of the month, so the fills below stay in it whatever day the suite runs.
    middle = timezone.make_aware(datetime.datetime.combine(timezone.localdate().replace(day=3), datetime.time(9)))
    with time_machine.travel(middle, tick=False):
        assert dashboard_value(client, "gigs.days_to_fill") == "–"
        with django_capture_on_commit_callbacks(execute=True):
            _filled_after(2)
        assert dashboard_value(client, "gigs.days_to_fill") == "2.0"
        with django_capture_on_commit_callbacks(execute=True):
            _filled_after(4)
            _filled_after(9)
        # The median of 2, 4 and 9 days, not the mean (5.0).
        assert dashboard_value(client, "gigs.days_to_fill") == "4.0"
        # A need still open does not count.
        factories.need(headcount=2)
        assert dashboard_value(client, "gigs.days_to_fill") == "4.0"
