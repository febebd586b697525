"""Newsroom setup after migrate, and cache invalidation when news changes."""

from django.apps import apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move


def cache_version():
    from news.models import NewsCacheState

    return NewsCacheState.current()


def bump_cache_version(sender=None, raw=False, **kwargs):
    """Every cached news response is keyed by this version: any change makes them all stale."""
    if raw:
        return
    from news.models import NewsCacheState

    NewsCacheState.bump()


@receiver(post_migrate)
def set_up_newsroom(sender, using="default", **kwargs):
    # Once, after the last app has migrated (page and permission rows exist by then).
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from news.services import ensure_newsroom

    ensure_newsroom(using=using)


def _connect_invalidation():
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction

    from core.models import Community
    from news.models import Author, Byline, NewsIndexPage, Section, StoryPage

    uid = "news-cache-{}".format
    page_published.connect(bump_cache_version, dispatch_uid=uid("published"))
    page_unpublished.connect(bump_cache_version, dispatch_uid=uid("unpublished"))
    # A move saves a plain Page (no StoryPage post_save): without this the old address kept
    # serving the cached story and the old index kept listing it.
    post_page_move.connect(bump_cache_version, dispatch_uid=uid("moved"))
    for model in (StoryPage, NewsIndexPage, Section, Author, Byline, Community, get_image_model(),
                  PageViewRestriction):
        post_save.connect(bump_cache_version, sender=model, dispatch_uid=uid(f"save-{model._meta.label}"))
        post_delete.connect(bump_cache_version, sender=model, dispatch_uid=uid(f"delete-{model._meta.label}"))


_connect_invalidation()


def _reindex_author_stories(sender, instance, raw=False, **kwargs):
    """Stories are found by their bylines' names: re-index them when an author is renamed."""
    if raw:
        return
    from wagtail.search.index import insert_or_update_object

    from news.models import StoryPage

    for story in StoryPage.objects.filter(bylines__author=instance).distinct():
        insert_or_update_object(story)


def _connect_reindex():
    from news.models import Author

    post_save.connect(_reindex_author_stories, sender=Author, dispatch_uid="news-reindex-author")


_connect_reindex()
