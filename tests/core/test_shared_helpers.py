"""The helpers programs and volunteers share: signed codes, calendars, credits (the waiting list
is exercised through both plugins' services)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import checkin, credits, ical


def test_a_code_reads_back_and_a_forged_one_does_not():
    code = checkin.make_code("V", "tests.thing", 42)
    assert code.startswith("V42-") and len(code) == len("V42-") + 8
    assert checkin.read_code("V", "tests.thing", code) == 42
    assert checkin.read_code("V", "tests.thing", f" {code.lower()} ") == 42  # as people type it
    assert checkin.read_code("V", "tests.thing", code[4:].join(["V43-", ""])) is None  # another id
    assert checkin.read_code("V", "tests.other", code) is None  # another namespace's code
    for bad in ("", "V", "V-ABC", "Vxx-ABCDEFGH", "V４２-ABCDEFGH", "V" + "9" * 40 + "-ABCDEFGH"):
        assert checkin.read_code("V", "tests.thing", bad) is None


def test_calendar_has_the_event_in_shanghai_time_with_its_reminder():
    start = timezone.now().replace(microsecond=0) + timedelta(days=1)
    cal = ical.calendar("志愿服务", "tests")
    cal.add_component(ical.event(uid="x-1@test", summary="清洁家园", start=start, end=start + timedelta(hours=2),
                                 location="青石社区", alarm_before=timedelta(hours=12)))
    body = ical.to_ics(cal).decode()
    assert "BEGIN:VEVENT" in body and "SUMMARY:清洁家园" in body and "TZID=Asia/Shanghai" in body
    assert "BEGIN:VALARM" in body and "TRIGGER:-PT12H" in body and "BEGIN:VTIMEZONE" in body
    response = ical.ics_response(ical.to_ics(cal), "a.ics")
    assert response["Content-Type"].startswith("text/calendar") and "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_credit_reaches_every_handler_and_a_failing_one_changes_nothing_else(caplog, monkeypatch):
    monkeypatch.setattr(credits, "_handlers", [])  # only this test's ledgers, not an enabled plugin's
    seen = []

    def good(event):
        seen.append(event)
        return "entry"

    def bad(event):
        raise RuntimeError("ledger down")

    start = timezone.now() - timedelta(hours=1)
    credits.register(bad)
    credits.register(good)
    result = credits.credit(member=7, activity="送餐", start=start, end=start + timedelta(minutes=30),
                            minutes=20, source_key="tests.1", outputs={"meals": 1})
    assert result == ["entry"]
    assert seen[0].member_id == 7 and seen[0].minutes == 20 and seen[0].outputs == {"meals": 1}
    assert "ledger down" in caplog.text or "tests.1" in caplog.text


@pytest.mark.parametrize("minutes, span", [(0, 30), (40, 30), (10, 0)])
def test_a_credit_that_cannot_be_true_is_refused(minutes, span):
    start = timezone.now()
    with pytest.raises(ValueError):
        credits.ServiceRendered(member_id=1, activity="x", start=start, end=start + timedelta(minutes=span),
                                minutes=minutes, source_key="k")


@pytest.mark.django_db
def test_with_no_ledger_enabled_a_credit_is_a_no_op(monkeypatch):
    monkeypatch.setattr(credits, "_handlers", [])
    start = timezone.now() - timedelta(hours=1)
    assert credits.credit(member=1, activity="送餐", start=start, end=start + timedelta(minutes=30), minutes=20,
                          source_key="tests.none") == []
