"""System checks of Fengchao's own (``manage.py check``; the deploy ones with ``--deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register

from config.env import secret_key_problem


@register(Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    """Django's own W009 passes our published development key (long, varied, no
    ``django-insecure-`` prefix), so ``check --deploy`` said nothing about it."""
    problem = secret_key_problem(settings.SECRET_KEY)
    if problem is None:
        return []
    return [Error(problem, hint="Set SECRET_KEY to a long random value from the environment.",
                  id="fengchao.E001")]


@register()
def check_searchables(app_configs, **kwargs):
    """Each plugin's ``searchables`` (core.plugins.Searchable) must name an indexed model, and a
    model that is not a page must name its public queryset: the site search shows only what that
    says anyone may see."""
    from django.apps import apps
    from wagtail.models import Page
    from wagtail.search.index import class_is_indexed

    from core.plugins import plugins

    errors = []
    for config in plugins():
        for searchable in config.searchables:
            try:
                model = apps.get_model(searchable.model)
            except (LookupError, ValueError):
                errors.append(Error(f"Plugin '{config.label}' makes '{searchable.model}' searchable, "
                                    "which is no installed model.", id="fengchao.E020"))
                continue
            if not class_is_indexed(model):
                errors.append(Error(f"Plugin '{config.label}': {searchable.model} is not indexed for search.",
                                    hint="Give it search_fields (wagtail.search.index.Indexed).",
                                    id="fengchao.E021"))
            if not issubclass(model, Page) and not searchable.public:
                errors.append(Error(f"Plugin '{config.label}': {searchable.model} is not a page, so its "
                                    "Searchable must name the queryset of what anyone may see (public=...).",
                                    id="fengchao.E022"))
            elif not issubclass(model, Page) and not hasattr(model, "get_absolute_url"):
                errors.append(Error(f"Plugin '{config.label}': {searchable.model} has no get_absolute_url "
                                    "for the site search to link to.", id="fengchao.E023"))
    return errors


@register(Tags.security)
def check_private_media(app_configs, **kwargs):
    """The private storage must not sit inside MEDIA_ROOT, where /media/ (SERVE_MEDIA, or the
    proxy in front) would hand its files to anyone who guesses a name."""
    from pathlib import Path

    options = settings.STORAGES.get("private", {}).get("OPTIONS") or {}
    if not options.get("location"):
        return []  # Not on the local disk (S3): the bucket's policy is what keeps it private.
    location = Path(options["location"]).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if location == media or media in location.parents:
        return [Error(f"The private storage ({location}) is inside MEDIA_ROOT ({media}): its files would be public.",
                      hint="Set PRIVATE_MEDIA_ROOT to a directory outside MEDIA_ROOT.", id="fengchao.E030")]
    return []


@register()
def check_map_settings(app_configs, **kwargs):
    """A tile server no map could draw from, or a coordinate system the maps do not know
    (core.maps; every plugin's map uses the same settings)."""
    from core import maps

    return maps.check_settings()
