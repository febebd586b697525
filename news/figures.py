"""News's live figures for the office (core.figures contract): stories published, by the month of
their publication date and the community they are about."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import grouped
from core.plugins import Figure
from news.models import StoryPage

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("news",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


def stories_published(start, end):
    # Live stories and briefs (a brief is a StoryPage too) dated in the months asked: the date an
    # editor gives the story, which is what the office's monthly report counts, not the moment
    # the page was first saved.
    stories = StoryPage.objects.live().filter(date__gte=start, date__lt=end)
    return grouped(stories, when="date", start=start, end=end, community="community_id")


FIGURES = (
    figure("news.stories_published", pgettext_lazy("figure", "Stories published"), pgettext_lazy("unit", "stories"),
           _("Stories and photo briefs live on the site, by their publication date and the community "
             "they are about (none: the whole street)."), stories_published),
)