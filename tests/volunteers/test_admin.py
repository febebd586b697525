"""The coordinators' admin: approval queue, reports with totals and exports, certificates."""

from datetime import timedelta

import pytest
from django.utils import timezone

from volunteers import services
from volunteers.models import Certificate, HoursEntry

pytestmark = pytest.mark.django_db


def _reports(member, count, hours_ago=3):
    end = timezone.now() - timedelta(hours=hours_ago)
    return [services.self_report(member, activity="社区巡逻", start=end - timedelta(minutes=60 * (i + 1)),
                                 end=end - timedelta(minutes=60 * i)).pk for i in range(count)]


def test_coordinator_approves_twenty_self_reports_at_once_in_the_queue(client, coordinator, make_member):
    ids = _reports(make_member(), 10) + _reports(make_member(display_name="=HYPERLINK(1)"), 10)
    client.force_login(coordinator)
    page = client.get("/admin/volunteers/queue/")
    assert page.status_code == 200 and page.content.decode().count('name="entry"') == 20
    response = client.post("/admin/volunteers/queue/", {"entry": ids, "action": "approve"})
    assert response.status_code == 302
    assert HoursEntry.objects.filter(status="approved").count() == 20


def test_declining_in_the_queue_needs_a_reason(client, coordinator, make_member):
    ids = _reports(make_member(), 2)
    client.force_login(coordinator)
    client.post("/admin/volunteers/queue/", {"entry": ids, "action": "decline", "reason": ""})
    assert HoursEntry.objects.filter(status="pending").count() == 2
    client.post("/admin/volunteers/queue/", {"entry": ids, "action": "decline", "reason": "重复申报"})
    assert HoursEntry.objects.filter(status="declined", decline_reason="重复申报").count() == 2


def test_the_queue_and_reports_are_for_coordinators_only(client, make_member):
    from tests.factories import staff_user

    client.force_login(staff_user("Editors"))
    for url in ("/admin/volunteers/queue/", "/admin/volunteers/reports/"):
        response = client.get(url)  # Wagtail turns the refusal into a redirect to the dashboard
        assert response.status_code == 302 and response["Location"] == "/admin/"


def test_month_report_has_a_total_row_and_exports_it_safely(client, coordinator, make_member):
    first, second = make_member(display_name="=cmd|' /C calc'!A0"), make_member(display_name="林小芳")
    services.approve(coordinator, _reports(first, 3) + _reports(second, 2))
    today = timezone.localdate()
    query = {"kind": "person", "since": str(today - timedelta(days=31)), "until": str(today)}
    client.force_login(coordinator)
    page = client.get("/admin/volunteers/reports/", query).content.decode()
    assert "林小芳" in page and "合计" in page
    csv = client.get("/admin/volunteers/reports/", {**query, "format": "csv"}).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[-1].startswith("合计,5.0,5,2")
    assert "'=cmd" in csv  # written as text, never a formula
    xlsx = client.get("/admin/volunteers/reports/", {**query, "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_issue_and_revoke_a_certificate_in_the_admin(client, coordinator, make_member):
    member = make_member(phone="+8613905710001")
    services.approve(coordinator, _reports(member, 2))
    today = timezone.localdate()
    client.force_login(coordinator)
    response = client.post("/admin/volunteers/certificates/issue/", {
        "phone": "139 0571 0001", "period_start": str(today - timedelta(days=7)), "period_end": str(today)})
    assert response.status_code == 302
    certificate = Certificate.objects.get(member=member)
    assert certificate.total_minutes == 120
    client.post(f"/admin/volunteers/certificates/{certificate.pk}/revoke/", {"reason": "信息有误"})
    assert not Certificate.objects.get(pk=certificate.pk).is_valid
    assert client.get("/admin/volunteer_certificates/").status_code == 200
    assert client.get("/admin/volunteer_hours/").status_code == 200


def test_reminders_go_out_once_the_day_before(make_opportunity, make_member, django_capture_on_commit_callbacks):
    from core.models import NotificationLog
    from tests.volunteers.conftest import first_shift
    from volunteers.tasks import send_shift_reminders

    shift = first_shift(make_opportunity(hours_from_now=30))
    member = make_member()
    services.sign_up(member, shift)
    tomorrow_start = timezone.localtime(shift.start)
    import time_machine

    with time_machine.travel(tomorrow_start - timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            send_shift_reminders.enqueue()
            send_shift_reminders.enqueue()
    reminders = NotificationLog.objects.filter(user=member, kind="volunteers.reminder")
    assert reminders.count() == 1 and "明天" in reminders.get().body
