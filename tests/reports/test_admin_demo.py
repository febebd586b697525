"""The command centre's admin (work orders with filters and export, one work order's buttons,
the dashboard, meeting items), roles, the member home, and the demo."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import GRID_WORKERS
from reports import services
from reports.models import Meeting, Report, Status
from tests.reports.factories import HEHUA, command_centre, make_category, rider

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre_client(client):
    user = command_centre()
    client.force_login(user)
    client.user = user
    return client


def _orders(hehua, n=3):
    category = make_category("rubbish", name="乱堆乱倒垃圾")
    return [services.submit(rider(hehua, display_name=f"骑手{i}"), category=category, description=f"=HYPERLINK(垃圾{i})",
                            lat=HEHUA[0], lng=HEHUA[1], address=f"荷花路 {i} 号") for i in range(n)]


def test_work_orders_filter_search_and_export(centre_client, hehua, worker):
    orders = _orders(hehua)
    services.accept(orders[0].pk, worker)
    page = centre_client.get(reverse("reports_work_orders"), {"status": "accepted"})
    assert page.status_code == 200
    body = page.content.decode()
    assert f"#{orders[0].pk}" in body and f"#{orders[1].pk}<" not in body
    found = centre_client.get(reverse("reports_work_orders"), {"q": "荷花路 2 号"}).content.decode()
    assert f"#{orders[2].pk}" in found and f">#{orders[0].pk}<" not in found
    csv = centre_client.get(reverse("reports_work_orders"), {"format": "csv"})
    text = csv.content.decode("utf-8-sig")
    assert csv["Content-Type"].startswith("text/csv") and "'=HYPERLINK" in text and "骑手1" in text
    xlsx = centre_client.get(reverse("reports_work_orders"), {"format": "xlsx", "status": "open"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2 + 3  # title, header, three rows


def test_the_command_centre_dispatches_and_rejects_from_the_admin(centre_client, hehua, worker):
    orders = _orders(hehua, 2)
    url = reverse("reports_work_order", args=[orders[0].pk])
    assert centre_client.get(url).status_code == 200
    centre_client.post(url, {"action": "dispatch", "assignee": worker.pk})
    orders[0].refresh_from_db()
    assert orders[0].status == Status.DISPATCHED and orders[0].assignee == worker
    centre_client.post(reverse("reports_work_order", args=[orders[1].pk]), {"action": "reject", "reason": "重复"})
    orders[1].refresh_from_db()
    assert orders[1].status == Status.REJECTED and orders[1].public_note == "重复"


def test_the_dashboard_counts_and_exports(centre_client, hehua, worker, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC), tick=False)
    orders = _orders(hehua)
    services.accept(orders[0].pk, worker)
    services.resolve(orders[0].pk, worker, note="已清运")
    time_machine.move_to(datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC), tick=False)
    page = centre_client.get(reverse("reports_dashboard"))
    figures = page.context["figures"]
    assert figures["open"] == 2 and figures["resolved"] == 1 and figures["credited"] == 1
    assert figures["missed"] == 2  # the two still open, five working days long past
    assert [b["n"] for b in figures["ages"]][3] == 2  # 11-30 working days old
    assert figures["by_community"] == [{"label": hehua.name, "n": 2}]
    csv = centre_client.get(reverse("reports_dashboard"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Reporters credited" in csv or "获记时长的上报人" in csv


def test_a_grid_worker_cannot_open_the_command_centre(client, worker):
    client.force_login(worker)
    assert client.get(reverse("reports_work_orders")).status_code in (302, 403)
    assert client.get(reverse("reports_dashboard")).status_code in (302, 403)


def test_meeting_items_are_recorded_in_the_admin(centre_client, hehua):
    make_category("suggestion")
    meeting = Meeting.objects.create(title="问需会", date=datetime.date(2026, 11, 20), community=hehua)
    url = reverse("reports_meeting_items", args=[meeting.pk])
    category = make_category("need")
    response = centre_client.post(url, {"category": category.pk, "description": "想了解临时救助"})
    assert response.status_code == 302
    assert Report.objects.get(meeting=meeting).description == "想了解临时救助"


def test_roles_grid_workers_get_the_queue_permissions():
    from django.contrib.auth.models import Group

    perms = set(Group.objects.get(name=GRID_WORKERS).permissions.values_list("codename", flat=True))
    assert {"view_report", "work_report"} <= perms
    assert "command_report" in set(Group.objects.get(name="Command centre").permissions.values_list("codename", flat=True))


def test_member_home_shows_my_open_report_and_the_workers_queue(client, hehua, worker):
    category = make_category()
    owner = rider(hehua)
    report = services.submit(owner, category=category, description="井盖松了", lat=HEHUA[0], lng=HEHUA[1])
    client.force_login(owner)
    assert f"#{report.pk}" in client.get("/members/").content.decode()
    client.force_login(worker)
    assert reverse("reports:work", args=[report.pk]) in client.get("/members/").content.decode()


def test_the_demo_seeds_every_state_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    states = set(Report.objects.values_list("status", flat=True))
    assert {Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED,
            Status.CLOSED, Status.REJECTED} <= states
    assert Report.objects.filter(escalation=2).count() >= 1
    first = Meeting.objects.order_by("date").first()
    assert first.items.count() == 6 and all(r.public_note for r in first.items.all())
    count = Report.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Report.objects.count() == count


def test_staff_edit_categories_with_their_questions_and_see_meetings(centre_client, hehua):
    make_category("rubbish", name="乱堆乱倒垃圾")
    meeting = Meeting.objects.create(title="暖新问需会（快递员）", date=datetime.date(2026, 11, 20), community=hehua)
    listing = centre_client.get(reverse("wagtailsnippets_reports_category:list"))
    assert listing.status_code == 200 and "乱堆乱倒垃圾" in listing.content.decode()
    add = centre_client.get(reverse("wagtailsnippets_reports_category:add"))
    assert add.status_code == 200 and "questions-TOTAL_FORMS" in add.content.decode()
    meetings = centre_client.get(reverse("wagtailsnippets_reports_meeting:list")).content.decode()
    assert reverse("reports_meeting_items", args=[meeting.pk]) in meetings


def test_the_dispatch_list_puts_the_communitys_own_grid_workers_first(hehua, worker):
    from reports.wagtail_hooks import DispatchForm
    from tests.reports.factories import community_at, grid_worker

    elsewhere = grid_worker(community_at(30.3, 120.2, name="东方社区", code="dongfang"), display_name="阿安")
    choices = list(DispatchForm(community=hehua).fields["assignee"].queryset)
    assert choices.index(worker) < choices.index(elsewhere)
