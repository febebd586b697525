"""The pages still work under the Content-Security-Policy, in a real browser: the check-in page's
QR scanner script runs, and the Wagtail admin (dashboard, a program page's editor with its
rich-text field) renders with no violation reported."""

import pytest

from programs import services
from tests.browser import SKIP_WITHOUT_BROWSER, logged_in_context
from tests.factories import UserFactory, staff_user

pytestmark = [*SKIP_WITHOUT_BROWSER, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watched(context):
    context.add_init_script(VIOLATIONS)
    page = context.new_page()
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    return page


def violations(page):
    return page.evaluate("window.__csp") + [m for m in page.console if "Content Security Policy" in m]


def test_qr_scanner_and_admin_work_under_the_policy(live_server, browser, client, make_program):
    program = make_program(places=[5], days=0, hours=3, title="应急救护课")
    session = program.session_list[0]
    staff = staff_user("Program staff")
    context = logged_in_context(browser, live_server, client, staff, 1280)
    # Headless Chromium has no BarcodeDetector: a stand-in lets scan.js show its button, which
    # proves the script was loaded and ran under the policy.
    context.add_init_script("window.BarcodeDetector = class { detect() { return Promise.resolve([]); } };")
    page = watched(context)
    services.register_on_behalf(staff, UserFactory(), program, session)
    page.goto(live_server.url + f"/programs/staff/sessions/{session.pk}/check-in/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#scan-button").is_visible()
    assert not violations(page)
    context.close()

    admin = UserFactory(is_superuser=True, is_staff=True)
    context = logged_in_context(browser, live_server, client, admin, 1280)
    page = watched(context)
    page.goto(live_server.url + "/admin/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#wagtail-sidebar a, #wagtail-sidebar button").count() > 3  # the sidebar is drawn by script
    page.goto(live_server.url + f"/admin/pages/{program.pk}/edit/")
    page.wait_for_load_state("networkidle")
    # The description's StreamField editor is built by the admin's scripts.
    assert page.locator("[data-streamfield-stream-container]").count() == 1
    assert not violations(page), violations(page)
    page.goto(live_server.url + "/api/v3/docs/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui .opblock").count() > 10  # Swagger UI drew the operations
    assert not violations(page), violations(page)
    context.close()
