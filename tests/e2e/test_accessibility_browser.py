"""Public pages and a member flow in a real browser (Debian's Chromium driven by Playwright),
checked with axe-core for WCAG 2.2 A/AA at 1280 px and 360 px, plus the project's own rules for
elderly readers: body text at least 18 px, buttons and navigation targets at least 44 px.

Needs /usr/bin/chromium (`apt-get install chromium`) and axe-core (`npm install --prefix tests/e2e`);
skipped with the reason when either is missing. .ci/run installs both.
"""

import pytest
from django.urls import reverse

from core.plugins import plugins
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages, axe_problems, click_and_follow

pytestmark = SKIP_WITHOUT_BROWSER


def public_urls():
    urls = ["/", "/accounts/login/", "/accounts/signup/", "/impact/"]
    urls += [reverse(c.main_url_name) for c in plugins() if c.main_url_name]
    return urls


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_pages_pass_axe_at_desktop_and_phone_widths(live_server, browser, client):
    problems = audit_pages(browser, live_server, client, public_urls())
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_member_logs_in_and_edits_profile_accessibly(live_server, browser):
    from tests.factories import UserFactory

    member = UserFactory(username="rider", email="rider@example.com", phone_verified=True)
    page = browser.new_page(viewport={"width": 360, "height": 800}, locale="zh-CN")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "rider@example.com")
    page.fill("input[name=password]", "Fengchao-2026!")
    click_and_follow(page, "main form button[type=submit]")
    assert page.url.endswith("/members/")  # the member home 我的
    assert page.locator("h1").inner_text() == "我的"
    assert axe_problems(page) == []
    click_and_follow(page, page.get_by_role("link", name="我的账号"))
    assert page.url.endswith("/members/me/")
    assert axe_problems(page) == []
    page.fill("input[name=display_name]", "骑手小周")
    click_and_follow(page, page.locator("main form button[type=submit]").first)
    assert "骑手小周" in page.content()
    member.refresh_from_db()
    assert member.display_name == "骑手小周"
