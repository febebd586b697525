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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_map_draws_the_reports_from_the_api_and_the_list_works_without_script(live_server, browser, hehua,
                                                                                         settings):
    from tests.browser import axe_problems, reflow_problems
    from tests.reports.factories import make_category

    settings.MAP_TILE_URL = settings.STATIONS_TILE_URL = ""
    rubbish, parking = make_category("rubbish", name="乱堆乱倒垃圾"), make_category("parking", name="占用消防通道")
    owner = rider(hehua)
    point = north(HEHUA, 40)
    reports = [services.submit(owner, category=rubbish if n < 2 else parking, description=f"河边垃圾{n}",
                               lat=point[0], lng=point[1] + n * 0.004, uploads=[phone_photo()] if n == 0 else ())
               for n in range(3)]
    context = browser.new_context(viewport={"width": 360, "height": 900}, locale="en-US")
    page = context.new_page()
    requests, refused = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    try:
        page.goto(live_server.url + "/reports/")
        page.wait_for_selector("#report-map[data-markers]")
        assert page.locator("#report-map .leaflet-marker-icon").count() == 3
        assert page.locator(".leaflet-tile").count() == 0 and "no map server" in page.locator(
            "#report-map [data-map-note]").inner_text()
        assert any("/api/v3/reports/geojson?" in url for url in requests)
        assert any("/static/core/leaflet/leaflet.js" in url for url in requests)
        outside = [url for url in requests if not url.startswith((live_server.url, "data:"))]
        assert not outside, outside
        assert not refused, refused
        # The pin of the report with a photo opens its number, category, status and thumbnail.
        page.locator(f'#report-map .leaflet-marker-icon[title^="#{reports[0].pk} "]').click()
        popup = page.locator(".leaflet-popup-content")
        assert f"#{reports[0].pk} 乱堆乱倒垃圾" in popup.inner_text()
        page.wait_for_function("() => { const i = document.querySelector('.map-popup-thumb');"
                               " return i && i.complete && i.naturalWidth > 0; }")
        page.wait_for_timeout(400)  # Leaflet fades the popup in: axe would read half-faded text
        problems = axe_problems(page)
        page.locator(".leaflet-popup-close-button").click()
        page.wait_for_selector(".leaflet-popup", state="detached")
        problems += axe_problems(page) + reflow_problems(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
    # Without JavaScript the map stays hidden and the list, with its filters, is the page.
    context = browser.new_context(viewport={"width": 360, "height": 900}, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/reports/")
        assert page.locator("#report-map").is_hidden()
        assert page.locator(".report-card").count() == 3
        page.select_option("#id_category", "parking")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**category=parking**")
        cards = page.locator(".report-card h3")
        assert cards.count() == 1 and f"#{reports[2].pk}" in cards.first.inner_text()
        assert page.locator(f'#report-{reports[2].pk} a').get_attribute("href") == f"/reports/{reports[2].pk}/"
    finally:
        context.close()
