"""iCalendar files (RFC 5545), shared by every plugin that puts events in people's calendars.

Times go out in Asia/Shanghai with the VTIMEZONE a calendar needs; UIDs are stable per row, so a
calendar that subscribed once updates (or cancels) the event in place.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

ICAL_TZ = "Asia/Shanghai"


def host() -> str:
    """This site's host name, for globally unique event UIDs."""
    return settings.WAGTAILADMIN_BASE_URL.split("//", 1)[-1].split("/", 1)[0] or "fengchao"


def calendar(name: str, product: str = "fengchao"):
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", f"-//Fengchao//{product}//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", ICAL_TZ)
    return cal


def event(*, uid, summary, start, end, location="", description="", url="", status="CONFIRMED",
          alarm_before: timedelta | None = None, alarm_text=""):
    """One VEVENT; ``alarm_before`` adds a display reminder that long before the start."""
    from icalendar import Alarm, Event

    tz = ZoneInfo(ICAL_TZ)
    item = Event()
    item.add("uid", uid)
    item.add("dtstamp", timezone.now())
    item.add("dtstart", start.astimezone(tz))
    item.add("dtend", end.astimezone(tz))
    item.add("summary", summary)
    if location:
        item.add("location", location)
    if description:
        item.add("description", description)
    if url:
        item.add("url", url)
    item.add("status", status)
    if alarm_before is not None:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", alarm_text or summary)
        alarm.add("trigger", -alarm_before)
        item.add_component(alarm)
    return item


def to_ics(cal) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_response(body: bytes, filename: str, *, inline=False):
    """A calendar file as an HTTP response (a download, or inline for subscribed feeds)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return response
