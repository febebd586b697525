from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Role, Searchable
from core.roles import EDITORS, MODERATORS


class NewsConfig(PluginConfig):
    name = "news"
    label = "news"
    verbose_name = _("News")
    title = _("News")
    description = _("Stories and photo briefs from the street office and its communities")
    api_router = "news.api.router"
    urls = "news.urls"
    main_url_name = "news:index"
    demo = "news.demo.seed"
    figures = "news.figures.FIGURES"
    # What makes cached news pages and API answers stale (core.cache wires it): any page
    # published, unpublished, moved or saved (stories link to other pages, and their URLs
    # follow the tree), a view restriction (pages are answered before Wagtail's privacy check),
    # and everything a story shows: section, bylines and authors, community, tags, images.
    cache_invalidation = {
        "news": ("wagtailcore.Page", "wagtailcore.PageViewRestriction", "news.Section", "news.Author",
                 "news.Byline", "news.StoryTag", "taggit.Tag", "core.Community", "wagtailimages.Image"),
    }
    searchables = (Searchable("news.StoryPage", _("Stories"), summary="standfirst"),)
    # The site's Editors and Moderators (core's roles) also keep the newsroom's snippets.
    roles = (
        Role(EDITORS, permissions=(
            "news.view_author", "news.add_author", "news.change_author",
            "news.view_section",
        )),
        Role(MODERATORS, permissions=(
            "news.view_author", "news.add_author", "news.change_author", "news.delete_author",
            "news.view_section", "news.add_section", "news.change_section", "news.delete_section",
        )),
    )

    def ready(self):
        super().ready()
        from news import signals  # noqa: F401
