"""Issue 10 items 12, 13 and 15 on the canteen pages: what can be booked comes first, the next
meal first in "my bookings", cancelling asks first and says what, and every region and button
has a name of its own."""

import datetime
import re

import pytest
from django.utils import timezone

from canteen import services
from canteen.models import Booking
from tests.canteen.conftest import TODAY, make_slot

pytestmark = pytest.mark.django_db


def names(html, tag="a"):
    """The text of each ``tag`` (visually hidden parts included: what a screen reader reads)."""
    return [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)]


def test_the_canteen_page_offers_what_can_be_booked_before_closed_and_past_meals(client, canteen):
    past = make_slot(canteen, date=TODAY, cutoff=timezone.now() - datetime.timedelta(hours=1))
    closed = make_slot(canteen, date=TODAY + datetime.timedelta(days=1))
    closed.status = "closed"
    closed.save()
    open_slot = make_slot(canteen, date=TODAY + datetime.timedelta(days=2))
    page = client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).content.decode()
    first_book = page.index(f'href="/canteen/book/{open_slot.pk}/"')
    details = page.index('<details class="other-days">')
    assert first_book < details < page.index(f'id="slot-{past.pk}"') and details < page.index(f'id="slot-{closed.pk}"')
    assert first_book < page.index("<dl class=\"facts\">")  # before the address and opening hours
    assert "2 more meals this week" in page or "本周另有 2 餐" in page


def test_each_meal_region_is_named_with_its_day(client, canteen):
    slots = [make_slot(canteen, date=TODAY + datetime.timedelta(days=n)) for n in range(1, 4)]
    page = client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).content.decode()
    headings = [names(re.search(rf'<h4 id="slot-{s.pk}">.*?</h4>', page, re.S).group(0), "h4")[0] for s in slots]
    assert len(set(headings)) == 3, headings  # not three regions all called 午餐
    assert headings[0].startswith(f"{slots[0].date.month}月{slots[0].date.day}日") and headings[0].endswith("午餐")
    books = [n for n in names(page) if n.startswith("预订")]
    assert len(set(books)) == 3 and all("午餐" in n for n in books), books


def test_my_bookings_list_the_next_meal_first_and_name_each_button(diner_client, diner, canteen, items):
    later = make_slot(canteen, date=TODAY + datetime.timedelta(days=3))
    dinner = make_slot(canteen, date=TODAY + datetime.timedelta(days=1), meal="dinner")
    sooner = make_slot(canteen, date=TODAY + datetime.timedelta(days=1))
    for slot in (later, dinner, sooner):
        services.book(diner.user, diner=diner, slot=slot, items=[(slot.items.first().pk, 1)])
    page = diner_client.get("/canteen/my/").content.decode()
    order = [int(pk) for pk in re.findall(r'id="booking-(\d+)"', page)]
    expected = [Booking.objects.get(slot=s).pk for s in (sooner, dinner, later)]
    assert order == expected  # tomorrow's lunch, tomorrow's dinner, then the day after
    buttons = names(page)
    cancels = [n for n in buttons if n.startswith("取消预订")]
    assert len(cancels) == 3 and len(set(cancels)) == 3, cancels
    day = sooner.date
    assert f"取消预订 {day.month}月{day.day}日" in cancels[0] and "午餐" in cancels[0] and "张桂英" in cancels[0]
    assert len({n for n in buttons if n.startswith("修改订餐")}) == 3
    assert "取消</button>" not in page and ">取消<" not in page  # no bare 取消 anywhere
    assert f'action="/canteen/bookings/{expected[0]}/cancel/"' not in page  # a link to the question, not a post


def test_cancelling_asks_first_says_what_and_only_the_confirmation_cancels(diner_client, diner, slot, items):
    booking = services.book(diner.user, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 2)])
    url = f"/canteen/bookings/{booking.pk}/cancel/"
    question = diner_client.get(url)
    assert question.status_code == 200
    text = question.content.decode()
    assert "<h1>取消预订</h1>" in text
    assert f"{slot.date.month}月{slot.date.day}日" in text and "午餐" in text and "张桂英" in text
    assert "清炒时蔬 × 2" in text and "是的，取消预订" in text and "不取消，保留预订" in text
    assert diner_client.post(url).status_code == 200  # a post without the confirmation asks again
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    response = diner_client.post(url, {"confirm": "yes"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert f"{slot.date.month}月{slot.date.day}日" in [str(m) for m in response.context["messages"]][0]


def test_a_booking_that_can_no_longer_be_cancelled_says_so_on_the_question(diner_client, diner, slot, items,
                                                                          canteen_staff):
    booking = services.book(diner.user, diner=diner, slot=slot, items=[(items["清炒时蔬"].pk, 1)])
    services.record_payment(canteen_staff, booking, method="cash")
    text = diner_client.get(f"/canteen/bookings/{booking.pk}/cancel/").content.decode()
    assert "该订餐已登记收款。" in text and "是的，取消预订" not in text


def test_the_meal_mode_radios_are_a_named_group(diner_client, slot):
    form = diner_client.get(f"/canteen/book/{slot.pk}/").content.decode()
    group = re.search(r"<fieldset[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", form, re.S)
    assert group and "就餐方式" in group.group(1), form
    assert group.group(2).count('name="mode"') == 3
