"""Canteen pages in a real browser (Debian's Chromium via Playwright) checked with axe-core for
WCAG 2.2 A/AA at 1280 and 360 px, 18 px text and 44 px targets; and the phone console's live
search. Skipped when Chromium or axe-core is missing (see tests/e2e)."""

import pytest

from canteen import services
from canteen.roles import CANTEEN_STAFF
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages, click_and_follow, logged_in_context
from tests.canteen.conftest import TODAY, make_canteen, make_slot
from tests.factories import UserFactory, staff_user

pytestmark = SKIP_WITHOUT_BROWSER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_canteen_pages_pass_axe(live_server, browser, client):
    from canteen.models import Diner

    canteen = make_canteen()
    slot = make_slot(canteen)
    items = {i.name: i for i in slot.items.all()}
    resident = UserFactory(kind="resident", community=canteen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", phone="13900001111", birth_year=TODAY.year - 82,
                                 community=canteen.community, building="3栋", address="荷花小区3栋401",
                                 needs_delivery=True, dietary_needs=["low_salt"])
    booking = services.book(resident, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)], mode="delivery")
    staff = staff_user(CANTEEN_STAFF)
    week = f"?week={TODAY.isoformat()}"
    pages = [
        (None, [f"/canteen/{canteen.slug}/{week}", f"/canteen/{canteen.slug}/board/{week}", "/canteen/"]),
        (resident, [f"/canteen/book/{slot.pk}/", "/canteen/my/", f"/canteen/bookings/{booking.pk}/change/",
                    f"/canteen/diners/{diner.pk}/"]),
        (staff, ["/canteen/staff/console/?q=zgy", f"/canteen/staff/slots/{slot.pk}/production/",
                 f"/canteen/staff/slots/{slot.pk}/deliveries/", f"/canteen/staff/slots/{slot.pk}/counter/",
                 f"/canteen/staff/slots/?date={slot.date.isoformat()}", "/canteen/staff/reports/", "/canteen/staff/feedback/"]),
    ]
    problems = [p for user, urls in pages for p in audit_pages(browser, live_server, client, urls, user=user)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_console_live_search_finds_by_initials(live_server, browser, client):
    from canteen.models import Diner

    canteen = make_canteen()
    Diner.objects.create(name="张桂英", phone="13900001111", community=canteen.community)
    Diner.objects.create(name="王根宝", phone="13900002222", community=canteen.community)
    context = logged_in_context(browser, live_server, client, staff_user(CANTEEN_STAFF), 360)
    page = context.new_page()
    page.goto(live_server.url + "/canteen/staff/console/")
    page.type("#id_q", "zg", delay=30)
    page.wait_for_selector(".live-list a")
    links = page.locator(".live-list a").all_inner_texts()
    assert len(links) == 1 and links[0].startswith("张桂英")
    click_and_follow(page, ".live-list a")
    assert "张桂英" in page.locator("main h3").first.inner_text()
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_first_book_button_is_on_the_first_screen_and_cancelling_asks_first(live_server, browser, client):
    """Issue 10 items 12 and 13: on a week whose first days are closed or past, "预订" still
    shows without scrolling at 1280 px, 320 px and 360 px with 200 % text; the cancel question
    page passes the same audits as every page."""
    import datetime

    from django.utils import timezone

    from canteen.models import Diner
    from tests.browser import SCREEN_HEIGHT, VIEWS, new_context

    canteen = make_canteen()
    for n in range(3):  # Monday to Wednesday: closed or past the cut-off, as mid-week
        closed = make_slot(canteen, date=TODAY + datetime.timedelta(days=n),
                           cutoff=timezone.now() - datetime.timedelta(hours=1))
        make_slot(canteen, date=closed.date, meal="dinner", cutoff=timezone.now() - datetime.timedelta(hours=1))
    open_slot = make_slot(canteen, date=TODAY + datetime.timedelta(days=4))
    url = f"/canteen/{canteen.slug}/?week={TODAY.isoformat()}"
    where = {}
    for name, width, scale in VIEWS:
        context, page = new_context(browser, live_server, client, None, width, scale)
        page.goto(live_server.url + url)
        box = page.locator(f'a[href="/canteen/book/{open_slot.pk}/"]').bounding_box()
        # Its top, from the top of the window, the header included: on a phone that is the office's name
        # and the 菜单 toggle (tests/e2e/test_header_browser.py), no longer a screen of links.
        where[name] = round(box["y"])
        context.close()
    assert all(top < SCREEN_HEIGHT for top in where.values()), where

    resident = UserFactory(kind="resident", community=canteen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", phone="13900001111", community=canteen.community,
                                 building="3栋", address="荷花小区3栋401")
    booking = services.book(resident, diner=diner, slot=open_slot, items=[(open_slot.items.first().pk, 1)])
    problems = audit_pages(browser, live_server, client, [url], user=None)
    problems += audit_pages(browser, live_server, client, [f"/canteen/bookings/{booking.pk}/cancel/", "/canteen/my/"],
                            user=resident)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_booking_page_says_a_diner_is_outside_the_delivery_area_before_submitting(live_server, browser, client):
    """Issue 10 item 8: canteen/book.js warns as soon as delivery is chosen for a diner whose
    address is outside the area (naming the area), says nothing for a diner inside it, and sends
    nothing to the server while doing so."""
    from canteen.models import Diner, DinerLink
    from tests.browser import axe_problems, new_context

    canteen = make_canteen()
    canteen.delivery_buildings = "3栋\n5栋"
    canteen.save()
    slot = make_slot(canteen)
    daughter = UserFactory(kind="resident", community=canteen.community, display_name="李红")
    inside = Diner.objects.create(name="张桂英", phone="13900001111", community=canteen.community, building="3栋",
                                  address="荷花小区3栋401")
    outside = Diner.objects.create(name="李建国", phone="13900002222", community=canteen.community, building="9栋",
                                   address="荷花小区9栋102")
    for diner in (inside, outside):
        DinerLink.objects.create(diner=diner, user=daughter, relation="女儿")
    context, page = new_context(browser, live_server, client, daughter, 360, locale="zh-CN")
    page.goto(live_server.url + f"/canteen/book/{slot.pk}/")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    warning = page.locator("#delivery-check")

    page.select_option("select[name=diner]", str(inside.pk))
    page.check("input[name=mode][value=delivery]")
    assert warning.inner_text().strip() == ""

    page.select_option("select[name=diner]", str(outside.pk))
    warning.locator("p").wait_for()
    said = warning.inner_text()
    assert "李建国" in said and "不在送餐范围" in said and "3栋、5栋" in said, said
    assert warning.get_attribute("role") == "status"  # read out by a screen reader as it appears
    assert axe_problems(page) == []

    page.check("input[name=mode][value=dine_in]")
    assert warning.inner_text().strip() == ""
    page.check("input[name=mode][value=delivery]")
    assert "李建国" in warning.inner_text()
    page.select_option("select[name=diner]", str(inside.pk))
    assert warning.inner_text().strip() == ""
    assert posts == [] and page.url.endswith(f"/canteen/book/{slot.pk}/")  # nothing was submitted
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_open_welfare_alerts_page_passes_the_audits(live_server, browser, client):
    """Found walking the demo as canteen staff at 360 px: the outcome radios (reached, visited,
    escalated) sat in a bare fieldset, so each row was a 21 px target instead of 44 px."""
    import datetime

    from django.utils import timezone

    from canteen.models import Diner

    canteen = make_canteen()
    today = timezone.localdate()
    slot = make_slot(canteen, date=today, cutoff=timezone.now() + datetime.timedelta(hours=1))
    resident = UserFactory(kind="resident", community=canteen.community)
    diner = Diner.objects.create(user=resident, name="张桂英", phone="13900001111", community=canteen.community,
                                 building="3栋", address="荷花小区3栋401", emergency_contact_name="李红",
                                 emergency_contact_phone="13800002222")
    booking = services.book(resident, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)], mode="delivery")
    staff = staff_user(CANTEEN_STAFF)
    services.record_delivery(staff, booking.delivery, delivered=False)
    client.force_login(staff)
    page = client.get("/canteen/alerts/").content.decode()
    assert "张桂英" in page and page.count('name="outcome"') == 3  # the alert, with its three outcomes
    problems = audit_pages(browser, live_server, client, ["/canteen/alerts/"], user=staff)
    assert not problems, "\n".join(problems)
