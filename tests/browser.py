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
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    // Links inside the sentences of editors' rich text are exempt (WCAG 2.5.8 "inline").
    if (el.closest('.rich-text')) continue;
    // Not drawn, so not a target: inside the phone header's closed menu (a closed <details>) or hidden.
    if (!el.checkVisibility()) continue;
    // A radio button or checkbox is tapped through its label: the label, holding the box, is the target.
    const box = el.matches('input[type=checkbox], input[type=radio]') ? (el.closest('label') || el) : el;
    const r = box.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right <= 0 || r.bottom <= 0) continue;  // the skip link waits off-screen until focused
    if (r.height < 43.5 || r.width < 43.5) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim().replace(/\\s+/g, ' ');
      small.push(`${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${name.slice(0, 30)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return {body, small};
}"""

#: Content wider than the window: the elements that stick out while their parent still fits.
REFLOW_CHECK = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  if (root.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const parent = el.parentElement.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && parent.right <= width + 1) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      out.push(`${el.tagName.toLowerCase()}${cls} "${(el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 30)}" ends at ${Math.round(r.right)}px`);
    }
  }
  return [`page is ${root.scrollWidth}px wide in a ${width}px window`, ...out.slice(0, 4)];
}"""

#: How each page is looked at: (name, window width, text scale). Phones at 360 px and the
#: smallest at 320 px (WCAG 1.4.10 reflow), and a phone with the text enlarged to 200 % in the
#: browser's settings (WCAG 1.4.4), as many elderly readers have it.
VIEWS = (("1280px", 1280, 1), ("360px", 360, 1), ("320px", 320, 1), ("360px 200% text", 360, 2))


#: The height of the window in every view: what "the first screen" means in the tests.
SCREEN_HEIGHT = 900


def new_context(browser, live_server, client, user, width, text_scale=1, **options):
    """A context at ``width`` px carrying ``user``'s session (None: anonymous), its text scaled;
    ``options`` go to Playwright's ``new_context`` (``locale="zh-CN"``, ``has_touch=True`` ...)."""
    context = (logged_in_context(browser, live_server, client, user, width, **options) if user
               else browser.new_context(viewport={"width": width, "height": SCREEN_HEIGHT}, **options))
    page = context.new_page()
    if text_scale != 1:
        # What a phone's "larger text" setting does: the default font size grows, and everything
        # sized in rem/em grows with it (stays in force across navigations of this page).
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {
            "standard": round(16 * text_scale), "fixed": round(13 * text_scale)}})
    return context, page


def reflow_problems(page):
    """Why ``page`` scrolls sideways, if it does (nothing: it reflows)."""
    return page.evaluate(REFLOW_CHECK)


def target_problems(page):
    """Targets smaller than 44x44 px on ``page``."""
    return [f"small target {s}" for s in page.evaluate(SIZE_CHECK)["small"]]


def launch_browser():
    """Yields a headless Chromium; tests get it as the ``browser`` fixture (tests/conftest.py)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop, which Django's async safety check refuses. Only
    # for the browser's lifetime: left set, it leaked into later tests' subprocesses (check
    # --deploy warns about it, and the deploy-check test failed after any browser test).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            instance = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield instance
            instance.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def axe_problems(page):
    """axe-core violations, text smaller than 18 px and targets smaller than 44 px on ``page``."""
    # Evaluated, not added as a <script> tag: the site's Content-Security-Policy refuses inline
    # script tags (as it should), while DevTools evaluation is not subject to it.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    problems = [f"{v['id']}: {v['help']} e.g. {v['nodes'][0]['html'][:140]}" for v in result["violations"]]
    sizes = page.evaluate(SIZE_CHECK)
    if sizes["body"] < 18:
        problems.append(f"body text {sizes['body']}px")
    return problems + [f"small target {s}" for s in sizes["small"]]


def logged_in_context(browser, live_server, client, user, width, **options):
    """A browser context carrying ``user``'s session, at ``width`` px."""
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": SCREEN_HEIGHT}, **options)
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


def audit_pages(browser, live_server, client, urls, *, user=None, views=VIEWS):
    """Problems of each of ``urls`` seen by ``user`` (None: anonymous) in each of ``views``:
    axe-core, text size and target size at full text size, sideways scrolling at phone widths,
    and target size again with enlarged text. Every page must answer 200."""
    problems = []
    for name, width, text_scale in views:
        context, page = new_context(browser, live_server, client, user, width, text_scale)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, f"{name} {url} answered {response.status}"
            found = axe_problems(page) if text_scale == 1 and width in (1280, 360) else target_problems(page)
            if width <= 360:
                found += reflow_problems(page)
            problems += [f"{name} {url} {problem}" for problem in found]
        context.close()
    return problems
