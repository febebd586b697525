"""The gig station's live figures for the office (core.figures contract), by the job need's
community (placements and needs) and the worker's community (guidance)."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import bounds, grouped
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
    figure("gigs.guidance_sessions", pgettext_lazy("figure", "Guidance sessions held"), pgettext_lazy("unit", "sessions"),
           _("Job guidance, skills training and rights advice sessions recorded as done, by the worker's "
             "community."), guidance_sessions),
)
