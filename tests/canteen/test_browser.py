"""Canteen pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets; and the phone console's live
search. Skipped when Chromium or axe-core is missing (see tests/e2e)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from canteen import services
from members.roles import CANTEEN_STAFF
from tests.canteen.conftest import TODAY, make_canteen, make_slot
from tests.factories import UserFactory, staff_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
    # On PostgreSQL a live-server request thread keeps a connection after Chromium closes, and
    # the test database cannot be dropped at the end of the run; rendering and accessibility do
    # not depend on the database, so the SQLite run covers them.
    pytest.mark.skipif(connection.vendor == "postgresql", reason="browser tests run on SQLite"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install --prefix tests/e2e)"),
]

SIZE_CHECK = """() => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const small = [];
  for (const el of document.querySelectorAll('main button, main .button, nav a, main input[type=submit], main select')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.height < 44 || r.width < 44) small.push(`${el.tagName} "${(el.textContent || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return {body, small};
}"""


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield instance
        instance.close()


def logged_in_context(browser, live_server, client, user, width):
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    return context


def audit(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    violations = [f"{v['id']}: {v['help']} e.g. {v['nodes'][0]['html'][:140]}" for v in result["violations"]]
    sizes = page.evaluate(SIZE_CHECK)
    return violations + ([f"body {sizes['body']}px"] if sizes["body"] < 18 else []) + sizes["small"]


@pytest.mark.django_db(transaction=True)
def test_canteen_pages_pass_axe(live_server, browser, client):
    from canteen.models import Diner

    canteen = make_canteen()
    slot = make_slot(canteen)
    items = {i.name: i for i in slot.items.all()}
    resident = UserFactory(kind="resident", community=canteen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", phone="13900001111", birth_year=TODAY.year - 82,
                                 community=canteen.community, building="3栋", address="荷花小区3栋401",
                                 needs_delivery=True, dietary_needs=["low_salt"])
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    staff = staff_user(CANTEEN_STAFF)
    week = f"?week={TODAY.isoformat()}"
    pages = [
        (None, [f"/canteen/{canteen.slug}/{week}", f"/canteen/{canteen.slug}/board/{week}", "/canteen/"]),
        (resident, [f"/canteen/book/{slot.pk}/", "/canteen/my/", f"/canteen/bookings/{booking.pk}/change/",
                    f"/canteen/diners/{diner.pk}/"]),
        (staff, ["/canteen/staff/console/?q=zgy", f"/canteen/staff/slots/{slot.pk}/production/",
                 f"/canteen/staff/slots/{slot.pk}/deliveries/", f"/canteen/staff/slots/{slot.pk}/counter/",
                 f"/canteen/staff/slots/?date={slot.date.isoformat()}", "/canteen/staff/reports/", "/canteen/staff/feedback/"]),
    ]
    problems = []
    for width in (1280, 360):
        for user, urls in pages:
            context = (logged_in_context(browser, live_server, client, user, width) if user
                       else browser.new_context(viewport={"width": width, "height": 900}))
            page = context.new_page()
            for url in urls:
                response = page.goto(live_server.url + url)
                assert response.status == 200, url
                problems += [f"{width}px {url} {p}" for p in audit(page)]
            context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_console_live_search_finds_by_initials(live_server, browser, client):
    from canteen.models import Diner

    canteen = make_canteen()
    Diner.objects.create(name="张桂英", phone="13900001111", community=canteen.community)
    Diner.objects.create(name="王根宝", phone="13900002222", community=canteen.community)
    context = logged_in_context(browser, live_server, client, staff_user(CANTEEN_STAFF), 360)
    page = context.new_page()
    page.goto(live_server.url + "/canteen/staff/console/")
    page.type("#id_q", "zg", delay=30)
    page.wait_for_selector(".live-list a")
    links = page.locator(".live-list a").all_inner_texts()
    assert len(links) == 1 and links[0].startswith("张桂英")
    page.click(".live-list a")
    page.wait_for_load_state()
    assert "张桂英" in page.locator("main h3").first.inner_text()
    context.close()
