"""Volunteers' figures on the office dashboard follow the ledger: an hour approved now is counted
on the next load; a pending one is not."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from core import figures
from tests.factories import staff_user
from tests.impact import dashboard_value
from volunteers import services

pytestmark = pytest.mark.django_db


def test_an_hour_approved_now_changes_the_dashboard(client, make_member, coordinator,
                                                    django_capture_on_commit_callbacks):
    # Mid-month, so "two hours ago" is this month whatever day the suite runs.
    middle = datetime.datetime.combine(figures.this_month().replace(day=15), datetime.time(12),
                                       timezone.get_current_timezone())
    with time_machine.travel(middle, tick=True):
        member = make_member()
        client.force_login(staff_user("Office staff"))
        now = timezone.now()
        entry = services.self_report(member, activity="反诈宣传", start=now - datetime.timedelta(hours=3),
                                     end=now - datetime.timedelta(hours=1, minutes=30))
        assert entry.status == "pending"
        assert dashboard_value(client, "volunteers.hours") == "0.0"
        assert dashboard_value(client, "volunteers.active") == "0"
        # The figures are kept in core.cache; the commit of the approval makes them stale.
        with django_capture_on_commit_callbacks(execute=True):
            services.approve(coordinator, [entry.pk])
        assert dashboard_value(client, "volunteers.hours") == "1.5"
        assert dashboard_value(client, "volunteers.active") == "1"
