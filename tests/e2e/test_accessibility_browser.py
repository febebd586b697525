"""Public pages and a member flow in a real browser (Debian's Chromium driven by Playwright),
checked with axe-core for WCAG 2.2 A/AA at 1280 px and 360 px, plus the project's own rules for
elderly readers: body text at least 18 px, buttons and navigation targets at least 44 px.

Needs /usr/bin/chromium (`apt-get install chromium`) and axe-core (`npm install --prefix tests/e2e`);
skipped with the reason when either is missing. .ci/run installs both.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from core.plugins import plugins

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install --prefix tests/e2e)"),
]

WIDTHS = (1280, 360)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

SIZE_CHECK = """() => {
  const body = parseFloat(getComputedStyle(document.body).fontSize);
  const small = [];
  for (const el of document.querySelectorAll('button, .button, nav a, input[type=submit], select')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;   // hidden
    if (r.height < 44 || r.width < 44) small.push(`${el.tagName} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return {body, small};
}"""


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"],
        )
        yield instance
        instance.close()


def audit(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])}) e.g. {v['nodes'][0]['html'][:120]}"
                  for v in result["violations"]]
    sizes = page.evaluate(SIZE_CHECK)
    return violations, sizes


def public_urls():
    urls = ["/", "/accounts/login/", "/accounts/signup/"]
    urls += [reverse(c.main_url_name) for c in plugins() if c.main_url_name]
    return urls


@pytest.mark.django_db(transaction=True)
def test_public_pages_pass_axe_at_desktop_and_phone_widths(live_server, browser):
    problems = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        for url in public_urls():
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            violations, sizes = audit(page)
            problems += [f"{width}px {url} {v}" for v in violations]
            if sizes["body"] < 18:
                problems.append(f"{width}px {url} body text {sizes['body']}px")
            problems += [f"{width}px {url} small target {s}" for s in sizes["small"]]
        page.close()
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True)
def test_member_logs_in_and_edits_profile_accessibly(live_server, browser):
    from tests.factories import UserFactory

    member = UserFactory(username="rider", email="rider@example.com", phone_verified=True)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=login]", "rider@example.com")
    page.fill("input[name=password]", "Fengchao-2026!")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(live_server.url + "/members/me/")
    assert page.url.endswith("/members/me/")
    violations, sizes = audit(page)
    assert violations == [] and sizes["small"] == []
    page.fill("input[name=display_name]", "骑手小周")
    page.click("main form button[type=submit] >> nth=0")
    assert "骑手小周" in page.content()
    member.refresh_from_db()
    assert member.display_name == "骑手小周"
