"""A work order left past its deadline escalates: the deadline counts working days by the office
calendar (a holiday skipped), then the community hears of it, then the command centre."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from core.models import CalendarDay, NotificationLog
from reports import services
from reports.models import Escalation, ReportUpdate
from tests.reports.factories import HEHUA, command_centre, grid_worker, make_category, rider

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2027 has no published holidays yet (none is seeded): a holiday of our own on Wednesday 3 March.
TUESDAY = datetime.datetime(2027, 3, 2, 10, 0, tzinfo=SHANGHAI)
HOLIDAY = datetime.date(2027, 3, 3)


@pytest.fixture
def late_order(hehua, worker, time_machine):
    CalendarDay.objects.create(date=HOLIDAY, kind="holiday", name="测试假日")
    time_machine.move_to(TUESDAY, tick=False)
    category = make_category(deadline_working_days=2, name="飞线充电")
    return services.submit(rider(hehua), category=category, description="三楼拉电线下来充电", lat=HEHUA[0],
                           lng=HEHUA[1])


def test_the_deadline_skips_the_holiday(late_order):
    # Tuesday + 2 working days, Wednesday a holiday: Thursday and Friday, so Friday 5 March.
    assert late_order.deadline == datetime.date(2027, 3, 5)


def test_overdue_work_orders_escalate_to_the_community_then_the_command_centre(late_order, hehua, worker, time_machine):
    other = grid_worker(hehua)
    centre = command_centre()
    # Friday, the deadline day (a count that forgot the holiday would escalate today): nothing.
    time_machine.move_to(datetime.datetime(2027, 3, 5, 20, 0, tzinfo=SHANGHAI), tick=False)
    assert services.escalate_overdue() == []
    # Monday: one working day late -> the community (both its grid workers are told).
    time_machine.move_to(datetime.datetime(2027, 3, 8, 9, 0, tzinfo=SHANGHAI), tick=False)
    call_command("reports_tasks", "escalate")
    late_order.refresh_from_db()
    assert late_order.escalation == Escalation.COMMUNITY and late_order.escalated_at
    assert set(NotificationLog.objects.filter(kind="reports.escalated").values_list("user", flat=True)) == {
        worker.pk, other.pk}
    assert ReportUpdate.objects.filter(report=late_order, is_public=False).exists()
    # Run again the same day: idempotent.
    assert services.escalate_overdue() == []
    # Thursday 11 March: three working days late -> the command centre too.
    time_machine.move_to(datetime.datetime(2027, 3, 11, 9, 0, tzinfo=SHANGHAI), tick=False)
    assert [r.pk for r in services.escalate_overdue()] == [late_order.pk]
    late_order.refresh_from_db()
    assert late_order.escalation == Escalation.COMMAND_CENTRE
    assert NotificationLog.objects.filter(kind="reports.escalated", user=centre).count() == 1


def test_a_resolved_order_does_not_escalate(late_order, worker, time_machine):
    services.accept(late_order.pk, worker)
    services.resolve(late_order.pk, worker, note="已拆除电线")
    time_machine.move_to(datetime.datetime(2027, 3, 15, 9, 0, tzinfo=SHANGHAI), tick=False)
    assert services.escalate_overdue() == []
