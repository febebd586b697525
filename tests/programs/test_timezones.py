from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from programs.models import Session

pytestmark = pytest.mark.django_db


def test_early_morning_session_is_on_its_shanghai_day(client, make_program):
    program = make_program(places=[3], days=10)
    session = program.session_list[0]
    start = datetime(2027, 1, 5, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    Session.objects.filter(pk=session.pk).update(start=start, end=start + timedelta(hours=1))
    api = client.get("/api/v3/programs/?date=2027-01-05").json()
    assert [p["id"] for p in api["items"]] == [program.pk]
    assert api["items"][0]["next_session"]["start"].startswith("2027-01-05T07:00:00+08:00")
    assert client.get("/api/v3/programs/?date=2027-01-04").json()["count"] == 0
    page = client.get("/programs/?date=2027-01-05").content.decode()
    assert program.title in page and "1月5日" in page and "07:00" in page
    feed = client.get("/programs/feed.ics").content.decode()
    assert "DTSTART;TZID=Asia/Shanghai:20270105T070000" in feed
