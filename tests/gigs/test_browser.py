"""Gig station pages in a real browser (Debian's Chromium via Playwright): the public needs list,
a need's page, and the worker's own pages (recommended for you, my applications, the profile),
checked with axe-core for WCAG 2.2 A/AA at 1280 and 360 px, 44 px targets at 320 px and at 360 px
with the text at 200 %, and no sideways scrolling on phones (tests/browser.py). Skipped when
Chromium or axe-core is missing."""

import pytest

from gigs import services
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages
from tests.gigs import factories

pytestmark = [*SKIP_WITHOUT_BROWSER, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_gig_pages_pass_axe_on_phones_and_desktops(live_server, browser, client):
    need = factories.need(title="双十一夜班分拣员（青石物流园）", skills=("分拣", "搬运"),
                          description="负责快递包裹分拣、扫码和装车，现场有师傅带，按天结算。")
    factories.need(title="社区食堂帮厨", category="kitchen", skills=("切配",), shift=("10:00", "14:00"))
    rider = factories.worker()
    other = factories.need(title="超市夜间理货", skills=("理货",))
    services.apply(rider, other.pk, note="晚上六点以后都可以")
    pages = ["/gigs/", f"/gigs/needs/{need.pk}/"]
    problems = audit_pages(browser, live_server, client, pages)
    problems += audit_pages(browser, live_server, client,
                            [*pages, "/gigs/for-you/", "/gigs/me/applications/", "/gigs/me/profile/"], user=rider)
    assert not problems, "\n".join(problems)
