"""Report pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets: the public list, choosing a
category, the phone form with its camera input, duplicates shown with "me too", a report's page,
a meeting's answers, and a grid worker's queue and work page. Skipped when Chromium or axe-core
is missing (see tests/e2e)."""

import datetime

import pytest

from reports import services
from reports.models import Meeting
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages
from tests.reports.factories import HEHUA, ground_lock_category, north, phone_photo, rider

pytestmark = SKIP_WITHOUT_BROWSER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_report_pages_pass_axe(live_server, browser, client, hehua, worker):
    ground_lock_category()
    owner, other = rider(hehua), rider(hehua)
    report = services.submit(owner, category="ground-lock", description="车位上有两个地锁", answers={"count": 2},
                             lat=north(HEHUA, 30)[0], lng=HEHUA[1], address="荷花路 26 号",
                             uploads=[phone_photo()])
    meeting = Meeting.objects.create(title="暖新问需会", date=datetime.date(2026, 11, 20), community=hehua, attendees=20)
    pages = [
        (None, ["/reports/", f"/reports/{report.pk}/", "/reports/meetings/", f"/reports/meetings/{meeting.pk}/"]),
        (other, ["/reports/new/", "/reports/new/?category=ground-lock", f"/reports/{report.pk}/", "/reports/mine/"]),
        (worker, ["/reports/queue/", f"/reports/{report.pk}/work/"]),
    ]
    problems = [p for user, urls in pages for p in audit_pages(browser, live_server, client, urls, user=user)]
    assert not problems, "\n".join(problems)
