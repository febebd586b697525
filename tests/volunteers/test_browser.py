"""Volunteers pages in a real browser (Debian's Chromium via Playwright): the opportunity list and
page, signing up for a shift, checking in at the shift's QR, my shifts and hours, the profile with
its availability, certificates and the public verification page, checked with axe-core for WCAG
2.2 A/AA at 1280 and 360 px, 44 px targets at 320 px and at 360 px with the text at 200 %, and
no sideways scrolling on phones (tests/browser.py). Skipped when Chromium or axe-core is missing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser import (
    SKIP_WITHOUT_BROWSER,
    audit_pages,
    axe_problems,
    click_and_follow,
    logged_in_context,
)
from tests.factories import UserFactory, staff_user
from tests.volunteers.conftest import first_shift
from volunteers import services
from volunteers.models import SignUp

pytestmark = [*SKIP_WITHOUT_BROWSER, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_volunteer_pages_pass_axe_on_phones(live_server, browser, client, make_opportunity):
    drive = make_opportunity(places=[20, 1], hours_from_now=0.5, length=3, outputs=["发放传单"],
                             title="反诈宣传进小区：发放传单")
    make_opportunity(places=[8], hours_from_now=72, title="小区垃圾分类督导")
    rider = UserFactory(display_name="刘骑手")
    shift = first_shift(drive)
    services.sign_up(rider, shift)
    services.update_profile(rider, rider, real_name="刘晓峰", leaderboard_consent=True,
                            availability=[{"weekday": 5, "start": "08:00", "end": "12:00"}])
    end = timezone.now() - timedelta(days=2)
    entries = [services.self_report(rider, activity=f"楼道清扫 {n}", start=end - timedelta(hours=n + 3),
                                    end=end - timedelta(hours=n + 1)) for n in (0, 3)]
    services.approve(staff_user("Volunteer coordinators"), [e.pk for e in entries])
    today = timezone.localdate()
    certificate = services.issue_certificate(rider, rider, period_start=today - timedelta(days=30), period_end=today)
    verify = f"/volunteers/verify/{certificate.number}/?code={certificate.verification_code}"
    check_in = f"/volunteers/check-in/{shift.check_in_code}/"

    problems = audit_pages(browser, live_server, client, ["/volunteers/", drive.url, "/volunteers/leaderboard/", verify])
    problems += audit_pages(browser, live_server, client, [
        drive.url, "/volunteers/me/", "/volunteers/me/hours/", "/volunteers/me/hours/report/",
        "/volunteers/me/profile/", "/volunteers/me/certificates/", check_in], user=rider)
    assert not problems, "\n".join(problems)


def test_a_rider_signs_up_and_checks_in_on_a_small_phone(live_server, browser, client, make_opportunity):
    drive = make_opportunity(places=[20], hours_from_now=0.5, length=3, outputs=["发放传单"], title="反诈宣传进小区")
    rider = UserFactory(display_name="王骑手")
    context = logged_in_context(browser, live_server, client, rider, 320)
    page = context.new_page()
    problems = []
    try:
        page.goto(live_server.url + drive.url)
        click_and_follow(page, page.locator("main form button[type=submit]").first)
        assert page.url.endswith("/volunteers/me/")
        signup = SignUp.objects.get(member=rider)
        assert signup.status == "confirmed" and signup.check_in_code in page.content()
        assert page.locator("figure.qr img").first.evaluate("img => img.naturalWidth") > 0
        problems += axe_problems(page)
        # The QR posted at the place opens this page on the phone: check in, then out with the count.
        page.goto(f"{live_server.url}/volunteers/check-in/{first_shift(drive).check_in_code}/")
        click_and_follow(page, page.locator("main form button[type=submit]").first)
        assert SignUp.objects.get(pk=signup.pk).status == "checked_in"
        problems += axe_problems(page)
        assert page.locator("input[name^=output-]").count() == 1
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_sign_up_is_on_the_first_screen_of_an_opportunity_page(live_server, browser, client, make_opportunity):
    """Issue 10 item 12, found walking the demo: on an opportunity page the shifts and their 报名 came
    after the summary, the facts and the description, a screen down at 360 px and three with text at
    200 %. Now they come first, for a member (报名) and for a visitor (登录后报名)."""
    from tests.browser import SCREEN_HEIGHT, VIEWS, new_context

    opportunity = make_opportunity(places=[15, 15], hours_from_now=72, length=3, outputs=["垃圾"],
                                   title="柳树村河道沿线清洁", summary="沿河捡拾垃圾、清理漂浮物，守护村里的小河。",
                                   description="<p>" + "柳树村的小河连着青石湿地，周末游客多。" * 20 + "</p>")
    member = UserFactory(display_name="刘骑手")
    where = {}
    for user, action in ((member, "main form[action$='/sign-up/'] button"), (None, "main a[href^='/accounts/login/']")):
        for name, width, scale in VIEWS:
            context, page = new_context(browser, live_server, client, user, width, scale, locale="zh-CN")
            page.goto(live_server.url + opportunity.url)
            where[f"{'member' if user else 'visitor'} {name}"] = round(page.locator(action).first.bounding_box()["y"])
            context.close()
    assert all(top < SCREEN_HEIGHT for top in where.values()), where
    problems = audit_pages(browser, live_server, client, [opportunity.url], user=member)
    assert not problems, "\n".join(problems)
