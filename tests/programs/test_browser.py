"""Programs pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets; a worker signs up from the
program page and sees the QR code; staff check the code in. Skipped when Chromium or axe-core
is missing (see tests/e2e)."""

import pytest

from programs import services
from programs.models import Registration
from tests.browser import SKIP_WITHOUT_BROWSER, axe_problems, click_and_follow, logged_in_context
from tests.factories import UserFactory, staff_user

pytestmark = [*SKIP_WITHOUT_BROWSER, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def audit(page, where, problems):
    problems += [f"{where} {problem}" for problem in axe_problems(page)]


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
    click_and_follow(page, page.locator("main form button[type=submit]").first)
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
    click_and_follow(page, "form.checkin-form button[type=submit]")
    assert "张小骑" in page.content()
    audit(page, "1280px check-in result", problems)
    page.goto(live_server.url + f"/programs/staff/sessions/{session.pk}/attendance/")
    audit(page, "1280px attendance", problems)
    context.close()
    assert not problems, "\n".join(problems)


def test_register_is_on_the_first_screen_and_cancelling_asks_first(live_server, browser, client, make_program):
    """Issue 10 items 12 and 13: "报名" shows without scrolling at 1280 px, 320 px and 360 px with
    200 % text, even under a long description; the cancel question passes the audits."""
    from wagtail.rich_text import RichText

    from tests.browser import SCREEN_HEIGHT, VIEWS, audit_pages, new_context

    program = make_program(places=[10, 10, 10, 10], title="老年人智能手机课",
                           summary="教您用手机挂号、付款和视频通话。" * 3,
                           description=[("paragraph", RichText("<p>" + "课程介绍。" * 300 + "</p>"))])
    member = UserFactory(display_name="李阿姨")
    where = {}
    for name, width, scale in VIEWS:
        context, page = new_context(browser, live_server, client, member, width, scale)
        page.goto(live_server.url + program.url)
        box = page.locator(f'form[action="/programs/{program.pk}/register/"] button').first.bounding_box()
        # Its top, from the top of the window, the header included: on a phone that is the office's name
        # and the 菜单 toggle (tests/e2e/test_header_browser.py), no longer a screen of links.
        where[name] = round(box["y"])
        context.close()
    assert all(top < SCREEN_HEIGHT for top in where.values()), where
    registration = services.register(member, program, program.session_list[0])
    problems = audit_pages(browser, live_server, client, [program.url, f"/programs/registrations/{registration.pk}/cancel/"],
                           user=member)
    assert not problems, "\n".join(problems)
