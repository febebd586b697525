"""RSS 2.0 and Atom feeds for all news and per section (Django syndication). Live, public
stories only: the same query as the pages and the API."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from news import queries
from news.images import absolute
from news.models import Section
from news.representations import story_tags

FEED_SIZE = 30


class NewsFeed(Feed):
    description = _("Stories and photo briefs from the street office and its communities")

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def title(self, obj):
        return _("News")

    def link(self, obj):
        index = queries.newsroom_index()
        return index.get_url(self.request) if index else "/"

    def items(self, obj):
        return queries.feed_stories(size=FEED_SIZE)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst or item.search_description

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return absolute(item.get_url(self.request) or "", self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return "、".join(b.author.name for b in item.bylines.all()) or None

    def item_categories(self, item):
        categories = [t.name for t in story_tags(item)]
        if item.section_id:
            categories.insert(0, item.section.name)
        return categories


class SectionFeed(NewsFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Section, slug=slug)

    def title(self, obj):
        return f"{_('News')} · {obj.name}"

    def description(self, obj):
        # NewsFeed's, by name: ``self.__class__.__base__`` is this class for the Atom feed,
        # which made its subtitle "<function SectionFeed.description ...>".
        return obj.description or NewsFeed.description

    def items(self, obj):
        return queries.feed_stories(obj, size=FEED_SIZE)


class AtomNewsFeed(NewsFeed):
    feed_type = Atom1Feed
    subtitle = NewsFeed.description


class AtomSectionFeed(SectionFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)
