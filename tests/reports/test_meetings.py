"""A needs-gathering meeting's items become reports in the usual flow, and the meeting's page
shows what became of each."""

import datetime

import pytest
from django.urls import reverse

from reports import services
from reports.models import Channel, Meeting, Status
from tests.reports.factories import command_centre, make_category

pytestmark = pytest.mark.django_db

SUGGESTIONS = ["驿站夜里开到 12 点", "小区门口设骑手临时停车点", "讲讲工伤保险怎么办", "换电便宜一点",
               "寒假孩子托管", "门口铺防滑垫"]


def test_six_suggestions_each_show_their_answer(client, hehua, worker, django_capture_on_commit_callbacks):
    staff = command_centre()
    category = make_category("suggestion", name="意见建议")
    meeting = Meeting.objects.create(title="暖新问需会（骑手专场）", date=datetime.date(2026, 11, 20), community=hehua,
                                     sector="外卖骑手", organisations="美团站点", attendees=23)
    items = [services.record_meeting_item(staff, meeting, category=category, description=text) for text in SUGGESTIONS]
    assert {(r.channel, r.community_id, r.meeting_id, r.status) for r in items} == {
        (Channel.MEETING, hehua.pk, meeting.pk, Status.SUBMITTED)}
    # Before any answer the page says each is being followed up, with its due date.
    page = client.get(reverse("reports:meeting", args=[meeting.pk])).content.decode()
    assert page.count("being followed up") + page.count("跟进") >= 6
    # After commit the page's cache namespace is bumped, as in a real request.
    with django_capture_on_commit_callbacks(execute=True):
        for n, report in enumerate(items):
            services.accept(report.pk, worker)
            services.resolve(report.pk, worker, note="已办", public_note=f"答复{n}：已安排落实")
    response = client.get(reverse("reports:meeting", args=[meeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for n, text in enumerate(SUGGESTIONS):
        assert text in page and f"答复{n}：已安排落实" in page
    # The same through the API.
    body = client.get(f"/api/v3/reports/meetings/{meeting.pk}/").json()
    assert [i["public_note"] for i in body["items"]] == [f"答复{n}：已安排落实" for n in range(6)]


def test_only_the_command_centre_records_meeting_items(hehua, worker):
    meeting = Meeting.objects.create(title="问需会", date=datetime.date(2026, 11, 20), community=hehua)
    with pytest.raises(services.NotAllowed):
        services.record_meeting_item(worker, meeting, category=make_category(), description="建议")


def test_the_meetings_list_is_ordered_and_counts_items(client, hehua):
    staff = command_centre()
    category = make_category("suggestion")
    older = Meeting.objects.create(title="第三季度问需会", date=datetime.date(2026, 8, 20), community=hehua)
    newer = Meeting.objects.create(title="第四季度问需会", date=datetime.date(2026, 11, 20), community=hehua)
    services.record_meeting_item(staff, newer, category=category, description="建议一")
    response = client.get(reverse("reports:meetings"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index(newer.title) < page.index(older.title)
    assert [m.item_count for m in response.context["page_obj"]] == [1, 0]
