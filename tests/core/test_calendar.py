import datetime

import pytest

from core import calendar
from core.models import CalendarDay

D = datetime.date


@pytest.mark.django_db
class TestPublished2026:
    def test_spring_festival_break_and_its_make_up_saturdays(self):
        assert calendar.is_holiday(D(2026, 2, 16))  # 除夕, a Monday
        assert not calendar.is_working_day(D(2026, 2, 23))  # 正月初七, a Monday moved into the break
        assert calendar.is_working_day(D(2026, 2, 14))  # a Saturday worked in exchange
        assert calendar.is_working_day(D(2026, 2, 28))
        assert calendar.day_type(D(2026, 2, 28)) == "workday"
        assert calendar.day_type(D(2026, 2, 24)) == "weekday"

    def test_every_published_day_is_seeded_and_nothing_else(self):
        days = CalendarDay.objects.filter(date__year=2026)
        assert days.filter(kind="holiday").count() == 3 + 9 + 3 + 5 + 3 + 3 + 7
        assert sorted(d.isoformat() for d in days.filter(kind="workday").values_list("date", flat=True)) == [
            "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
        assert not CalendarDay.objects.filter(date__year=2027).exists()  # not published: not guessed

    def test_ordinary_weeks(self):
        assert calendar.is_working_day(D(2026, 3, 10))  # a Tuesday
        assert not calendar.is_working_day(D(2026, 3, 14))  # a Saturday
        assert not calendar.is_holiday(D(2026, 3, 14))  # a weekend is not a holiday
        assert calendar.day_type(D(2026, 3, 14)) == "weekend"


@pytest.mark.django_db
class TestAddWorkingDays:
    def test_across_the_national_day_break(self):
        # Wednesday 30 September + 1 working day: 1-7 October are off, Thursday 8 October.
        assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
        # ... + 3: Thu 8, Fri 9, and Saturday 10 October is worked.
        assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)

    def test_backwards_and_zero(self):
        assert calendar.add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
        assert calendar.add_working_days(D(2026, 10, 8), 0) == D(2026, 10, 8)

    def test_a_long_count_reads_the_calendar_in_chunks(self, django_assert_max_num_queries):
        with django_assert_max_num_queries(8):
            end = calendar.add_working_days(D(2026, 1, 1), 245)
        # 2026 has 365 days, 104 weekend days, 19 weekdays off and 6 weekend days worked: 248.
        assert calendar.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == 248
        assert calendar.working_days_between(D(2026, 1, 1), end) == 245
        assert calendar.is_working_day(end)

    def test_a_staff_entry_is_honoured_at_once(self):
        CalendarDay.objects.create(date=D(2026, 3, 10), kind="holiday", name="测试")
        assert calendar.add_working_days(D(2026, 3, 9), 1) == D(2026, 3, 11)


@pytest.mark.django_db
class TestNextYearMissing:
    def test_missing_years(self):
        assert calendar.missing_years(D(2026, 12, 1)) == [2027]
        CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
        assert calendar.missing_years(D(2026, 12, 1)) == []

    def test_admin_warns_who_keeps_the_calendar(self, client, django_user_model, time_machine):
        time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC))
        admin = django_user_model.objects.create_superuser("cal", "cal@example.com", "x")
        client.force_login(admin)
        dashboard = client.get("/admin/")
        assert "办公日历中还没有 2027 年的法定节假日" in dashboard.content.decode()
        listing = client.get("/admin/snippets/core/calendarday/")
        assert listing.status_code == 200
        assert "办公日历中还没有 2027 年的法定节假日" in listing.content.decode()
        CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
        assert "办公日历中还没有" not in client.get("/admin/").content.decode()

    def test_no_warning_for_staff_who_do_not_keep_it(self, client, django_user_model, time_machine):
        from django.contrib.auth.models import Permission

        time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC))
        user = django_user_model.objects.create_user("ed", "ed@example.com", "x", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(user)
        assert "办公日历中还没有" not in client.get("/admin/").content.decode()
