"""The office calendar: public holidays and make-up working days (调休).

Mainland China moves working days around its public holidays every year: the State Council
publishes, usually in November, which days of the next year are off (the holiday itself plus the
weekdays moved into the break) and which weekend days become working days to pay for them. Staff
keep those days as :class:`core.models.CalendarDay` rows (admin: Settings → Office calendar); the
years published when a release was made are seeded by a migration. Every day without a row is an
ordinary day: Monday to Friday working, Saturday and Sunday off.

Plugins ask this module, never the rows: station opening hours honour it, and report deadlines
count working days by it (:func:`add_working_days`). A year with no row at all has simply not been
entered yet; :func:`missing_years` says so and the admin shows a warning, because the ordinary
week would then silently count a holiday as a working day.
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

HOLIDAY = "holiday"
WORKDAY = "workday"



class Weekday(models.IntegerChoices):
    """Days of the week as Python numbers them (``date.weekday()``), for availability and shifts."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


#: How far ahead :func:`add_working_days` reads rows in one query (a month of holidays is short).
_CHUNK_DAYS = 62


def _rows(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """date -> kind for the calendar rows between ``start`` and ``end`` (inclusive), one query."""
    from core.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"))


def _kind(date: datetime.date) -> str | None:
    from core.models import CalendarDay

    return CalendarDay.objects.filter(date=date).values_list("kind", flat=True).first()


def _working(date: datetime.date, kind: str | None) -> bool:
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return date.weekday() < 5


def day_type(date: datetime.date) -> str:
    """``"holiday"`` (a public-holiday day off), ``"workday"`` (a weekend day worked in exchange),
    ``"weekend"`` or ``"weekday"``: what opening hours need to know about ``date``."""
    kind = _kind(date)
    if kind:
        return kind
    return "weekend" if date.weekday() >= 5 else "weekday"


def day_types(start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """:func:`day_type` for every date from ``start`` to ``end`` (inclusive), in one query."""
    rows = _rows(start, end)
    result, current = {}, start
    while current <= end:
        result[current] = rows.get(current) or ("weekend" if current.weekday() >= 5 else "weekday")
        current += datetime.timedelta(days=1)
    return result


def is_holiday(date: datetime.date) -> bool:
    """True on a public-holiday day off, including weekdays moved into the break by 调休."""
    return _kind(date) == HOLIDAY


def is_working_day(date: datetime.date) -> bool:
    """True on Monday to Friday unless it is a holiday day off, and on make-up working days."""
    return _working(date, _kind(date))


def add_working_days(date: datetime.date, n: int) -> datetime.date:
    """The date ``n`` working days after ``date`` (before it when ``n`` is negative); ``date``
    itself is not counted, so a deadline of "5 working days" from a Friday before the National
    Day break lands after the break. ``n == 0`` gives ``date`` back unchanged."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    current = date
    while left:
        # Read the rows a chunk at a time: one query per two months of calendar walked.
        first = current + datetime.timedelta(days=step)
        last = current + datetime.timedelta(days=step * _CHUNK_DAYS)
        rows = _rows(min(first, last), max(first, last))
        for _step in range(_CHUNK_DAYS):
            current += datetime.timedelta(days=step)
            if _working(current, rows.get(current)):
                left -= 1
                if not left:
                    break
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    rows = _rows(start + datetime.timedelta(days=1), end)
    count, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        count += _working(current, rows.get(current))
    return count


def years_entered() -> set[int]:
    from core.models import CalendarDay

    return {d.year for d in CalendarDay.objects.dates("date", "year")}


def missing_years(today: datetime.date | None = None) -> list[int]:
    """This year and next year, when no holiday of theirs has been entered. Next year's
    arrangements are usually published in November; until staff enter them, this is not empty."""
    from django.utils import timezone

    today = today or timezone.localdate()
    entered = years_entered()
    return [year for year in (today.year, today.year + 1) if year not in entered]
