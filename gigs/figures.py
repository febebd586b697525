"""The gig station's live figures for the office (core.figures contract), by the job need's
community (placements, needs and days to fill) and the worker's community (guidance)."""

import statistics
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import Series, bounds, grouped
from core.plugins import Figure
from gigs.models import Application, Consultation, JobNeed

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("gigs.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


def needs_posted(start, end):
    low, high = bounds(start, end)
    return grouped(JobNeed.objects.filter(published_at__gte=low, published_at__lt=high), when="published_at",
                   start=start, end=end, community="community_id")


def needs_filled(start, end):
    low, high = bounds(start, end)
    return grouped(JobNeed.objects.filter(filled_at__gte=low, filled_at__lt=high), when="filled_at",
                   start=start, end=end, community="community_id")


def workers_placed(start, end):
    # Hired in the month (a placement that later ended still counts in the month it was made).
    low, high = bounds(start, end)
    return grouped(Application.objects.filter(hired_at__gte=low, hired_at__lt=high), when="hired_at",
                   start=start, end=end, community="need__community_id",
                   value=Count("worker", distinct=True), additive=False)


def days_to_fill(start, end):
    """The median number of days from a need's opening (``published_at``) to the hire that took
    its last place (``filled_at``), by the month it was filled and the need's community. A median
    has no SQL aggregate on SQLite, so it is one query of the filled needs, grouped here; a month
    with no need filled has no value (not zero days)."""
    low, high = bounds(start, end)
    rows = JobNeed.objects.filter(filled_at__gte=low, filled_at__lt=high, published_at__isnull=False).values_list(
        "filled_at", "published_at", "community_id")
    cells, totals = defaultdict(list), defaultdict(list)
    for filled, published, community in rows:
        month = timezone.localdate(filled).replace(day=1)
        days = max(Decimal(0), Decimal((filled - published).total_seconds()) / Decimal(86400))
        cells[(month, community)].append(days)
        totals[month].append(days)

    def median(values):
        return Decimal(statistics.median(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)

    return Series(cells={key: median(v) for key, v in cells.items()},
                  totals={month: median(v) for month, v in totals.items()})


def guidance_sessions(start, end):
    low, high = bounds(start, end)
    done = Consultation.objects.filter(status=Consultation.Status.DONE, slot__start__gte=low, slot__start__lt=high)
    return grouped(done, when="slot__start", start=start, end=end, community="member__community_id")


FIGURES = (
    figure("gigs.needs_posted", pgettext_lazy("figure", "Job needs posted"), pgettext_lazy("unit", "needs"),
           _("Job needs of verified employers opened to workers in the month."), needs_posted),
    figure("gigs.needs_filled", pgettext_lazy("figure", "Job needs filled"), pgettext_lazy("unit", "needs"),
           _("Job needs whose places were all taken in the month."), needs_filled),
    figure("gigs.workers_placed", pgettext_lazy("figure", "Workers placed"), pgettext_lazy("unit", "people"),
           _("Different workers hired through the station in the month (by the job's community)."),
           workers_placed, additive=False),
    figure("gigs.days_to_fill", pgettext_lazy("figure", "Days to fill a job need"), pgettext_lazy("unit", "days"),
           _("Median days from a job need's opening to the hire that took its last place, for the needs filled in "
             "the month (by the job's community)."), days_to_fill, additive=False, rate=True, decimals=1),
    figure("gigs.guidance_sessions", pgettext_lazy("figure", "Guidance sessions held"), pgettext_lazy("unit", "sessions"),
           _("Job guidance, skills training and rights advice sessions recorded as done, by the worker's "
             "community."), guidance_sessions),
)
