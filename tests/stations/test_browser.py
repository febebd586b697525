"""Station pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets. Skipped when Chromium or axe-core
is missing (see tests/e2e)."""

import pytest

from stations.models import PartyMember, PartyOrganisation, Visit
from tests.browser import (
    SKIP_WITHOUT_BROWSER,
    audit_pages,
    axe_problems,
    logged_in_context,
    reflow_problems,
)
from tests.factories import UserFactory, staff_user
from tests.stations.factories import make_station

pytestmark = SKIP_WITHOUT_BROWSER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_station_pages_pass_axe(live_server, browser, client, community):
    station = make_station(community=community, amenities=("seats", "phone_charging", "battery_charging"))
    member = UserFactory(community=community)
    PartyMember.objects.create(user=member, is_mobile=True, home_organisation="河南省某村党支部")
    branch = PartyOrganisation.objects.create(name="测试联合党支部", kind="joint_branch")
    branch.communities.add(community)
    Visit.objects.create(station=station, member=member)
    keeper, party = staff_user("Station staff"), staff_user("Party-work staff")
    scan = "/" + station.scan_url().split("://", 1)[1].split("/", 1)[1]
    pages = [
        (None, ["/stations/", f"/stations/?lat={station.latitude}&lng={station.longitude}&open_now=on", station.url]),
        (member, [station.url, scan, "/stations/party/"]),
        (keeper, [station.url, f"/stations/{station.pk}/poster/"]),
        (party, ["/stations/party/registry/"]),
    ]
    problems = [p for user, urls in pages for p in audit_pages(browser, live_server, client, urls, user=user)]
    assert not problems, "\n".join(problems)


def _three_stations(community):
    return [make_station(30.2740 + 0.003 * n, 120.1550 + 0.002 * n, community=community,
                         amenities=("seats", "battery_charging")) for n in range(3)]


def _open_map(browser, live_server, url, width=360):
    """The page with the map drawn; what it asked for and any CSP refusal it met. (Chromium asks
    for English, so the page answers in English.)"""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-US")
    page = context.new_page()
    requests, refused = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(live_server.url + url)
    page.wait_for_selector("#station-map[data-markers]")
    return context, page, requests, refused


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_map_draws_the_stations_from_this_sites_files_with_no_tile_server(live_server, browser, community,
                                                                              settings):
    settings.MAP_TILE_URL = settings.STATIONS_TILE_URL = ""
    _three_stations(community)
    context, page, requests, refused = _open_map(browser, live_server, "/stations/?lat=30.2740&lng=120.1550")
    try:
        assert page.locator(".leaflet-marker-icon").count() == 3
        assert page.locator(".leaflet-tile").count() == 0
        assert "no map server" in page.locator("[data-map-note]").inner_text()
        assert page.locator(".station-map path.leaflet-interactive").count() == 1  # "you are here"
        outside = [url for url in requests if not url.startswith((live_server.url, "data:"))]
        assert not outside, outside
        assert any("/static/core/leaflet/leaflet.js" in url for url in requests)
        assert any("/api/v3/stations/geojson?" in url for url in requests)
        assert not refused, refused
        # A marker opens the station's name, state and distance, linked to its page.
        page.locator(".leaflet-marker-icon").first.click()
        popup = page.locator(".leaflet-popup-content")
        assert "测试驿站" in popup.inner_text() and " m" in popup.inner_text()
        page.wait_for_timeout(400)  # Leaflet fades the popup in: axe would read half-faded text
        problems = axe_problems(page)
        page.locator(".leaflet-popup-close-button").click()
        page.wait_for_selector(".leaflet-popup", state="detached")
        problems += axe_problems(page) + reflow_problems(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_tile_server_out_of_reach_leaves_the_markers_on_a_plain_background(live_server, browser, community,
                                                                             settings):
    # Nothing listens on port 9 here: every tile fails, as with no internet.
    settings.MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© 测试地图"
    _three_stations(community)
    context, page, requests, refused = _open_map(browser, live_server, "/stations/")
    try:
        page.wait_for_function("() => document.querySelector('[data-map-note]').textContent.length > 0")
        assert "could not be loaded" in page.locator("[data-map-note]").inner_text()
        assert page.locator(".leaflet-marker-icon").count() == 3
        assert page.locator(".leaflet-tile").count() == 0
        assert any(url.startswith("http://127.0.0.1:9/") for url in requests)
        # The tile server was let in by the page's policy (a CSP refusal would not reach it).
        assert not refused, refused
        assert "© 测试地图" in page.locator(".map-attribution").inner_text()
    finally:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_javascript_the_list_is_the_page(live_server, browser, community):
    _three_stations(community)
    context = browser.new_context(viewport={"width": 320, "height": 900}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/stations/?lat=30.2740&lng=120.1550")
        assert page.locator(".station-list .station").count() == 3
        assert not page.locator("[data-station-map]").is_visible()
        page.select_option("#id_community", community.code)
        with page.expect_navigation():
            page.locator(".station-search button[type=submit]").click()
        assert page.locator(".station-list .station").count() == 3
    finally:
        context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_printed_poster_decodes_to_the_report_in_address(live_server, browser, client, community):
    """What the poster page draws (the inline SVG, as Chromium renders it for printing) is a
    standard QR of the station's signed scan address, read by zxing-cpp from the screenshot."""
    import io

    import zxingcpp
    from PIL import Image

    station = make_station(community=community)
    context = logged_in_context(browser, live_server, client, staff_user("Station staff"), 1280)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/stations/{station.pk}/poster/")
        page.emulate_media(media="print")
        shot = page.locator(".poster-qr").screenshot()
    finally:
        context.close()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [(f.text, f.format) for f in found] == [(station.scan_url(), zxingcpp.BarcodeFormat.QRCode)]
