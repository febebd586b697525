"""Opening hours: which intervals apply on a date, whether a station is open at a moment, and the
OpenStreetMap ``opening_hours`` string for map clients.

Pure functions over a :class:`Schedule` (built from a station's rows by ``StationPage.schedule``
or, for many stations at once, by ``queries``), so that one station's page and a nearest-N search
over thousands decide "open now" by the same rule:

1. a dated exception (closed, or special hours) wins;
2. on a public-holiday day off (office calendar): the station's public-holiday hours if it has
   any, else closed when it follows the office calendar, else its ordinary weekday hours;
3. on a make-up working day, a station that follows the office calendar keeps Monday's hours;
4. otherwise the hours of the weekday.

An interval whose closing time is not after its opening time runs past midnight (22:00-06:00),
and 00:00-00:00 is the whole day.
"""

import datetime
from dataclasses import dataclass, field

PUBLIC_HOLIDAY = 7  # the weekday number of the "public holidays" rows (OSM's PH)
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

Interval = tuple[datetime.time, datetime.time]


@dataclass
class Schedule:
    #: weekday (0 = Monday ... 6 = Sunday, 7 = public holidays) -> intervals
    weekly: dict[int, list[Interval]] = field(default_factory=dict)
    #: date -> intervals of that day (an empty list: closed all day)
    exceptions: dict[datetime.date, list[Interval]] = field(default_factory=dict)
    follows_office_calendar: bool = False
    #: the date staff marked "closed today" in the live status, if any
    closed_on: datetime.date | None = None

    def add_hours(self, weekday, opens, closes):
        self.weekly.setdefault(weekday, []).append((opens, closes))

    def add_exception(self, date, closed, opens=None, closes=None):
        day = self.exceptions.setdefault(date, [])
        if not closed and opens is not None and closes is not None:
            day.append((opens, closes))


def intervals_on(schedule: Schedule, date: datetime.date, day_type: str) -> list[Interval]:
    """The intervals that start on ``date`` (``day_type`` from core.calendar.day_type)."""
    if schedule.closed_on == date:
        return []
    if date in schedule.exceptions:
        return sorted(schedule.exceptions[date])
    if day_type == "holiday":
        if PUBLIC_HOLIDAY in schedule.weekly:
            return sorted(schedule.weekly[PUBLIC_HOLIDAY])
        if schedule.follows_office_calendar:
            return []
    if day_type == "workday" and schedule.follows_office_calendar:
        return sorted(schedule.weekly.get(0, []))
    return sorted(schedule.weekly.get(date.weekday(), []))


def _overnight(interval: Interval) -> bool:
    return interval[1] <= interval[0]


def is_open(schedule: Schedule, moment: datetime.datetime, day_types: dict[datetime.date, str]) -> bool:
    """Open at ``moment`` (a local, Asia/Shanghai datetime)? ``day_types`` must hold the moment's
    date and the day before (an overnight interval of yesterday may still be running)."""
    today, now = moment.date(), moment.time()
    for opens, closes in intervals_on(schedule, today, day_types[today]):
        if opens <= now and (now < closes or closes <= opens):
            return True
    yesterday = today - datetime.timedelta(days=1)
    if schedule.closed_on == today:
        return False
    return any(_overnight(i) and now < i[1] for i in intervals_on(schedule, yesterday, day_types[yesterday]))


def _times(intervals: list[Interval]) -> str:
    def hm(t):
        return f"{t:%H:%M}"

    parts = []
    for opens, closes in sorted(intervals):
        if opens == closes == datetime.time(0, 0):
            parts.append("00:00-24:00")
        else:
            parts.append(f"{hm(opens)}-{'24:00' if closes == datetime.time(0, 0) else hm(closes)}")
    return ",".join(parts)


def osm_opening_hours(schedule: Schedule, today: datetime.date, days_ahead: int = 60) -> str:
    """The schedule as an OSM ``opening_hours`` value: ``Mo-Fr 08:30-17:30; Sa 09:00-12:00;
    PH off; 2026 Oct 01 off``. Dated exceptions from ``today`` for ``days_ahead`` days are
    listed; make-up working days have no OSM syntax and are left out."""
    rules = []
    weekdays = [_times(schedule.weekly.get(d, [])) for d in range(7)]
    d = 0
    while d < 7:
        if not weekdays[d]:
            d += 1
            continue
        end = d
        while end + 1 < 7 and weekdays[end + 1] == weekdays[d]:
            end += 1
        span = OSM_DAYS[d] if end == d else f"{OSM_DAYS[d]}{',' if end == d + 1 else '-'}{OSM_DAYS[end]}"
        rules.append(f"{span} {weekdays[d]}")
        d = end + 1
    if PUBLIC_HOLIDAY in schedule.weekly:
        rules.append(f"PH {_times(schedule.weekly[PUBLIC_HOLIDAY])}")
    elif schedule.follows_office_calendar:
        rules.append("PH off")
    until = today + datetime.timedelta(days=days_ahead)
    for date in sorted(schedule.exceptions):
        if today <= date <= until:
            hours = _times(schedule.exceptions[date])
            rules.append(f"{date.year} {_MONTHS[date.month - 1]} {date.day:02d} {hours or 'off'}")
    if schedule.closed_on == today:
        rules.append(f"{today.year} {_MONTHS[today.month - 1]} {today.day:02d} off")
    return "; ".join(rules) if rules else "off"
