"""Shared pieces of the browser tests: Debian's Chromium driven by Playwright, axe-core for
WCAG 2.2 A/AA, and the project's own rules for elderly readers (18 px text, 44 px targets).

Playwright's own browser download cannot work on these machines, so tests use /usr/bin/chromium
(`apt-get install chromium`) and axe-core from npm (`npm install --prefix tests/e2e`); both are
installed by .ci/run, and the tests are skipped with the reason when either is missing.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]

SKIP_WITHOUT_BROWSER = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Chromium is not installed (apt-get install chromium)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm install --prefix tests/e2e)"),
    # On PostgreSQL a live-server request thread keeps its connection after Chromium closes, and
    # the test database cannot be dropped at the end of the run. Rendering and accessibility do
    # not depend on the database, so the SQLite run covers them.
    pytest.mark.skipif(connection.vendor == "postgresql", reason="browser tests run on SQLite"),
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


def launch_browser():
    """Yields a headless Chromium; tests get it as the ``browser`` fixture (tests/conftest.py)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield instance
        instance.close()


def axe_problems(page):
    """axe-core violations, text smaller than 18 px and targets smaller than 44 px on ``page``."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    problems = [f"{v['id']}: {v['help']} e.g. {v['nodes'][0]['html'][:140]}" for v in result["violations"]]
    sizes = page.evaluate(SIZE_CHECK)
    if sizes["body"] < 18:
        problems.append(f"body text {sizes['body']}px")
    return problems + [f"small target {s}" for s in sizes["small"]]


def logged_in_context(browser, live_server, client, user, width):
    """A browser context carrying ``user``'s session, at ``width`` px."""
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}])
    return context


def click_and_follow(page, target):
    """Clicks ``target`` (a selector or locator) and returns once the page it leads to has loaded.

    ``click()`` followed by ``wait_for_load_state()`` races: the old page is already loaded, so
    the wait can return before the navigation starts and the test reads the old DOM.
    """
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation():
        locator.click()


def audit_pages(browser, live_server, client, urls, *, user=None, widths=(1280, 360)):
    """axe-core and size problems of each of ``urls`` at each width, seen by ``user`` (None:
    anonymous). Every page must answer 200."""
    problems = []
    for width in widths:
        context = (logged_in_context(browser, live_server, client, user, width) if user
                   else browser.new_context(viewport={"width": width, "height": 900}))
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            problems += [f"{width}px {url} {problem}" for problem in axe_problems(page)]
        context.close()
    return problems
