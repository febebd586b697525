"""Newsroom setup after migrate, and re-indexing stories when a name they are found by changes.

(What makes cached news stale is declared in NewsConfig.cache_invalidation; core wires it.)"""

from django.apps import apps
from django.db.models.signals import post_migrate, post_save, pre_save
from django.dispatch import receiver


@receiver(post_migrate)
def set_up_newsroom(sender, using="default", **kwargs):
    # Once, after the last app has migrated (page and permission rows exist by then).
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from news.services import ensure_newsroom

    ensure_newsroom(using=using)


#: Models whose ``name`` stories index (see StoryPage.search_segmented) -> the story lookup.
_NAMED_IN_STORIES = {
    "news.Author": "bylines__author",
    "news.Section": "section",
    "core.Community": "community",
}


def _remember_name(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    instance._news_indexed_name = sender.objects.filter(pk=instance.pk).values_list("name", flat=True).first()


def _reindex_named_stories(sender, instance, created=False, raw=False, **kwargs):
    """Stories are found by their bylines', section's and community's names: re-index them when
    one is renamed (only the author's rename was handled; a renamed section or community stayed
    unfindable under its new name)."""
    if raw or created or getattr(instance, "_news_indexed_name", None) == instance.name:
        return
    from wagtail.search.index import insert_or_update_object

    from news.models import StoryPage

    lookup = _NAMED_IN_STORIES[sender._meta.label]
    for story in StoryPage.objects.filter(**{lookup: instance}).distinct():
        insert_or_update_object(story)


def _connect_reindex():
    for label in _NAMED_IN_STORIES:
        model = apps.get_model(label)
        pre_save.connect(_remember_name, sender=model, dispatch_uid=f"news-name-{label}")
        post_save.connect(_reindex_named_stories, sender=model, dispatch_uid=f"news-reindex-{label}")


_connect_reindex()
