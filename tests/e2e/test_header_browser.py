"""Issue 10 item 12, the site header: on a phone it is the office's name and a 菜单 toggle (a
<details>, no script), so a page's first action is on the first screen even with text at 200 %;
on a wide window the navigation shows without opening anything.

Before: at 360 px with text at 200 % the header (nine links and the language form) was 1,083 px
tall, so 预订 and 报名 were more than a screen down on every page."""

import datetime

import pytest
from django.utils import timezone

from core.plugins import plugin_labels
from tests.browser import (
    SCREEN_HEIGHT,
    SKIP_WITHOUT_BROWSER,
    axe_problems,
    new_context,
    reflow_problems,
    target_problems,
)
from tests.factories import UserFactory
from tests.programs.conftest import make_program, program_index  # noqa: F401 - fixtures

pytestmark = [
    *SKIP_WITHOUT_BROWSER,
    pytest.mark.skipif(not {"canteen", "programs"} <= set(plugin_labels()),
                       reason="needs the canteen and programs plugins"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOGGLE = "header summary.site-menu-toggle"
NAV_LINKS = "header nav a"
PHONES = (("360px 200% text", 360, 2), ("320px", 320, 1))


@pytest.fixture
def pages(request):
    """A canteen week whose first days are closed (as mid-week) and a program page: the two pages
    whose first action (预订, 报名) the issue measured."""
    new_program = request.getfixturevalue("make_program")  # tests/programs/conftest.py, imported above
    from tests.canteen.conftest import TODAY, make_canteen, make_slot

    canteen = make_canteen()
    for n in range(3):
        make_slot(canteen, date=TODAY + datetime.timedelta(days=n), cutoff=timezone.now() - datetime.timedelta(hours=1))
    open_slot = make_slot(canteen, date=TODAY + datetime.timedelta(days=4))
    program = new_program(places=[10, 10], title="骑手交通安全公益课", summary="交规、头盔和夜间骑行。")
    return {
        "canteen": (f"/canteen/{canteen.slug}/?week={TODAY.isoformat()}", f'main a[href="/canteen/book/{open_slot.pk}/"]'),
        "program": (program.url, f'main form[action="/programs/{program.pk}/register/"] button'),
    }


def nav_hrefs(page):
    return page.locator(NAV_LINKS).evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_on_a_phone_the_first_action_is_on_the_first_screen_and_the_menu_opens_by_key_and_tap(
        live_server, browser, client, pages):
    member = UserFactory(display_name="李阿姨", kind="resident")
    problems, where = [], {}
    for name, width, scale in PHONES:
        # No script at all: the menu must open without it.
        context, page = new_context(browser, live_server, client, member, width, scale, locale="zh-CN",
                                    has_touch=True, java_script_enabled=False)
        for label, (url, action) in pages.items():
            page.goto(live_server.url + url)
            top = page.locator(action).first.bounding_box()["y"]
            where[f"{name} {label}"] = round(top)
            header = page.locator("header.site-header").bounding_box()["height"]
            assert header < SCREEN_HEIGHT / 4, f"{name} {label}: header {header}px"
            # Closed: only the name and the toggle, which is a full-size target named 菜单.
            toggle = page.locator(TOGGLE)
            assert toggle.inner_text().strip() == "菜单"
            assert page.locator("details.site-menu").get_attribute("open") is None
            assert not page.locator(NAV_LINKS).first.is_visible()
            problems += [f"{name} {label} closed: {p}" for p in reflow_problems(page) + target_problems(page)]

        # By tap: every link of the menu and the language form show, within the window.
        page.locator(TOGGLE).tap()
        assert page.locator("details.site-menu").get_attribute("open") == ""
        hrefs = nav_hrefs(page)
        assert "/canteen/" in hrefs and "/programs/" in hrefs and "/members/" in hrefs and len(hrefs) >= 5
        for link in page.locator(NAV_LINKS).all():
            assert link.is_visible()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (name, link.inner_text(), box)
        assert page.locator("header select[name=language]").is_visible()
        problems += [f"{name} open: {p}" for p in reflow_problems(page) + target_problems(page)]
        page.locator(TOGGLE).tap()
        assert not page.locator(NAV_LINKS).first.is_visible()
        context.close()

        # By keyboard: skip link, the office's name, then the toggle; Enter opens it and Tab goes
        # on into its links; Space closes it again.
        context, page = new_context(browser, live_server, client, member, width, scale, locale="zh-CN")
        page.goto(live_server.url + pages["canteen"][0])
        focused = []
        for _ in range(3):
            page.keyboard.press("Tab")
            focused.append(page.evaluate("document.activeElement.className"))
        assert focused == ["skip-link", "brand", "site-menu-toggle"], focused
        page.keyboard.press("Enter")
        assert page.locator(NAV_LINKS).first.is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == nav_hrefs(page)[0]
        if scale == 1:  # axe with the menu open (at 200 % text the sizes are checked above)
            problems += [f"{name} open: {p}" for p in axe_problems(page)]
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Space")
        assert not page.locator(NAV_LINKS).first.is_visible()
        if scale == 1:
            problems += [f"{name} closed: {p}" for p in axe_problems(page)]
        context.close()

    assert all(top < SCREEN_HEIGHT for top in where.values()), where
    assert not problems, "\n".join(problems)


def test_on_a_wide_window_the_navigation_shows_without_opening_anything(live_server, browser, client, pages):
    context, page = new_context(browser, live_server, client, UserFactory(kind="resident"), 1280, locale="zh-CN")
    for url, action in pages.values():
        page.goto(live_server.url + url)
        assert not page.locator(TOGGLE).is_visible()
        links = page.locator(NAV_LINKS).all()
        assert len(links) >= 5 and all(link.is_visible() for link in links)
        assert page.locator("header select[name=language]").is_visible()
        # In the tab order right after the office's name, as before the menu existed.
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == nav_hrefs(page)[0]
        assert page.locator(action).first.bounding_box()["y"] < SCREEN_HEIGHT / 2
        assert axe_problems(page) == []
    context.close()
