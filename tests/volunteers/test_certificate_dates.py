"""Issue 10 item 5: the certificate of volunteer service writes its dates in the language it is
made in (config/formats), not a Chinese format spelled in Python ("2030年06月03日" in English)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from core.fonts import find_cjk_font
from tests.pdf import pdf_text, squash
from volunteers import services

pytestmark = pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font installed (make fonts)")

SHANGHAI = ZoneInfo("Asia/Shanghai")



def test_the_certificate_reads_english_dates_in_english_and_chinese_ones_in_chinese(client, make_member, coordinator):
    member = make_member(display_name="王晓华")
    with time_machine.travel(datetime.datetime(2030, 6, 20, 18, tzinfo=SHANGHAI), tick=False):
        for day in (3, 17):
            start = datetime.datetime(2030, 6, day, 9, tzinfo=SHANGHAI)
            entry = services.self_report(member, activity="反诈宣传进小区" * 4, start=start,
                                         end=start + datetime.timedelta(hours=2))
            services.approve(coordinator, [entry.pk])
        certificate = services.issue_certificate(member, member, period_start=datetime.date(2030, 6, 1),
                                                 period_end=datetime.date(2030, 6, 20))
        client.force_login(member)
        texts = {}
        for language in ("en", "zh-hans"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(f"/volunteers/me/certificates/{certificate.pk}.pdf")
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            texts[language] = pdf_text(response.content)
    english, chinese = texts["en"], texts["zh-hans"]
    # The period, each activity's first and last day (short), and the day of issue.
    assert squash("1 June 2030") in english and squash("20 June 2030") in english
    assert squash("3 Jun 2030 – 17 Jun 2030") in english
    assert "2030年" not in english and "June" not in chinese
    assert squash("2030年6月1日") in chinese and squash("2030年6月20日") in chinese
    assert squash("2030年6月3日 – 2030年6月17日") in chinese
    # A long activity name is cut to its cell instead of running over the next column.
    assert "…" in chinese and "反诈宣传进小区" * 4 not in chinese
