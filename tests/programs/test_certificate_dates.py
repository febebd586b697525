"""Issue 10 item 5: the course certificate writes its dates in the language it is made in
(config/formats), not a Chinese format spelled in Python ("2030年06月03日" on the English one)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from programs import services
from programs.documents import find_cjk_font
from tests.pdf import pdf_text, squash

pytestmark = pytest.mark.skipif(find_cjk_font() is None, reason="no CJK font installed (make fonts)")

SHANGHAI = ZoneInfo("Asia/Shanghai")



def test_the_certificate_reads_english_dates_in_english_and_chinese_ones_in_chinese(
        client, make_program, make_member, program_staff):
    with time_machine.travel(datetime.datetime(2030, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        program = make_program(places=[5, 5], days=2, enrolment="series")  # 3 June and 10 June 2030
        member = make_member()
        registration = services.register_on_behalf(program_staff, member, program)
    for session in program.session_list:
        with time_machine.travel(session.start + datetime.timedelta(minutes=5), tick=False):
            services.check_in(program_staff, session, registration.check_in_code)
    with time_machine.travel(datetime.datetime(2030, 6, 12, 9, tzinfo=SHANGHAI), tick=False):
        client.force_login(member)
        texts = {}
        for language in ("en", "zh-hans"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            response = client.get(f"/programs/{program.pk}/certificate.pdf")
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            texts[language] = pdf_text(response.content)
    english, chinese = texts["en"], texts["zh-hans"]
    # The course's first and last day, and the day of issue.
    assert squash("3 June 2030 – 10 June 2030") in english and squash("12 June 2030") in english
    assert "年" not in english and "月" not in english
    assert squash("2030年6月3日 – 2030年6月10日") in chinese and squash("2030年6月12日") in chinese
    assert "June" not in chinese


def test_the_registration_text_message_writes_the_session_in_the_readers_language(
        client, make_program, make_member, django_capture_on_commit_callbacks):
    from core.models import NotificationLog

    with time_machine.travel(datetime.datetime(2030, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        single = make_program(places=[5], days=2, title="应急救护课")  # Monday 3 June 2030, 09:00
        course = make_program(places=[5, 5], days=2, enrolment="series", title="智能手机课")
        for language, member in (("en", make_member()), ("zh-hans", make_member())):
            client.force_login(member)
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            with django_capture_on_commit_callbacks(execute=True):
                assert client.post(f"/api/v3/programs/{single.pk}/register/", {"session_id": single.session_list[0].pk},
                                   content_type="application/json").status_code == 201
                assert client.post(f"/api/v3/programs/{course.pk}/register/", {},
                                   content_type="application/json").status_code == 201
    texts = list(NotificationLog.objects.filter(kind="programs.confirmed").values_list("body", flat=True))
    english = [t for t in texts if "You are registered" in t]
    chinese = [t for t in texts if "You are registered" not in t]
    assert len(english) == 2 and len(chinese) == 2, texts
    assert any("Monday 3 June, 09:00" in t for t in english) and any("from Monday 3 June" in t for t in english)
    assert any("6月3日" in t and "09:00" in t for t in chinese) and not any("2030-06-03" in t for t in texts)
