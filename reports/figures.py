"""Reports' live figures for the office (core.figures contract), by the report's community."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import bounds, grouped
from core.plugins import Figure
from reports.models import Channel, Report, Status

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("reports.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


def received(start, end):
    low, high = bounds(start, end)
    return grouped(Report.objects.filter(submitted_at__gte=low, submitted_at__lt=high).exclude(status=Status.MERGED),
                   when="submitted_at", start=start, end=end, community="community_id")


def resolved(start, end):
    low, high = bounds(start, end)
    return grouped(Report.objects.filter(resolved_at__gte=low, resolved_at__lt=high), when="resolved_at", start=start, end=end,
                   community="community_id")


def resolved_on_time(start, end):
    # On time: resolved on or before the deadline day (working days counted by core.calendar when
    # the report was accepted), the day read in the site's time zone.
    low, high = bounds(start, end)
    return grouped(Report.objects.filter(resolved_at__gte=low, resolved_at__lt=high, deadline__isnull=False,
                                         resolved_at__date__lte=F("deadline")),
                   when="resolved_at", start=start, end=end, community="community_id")


def meeting_items(start, end):
    low, high = bounds(start, end)
    return grouped(Report.objects.filter(channel=Channel.MEETING, submitted_at__gte=low, submitted_at__lt=high),
                   when="submitted_at", start=start, end=end, community="community_id")


FIGURES = (
    figure("reports.received", pgettext_lazy("figure", "Reports received"), pgettext_lazy("unit", "reports"),
           _("Hazards, needs and suggestions reported by riders, residents and meetings (duplicates merged "
             "into another report not counted)."), received),
    figure("reports.resolved", pgettext_lazy("figure", "Work orders resolved"), pgettext_lazy("unit", "work orders"),
           _("Reports whose work order was resolved in the month, with an answer to the reporter."), resolved),
    figure("reports.resolved_on_time", pgettext_lazy("figure", "Resolved on time"), pgettext_lazy("unit", "work orders"),
           _("Work orders resolved in the month on or before their deadline (working days by the office calendar)."),
           resolved_on_time),
    figure("reports.meeting_items", pgettext_lazy("figure", "Needs raised at meetings"), pgettext_lazy("unit", "items"),
           _("Difficulties and suggestions raised at needs-gathering meetings, each followed up as a work order."),
           meeting_items),
)
