"""The monthly subsidy claim (issue 10 item 8): the meals served in the month asked for, one row
per diner, and an Excel file the office can hand in (title, yuan formatting, bold total)."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from openpyxl import load_workbook

from canteen import reports
from canteen.models import Booking, Delivery
from tests.canteen.conftest import TODAY, make_slot
from tests.canteen.factories import BookingFactory, DinerFactory

pytestmark = pytest.mark.django_db

#: "Now" for the report: 20 June, noon; the month asked for is June.
NOW = datetime.datetime.combine(TODAY.replace(day=20), datetime.time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def day(n, month=6):
    return TODAY.replace(month=month, day=n)


@pytest.fixture
def june(canteen):
    """Bookings made ahead (all cut-offs still to come), then looked at on 20 June at noon."""
    zhang = DinerFactory(name="张桂英", community=canteen.community)
    wang = DinerFactory(name="王根宝", community=canteen.community)
    li = DinerFactory(name="李秀兰", community=canteen.community)
    slots = {
        "may": make_slot(canteen, date=day(31, month=5)),
        "served": make_slot(canteen, date=day(10)),
        "delivered": make_slot(canteen, date=day(12)),
        "today_lunch": make_slot(canteen, date=day(20)),
        "today_dinner": make_slot(canteen, date=day(20), meal="dinner"),
        "coming": make_slot(canteen, date=day(25)),
    }
    BookingFactory(slot=slots["may"], diner=zhang)                      # another month
    BookingFactory(slot=slots["served"], diner=zhang)                   # served: counted
    BookingFactory(slot=slots["served"], diner=wang)                    # served: counted
    delivered = BookingFactory(slot=slots["delivered"], diner=zhang, mode="delivery")
    no_answer = BookingFactory(slot=slots["delivered"], diner=li, mode="delivery")
    Delivery.objects.filter(booking=delivered).update(status=Delivery.Status.DELIVERED)  # counted
    Delivery.objects.filter(booking=no_answer).update(status=Delivery.Status.NO_ANSWER)  # never reached her
    BookingFactory(slot=slots["today_lunch"], diner=wang)               # not yet paid nor over
    BookingFactory(slot=slots["today_dinner"], diner=li, paid_at=NOW, paid_amount=Decimal("10.00"),
                   payment_method="cash")                               # paid at the counter: counted
    BookingFactory(slot=slots["coming"], diner=wang)                    # not served yet
    cancelled = BookingFactory(slot=slots["coming"], diner=li)
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    return {"zhang": zhang, "wang": wang, "li": li}


def test_the_claim_holds_only_the_meals_served_in_that_month(canteen, june):
    with time_machine.travel(NOW, tick=False):
        rows = reports.subsidy_claim(canteen, day(1))
        may = reports.subsidy_claim(canteen, day(1, month=5))
    by_diner = {row["diner"]: row for row in rows}
    # 张桂英: the 10th and the delivered 12th; 王根宝: the 10th only (today's lunch is not over, the
    # 25th is to come); 李秀兰: tonight's dinner, paid (her "no answer" drop is not claimed).
    assert {name: row["meals"] for name, row in by_diner.items()} == {"张桂英": 2, "王根宝": 1, "李秀兰": 1}
    assert by_diner["张桂英"]["days"] == 2
    served = Booking.objects.filter(slot__date__in=[day(10), day(12)], diner__in=[june["zhang"], june["wang"]])
    assert sum(r["subsidy"] for r in rows) == sum(b.subsidy for b in served) + Booking.objects.get(
        slot__date=day(20), diner=june["li"]).subsidy
    assert [row["meals"] for row in may] == [1]  # May's meal is in May's claim, not June's


def test_the_claim_in_excel_has_a_title_yuan_and_a_bold_total(canteen, canteen_staff, june, client):
    with time_machine.travel(NOW, tick=False):
        client.force_login(canteen_staff)
        response = client.get("/canteen/staff/reports/", {"canteen": canteen.pk, "month": "2030-06",
                                                          "report": "subsidy", "format": "xlsx"})
        page = client.get("/canteen/staff/reports/", {"canteen": canteen.pk, "month": "2030-06", "report": "subsidy"})
    assert response.status_code == 200
    assert "canteen-hehua-subsidy-2030-06.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "荷花社区长者食堂 · 2030年6月 · 助餐补贴申报（已供餐）"
    assert [c.value for c in sheet[2]] == ["就餐人", "价格档位", "天数", "份数", "原价", "补贴", "应付", "已支付"]
    *rows, total = list(sheet.iter_rows(min_row=3))
    assert [r[0].value for r in rows] == ["张桂英", "李秀兰", "王根宝"]
    assert total[0].value == "合计" and total[0].font.b and total[5].font.b
    assert total[3].value == 4
    # Money is a number Excel adds up, shown as yuan with two decimals.
    assert [(r[5].data_type, r[5].number_format) for r in rows + [total]] == [("n", '"¥"#,##0.00')] * 4
    assert rows[0][3].number_format == "General"  # counts are not money
    text = page.content.decode()
    assert "荷花社区长者食堂 · 2030年6月 · 助餐补贴申报（已供餐）" in text and "王根宝" in text
