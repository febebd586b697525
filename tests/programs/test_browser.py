"""Programs pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets; a worker signs up from the
program page and sees the QR code; staff check the code in. Skipped when Chromium or axe-core
is missing (see tests/e2e)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from programs import services
from programs.models import Registration
from tests.factories import UserFactory, staff_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed"),
    # On PostgreSQL a live-server request connection outlives the test and blocks dropping the
    # test database; the pages are the same on both databases (as in tests/canteen).
    pytest.mark.skipif(connection.vendor == "postgresql", reason="browser tests run on SQLite"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install --prefix tests/e2e)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
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
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    return context


def audit(page, where, problems):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    for v in result["violations"]:
        nodes = v["nodes"]
        if nodes:
            problems.append(f"{where} {v['id']}: {v['help']} e.g. {nodes[0]['html'][:120]}")
    sizes = page.evaluate(SIZE_CHECK)
    if sizes["body"] < 18:
        problems.append(f"{where} body text {sizes['body']}px")
    problems += [f"{where} small target {s}" for s in sizes["small"]]


def test_worker_signs_up_sees_qr_and_staff_check_in(live_server, browser, client, make_program):
    program = make_program(places=[2], days=3, title="骑手交通安全公益课")
    today = make_program(places=[5], days=0, hours=3, title="应急救护课")
    later = make_program(places=[1], days=2, title="电动车消防安全课")
    services.register(UserFactory(), later, later.session_list[0])  # full: the waiting list shows
    worker = UserFactory(display_name="张小骑")
    staff = staff_user("Program staff")
    problems = []
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + "/programs/")
        audit(page, f"{width}px index", problems)
        page.goto(live_server.url + later.url)
        audit(page, f"{width}px program (anonymous)", problems)
        context.close()

    context = logged_in_context(browser, live_server, client, worker, 360)
    page = context.new_page()
    page.goto(live_server.url + program.url)
    audit(page, "360px program (member)", problems)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/programs/me/")
    audit(page, "360px my registrations", problems)
    registration = Registration.objects.get(member=worker)
    assert registration.check_in_code in page.content()
    assert page.locator("figure.qr img").first.evaluate("img => img.naturalWidth") > 0
    context.close()

    context = logged_in_context(browser, live_server, client, staff, 1280)
    page = context.new_page()
    session = today.session_list[0]
    registration = services.register_on_behalf(staff, worker, today, session)
    page.goto(live_server.url + f"/programs/staff/sessions/{session.pk}/check-in/")
    audit(page, "1280px check-in", problems)
    page.fill("#id_c-code", registration.check_in_code)
    page.locator("form.checkin-form button[type=submit]").click()
    page.wait_for_load_state()
    assert "张小骑" in page.content()
    audit(page, "1280px check-in result", problems)
    page.goto(live_server.url + f"/programs/staff/sessions/{session.pk}/attendance/")
    audit(page, "1280px attendance", problems)
    context.close()
    assert not problems, "\n".join(problems)
