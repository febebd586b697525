"""Stations' live figures for the office (core.figures contract), by the station's community."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import bounds, grouped
from core.plugins import Figure
from stations.models import ReportIn, Visit

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("stations.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


def visits(start, end):
    low, high = bounds(start, end)
    return grouped(Visit.objects.filter(created_at__gte=low, created_at__lt=high), when="created_at", start=start, end=end,
                   community="station__community_id")


def report_ins(start, end):
    # ReportIn keeps its month (one per member, branch and month), so count by that, not by the
    # moment of the scan.
    return grouped(ReportIn.objects.filter(month__gte=start, month__lt=end), when="month", start=start, end=end,
                   community="station__community_id")


FIGURES = (
    figure("stations.visits", pgettext_lazy("figure", "Station visits"), pgettext_lazy("unit", "visits"),
           _("Riders and couriers who scanned a station's QR code on arrival."), visits),
    # Party membership is for party-work staff only: even a count by community could point at
    # the one mobile party member among a station's regulars, so the office cannot publish it.
    figure("stations.report_ins", pgettext_lazy("figure", "Party member report-ins"), pgettext_lazy("unit", "report-ins"),
           _("Mobile party members reporting in to a branch at a station (counted once per member, "
             "branch and month)."), report_ins, may_be_public=False),
)
